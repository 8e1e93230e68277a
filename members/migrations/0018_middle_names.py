"""The name search at 10 M members (members.search, measured by `make bench`): each word of
`members_name_word` also records whether it is a middle name in some member's name
(`middle`: neither the first word nor the last), filled here for the members already
registered. A search holding a word that is only ever a family name ("nguyen") and another
that is never a middle name ("mai") then finds the second as the given name: within that
family name in member_family_sort_idx, the range of its given names (members.search._bounds).
Until filled, a word counts as a middle name (the default), which bounds nothing."""

from django.db import migrations

WORDS = "members_name_word"


def _middles(keys):
    """The words of the folded names `keys` that are a middle name in any of them."""
    middle = set()
    for key in keys:
        middle.update(key.split()[1:-1])
    return middle


def add(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {WORDS} ADD COLUMN middle boolean NOT NULL DEFAULT TRUE")
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {WORDS} AS n SET middle = p.middle FROM ("  # noqa: S608
                "SELECT w, bool_or(place > 1 AND place < cardinality(words)) AS middle FROM "
                "(SELECT string_to_array(search_key, ' ') AS words FROM members_member) AS m, "
                "unnest(words) WITH ORDINALITY AS u(w, place) GROUP BY w) AS p "
                "WHERE n.word = p.w"
            )
            return
        cursor.execute("SELECT DISTINCT search_key FROM members_member")
        middle: set[str] = set()
        while batch := cursor.fetchmany(20_000):
            middle |= _middles(key for (key,) in batch)
        cursor.execute(f"SELECT word FROM {WORDS}")  # noqa: S608
        words = [word for (word,) in cursor.fetchall()]
        cursor.executemany(
            f"UPDATE {WORDS} SET middle = %s WHERE word = %s",  # noqa: S608
            [(word in middle, word) for word in words],
        )


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {WORDS} DROP COLUMN middle")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0017_family_names"),
    ]

    operations = [migrations.RunPython(add, drop)]
