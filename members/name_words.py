"""The index of the member search (members.search) kept in step with the names: the words of
the folded names (`members_name_word`, with where each stands in the names, PLACES) on both
databases, and SQLite's FTS5 table of the folded names. `index_members` is called by the
services, the import and the bulk loads for every member whose name they write; `rebuild`
refills the index after a load that bypassed them (the bench)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

WORDS = "members_name_word"  # the tables of migration 0006 (named in full in the SQL)


# Where a word stands in the names that hold it, each a flag of members_name_word set once
# seen (migrations 0015, 0017, 0018): a family or middle name (not a name's last word), a
# middle or given name (not its first word), a given name (its last word), a middle name
# (neither its first nor its last word).
PLACES = ("elsewhere", "after_first", "given", "middle")
Places = tuple[bool, bool, bool, bool]


def _places(parts: list[str], place: int) -> Places:
    last = len(parts) - 1
    return (place < last, place > 0, place == last, 0 < place < last)


def _merged(before: Places, seen: Places) -> Places:
    return (before[0] or seen[0], before[1] or seen[1], before[2] or seen[2], before[3] or seen[3])


def _upsert_words(cursor: Any, words: dict[str, Places], *, replace: bool) -> None:
    """Write each word with its places: added to what is known (a flag once set stays set),
    or with `replace` (a rebuild) in place of it."""
    columns = ", ".join(PLACES)
    if replace:
        update = ", ".join(f"{flag} = excluded.{flag}" for flag in PLACES)
    else:
        sets = ", ".join(f"{flag} = members_name_word.{flag} OR excluded.{flag}" for flag in PLACES)
        news = " OR ".join(f"(excluded.{flag} AND NOT members_name_word.{flag})" for flag in PLACES)
        update = f"{sets} WHERE {news}"
    cursor.executemany(
        f"INSERT INTO members_name_word (word, {columns}) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (word) DO UPDATE SET {update}",
        [(word, *places) for word, places in sorted(words.items())],
    )


def index_members(rows: Iterable[tuple[int, str]]) -> None:
    """Index the folded names of members written without the ORM's knowledge of the index:
    (id, search_key) pairs, new members or changed names alike."""
    rows = list(rows)
    if not rows:
        return
    words = _words_and_places(key for _pk, key in rows)
    with connection.cursor() as cursor:
        _upsert_words(cursor, words, replace=False)
        if connection.vendor == "sqlite":
            cursor.executemany(
                "DELETE FROM members_member_fts WHERE rowid = %s", [(pk,) for pk, _ in rows]
            )
            cursor.executemany(
                "INSERT INTO members_member_fts (rowid, key) VALUES (%s, %s)",
                [(pk, f" {key} ") for pk, key in rows],
            )


def _words_and_places(
    keys: Iterable[str], words: dict[str, Places] | None = None
) -> dict[str, Places]:
    """Every word of the folded names `keys` with its PLACES in them (a name's first word is
    its family name, its last its given name, domain.split_name), added to `words`."""
    words = {} if words is None else words
    for key in keys:
        parts = key.split()
        for place, word in enumerate(parts):
            seen = _places(parts, place)
            words[word] = _merged(words[word], seen) if word in words else seen
    return words


REBUILD_CACHE_KIB = -512 * 1024  # SQLite's page cache while the index is refilled (negative: KiB)


def rebuild() -> None:
    """Refill the index from every member's search key, after a bulk load that bypassed the
    services (the bench). PostgreSQL's trigram index is an index and needs nothing."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO members_name_word (word, elsewhere, after_first, given, middle) "
                "SELECT w, bool_or(place < cardinality(words)), bool_or(place > 1), "
                "bool_or(place = cardinality(words)), "
                "bool_or(place > 1 AND place < cardinality(words)) FROM "
                "(SELECT string_to_array(search_key, ' ') AS words FROM members_member) AS m, "
                "unnest(words) WITH ORDINALITY AS u(w, place) WHERE w <> '' GROUP BY w "
                "ON CONFLICT (word) DO UPDATE SET elsewhere = excluded.elsewhere, "
                "after_first = excluded.after_first, given = excluded.given, "
                "middle = excluded.middle"
            )
            return
        # FTS5 merges its segments while it fills; with SQLite's default 2 MB page cache the
        # merges read them back from disk over and over (minutes at 1 M members, seconds with
        # room for them), so the cache is widened for the rebuild only.
        cursor.execute("PRAGMA cache_size")
        (cache_size,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {REBUILD_CACHE_KIB}")
        try:
            cursor.execute("DELETE FROM members_member_fts")
            cursor.execute(
                "INSERT INTO members_member_fts (rowid, key) "
                "SELECT id, ' ' || search_key || ' ' FROM members_member"
            )
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
        cursor.execute("SELECT DISTINCT search_key FROM members_member")
        words: dict[str, Places] = {}
        while batch := cursor.fetchmany(20_000):
            _words_and_places((key for (key,) in batch), words)
        _upsert_words(cursor, words, replace=True)
