"""The member search at any size of register, diacritics ignored.

What a search finds (the same as a scan would, a test holds them equal on random names):

- A word of letters is looked for anywhere in the folded name (members.domain.fold), every
  word of the search in any order: "nguyen van" finds "Văn Thị Nguyễn" and "Nguyễn Vân".
- A word of four digits is a year of birth; the members born that year are found.
- Text with a digit is also a union card number, matched from its start.
- A word with digits that is not a year matches no name (names hold no digits).

How it is served:

- SQLite: words of three letters or more through an FTS5 table with the trigram tokenizer
  over the folded name padded with a space on each side (`members_member_fts`, rowid = member
  id); the plain `LIKE '%word%'` stays the condition, so the index only narrows what is read.
  One- and two-letter words (Lê, Võ, Hà, Lý, An) contain no trigram: they are looked up among
  the words of all names (`members_name_word`), and the names holding one of those words are
  found as whole words (" le ", a trigram phrase), unless too many words contain them. The
  index is probed first: if it finds at most PROBE members, the search reads just those;
  otherwise the match is common and walking the list's order finds a page after a few rows
  (members.filters.members_for_list); a count joins the FTS5 table instead (joining_index).
  A word held only as a given name also bounds the search to its given names' range of the
  name order (_given_name_range, as on PostgreSQL), so that "dung" walks from the first Dung.
- PostgreSQL: every word as the words of names that contain it (`members_name_word`), found
  in a GIN index of the names' words (`string_to_array(search_key, ' ')`, migration 0010):
  exact, and estimated by the planner from the words' frequencies. A word in more than
  MAX_SHORT_WORDS words of names falls back to the GIN trigram index of the padded name
  (migration 0006), or for one or two letters to the walk. Whether a list reads the matches
  and sorts them or walks its order is members.filters._search_hides's choice.
  A word that the register holds in one place bounds the name order to a range where its
  members sit together (_bounds; where each word stands is kept in `members_name_word`,
  PLACES): only ever a given name, the range of the sort keys of those given names
  (domain.given_name_keys), so a list of "dung" walks from the first Dung, not through every
  name before D; only ever a family name, that family name in member_family_sort_idx, whose
  names run in name order (migration 0017); and with it another word that is never a middle
  name nor one of that family's words, the range of its given names within that family name
  (_given_within_family: "nguyen mai" walks the Nguyễn Mai, Mai being a family name too;
  migration 0018).
- Years through the date of birth's indexes, cards through the card number's index.

`index_members` (members.name_words) keeps the index in step: the services, the import and
the bulk loads call it for every member whose name they write; `rebuild` refills it after a
load that bypassed them.
A word's place marks are set once seen and never cleared by a rename (only `rebuild`
recomputes them): a stale mark only leaves a search unbounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import BooleanField, CharField, F, Func, Q, QuerySet, Value
from django.db.models.lookups import In

from unionrec.counts import planner_estimate
from unionrec.estimates import once_a_request
from unionrec.plans import planned_column

from . import domain
from .models import Member
from .name_words import PLACES as PLACES
from .name_words import WORDS as WORDS
from .name_words import index_members as index_members
from .name_words import rebuild as rebuild

FTS = "members_member_fts"
PROBE = 5000  # SQLite: the index drives the search when it finds at most this many members
SHORT = 2  # words this short have no trigram of their own
MAX_SHORT_WORDS = 60  # a short word in more distinct words than this is left to the scan
YEAR_DIGITS = 4
CARD_END = "\U0010ffff"  # sorts after any character: [card, card + CARD_END) is the prefix
JOINED = "search_joins_index"  # SQLite: a count whose search joins the FTS5 table (joining_index)


class Padded(Func):
    """`' ' || search_key || ' '`, the expression of PostgreSQL's trigram index."""

    template = "(' ' || %(expressions)s || ' ')"
    output_field = CharField()


class FamilyName(Func):
    """`split_part(search_key, ' ', 1)`: the family name of a folded name (its first word),
    the expression of PostgreSQL's member_family_sort_idx (migration 0017)."""

    function = "split_part"
    template = "split_part(%(expressions)s, ' ', 1)"
    output_field = CharField()


