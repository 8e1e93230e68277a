"""`manage.py backup_db --output PATH [--overwrite]`: a consistent copy of the database, taken
while the application keeps running (reliability-security test 61).

SQLite: the online backup API of Python's sqlite3, in one step (one read transaction, so the
copy is one moment of the database; in WAL mode writers go on meanwhile), then
`PRAGMA integrity_check` and `foreign_key_check` on the copy. PostgreSQL:
`pg_dump --format=custom` (one snapshot, taken without locking writers out), then
`pg_restore --list` reads the archive back. Either way the copy is written to a temporary file
beside PATH and renamed into place only when it has passed its check, so a failed backup never
leaves a half-written file under PATH. An existing PATH is refused unless --overwrite.

Restoring: SQLite, stop the server and the worker and copy the file over SQLITE_PATH (its
-wal and -shm files removed); PostgreSQL, `createdb NEW && pg_restore --no-owner -d NEW PATH`,
then point DATABASE_URL at NEW. docs/operations.md has the steps."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


def libpq_environment(settings: dict[str, Any]) -> dict[str, str]:
    """This process's environment with the PG* variables that point pg_dump and pg_restore at
    the server of the Django database `settings` (its NAME is passed on the command line)."""
    env = dict(os.environ)
    for key, setting in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if settings.get(setting):
            env[key] = str(settings[setting])
    return env


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database to PATH while the application runs: SQLite's "
        "online backup (checked with integrity_check and foreign_key_check) or pg_dump's "
        "custom format (read back with pg_restore --list). Refuses an existing PATH unless "
        "--overwrite; exits with status 1 and a message when the copy fails its check."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, metavar="PATH", help="the file to write")
        parser.add_argument("--overwrite", action="store_true", help="replace PATH if it exists")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        if output.exists() and not options["overwrite"]:
            raise CommandError(f"{output} exists: choose another name, or add --overwrite.")
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.")
        handle, name = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
        os.close(handle)
        partial = Path(name)
        try:
            if connection.vendor == "sqlite":
                summary = self._sqlite(partial)
            elif connection.vendor == "postgresql":
                summary = self._postgres(partial)
            else:
                raise CommandError(f"No backup for the {connection.vendor} database.")
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"Wrote {output} ({output.stat().st_size:,} bytes): {summary}.")

    def _sqlite(self, partial: Path) -> str:
        source_name = str(connection.settings_dict["NAME"])
        if source_name == ":memory:" or "mode=memory" in source_name:
            raise CommandError("An in-memory database has nothing to back up.")
        source = sqlite3.connect(source_name, timeout=30)
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)  # in one step: one read snapshot (WAL lets writers go on)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            integrity = copy.execute("PRAGMA integrity_check").fetchall()
            broken = copy.execute("PRAGMA foreign_key_check").fetchall()
            tables = copy.execute("SELECT count(*) FROM sqlite_master WHERE type='table'")
            count = tables.fetchone()[0]
        finally:
            copy.close()
            source.close()
        if integrity != [("ok",)]:
            raise CommandError(f"The copy failed integrity_check: {integrity[:5]}")
        if broken:
            raise CommandError(f"The copy failed foreign_key_check: {broken[:5]}")
        return f"SQLite online backup, {count} tables, integrity_check ok, foreign keys ok"

    def _postgres(self, partial: Path) -> str:
        dump, restore = shutil.which("pg_dump"), shutil.which("pg_restore")
        if dump is None or restore is None:
            raise CommandError("pg_dump and pg_restore are needed: install postgresql-client.")
        settings = connection.settings_dict
        env = libpq_environment(settings)
        command = [
            dump,
            "--format=custom",
            "--no-owner",
            "--file",
            str(partial),
            str(settings["NAME"]),
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
        if done.returncode:
            raise CommandError(f"pg_dump failed: {done.stderr.strip()[-500:]}")
        listing = subprocess.run(  # noqa: S603
            [restore, "--list", str(partial)],
            env=env,
            capture_output=True,
            text=True,
        )
        if listing.returncode:
            raise CommandError(f"pg_restore cannot read the archive: {listing.stderr[-500:]}")
        entries = sum(1 for line in listing.stdout.splitlines() if " TABLE DATA " in line)
        return f"pg_dump custom format, {entries} tables' data, read back by pg_restore"
