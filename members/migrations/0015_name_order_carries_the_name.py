"""The name search at 10 M members (members.search, measured by `make bench`):

- the index of the name order also carries the folded name, the date of birth and the card
  number (PostgreSQL's INCLUDE; SQLite rebuilds it as it was), so that a search that walks the
  names reads no table row;
- each word of `members_name_word` records whether it is a family or middle name in some
  member's name (`elsewhere`), so that a word held only as a given name bounds the name order
  to the given names' range. Filled here for the members already registered."""

from django.db import migrations, models

WORDS = "members_name_word"


def _places(keys):
    """Every word of the folded names `keys`, True when it is a family or middle name in any."""
    words = {}
    for key in keys:
        *others, given = key.split() or [""]
        for word in others:
            words[word] = True
        if given:
            words.setdefault(given, False)
    return words


def add_places(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {WORDS} ADD COLUMN elsewhere boolean NOT NULL DEFAULT TRUE")
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {WORDS} AS n SET elsewhere = p.elsewhere FROM ("  # noqa: S608
                "SELECT w, bool_or(place < cardinality(words)) AS elsewhere FROM "
                "(SELECT string_to_array(search_key, ' ') AS words FROM members_member) AS m, "
                "unnest(words) WITH ORDINALITY AS u(w, place) GROUP BY w) AS p "
                "WHERE n.word = p.w"
            )
            return
        cursor.execute("SELECT DISTINCT search_key FROM members_member")
        words = {}
        while batch := cursor.fetchmany(20_000):
            for word, elsewhere in _places(key for (key,) in batch).items():
                words[word] = words.get(word, False) or elsewhere
        cursor.executemany(
            f"UPDATE {WORDS} SET elsewhere = %s WHERE word = %s",  # noqa: S608
            [(elsewhere, word) for word, elsewhere in words.items() if not elsewhere],
        )


def drop_places(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {WORDS} DROP COLUMN elsewhere")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0014_covering_list_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="member",
            name="member_sort_idx",
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["sort_key", "id"],
                include=("branch", "search_key", "birth_date", "card_number"),
                name="member_sort_idx",
            ),
        ),
        migrations.RunPython(add_places, drop_places),
    ]