class NameWordsOverlap(Func):
    """`string_to_array(search_key, ' ') && ARRAY[words]`: whether a member's name holds one of
    `words`, the expression of PostgreSQL's index of the names' words (migration 0010)."""

    output_field = BooleanField()

    def __init__(self, key: str, words: list[str]) -> None:
        super().__init__(F(key), *(Value(word) for word in words))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        key, *words = (compiler.compile(part) for part in self.get_source_expressions())
        array = ", ".join(sql for sql, _params in words)
        params = [*key[1], *(param for _sql, word_params in words for param in word_params)]
        return f"string_to_array({key[0]}, ' ') && ARRAY[{array}]::text[]", params


# --- Searching --------------------------------------------------------------------------------


def search(
    queryset: QuerySet[Member], text: str, *, personal: bool = True, bounded: bool = True
) -> QuerySet[Member]:
    """`queryset` narrowed to the members `text` finds (see the module's docstring); card
    numbers and years of birth only with `personal`, which a caller leaves True only for a
    user who sees the full numbers and dates (members.disclosure.searches_personal), else
    they could be probed: without it, a word with a digit finds nobody. `bounded` False
    leaves out the ranges of the name order (_bounds), which find no one else: for an
    estimate of the matches by the words alone."""
    words = domain.fold(text).split()
    if not words:
        return queryset
    key = planned_column(queryset, "search_key")
    if connection.vendor == "postgresql":
        queryset = queryset.alias(padded=Padded(F(key)))
    if not personal and any(ch.isdigit() for word in words for ch in word):
        return queryset.none()
    joined = connection.vendor == "sqlite" and JOINED in queryset.query.annotations
    birth_date = planned_column(queryset, "birth_date")
    found = _names_and_years(words, birth_date, key, bounded, not joined)
    card = domain.clean_card(text)
    if personal and any(ch.isdigit() for ch in card) and " " not in card:
        return queryset.filter(found | _card_prefix(card))  # a single word: no name's
    match = _match([w for w in words if not any(ch.isdigit() for ch in w)]) if joined else None
    if match:  # SQLite's count: the matches read from the FTS5 table as they are counted
        where = [f'"{FTS}".rowid = "{Member._meta.db_table}"."id"', f'"{FTS}" MATCH %s']
        queryset = queryset.extra(tables=[FTS], where=where, params=[match])  # noqa: S610
    return queryset.filter(found)


def joining_index(queryset: QuerySet[Member]) -> QuerySet[Member]:
    """`queryset` marked to be counted (members.filters.members_to_count): on SQLite its search
    joins the FTS5 table, read in its order up to the count's cap ("nguyen van", 1 M members:
    10 ms, not 50 ms of rows checked one by one; `id IN (SELECT rowid ...)` reads all first)."""
    return queryset.alias(**{JOINED: Value(True)})


def expected_matches(text: str) -> int:
    """How many members of the whole register `text` finds, as PostgreSQL's planner expects
    from its statistics (the frequencies of the names' words); nothing is read. The ranges
    of the name order are left out: the planner would take them as independent of the words
    they stand for, and expect far too few."""
    return planner_estimate(search(Member.objects.all(), text, bounded=False)).rows


def bound_size(text: str) -> int | None:
    """PostgreSQL: the members in the narrowest range of the name order that a word of `text`
    bounds its matches to and that a walk may take (_bounds), as the planner expects; None
    when there is none. Within one family name the names run by given name, so a search that
    also holds a given name finds its matches together somewhere inside that range, not
    spread along it: a family name's range is taken only when each other word is also found
    in some word of names that is never a given name ("vo thi" walks the Võ, though "thi"
    is also in Thịnh; "nguyen mai 1974" does not walk the Nguyễn), or with the range of the
    given names that another word stands for within it (_given_within_family: "nguyen mai
    1974" walks the Nguyễn Mai)."""
    held = {
        word: _words_containing(word) or ()
        for word in domain.fold(text).split()
        if not any(ch.isdigit() for ch in word)
    }
    sizes = []
    for word, holders in held.items():
        bound = _bounds(holders)
        if bound is None:
            continue
        if _given_name_range(holders) is None and any(
            others and all(holder.given for holder in others)
            for other, others in held.items()
            if other != word
        ):
            continue  # a family name's range, with only given names to find inside it
        sizes.append(planner_estimate(Member.objects.filter(bound)).rows)
    within = _given_within_family({word: holders for word, holders in held.items() if holders})
    if within is not None:
        family, given = within
        bound = _bounds(held[family])
        assert bound is not None  # a family word held only as a family name
        sizes.append(planner_estimate(Member.objects.filter(bound & given)).rows)
    return min(sizes, default=None)


