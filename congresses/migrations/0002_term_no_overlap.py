"""Terms of one branch never overlap, guarded by the database on both engines: an exclusion
constraint on PostgreSQL (with btree_gist for the branch equality), triggers on SQLite.

SQLite drops triggers when Django rebuilds a table; tests/congresses/test_services.py checks
that the guard is still there, so a later migration that rebuilds the table must re-create it.
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE congresses_term ADD CONSTRAINT term_no_overlap
       EXCLUDE USING gist (branch_id WITH =, daterange(starts_on, effective_end, '[)') WITH &&)""",
]
PG_BACKWARD = ["ALTER TABLE congresses_term DROP CONSTRAINT term_no_overlap"]

SQLITE_CHECK = """
    SELECT RAISE(ABORT, 'term_no_overlap: terms of one branch cannot overlap')
    WHERE EXISTS (
        SELECT 1 FROM congresses_term t
        WHERE t.branch_id = NEW.branch_id {other}
          AND t.starts_on < COALESCE(NEW.extended_until, NEW.ends_on)
          AND NEW.starts_on < COALESCE(t.extended_until, t.ends_on)
    );
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER term_no_overlap_insert BEFORE INSERT ON congresses_term BEGIN"
    + SQLITE_CHECK.format(other="")
    + "END",
    "CREATE TRIGGER term_no_overlap_update BEFORE UPDATE ON congresses_term BEGIN"
    + SQLITE_CHECK.format(other="AND t.id <> NEW.id")
    + "END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS term_no_overlap_insert",
    "DROP TRIGGER IF EXISTS term_no_overlap_update",
]


def forward(apps, schema_editor):
    statements = {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("congresses", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
