"""The roster's rows: the members of the member list, with its scope and its filters.

Rows first, then formats (design/style.md): `roster_queryset` is the member list's own
queryset (members.filters.members_for_list and MemberListFilter, in name order), `build_roster`
turns it into a header and a generator of plain tuples read with `values_list().iterator()`
(no model instances; each branch's name is looked up once, by chunk); reports.formats.roster
writes those tuples as an Excel workbook, a CSV file or a short PDF.

What a roster shows is what the member list shows the same user, by the one rule of
members.disclosure (reliability-security test 55): card numbers masked for every role, as on
the list; dates of birth and ethnicity where the user sees them over the whole roster (a
secretary of all its branches, or a superuser: `members.disclosure.list_disclosure`), else the
age band and no ethnicity column, as leadership reports show it. The caller asks the rule and
passes its answer, `sight`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import batched
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext

from members import domain
from members.disclosure import Disclosure
from members.filters import MemberListFilter, age_band_choices, members_for_list
from members.models import Branch, Gender, Member, MemberStatus
from members.statistics import today
from unionrec.access import scope_for

# The member list's filters: what a roster request may carry, and all an export job keeps.
FILTER_KEYS = ("branch", "gender", "status", "age_band", "search")
FIELDS = (
    "id",
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "card_number",
    "joined_union_on",
    "branch_id",
    "status",
    "left_on",
)
CHUNK_SIZE = 2000  # rows fetched from the database at a time
LOOKUP_SIZE = 900  # branch ids per lookup query (under any database's parameter limit)

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Column:
    key: str  # the member's field it shows (FIELDS; "branch" for branch_id)
    header: str
    kind: str  # "int", "text" or "date"
    width: float


@dataclass
class Roster:
    """A roster ready to format: its columns (headers in the roster's language) and its rows,
    a generator that can be read once."""

    columns: tuple[Column, ...]
    rows: Iterator[Row]
    language: str
    sight: Disclosure


# --- Which members, and what of them --------------------------------------------------------


def filters_of(data: Mapping[str, Any]) -> dict[str, str]:
    """The member list's filters found in `data` (a query string), and nothing else."""
    return {key: str(data[key]) for key in FILTER_KEYS if data.get(key) not in (None, "")}


def roster_queryset(user: Any, branch: Branch | None, filters: Mapping[str, str]) -> Any:
    """The member list's queryset for `user` with `filters`, in the list's name order; None
    when the filters are not valid (the list then shows no one). The caller has checked that
    the user may read `branch` (or, without one, some members at all)."""
    scope = scope_for(user)
    members = members_for_list(scope, branch, filters)
    request = HttpRequest()
    request.user = user
    filterset = MemberListFilter(dict(filters), queryset=members, request=request)
    if not filterset.is_valid():
        return None
    return filterset.qs.order_by("sort_key", "id")


def columns(sight: Disclosure) -> tuple[Column, ...]:
    """The roster's columns in the active language, as `sight` shows a member's fields."""
    born = (
        Column("birth_date", gettext("Date of birth"), "date", 12)
        if sight.birth_date
        else Column("birth_date", gettext("Age"), "text", 12)
    )
    ethnicity = (Column("ethnicity", gettext("Ethnicity"), "text", 12),) if sight.ethnicity else ()
    return (
        Column("id", gettext("Member ID"), "int", 10),
        Column("full_name", gettext("Full name"), "text", 30),
        Column("gender", gettext("Gender"), "text", 10),
        born,
        *ethnicity,
        Column("card_number", gettext("Union card"), "text", 16),
        Column("joined_union_on", gettext("Joined the union on"), "date", 14),
        Column("branch", gettext("Branch"), "text", 40),
        Column("status", gettext("Status"), "text", 14),
        Column("left_on", gettext("Left on"), "date", 12),
    )


def build_roster(
    queryset: QuerySet[Member], *, language: str, sight: Disclosure, day: date | None = None
) -> Roster:
    """The roster of `queryset` in `language` as `sight` shows it; ages are taken on `day`
    (today)."""
    with translation.override(language):
        heads = columns(sight)
        genders = {value: str(label) for value, label in Gender.choices}
        statuses = {value: str(label) for value, label in MemberStatus.choices}
        bands = dict(age_band_choices())
    values = queryset.values_list(*FIELDS).iterator(chunk_size=CHUNK_SIZE)
    rows = _rows(
        values,
        genders=genders,
        statuses=statuses,
        bands=None if sight.birth_date else bands,
        ethnicity=sight.ethnicity,
        day=day or today(),
    )
    return Roster(heads, rows, language, sight)


def _rows(
    values: Iterable[Row],
    *,
    genders: dict[str, str],
    statuses: dict[str, str],
    bands: dict[str, str] | None,
    ethnicity: bool,
    day: date,
) -> Iterator[Row]:
    names: dict[int, str] = {}
    for chunk in batched(values, CHUNK_SIZE):
        _branch_names(names, {row[7] for row in chunk})
        for pk, name, gender, born, ethnic, card, joined, branch, status, left in chunk:
            if bands is not None:
                band = domain.age_band(born, day)
                born = bands.get(band, "") if band else ""
            masked = domain.mask_card(card)  # on every list (members.disclosure)
            yield (
                pk,
                name,
                genders.get(gender, gender),
                born,
                *((ethnic,) if ethnicity else ()),
                masked,
                joined,
                names.get(branch, ""),
                statuses.get(status, status),
                left,
            )


def _branch_names(names: dict[int, str], wanted: set[int]) -> None:
    """Add the display names of the branches in `wanted` that `names` lacks."""
    missing = sorted(wanted - names.keys())
    for part in batched(missing, LOOKUP_SIZE):
        query = Branch.objects.filter(pk__in=part).values_list("pk", "name", "short_name")
        for pk, name, short in query.order_by():
            names[pk] = short or name
