from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from members import importer
from members.jobs import ImportStatus
from members.models import Branch

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import a member list (.xlsx or .csv with a header row) into a branch and its "
        "sub-units, all or nothing. Prints the preview: how many rows are new, updates or "
        "unchanged, the unrecognised columns and every row error (row, column, reason). Exits "
        "with status 1 and writes nothing when any row has an error, or the file is refused. "
        "With --dry-run it only prints the preview. Importing the same file twice changes "
        "nothing the second time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="the .xlsx or .csv file to import")
        parser.add_argument(
            "--branch",
            required=True,
            metavar="CODE",
            help="the branch the members belong to (or its sub-units)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check every row and print the preview; write nothing",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="record the import as run by this user (who must be allowed "
            "to write the branch); default: no user, as an administrator",
        )
        parser.add_argument(
            "--lang",
            choices=["vi", "en"],
            default="vi",
            help="the language of the messages (default vi)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        branch = Branch.objects.filter(code=options["branch"]).first()
        if branch is None:
            raise CommandError(f"No branch has the code {options['branch']!r}.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user is called {options['user']!r}.")
        with translation.override(options["lang"]):
            job = importer.start(
                branch=branch,
                data=path.read_bytes(),
                filename=path.name,
                by=user,
                language=options["lang"],
                background=False,
            )
            self._print(job)
            if job.status == ImportStatus.REFUSED:
                raise CommandError(job.message)
            if not job.preview.get("ok"):
                raise CommandError(
                    f"{len(job.preview.get('errors', []))} error(s): nothing was written."
                )
            if options["dry_run"]:
                self.stdout.write("Dry run: nothing was written.")
                return
            job = importer.commit(job, by=user)
            if job.status != ImportStatus.COMMITTED:
                self._print(job)
                raise CommandError(job.message or "Nothing was written.")
            self.stdout.write(
                f"Imported into {branch.code}: {job.created_count} added, "
                f"{job.updated_count} updated, {job.unchanged_count} already in the register "
                f"(import {job.pk})."
            )
            if job.message:  # the register changed since the preview
                self.stdout.write(job.message)

    def _print(self, job: Any) -> None:
        preview = job.preview or {}
        counts = preview.get("counts", {})
        self.stdout.write(
            f"{job.filename}: {job.rows} row(s); "
            + ", ".join(
                f"{name} {counts.get(name, 0)}" for name in ("new", "update", "unchanged", "error")
            )
        )
        for header in preview.get("unrecognised_headers", []):
            self.stdout.write(f"  column not recognised, ignored: {header}")
        for error in preview.get("errors", []):
            self.stdout.write(f"  row {error['row']}, {error['column']}: {error['message']}")
        for row in [r for r in preview.get("rows", []) if r.get("action") == "update"][:SHOWN]:
            changes = ", ".join(
                f"{name}: {old} → {new}" for name, (old, new) in row.get("changes", {}).items()
            )
            self.stdout.write(f"  row {row['number']}: update ({changes})")
        if job.message:
            self.stdout.write(job.message)
