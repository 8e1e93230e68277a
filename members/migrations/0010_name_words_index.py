"""PostgreSQL: a GIN index of the words of each member's folded name
(`string_to_array(search_key, ' ')`), which serves the name search word by word
(members.search.NameWordsOverlap). ANALYZE keeps the frequencies of the commonest words of this
expression, so the planner knows a rare name from a common one (`make bench`, 10 M members:
"hoang dung" over the whole register read through it and sorted, instead of walking the name
order up to the given names in D). SQLite's search has its FTS5 table (migration 0006)."""

from django.db import migrations

INDEX = "member_name_words_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member "
            "USING gin (string_to_array(search_key, ' '))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0009_import_cancelled")]

    operations = [migrations.RunPython(create, drop)]
