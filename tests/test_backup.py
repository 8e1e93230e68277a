"""Backups under write load (reliability-security test 61): `manage.py backup_db` copies the
database while another connection keeps adding members; the copy passes SQLite's
integrity_check and foreign_key_check, or restores with pg_restore into a new PostgreSQL
database; either way it holds a whole moment of the register (every member with their
membership period and history row) and no half-written file is left behind."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
import time
from io import StringIO

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from members.models import Member
from tests.factories import member
from unionrec.management.commands.backup_db import libpq_environment

pytestmark = pytest.mark.django_db(transaction=True)

# In one moment of the register every member has a membership period and a history row.
CONSISTENT = (
    "SELECT (SELECT count(*) FROM members_member),"
    " (SELECT count(DISTINCT member_id) FROM members_membership),"
    " (SELECT count(DISTINCT id) FROM members_historicalmember)"
)


class Writer(threading.Thread):
    """Adds members through the services, one transaction each, until told to stop."""

    def __init__(self, branch) -> None:
        super().__init__(daemon=True)
        self.branch = branch
        self.stop = threading.Event()
        self.added = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                member(self.branch, f"Nguyễn Văn Khải {self.added}", "male")
                self.added += 1
        except BaseException as error:
            self.error = error
        finally:
            connections.close_all()


def back_up_under_load(tree, path) -> tuple[int, int, str]:
    writer = Writer(tree.union)
    writer.start()
    while writer.added < 20 and writer.error is None:
        time.sleep(0.01)
    before = Member.objects.count()
    out = StringIO()
    call_command("backup_db", "--output", str(path), stdout=out)
    writer.stop.set()
    writer.join(timeout=60)
    assert writer.error is None, writer.error
    after = Member.objects.count()
    assert after > before  # the writer kept writing beside the backup
    return before, after, out.getvalue()


def test_a_sqlite_backup_under_write_load_is_sound(tree, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backup; the PostgreSQL drill is the next test")
    path = tmp_path / "unionrec.sqlite3"
    before, after, said = back_up_under_load(tree, path)
    assert "integrity_check ok" in said
    copy = sqlite3.connect(path)
    assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
    members, with_periods, with_history = copy.execute(CONSISTENT).fetchone()
    copy.close()
    assert before <= members <= after
    assert members == with_periods == with_history
    assert [p.name for p in tmp_path.iterdir()] == ["unionrec.sqlite3"]  # no partial file


def test_a_postgresql_dump_under_write_load_restores(tree, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL drill; the SQLite backup is the previous test")
    assert shutil.which("pg_restore"), "pg_restore is needed (postgresql-client)"
    path = tmp_path / "unionrec.dump"
    before, after, said = back_up_under_load(tree, path)
    assert "read back by pg_restore" in said
    settings = connection.settings_dict
    env = libpq_environment(settings)
    target = f"{settings['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cursor.execute(f'CREATE DATABASE "{target}"')
    try:
        restore = ["pg_restore", "--no-owner", "--exit-on-error", "-d", target, str(path)]
        done = subprocess.run(restore, env=env, capture_output=True, text=True)  # noqa: S603
        assert done.returncode == 0, done.stderr
        server = {
            key.lower(): settings[key]
            for key in ("HOST", "PORT", "USER", "PASSWORD")
            if settings.get(key)
        }
        with psycopg.connect(dbname=target, **server) as restored:
            members, with_periods, with_history = restored.execute(CONSISTENT).fetchone()
        assert before <= members <= after
        assert members == with_periods == with_history
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')


def test_an_existing_file_is_never_overwritten_unless_asked(tree, tmp_path):
    path = tmp_path / "backup"
    path.write_text("yesterday's backup")
    with pytest.raises(CommandError, match="exists: choose another name, or add --overwrite"):
        call_command("backup_db", "--output", str(path), stdout=StringIO())
    assert path.read_text() == "yesterday's backup"
    call_command("backup_db", "--output", str(path), "--overwrite", stdout=StringIO())
    assert path.read_bytes() != b"yesterday's backup"
