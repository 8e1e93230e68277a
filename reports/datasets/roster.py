"""The roster's rows: the members of the member list, with its scope and its filters.

Rows first, then formats (design/style.md): `roster_queryset` is the member list's own
queryset (members.filters.members_for_list and MemberListFilter, in name order), `build_roster`
turns it into a header and a generator of plain tuples read with `values_list().iterator()`
(no model instances; each branch's name is looked up once, by chunk); reports.formats.roster
writes those tuples as an Excel workbook, a CSV file or a short PDF.

What a roster shows (reliability-security test 55; never more than the list shows the same
user): card numbers are masked as on the list. A secretary (or a superuser) sees dates of
birth, as on the list and on a member's record; a reviewer (leadership) gets the age band
instead, as leadership reports do. A roster over several branches shows dates of birth only
when the user is secretary of all of them."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import batched
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext

from members import domain
from members.filters import MemberListFilter, age_band_choices, members_for_list
from members.models import Branch, Gender, Member, MemberStatus
from members.statistics import today
from unionrec.access import Need, Scope, scope_for

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
# Member.masked_card_number is the one masking rule; it only reads `card_number`.
_Card = namedtuple("_Card", "card_number")
_mask: Callable[[Any], str] = vars(Member)["masked_card_number"].fget


@dataclass(frozen=True)
class Column:
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
    birth_dates: bool


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


def shows_birth_dates(scope: Scope, branch: Branch | None) -> bool:
    """Dates of birth for secretaries of the whole roster (and superusers); age bands for
    everyone else (reliability-security test 55)."""
    if scope.superuser:
        return True
    if branch is not None:
        return scope.covers(branch.path, Need.WRITE)
    return bool(scope.read_paths) and all(
        scope.level_for(path) == Need.WRITE for path in scope.read_paths
    )


def columns(*, birth_dates: bool) -> tuple[Column, ...]:
    """The roster's columns in the active language."""
    born = (
        Column(gettext("Date of birth"), "date", 12)
        if birth_dates
        else Column(gettext("Age"), "text", 12)
    )
    return (
        Column(gettext("Member ID"), "int", 10),
        Column(gettext("Full name"), "text", 30),
        Column(gettext("Gender"), "text", 10),
        born,
        Column(gettext("Ethnicity"), "text", 12),
        Column(gettext("Union card"), "text", 16),
        Column(gettext("Joined the union on"), "date", 14),
        Column(gettext("Branch"), "text", 40),
        Column(gettext("Status"), "text", 14),
        Column(gettext("Left on"), "date", 12),
    )


def build_roster(
    queryset: QuerySet[Member], *, language: str, birth_dates: bool, day: date | None = None
) -> Roster:
    """The roster of `queryset` in `language`; ages are taken on `day` (today)."""
    with translation.override(language):
        heads = columns(birth_dates=birth_dates)
        genders = {value: str(label) for value, label in Gender.choices}
        statuses = {value: str(label) for value, label in MemberStatus.choices}
        bands = dict(age_band_choices())
    values = queryset.values_list(*FIELDS).iterator(chunk_size=CHUNK_SIZE)
    rows = _rows(
        values,
        genders=genders,
        statuses=statuses,
        bands=None if birth_dates else bands,
        day=day or today(),
    )
    return Roster(heads, rows, language, birth_dates)


def _rows(
    values: Iterable[Row],
    *,
    genders: dict[str, str],
    statuses: dict[str, str],
    bands: dict[str, str] | None,
    day: date,
) -> Iterator[Row]:
    names: dict[int, str] = {}
    for chunk in batched(values, CHUNK_SIZE):
        _branch_names(names, {row[7] for row in chunk})
        for pk, name, gender, born, ethnicity, card, joined, branch, status, left in chunk:
            if bands is not None:
                band = domain.age_band(born, day)
                born = bands.get(band, "") if band else ""
            masked = _mask(_Card(card)) if card else ""
            yield (
                pk,
                name,
                genders.get(gender, gender),
                born,
                ethnicity,
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
