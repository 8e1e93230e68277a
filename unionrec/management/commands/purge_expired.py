"""`manage.py purge_expired [--dry-run]`: delete the stored files past their time (unionrec.daily,
which the task worker also runs once a day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from unionrec.daily import purge_expired


class Command(BaseCommand):
    help = (
        "Delete the stored files past their time: uploaded member lists whose import has "
        "ended (written, cancelled, refused, failed, or checked with errors) or that are "
        "older than UNIONREC_IMPORT_FILE_HOURS (72), and export files past "
        "UNIONREC_EXPORT_KEEP_HOURS (24). The import and export records stay, with the "
        "import's SHA-256 and what it wrote. Prints how many files of each kind it deleted; "
        "a file already missing is not an error. The task worker (db_worker) runs this once "
        "a day; run it from a timer where no worker runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="count the files that would be deleted; delete nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        purged = purge_expired(dry_run=dry_run)
        verb = "would be deleted (dry run)" if dry_run else "deleted"
        self.stdout.write(f"Import files {verb}: {purged.import_files}")
        self.stdout.write(f"Export files {verb}: {purged.export_files}")