def is_year(word: str) -> bool:
    return len(word) == YEAR_DIGITS and word.isascii() and word.isdigit()


def _names_and_years(words: list[str], birth_date: str, key: str, bounded: bool, probe: bool) -> Q:
    years = [int(word) for word in words if is_year(word)]
    letters = [word for word in words if not any(ch.isdigit() for ch in word)]
    if len(years) + len(letters) < len(words) or 0 in years:
        return Q(pk__in=[])  # a word with digits that is no year: no name holds it
    found = Q()
    for year in years:
        found &= Q(
            **{f"{birth_date}__gte": date(year, 1, 1), f"{birth_date}__lte": date(year, 12, 31)}
        )
    if letters:
        found &= _name_words(letters, key, bounded, probe)
    return found


def _name_words(words: list[str], key: str, bounded: bool, probe: bool) -> Q:
    if connection.vendor == "postgresql":
        return _name_words_postgresql(words, key, bounded)
    found = Q()
    for word in words:
        found &= Q(search_key__contains=word)
        holders = _words_containing(word)
        if holders == ():
            return Q(pk__in=[])  # no name has a word containing it
        given = _given_name_range(holders) if holders and bounded else None
        if given is not None:  # its given names' range of the name order (member_sort_idx)
            found &= Q(sort_key__gte=given[0], sort_key__lt=given[1])
    match = _match(words) if probe else None
    ids = _probe(match) if match else None
    return found if ids is None else found & Q(pk__in=ids)


def _match(words: list[str]) -> str | None:
    """SQLite: the FTS5 query of `words` (each a word of letters): a word of three letters or
    more as itself, a shorter one as the whole words of names that hold it (unless too many
    do); None when no word can be looked up."""
    terms = []
    for word in words:
        holders = _words_containing(word)
        if len(word) > SHORT:
            terms.append(_phrase(word))
        elif holders:
            terms.append("(" + " OR ".join(_phrase(f" {held.word} ") for held in holders) + ")")
    return " AND ".join(terms) or None


def _name_words_postgresql(words: list[str], key: str, bounded: bool = True) -> Q:
    """Each word as the words of names that contain it (members_name_word), looked up in the
    GIN index of the names' words (NameWordsOverlap): exact, since a search word holds no
    space, and estimated by the planner from the words' own frequencies, so that it reads a
    rare name's few members and sorts them, or walks the name order for a common one. A word
    in too many words of names falls back to the trigram index (three letters or more) or the
    walk."""
    found = Q()
    held = {}
    for word in words:
        holders = _words_containing(word)
        if holders == ():
            return Q(pk__in=[])  # no name has a word containing it
        if holders is not None:
            held[word] = holders
            found &= Q(NameWordsOverlap(key, [holder.word for holder in holders]))
            bound = _bounds(holders) if bounded else None
            if bound is not None:
                found &= bound
        elif len(word) > SHORT:
            found &= Q(padded__contains=word)
        else:
            found &= Q(**{f"{key}__contains": word})
    within = _given_within_family(held) if bounded else None
    return found if within is None else found & within[1]


@dataclass(frozen=True)
class Held:
    """A word of names (members_name_word) and where it stands in them (PLACES): `elsewhere`,
    a family or middle name somewhere; `after_first`, a middle or given name somewhere;
    `given`, a given name somewhere; `middle`, a middle name somewhere."""

    word: str
    elsewhere: bool
    after_first: bool
    given: bool
    middle: bool


