"""History that cannot be rewritten (issue 16 item 2, reliability-security test 48).

Every history table (django-simple-history's `Historical*` models) is append-only in the
database itself: a trigger refuses UPDATE and DELETE on its rows, whatever sends them (the
application, a script, a hand at the database), with two exceptions:

- `unlocked()`, the one path that may rewrite history, used by a member's erasure
  (members.erasure, issue 15), which scrubs the erased person's name from their history rows.
  On PostgreSQL it sets `unionrec.history_unlocked` for the transaction (SET LOCAL); on SQLite
  it writes a row to `unionrec_history_unlock`, a table no model owns, and removes it before
  the transaction ends, so no other connection ever sees it.
- Deleting a user: Django empties the user column of their history rows (SET NULL). An UPDATE
  that empties `history_user_id` and changes nothing else is allowed.

PostgreSQL's TRUNCATE fires no row trigger, so the test suite's flushes work there; on SQLite
Django flushes with DELETE, so unionrec's `flush` command runs Django's inside `unlocked()`.

The triggers are installed by migration `unionrec 0005_history_lock` and again after every
`migrate` (`install`, on post_migrate): SQLite drops a table's triggers when Django rebuilds
the table, and its trigger lists the table's columns, which a migration may change. A refused
write raises IntegrityError whose message starts with RULE."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction

RULE = "history_append_only"
MESSAGE = f"{RULE}: history rows are never changed nor deleted"
UNLOCK_TABLE = "unionrec_history_unlock"
SETTING = "unionrec.history_unlocked"
USER_COLUMN = "history_user_id"

_POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION unionrec_history_append_only() RETURNS trigger AS $$
BEGIN
  IF current_setting('unionrec.history_unlocked', true) = 'on' THEN
    RETURN COALESCE(NEW, OLD);
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.history_user_id IS NULL
     AND (to_jsonb(NEW) - 'history_user_id') = (to_jsonb(OLD) - 'history_user_id') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'RULE_MESSAGE' USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql"""


def history_tables() -> list[tuple[str, list[str]]]:
    """Each history table with its columns."""
    return [
        (model._meta.db_table, [str(field.column) for field in model._meta.concrete_fields])
        for model in apps.get_models()
        if model.__name__.startswith("Historical") and hasattr(model, "history_id")
    ]


def _sqlite(table: str, columns: list[str]) -> list[str]:
    unchanged = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in columns if c != USER_COLUMN)
    locked = f"NOT EXISTS (SELECT 1 FROM {UNLOCK_TABLE})"  # noqa: S608 - constants
    refuse = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    return [
        f'DROP TRIGGER IF EXISTS "{table}_no_update"',
        f'DROP TRIGGER IF EXISTS "{table}_no_delete"',
        f'CREATE TRIGGER "{table}_no_update" BEFORE UPDATE ON "{table}" WHEN {locked} '
        f"AND NOT (NEW.{USER_COLUMN} IS NULL AND {unchanged}) {refuse}",
        f'CREATE TRIGGER "{table}_no_delete" BEFORE DELETE ON "{table}" WHEN {locked} {refuse}',
    ]


def _postgresql(table: str) -> list[str]:
    return [
        f'CREATE OR REPLACE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
        "FOR EACH ROW EXECUTE FUNCTION unionrec_history_append_only()"
    ]


def install(connection: Any) -> None:
    """Create (or re-create) the triggers of every history table that exists."""
    existing = set(connection.introspection.table_names())
    statements: list[str] = []
    if connection.vendor == "sqlite":
        if UNLOCK_TABLE not in existing:
            return  # before this app's migration 0005, which makes the table and installs
        for table, columns in history_tables():
            if table in existing:
                statements += _sqlite(table, columns)
    elif connection.vendor == "postgresql":
        statements.append(_POSTGRESQL_FUNCTION.replace("RULE_MESSAGE", MESSAGE))
        for table, _columns in history_tables():
            if table in existing:
                statements += _postgresql(table)
    with connection.cursor() as cursor:
        for statement in statements:  # built from the models' own table and column names
            cursor.execute(statement)


def on_post_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    install(connections[using])


@contextmanager
def unlocked(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Within this block, in one transaction, history rows may be changed and deleted. The
    one audited path: a member's erasure (and the test suite's flush on SQLite)."""
    connection = connections[using]
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "INSERT INTO unionrec_history_unlock (since) VALUES (CURRENT_TIMESTAMP)"
                )
            elif connection.vendor == "postgresql":
                cursor.execute("SELECT set_config(%s, 'on', true)", [SETTING])
        yield
        with connection.cursor() as cursor:  # not reached on an error: the rollback undoes it
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM unionrec_history_unlock")
            elif connection.vendor == "postgresql":
                cursor.execute("SELECT set_config(%s, 'off', true)", [SETTING])
