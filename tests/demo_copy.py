"""The demo loaded through its services once per test run, then copied in.

Loading the demo (members.demo, congresses.demo, congresses.resolutions.demo) runs about
8,000 queries through the services: 2 s on SQLite and 5 to 15 s on PostgreSQL, for each of the
dozens of modules and tests that start from it. The first load of each kind is a real one;
the rows it added, table by table, are kept and written again by the next load that starts
from the same database (the same rows in every table, the same day and language): one
statement a table, in the same order, with the same ids, so that the next test reads what a
real load would have left. A load that changed or removed a row that was there before is
never copied: it runs through the services each time.

PostgreSQL's sequences are not rolled back with a test's transaction, so the copied ids stay
free; SQLite's AUTOINCREMENT counter follows the largest id written. Foreign keys are checked
at commit (Django creates them deferred on both databases); the tables are written parents
first, for the triggers that read other rows (congresses.elections.db_rules, a term's
overlap)."""

from __future__ import annotations

import hashlib
from collections import Counter
from graphlib import CycleError, TopologicalSorter
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import connection
from django.utils.translation import get_language

MODULES = {
    "members": "members.demo",
    "congresses": "congresses.demo",
    "resolutions": "congresses.resolutions.demo",
}

# (parts, day, language, digest of the database before) -> the rows added, by table
_copies: dict[tuple[object, ...], dict[str, list[str]]] = {}


def _tables() -> list[str]:
    """Every table of the database, parents before the tables that refer to them; tables of
    no model (the search index) last. SQLite's own tables and the shadow tables of an FTS5
    index (written by the index itself) are left out."""
    with connection.cursor() as cursor:
        names = set(connection.introspection.table_names(cursor))
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
            virtual = [row[0] for row in cursor.fetchall()]
            names = {
                name
                for name in names
                if not name.startswith("sqlite_")
                and not any(name.startswith(f"{fts}_") for fts in virtual)
            }
    graph: dict[str, set[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in names:
            graph[table] = {
                field.related_model._meta.db_table
                for field in model._meta.concrete_fields
                if field.is_relation and field.related_model is not None
            } & names - {table}
    try:
        ordered = [name for name in TopologicalSorter(graph).static_order() if name in names]
    except CycleError:  # two tables referring to each other: in name order
        ordered = sorted(graph)
    return ordered + sorted(names - set(ordered))


# The statements below name the database's own tables and columns, and write back the SQL
# literals SQLite's quote() gave for its own rows: nothing in them comes from a user.


def _columns(cursor: Any, table: str) -> list[str]:
    """SQLite: the table's columns that are written (not generated ones, nor the hidden
    columns of a virtual table), and the rowid of a virtual (FTS5) table."""
    cursor.execute(f'PRAGMA table_xinfo("{table}")')
    names = [row[1] for row in cursor.fetchall() if row[6] == 0]  # `hidden`
    cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table])
    found = cursor.fetchone()
    virtual = bool(found and found[0] and found[0].startswith("CREATE VIRTUAL TABLE"))
    return ["rowid", *names] if virtual else names


def _rows(table: str) -> list[str]:
    """The table's rows as text, in the order the database keeps them: a line of COPY's text
    format on PostgreSQL, a row of SQL literals (SQLite's quote()) on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                data = b"".join(bytes(chunk) for chunk in copy).decode()
            return data.split("\n")[:-1]  # COPY escapes the newlines within a value
        columns = _columns(cursor, table)
        quoted = " || ',' || ".join(f'quote("{name}")' for name in columns)
        cursor.execute(f'SELECT {quoted} FROM "{table}"')  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _write(table: str, rows: list[str]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                copy.write("".join(f"{row}\n" for row in rows))
            return
        columns = ", ".join(f'"{name}"' for name in _columns(cursor, table))
        for start in range(0, len(rows), 200):
            values = ", ".join(f"({row})" for row in rows[start : start + 200])
            cursor.execute(f'INSERT INTO "{table}" ({columns}) VALUES {values}')  # noqa: S608


def load(*parts: str) -> None:
    """Load the demo's `parts` (members, congresses, resolutions) into the current
    transaction: copied when a load of the same parts started from the same rows today."""
    from members.statistics import today

    tables = _tables()
    before = {table: _rows(table) for table in tables}
    digest = hashlib.sha256(repr(sorted(before.items())).encode()).hexdigest()
    key = (parts, today(), get_language(), connection.vendor, digest)
    if key in _copies:
        for table, rows in _copies[key].items():
            _write(table, rows)
        return
    for part in parts:
        import_module(MODULES[part]).load()
    added: dict[str, list[str]] = {}
    for table in tables:
        after = _rows(table)
        old, new = Counter(before[table]), Counter(after)
        if old - new:  # a row changed or went: not a copy of added rows
            return
        fresh = new - old
        if fresh:
            added[table] = []
            for row in after:  # the added rows in the order the database keeps them
                if fresh[row] > 0:
                    fresh[row] -= 1
                    added[table].append(row)
    _copies[key] = added
