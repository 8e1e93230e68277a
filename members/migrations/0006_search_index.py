"""The name search index (members.search), filled for the members already registered.

- Both databases: `members_name_word`, every word of the folded names (members.domain.fold),
  so that a one- or two-letter search word, which no trigram can serve, is looked up among the
  words that contain it.
- SQLite: `members_member_fts`, an FTS5 table with the trigram tokenizer over each member's
  folded name padded with a space on each side (rowid = the member's id).
- PostgreSQL: the pg_trgm extension and a GIN trigram index on the same padded key, and an
  index of card numbers that serves `LIKE 'X%'` whatever the database's collation.

An index on the date of birth serves the search by year of birth.
"""

from django.db import migrations, models

WORDS = "members_name_word"
FTS = "members_member_fts"
TRGM = "member_search_trgm_idx"
CARD = "member_card_prefix_idx"


def create(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {WORDS} (word varchar(150) NOT NULL PRIMARY KEY)")
        if connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(
                f"CREATE INDEX {TRGM} ON members_member "
                "USING gin ((' ' || search_key || ' ') gin_trgm_ops)"
            )
            # card numbers from their start (LIKE 'X%'), whatever the database's collation
            cursor.execute(
                f"CREATE INDEX {CARD} ON members_member (card_number varchar_pattern_ops)"
            )
            cursor.execute(
                f"INSERT INTO {WORDS} (word) SELECT DISTINCT w FROM members_member, "
                "unnest(string_to_array(search_key, ' ')) AS w WHERE w <> '' "
                "ON CONFLICT DO NOTHING"
            )
        elif connection.vendor == "sqlite":
            cursor.execute(f"CREATE VIRTUAL TABLE {FTS} USING fts5(key, tokenize = 'trigram')")
            cursor.execute(
                f"INSERT INTO {FTS} (rowid, key) "
                "SELECT id, ' ' || search_key || ' ' FROM members_member"
            )
            cursor.execute("SELECT search_key FROM members_member")
            words = {word for (key,) in cursor.fetchall() for word in key.split()}
            cursor.executemany(
                f"INSERT INTO {WORDS} (word) VALUES (%s) ON CONFLICT DO NOTHING",
                [(word,) for word in sorted(words)],
            )


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {TRGM}")
            cursor.execute(f"DROP INDEX IF EXISTS {CARD}")
        elif connection.vendor == "sqlite":
            cursor.execute(f"DROP TABLE IF EXISTS {FTS}")
        cursor.execute(f"DROP TABLE IF EXISTS {WORDS}")


class Migration(migrations.Migration):
    dependencies = [("members", "0005_clean_names")]

    operations = [
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["birth_date"], name="member_birth_idx"),
        ),
        migrations.RunPython(create, drop),
    ]