@once_a_request
def _words_containing(word: str) -> tuple[Held, ...] | None:
    """The distinct words of names that contain `word`; None when there are too many. Read
    once a request: a list asks it for its plan, its page and its count."""
    find = "strpos(word, %s) > 0" if connection.vendor == "postgresql" else "instr(word, %s) > 0"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word, {', '.join(PLACES)} FROM members_name_word WHERE {find} LIMIT %s",  # noqa: S608
            [word, MAX_SHORT_WORDS + 1],
        )
        holders = tuple(Held(held, *(bool(flag) for flag in flags)) for held, *flags in cursor)
    return None if len(holders) > MAX_SHORT_WORDS else holders


def _given_name_range(holders: tuple[Held, ...]) -> tuple[str, str] | None:
    """For words held only as given names (none `elsewhere`), the range of sort keys their
    members fill (_given_range). None if any of them is a family or middle name somewhere."""
    if any(holder.elsewhere for holder in holders):
        return None
    return _given_range(holders)


@once_a_request
def _given_range(holders: tuple[Held, ...]) -> tuple[str, str] | None:
    """The range of sort keys, [low, high), that holds every member whose given name is one
    of `holders`: from the first to the last of their spellings that a member's sort key
    starts with (domain.given_name_keys; one index probe each). None if a word has too many
    spellings."""
    keys: set[str] = set()
    for holder in holders:
        spellings = domain.given_name_keys(holder.word)
        if spellings is None:
            return None
        keys.update(spellings)
    if connection.vendor == "postgresql":
        listed = f"(VALUES {', '.join(['(%s)'] * len(keys))}) AS v(k)"
    else:  # SQLite names no column of a VALUES list
        listed = f"({' UNION ALL '.join(['SELECT %s AS k'] * len(keys))}) AS v"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT v.k FROM {listed} WHERE EXISTS (SELECT 1 FROM "  # noqa: S608
            "members_member m WHERE m.sort_key >= v.k || ' ' AND m.sort_key < v.k || '!')",
            sorted(keys),
        )
        held = sorted(key for (key,) in cursor.fetchall())
    if not held:
        return "", ""  # no member holds these words any more: an empty range
    return held[0] + " ", held[-1] + "!"


def _given_within_family(held: dict[str, tuple[Held, ...]]) -> tuple[str, Q] | None:
    """A word held only as a family name (never after a name's first word) is the family name
    of every member the search finds. Another word none of whose holders is ever a middle
    name, nor one of that family's words, then stands at the end of their names: it is
    their given name, even if it is a family name elsewhere ("nguyen mai": Mai is a family
    name too, but within the Nguyễn it is the given name). Its given names' range of sort
    keys (_given_range), within that family name in member_family_sort_idx (in name order
    there), holds them all: the family word and that range. None when no two words of the
    search fix the name so."""
    for family_word, families in held.items():
        if not families or any(holder.after_first for holder in families):
            continue
        family = {holder.word for holder in families}
        for word, holders in held.items():
            if word == family_word or not holders:
                continue
            if any(holder.middle or holder.word in family for holder in holders):
                continue
            given = _given_range(holders)
            if given is not None:
                return family_word, Q(sort_key__gte=given[0], sort_key__lt=given[1])
    return None


def _bounds(holders: tuple[Held, ...]) -> Q | None:
    """A range of the name order that holds every member whose name holds one of `holders`,
    where those members sit together: words held only as given names, the range of their
    given names' sort keys (member_sort_idx, _given_name_range); words held only as family
    names (never after a name's first word), those family names (member_family_sort_idx, in
    name order within one family name). None for other words."""
    if not holders:
        return None
    given = _given_name_range(holders)
    if given is not None:
        return Q(sort_key__gte=given[0], sort_key__lt=given[1])
    if not any(holder.after_first for holder in holders):
        return Q(In(FamilyName(F("search_key")), [holder.word for holder in holders]))
    return None


def _phrase(text: str) -> str:
    """An FTS5 string: with the trigram tokenizer, a match of `text` anywhere in the key."""
    return '"' + text.replace('"', '""') + '"'


def _probe(match: str) -> list[int] | None:
    """The ids of the members the FTS5 query finds, or None if more than PROBE."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM members_member_fts WHERE members_member_fts MATCH %s LIMIT %s",
            [match, PROBE + 1],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    return None if len(ids) > PROBE else ids


def _card_prefix(card: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(card_number__startswith=card)  # served by member_card_prefix_idx
    return Q(card_number__gte=card, card_number__lt=card + CARD_END)
