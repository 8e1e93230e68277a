"""An existing database migrates forward with nothing lost.

`tests/fixtures/demo_db_cb8e0b1.sqlite3.gz` is the database that `make run` built at commit
cb8e0b1 (migrate, then load_demo), with an export, a member import's check and a clean-up
queued for the background worker as that code queued them. The test copies it, runs
`manage.py migrate` of the code as it is now, and holds every row of every table to what
it was: the same values in the columns the table had, whatever migrations add. The models
of the code must read every row, and every task the old code queued must still resolve to
a function (the worker imports the stored dotted path).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "demo_db_cb8e0b1.sqlite3.gz"
# Tables to which `migrate` itself adds a row for each new model (its content type and its
# permissions): their old rows must stay; new ones may come.
REGISTRIES = {"django_content_type", "auth_permission"}
# Tables a migration drops on purpose, and why: DRF's tokens held each key in clear
# (unionrec 0003_api_tokens stores digests; their users ask for new tokens).
DROPPED = {"authtoken_token": "API keys stored in clear"}

# Run by the code under test, in the migrated database: every model reads all its rows, and
# every stored task path imports. Prints the rows each model read, by table.
READ_EVERYTHING = """
import json
from django.apps import apps
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

rows = {}
for model in apps.get_models():
    if model._meta.managed and not model._meta.proxy:
        rows[model._meta.db_table] = sum(1 for _ in model._base_manager.all().iterator())
paths = sorted(set(DBTaskResult.objects.values_list("task_path", flat=True)))
for path in paths:
    import_string(path)
print(json.dumps({"rows": rows, "task_paths": paths}))
"""


def snapshot(path: Path) -> dict[str, tuple[list[str], Counter[tuple[object, ...]]]]:
    """Every table's columns and rows (as a multiset), read with sqlite3 itself."""
    with sqlite3.connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        result = {}
        for table in tables:
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            result[table] = (columns, rows_of(connection, table, columns))
    return result


def rows_of(
    connection: sqlite3.Connection, table: str, columns: list[str]
) -> Counter[tuple[object, ...]]:
    names = ", ".join(f'"{column}"' for column in columns)
    return Counter(connection.execute(f'SELECT {names} FROM "{table}"'))  # noqa: S608


def manage(database: Path, *args: str) -> str:
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment |= {"SQLITE_PATH": str(database), "UNIONREC_TESTING": "1"}
    done = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    database = tmp_path_factory.mktemp("legacy") / "db.sqlite3"
    with gzip.open(FIXTURE) as packed, database.open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    before = snapshot(database)
    manage(database, "migrate", "--no-input")
    read = json.loads(manage(database, "shell", "--no-imports", "-c", READ_EVERYTHING))
    return database, before, read


def test_every_row_of_the_old_database_is_kept(migrated):
    database, before, _read = migrated
    with sqlite3.connect(database) as connection:
        for table, (columns, rows) in before.items():
            if table == "django_migrations":
                continue  # migrate adds rows here, and keeps the old ones (next test)
            if table in DROPPED:
                assert not connection.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = ?", (table,)
                ).fetchall(), f"{table} should be gone: {DROPPED[table]}"
                continue
            present = {row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')}
            assert present >= set(columns), f"{table} lost columns {set(columns) - present}"
            now = rows_of(connection, table, columns)
            if table in REGISTRIES:
                assert not rows - now, f"rows of {table} lost: {rows - now}"
            else:
                assert now == rows, f"rows of {table} changed"


def test_the_old_migration_history_is_kept(migrated):
    database, before, _read = migrated
    columns, rows = before["django_migrations"]
    applied = {(row[columns.index("app")], row[columns.index("name")]) for row in rows}
    with sqlite3.connect(database) as connection:
        now = set(connection.execute("SELECT app, name FROM django_migrations"))
    assert applied <= now
    assert ("congresses", "0004_resolutions") in applied  # the fixture has the full history


def test_the_code_reads_every_row_of_the_old_data(migrated):
    _database, before, read = migrated
    for table, count in read["rows"].items():
        if table in before:
            old = sum(before[table][1].values())
            assert count >= old if table in REGISTRIES else count == old, table
    # The demo's register and records are there, not an empty shell.
    assert read["rows"]["members_member"] == 200
    assert read["rows"]["congresses_congress"] >= 1


def test_tasks_queued_by_the_old_code_still_resolve(migrated):
    _database, _before, read = migrated
    assert read["task_paths"] == [
        "members.tasks.check_import",
        "reports.tasks.delete_expired_exports",
        "reports.tasks.run_export",
    ]


def test_results_certified_before_the_day_of_certification_get_the_day_they_were_recorded(
    migrated,
):
    """congresses 0005: the day of certification of an old result is its certified_at, as a
    day of the union's calendar (Asia/Ho_Chi_Minh)."""
    from datetime import UTC, date, datetime
    from zoneinfo import ZoneInfo

    database, _before, _read = migrated
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT certified_at, certified_on FROM congresses_election"
            " WHERE certified_at IS NOT NULL"
        ).fetchall()
    assert rows  # the demo's two certified elections
    for certified_at, certified_on in rows:
        moment = datetime.fromisoformat(certified_at).replace(tzinfo=UTC)
        assert (
            date.fromisoformat(certified_on)
            == moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date()
        )


def test_the_members_already_registered_are_found_through_the_new_search_index(migrated):
    """members 0006: the FTS5 table and the words of names hold every member of the old
    database, so a search served by them finds what a scan of the names finds."""
    database, _before, _read = migrated
    with sqlite3.connect(database) as connection:
        indexed = connection.execute("SELECT count(*) FROM members_member_fts").fetchone()[0]
        scanned = {
            pk
            for (pk,) in connection.execute(
                "SELECT id FROM members_member WHERE search_key LIKE '%nguyen%'"
            )
        }
        found = {
            pk
            for (pk,) in connection.execute(
                "SELECT rowid FROM members_member_fts WHERE members_member_fts MATCH '\"nguyen\"'"
            )
        }
        words = {w for (w,) in connection.execute("SELECT word FROM members_name_word")}
    assert indexed == 200
    assert scanned and found == scanned
    assert {"nguyen", "le", "thi"} <= words
