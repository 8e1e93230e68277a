"""The name search at 10 M members (members.search, measured by `make bench`): a word that is
only ever a family name is found through an index of the family name (the first word of the
folded name) in name order, where its members sit together; elsewhere in the name order they
are spread one run per given name ("vo thi" walked 364,000 names for a page).

- each word of `members_name_word` records whether it is a middle or given name in some
  member's name (`after_first`) and whether a given name (`given`), filled here for the
  members already registered;
- PostgreSQL: `member_family_sort_idx` on (family name, sort key, id), carrying the branch and
  the folded name and the date of birth, so that a walk reads no table row. SQLite keeps its
  FTS5 table."""

from django.db import migrations

WORDS = "members_name_word"
INDEX = "member_family_sort_idx"


def _after_first(keys):
    """The words of the folded names `keys` that are a middle or given name in any of them,
    and those that are a given name (the last word)."""
    later, given = set(), set()
    for key in keys:
        parts = key.split()
        later.update(parts[1:])
        given.update(parts[-1:])
    return later, given


def add(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {WORDS} ADD COLUMN after_first boolean NOT NULL DEFAULT TRUE")
        cursor.execute(f"ALTER TABLE {WORDS} ADD COLUMN given boolean NOT NULL DEFAULT TRUE")
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {WORDS} AS n SET after_first = p.later, given = p.given FROM ("  # noqa: S608
                "SELECT w, bool_or(place > 1) AS later, "
                "bool_or(place = cardinality(words)) AS given FROM "
                "(SELECT string_to_array(search_key, ' ') AS words FROM members_member) AS m, "
                "unnest(words) WITH ORDINALITY AS u(w, place) GROUP BY w) AS p "
                "WHERE n.word = p.w"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member "
                "((split_part(search_key, ' ', 1)), sort_key, id) "
                "INCLUDE (branch_id, search_key, birth_date)"
            )
            return
        cursor.execute("SELECT DISTINCT search_key FROM members_member")
        later: set[str] = set()
        given: set[str] = set()
        while batch := cursor.fetchmany(20_000):
            seen_later, seen_given = _after_first(key for (key,) in batch)
            later |= seen_later
            given |= seen_given
        cursor.execute(f"SELECT word FROM {WORDS}")  # noqa: S608
        words = [word for (word,) in cursor.fetchall()]
        cursor.executemany(
            f"UPDATE {WORDS} SET after_first = %s, given = %s WHERE word = %s",  # noqa: S608
            [(word in later, word in given, word) for word in words],
        )


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        cursor.execute(f"ALTER TABLE {WORDS} DROP COLUMN after_first")
        cursor.execute(f"ALTER TABLE {WORDS} DROP COLUMN given")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0016_branch_rows_from_the_depth_index"),
    ]

    operations = [migrations.RunPython(add, drop)]
