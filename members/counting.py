"""How many members a member list holds (the page's "N members found" and the API's `count`),
at no cost where the tallies know it.

The subtree tallies (members.tallies) hold, for every branch and day, the members whose
membership period is open on that day, with the women and the members of unknown gender among
them. Today, those are exactly the active members of the subtree (a member who leaves closes
their period; a period cannot start in the future). So a list of the active members of one or
more subtrees, of any gender or one, is counted from the tallies; any other filter (a search,
an age band, former members) is counted by unionrec.counts: exact while small, else an
estimate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from unionrec.access import Scope
from unionrec.counts import RowCount, count_rows
from unionrec.estimates import once_a_request
from unionrec.prepared import Prepared

from . import domain
from .models import Branch, BranchTally, Gender, Member, MemberStatus
from .statistics import counts_on, today


def count_members(
    queryset: QuerySet[Any],
    *,
    scope: Scope,
    branch: Branch | None,
    filters: dict[str, Any],
) -> RowCount:
    """The members of `queryset`: the members in `scope` (within `branch`'s subtree when one
    is given), filtered by `filters` (the list's filter values by name: gender, status,
    search, age_band; empty values are no filter)."""
    used = {name for name, value in filters.items() if value not in (None, "")}
    if filters.get("status") == MemberStatus.ACTIVE and used <= {"status", "gender"}:
        known = from_tallies(scope, branch, filters.get("gender") or None)
        if known is not None:
            return RowCount(known)
    if branch is not None:
        everyone = expected_members(scope, branch, {"status": None})
        return count_rows(queryset, drawn_from_few=everyone <= FEW_MEMBERS)
    return count_rows(queryset)


FEW_MEMBERS = 1000  # a subtree expected to hold at most this many is counted without a plan


def from_tallies(scope: Scope, branch: Branch | None, gender: str | None) -> int | None:
    """Today's active members of `branch`'s subtree (or of every subtree the scope reads), of
    `gender` when given, from the tallies; None when the scope reads no records."""
    counts = tallied(scope, branch)
    return None if counts is None else of_gender(counts, gender)


def of_gender(counts: domain.Counts, gender: str | None) -> int:
    if gender == Gender.FEMALE:
        return counts.women
    if gender == Gender.UNKNOWN:
        return counts.unknown
    if gender == Gender.MALE:
        return counts.men
    return counts.members


def tallied(scope: Scope, branch: Branch | None) -> domain.Counts | None:
    """Today's active members of `branch`'s subtree (or of every subtree the scope reads)
    with their genders, from the tallies; None when the scope reads no records."""
    if branch is not None:
        tops = [branch]
    elif scope.superuser:
        tops = list(Branch.objects.filter(depth=1))
    elif scope.read_paths:
        paths = sorted(scope.read_paths)
        outermost = [
            p for p in paths if not any(p != q and domain.is_in_subtree(p, q) for q in paths)
        ]
        tops = list(Branch.objects.filter(path__in=outermost))
    else:
        return None
    day = today()
    total = domain.Counts()
    for top in tops:
        total = total + counts_on(top, day)
    return total


@once_a_request
def _tallied_for_estimates(scope: Scope, branch: Branch | None) -> domain.Counts | None:
    """tallied(), read once a request: a list's plan and its count both weigh it."""
    return tallied(scope, branch)


# --- What a list is expected to find (members.filters.members_for_list chooses its plan) ---------

BAND_SHARE = 1 / len(domain.AGE_BANDS)  # an age band's expected share of a list


@dataclass(frozen=True)
class Register:
    """The whole register, as a list's plan weighs it: `size`, its members, former members
    included (the highest id: members are never deleted, so ids are dense), and `active`,
    today's active members of every tree (the roots' tallies)."""

    size: int
    active: int


def _register(day: date) -> QuerySet[Branch, tuple[int | None, int | None]]:
    """A row per root: its latest tally on or before `day`, and the highest member id."""
    tally = BranchTally.objects.filter(branch=OuterRef("pk")).on_or_before(day)
    last = Member.objects.order_by("-pk").values("pk")[:1]  # the primary key's end
    roots: QuerySet[Branch, tuple[int | None, int | None]] = (
        Branch.objects.filter(depth=1)
        .order_by()
        .annotate(active=Subquery(tally.values("members")[:1]), last=Subquery(last))
        .values_list("active", "last")
    )
    return roots


REGISTER = Prepared(_register)  # one query, compiled once a process


@once_a_request
def register() -> Register:
    rows = REGISTER.rows(day=today())
    if not rows:  # no tree, so no member
        return Register(size=0, active=0)
    return Register(size=rows[0][1] or 0, active=sum(active or 0 for active, _last in rows))


def expected_members(scope: Scope, branch: Branch | None, filters: Mapping[str, Any]) -> float:
    """How many members a list of `branch`'s subtree (or of the scope) with `filters` (gender,
    status, age_band, search by name) is expected to find: the active members the tallies
    hold, times the share of the gender in the subtree, of former members in the register
    (a status of "left" or any) and of an age band (one band in len(AGE_BANDS)). A search
    is left out: its own index decides how it is read (members.search)."""
    counts = _tallied_for_estimates(scope, branch)
    if not counts or not counts.members:
        return 0.0
    expected = float(counts.members)
    gender = filters.get("gender")
    if gender in Gender.values:
        expected = float(of_gender(counts, gender))
    status = filters.get("status")
    if status != MemberStatus.ACTIVE:
        whole = register()
        former = max(whole.size - whole.active, 0) / max(whole.active, 1)
        expected *= former if status == MemberStatus.LEFT else 1 + former
    if filters.get("age_band") in {code for code, _low, _high in domain.AGE_BANDS}:
        expected *= BAND_SHARE
    return expected
