"""Pages of a long list read by keyset instead of OFFSET: a page starts after (or ends before)
the sort key of a row, so the database walks its index from there and the last page costs
what the first does. One home for the member list page and the JSON API's lists.

An ordering is a tuple of fields ending on a unique one (the id), all in one direction, so the
position of a row is the tuple of its values and "after" is one row-value comparison
(`(a, b, id) > (x, y, z)`), which both databases serve from an index on those columns. A
column that may be NULL sorts its NULLs last when ascending and first when descending (what
PostgreSQL does by default, said explicitly so SQLite does the same), or the other way round
when its key says NULLs are low (a list that keeps rows without a value last in both
directions); comparisons on it are spelt out around the NULLs.

A cursor is the position and the direction, signed (django.core.signing), so a client cannot
forge one: a cursor that was edited, truncated or made for another list is refused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Literal

from django.core import signing
from django.db.models import F, Model, Q, QuerySet, Value
from django.db.models.expressions import OrderBy
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.sql.where import WhereNode

from .plans import planned_column

SALT = "unionrec.keyset"
Direction = Literal["next", "prev", "last"]


class InvalidCursor(ValueError):
    """A cursor that is not one this application signed for this list."""


@dataclass(frozen=True)
class Key:
    """One column of an ordering: a field path (`branch__path` follows a join, an annotation's
    name works too) and whether it may be NULL. `nulls_high`: a NULL ranks above every value
    (last ascending, first descending, PostgreSQL's default); False ranks it below them."""

    path: str
    nullable: bool
    nulls_high: bool = True

    def nulls_after(self, descending: bool) -> bool:
        """Whether NULLs follow the values when the key is read descending (or ascending)."""
        return self.nulls_high != descending


@dataclass(frozen=True)
class Ordering:
    """A list's order: `name` as the list offers it (`birth_date`, `-branch`), its keys (the
    last one unique) and the direction of all of them."""

    name: str
    keys: tuple[Key, ...]
    descending: bool = False

    def order_by(
        self, *, reverse: bool = False, queryset: QuerySet[Any] | None = None
    ) -> list[OrderBy]:
        """ORDER BY expressions, NULLs where their key ranks them (by default last in
        ascending order and first in descending). Only nullable columns say so: SQLite reads
        an index in order only for a plain ASC or DESC. A column `queryset` hides from the
        planner (unionrec.plans) is ordered by its unindexed form."""
        descending = self.descending != reverse
        order = []
        for key in self.keys:
            column = F(_planned(queryset, key.path))
            if key.nullable:
                nulls = (
                    {"nulls_last": True} if key.nulls_after(descending) else {"nulls_first": True}
                )
                order.append(column.desc(**nulls) if descending else column.asc(**nulls))
            else:
                order.append(column.desc() if descending else column.asc())
        return order

    def position(self, row: Any) -> tuple[Any, ...]:
        """The values of the keys on a row (a model instance, following joins)."""
        values = []
        for key in self.keys:
            value = row
            for part in key.path.split("__"):
                value = getattr(value, part)
            values.append(value)
        return tuple(values)


def ordering(model: type[Model], name: str, fields: Sequence[str]) -> Ordering:
    """The ordering `name` (a leading "-" reverses it) over `fields` of `model`, the last of
    which must be unique; the nullability of each field is read from the model."""
    keys = []
    for path in fields:
        meta = model._meta
        field: Any = None
        for part in path.split("__"):
            field = meta.get_field(part)
            if field.is_relation:
                meta = field.related_model._meta
        keys.append(Key(path, bool(field.null)))
    return Ordering(name, tuple(keys), descending=name.startswith("-"))


def _planned(queryset: QuerySet[Any] | None, path: str) -> str:
    return path if queryset is None else planned_column(queryset, path)


def _beyond(
    keys: Sequence[Key], values: Sequence[Any], descending: bool, queryset: QuerySet[Any]
) -> Q:
    """Rows strictly after `values` in the order of `keys` read ascending (or descending)."""
    if len(keys) == 1 and not keys[0].nullable:
        return Q(
            **{f"{_planned(queryset, keys[0].path)}__{'lt' if descending else 'gt'}": values[0]}
        )
    if not any(key.nullable for key in keys):
        lookup = TupleLessThan if descending else TupleGreaterThan
        columns = Tuple(*(F(_planned(queryset, key.path)) for key in keys))
        return Q(lookup(columns, tuple(values)))
    first, value = keys[0], values[0]
    rest = _beyond(keys[1:], values[1:], descending, queryset) if len(keys) > 1 else Q(pk__in=[])
    if not first.nullable:
        later = Q(**{f"{first.path}__{'lt' if descending else 'gt'}": value})
        return later | (Q(**{first.path: value}) & rest)
    is_null = Q(**{f"{first.path}__isnull": True})
    after = first.nulls_after(descending)
    if value is None:  # among the NULLs: the values follow them only when NULLs come first
        tail = is_null & rest
        return tail if after else tail | Q(**{f"{first.path}__isnull": False})
    later = Q(**{f"{first.path}__{'lt' if descending else 'gt'}": value})
    same = Q(**{first.path: value}) & rest
    return later | same | is_null if after else later | same


# --- Cursors --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after `position` ("next"), before it ("prev"), or the end of the
    list read backwards ("last"; no position)."""

    direction: Direction
    ordering: str
    position: tuple[Any, ...] | None = None

    def encode(self) -> str:
        values = None if self.position is None else [_plain(v) for v in self.position]
        return signing.dumps([self.direction, self.ordering, values], salt=SALT, compress=True)


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def decode(text: str, ordering: Ordering) -> Cursor | None:
    """The cursor signed in `text`. None for a genuine cursor of another ordering of the same
    list (a column header clicked on a later page: the list starts again from the top);
    InvalidCursor for anything this application did not sign, or signed for something else."""
    try:
        data = signing.loads(text, salt=SALT)
    except (signing.BadSignature, ValueError, UnicodeError):
        raise InvalidCursor(text) from None
    if not (isinstance(data, list) and len(data) == 3):
        raise InvalidCursor(text)
    direction, name, values = data
    if direction not in ("next", "prev", "last") or not isinstance(name, str):
        raise InvalidCursor(text)
    if name != ordering.name:
        return None
    if direction == "last":
        return Cursor("last", name) if values is None else _refuse(text)
    if not (isinstance(values, list) and len(values) == len(ordering.keys)):
        raise InvalidCursor(text)
    return Cursor(direction, name, tuple(values))


def _refuse(text: str) -> Cursor:
    raise InvalidCursor(text)


def from_query(text: str | None, ordering: Ordering) -> tuple[Cursor | None, bool]:
    """The cursor of a page's `?cursor=` (None without one) and whether it was refused: a
    page answers a refused cursor with its first page, a message and a 400."""
    if not text:
        return None, False
    try:
        return decode(text, ordering), False
    except InvalidCursor:
        return None, True


# --- Pages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """The rows of a page in display order and the cursors around it (None at either end)."""

    rows: list[Any]
    ordering: Ordering
    has_previous: bool
    has_next: bool

    @property
    def next_cursor(self) -> str | None:
        if not (self.has_next and self.rows):
            return None
        return Cursor("next", self.ordering.name, self.ordering.position(self.rows[-1])).encode()

    @property
    def previous_cursor(self) -> str | None:
        if not (self.has_previous and self.rows):
            return None
        return Cursor("prev", self.ordering.name, self.ordering.position(self.rows[0])).encode()

    @property
    def last_cursor(self) -> str:
        return Cursor("last", self.ordering.name).encode()


IDS_FIRST = "keyset_ids_first"  # the alias that asks read_page to read the page's ids first


def ids_first(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """`queryset` marked so that its pages are read as ids first, then the rows of those ids
    (read_rows): for a plan that reads many index entries to find a page, and can do so from
    an index alone when only the id and the sort key are asked for (members_for_list)."""
    marked: QuerySet[Any] = queryset.alias(**{IDS_FIRST: Value(True)})
    return marked


def read_rows(queryset: QuerySet[Any], query: QuerySet[Any]) -> list[Any]:
    """The rows of `query` (`queryset` ordered and sliced); for a queryset marked ids_first,
    its ids first, then the rows of `queryset` with those ids, in the same order: a second,
    small query, so that the first asks the database for no column its index does not hold
    (PostgreSQL then reads no table row for the entries it passes over)."""
    if IDS_FIRST not in queryset.query.annotations:
        return list(query)
    pks = list(query.values_list("pk", flat=True))
    rows = queryset.order_by()
    rows.query.where = WhereNode()  # the ids were found by the filters; not applied again
    found = {row.pk: row for row in rows.filter(pk__in=pks)}
    return [found[pk] for pk in pks if pk in found]  # one deleted in between is left out


def read_page(
    queryset: QuerySet[Any], ordering: Ordering, cursor: Cursor | None, size: int
) -> Page:
    """A page of `size` rows of `queryset` in `ordering` from `cursor` (the first page when
    None), read with one query of size + 1 rows and no OFFSET (two with ids_first)."""
    if cursor is None:
        query = queryset.order_by(*ordering.order_by(queryset=queryset))[: size + 1]
        return _page(read_rows(queryset, query), ordering, cursor, size)
    backwards = cursor.direction != "next"
    query = queryset.order_by(*ordering.order_by(reverse=backwards, queryset=queryset))
    if cursor.position is not None:
        descending = ordering.descending != backwards
        query = query.filter(_beyond(ordering.keys, cursor.position, descending, queryset))
    return _page(read_rows(queryset, query[: size + 1]), ordering, cursor, size)


def read_split_page(
    valued: QuerySet[Any],
    missing: QuerySet[Any],
    ordering: Ordering,
    cursor: Cursor | None,
    size: int,
) -> Page:
    """read_page for a list whose first key is computed and may be missing, given as its two
    parts: `valued`, the rows that have the key (annotated under its name, never NULL), and
    `missing`, those that do not. Each part is walked in an order its indexes serve (the key
    without its NULLs; the other keys alone), and a page takes its rows from the part that
    comes first in its direction, then from the other: no value is computed for every row of
    the list to sort them together (the congress calendar by a term's end)."""
    first, rest = ordering.keys[0], ordering.keys[1:]
    backwards = cursor is not None and cursor.direction != "next"
    descending = ordering.descending != backwards
    by_value = Ordering(ordering.name, (replace(first, nullable=False), *rest), ordering.descending)
    by_rest = Ordering(ordering.name, rest, ordering.descending)
    position = cursor.position if cursor is not None else None
    in_missing = position is not None and position[0] is None
    nulls_first = not first.nulls_after(descending)
    parts: list[QuerySet[Any]] = []
    for part in ("missing", "valued") if nulls_first else ("valued", "missing"):
        if part == "valued":
            query = valued.order_by(*by_value.order_by(reverse=backwards, queryset=valued))
            if position is not None and not in_missing:
                query = query.filter(_beyond(by_value.keys, position, descending, valued))
            elif in_missing and not nulls_first:
                continue  # the page starts among the missing, which follow every value
        else:
            query = missing.order_by(*by_rest.order_by(reverse=backwards, queryset=missing))
            if in_missing:
                assert position is not None
                query = query.filter(_beyond(rest, position[1:], descending, missing))
            elif position is not None and nulls_first:
                continue  # the page starts among the values, which follow every missing one
        parts.append(query)
    rows: list[Any] = []
    for query in parts:
        if len(rows) > size:
            break
        rows += read_rows(query, query[: size + 1 - len(rows)])
    for row in rows:
        if not hasattr(row, first.path):
            setattr(row, first.path, None)
    return _page(rows, ordering, cursor, size)


def _page(rows: list[Any], ordering: Ordering, cursor: Cursor | None, size: int) -> Page:
    """The page of `rows` (size + 1 at most, in reading order) read from `cursor`."""
    if cursor is None:
        return Page(rows[:size], ordering, has_previous=False, has_next=len(rows) > size)
    if cursor.direction == "next":
        return Page(rows[:size], ordering, has_previous=True, has_next=len(rows) > size)
    # Read backwards from the end, pages keep the same bounds as forwards only when the count
    # is a multiple of the size: otherwise the first page, reached backwards, is the short one.
    more = len(rows) > size
    rows = rows[:size][::-1]
    return Page(rows, ordering, has_previous=more, has_next=cursor.direction == "prev")
