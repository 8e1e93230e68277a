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

from typing import Any

from django.db.models import QuerySet

from unionrec.access import Scope
from unionrec.counts import RowCount, count_rows

from . import domain
from .models import Branch, Gender, MemberStatus
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
        tallied = from_tallies(scope, branch, filters.get("gender") or None)
        if tallied is not None:
            return RowCount(tallied)
    return count_rows(queryset)


def from_tallies(scope: Scope, branch: Branch | None, gender: str | None) -> int | None:
    """Today's active members of `branch`'s subtree (or of every subtree the scope reads), of
    `gender` when given, from the tallies; None when the scope reads no records."""
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
    total = 0
    for top in tops:
        counts = counts_on(top, day)
        if gender == Gender.FEMALE:
            total += counts.women
        elif gender == Gender.UNKNOWN:
            total += counts.unknown
        elif gender == Gender.MALE:
            total += counts.men
        else:
            total += counts.members
    return total
