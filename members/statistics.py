"""Membership and gender statistics of a branch on a day, read from the subtree tallies.

A handful of queries whatever the size of the subtree: one for the branch's tally, one for
its children and their tallies, one for the grandchildren that make the children's sub-unit
counts. Statistics for past days follow the tree as it is now (moves are rare and recorded).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Substr

from . import domain
from .models import Branch, BranchTally


def today() -> date:
    """Today's date in the union's calendar (Asia/Ho_Chi_Minh unless settings say otherwise)."""
    return datetime.now(ZoneInfo(settings.UNIONREC_TIME_ZONE)).date()


@dataclass(frozen=True)
class BranchRef:
    """What a statistics row needs of a child branch: read as plain values, since a large
    union has hundreds of direct sub-units and model instances cost more than the query."""

    FIELDS: ClassVar[tuple[str, ...]] = ("pk", "code", "name", "short_name", "kind", "path")

    pk: int
    code: str
    name: str
    short_name: str
    kind: str
    path: str

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class BranchFigures:
    branch: Branch | BranchRef
    counts: domain.Counts
    sub_units: int

    @property
    def members(self) -> int:
        return self.counts.members

    @property
    def women(self) -> int:
        return self.counts.women

    @property
    def unknown(self) -> int:
        return self.counts.unknown

    @property
    def men(self) -> int:
        return self.counts.men

    @property
    def women_share(self) -> Decimal | None:
        return self.counts.women_share


@dataclass(frozen=True)
class BranchStatistics(BranchFigures):
    """A branch's figures on `day`, with one row per direct child (each rolled up over the
    child's own subtree) and the members attached to the branch itself, outside any child."""

    day: date = field(default_factory=today)
    children: tuple[BranchFigures, ...] = ()

    @property
    def direct(self) -> domain.Counts:
        total = domain.Counts()
        for child in self.children:
            total = total + child.counts
        return self.counts - total


def counts_on(branch: Branch, day: date) -> domain.Counts:
    tally = BranchTally.objects.filter(branch=branch).on_or_before(day).first()
    return tally.counts() if tally else domain.Counts()


def statistics(branch: Branch, day: date | None = None) -> BranchStatistics:
    """Members, women, women's share and sub-units of `branch` on `day` (today by default),
    and the same for each direct child. `sub_units` counts direct child branches that exist
    on the day.

    Three queries whatever the tree's size: the branch's tally; its children with their
    latest tallies (correlated subqueries on the (branch, day) index); and the grandchildren
    counted per child in SQL. Both tree queries are served by the (depth, path) index."""
    day = day or today()
    latest = BranchTally.objects.filter(branch=OuterRef("pk")).on_or_before(day)
    children = (
        Branch.objects.children_of(branch)
        .existing_on(day)
        .annotate(
            tally_members=Subquery(latest.values("members")[:1]),
            tally_women=Subquery(latest.values("women")[:1]),
            tally_unknown=Subquery(latest.values("unknown")[:1]),
        )
        .values_list(*BranchRef.FIELDS, "tally_members", "tally_women", "tally_unknown")
    )
    prefix = len(branch.path) + domain.PATH_STEP
    grandchildren = dict(
        Branch.objects.filter(path__subtree=branch.path, depth=branch.depth + 2)
        .existing_on(day)
        .annotate(parent_path=Substr("path", 1, prefix))
        .order_by()
        .values("parent_path")
        .annotate(n=Count("pk"))
        .values_list("parent_path", "n")
    )
    rows = []
    width = len(BranchRef.FIELDS)
    for row in children:
        ref = BranchRef(*row[:width])
        members, women, unknown = (value or 0 for value in row[width:])
        counts = domain.Counts(members, women, unknown)
        rows.append(BranchFigures(ref, counts, grandchildren.get(ref.path, 0)))
    return BranchStatistics(
        branch=branch,
        counts=counts_on(branch, day),
        sub_units=len(rows),
        day=day,
        children=tuple(rows),
    )


def direct_count(branch: Branch, day: date) -> domain.Counts:
    """The same counts computed the slow, obvious way from the membership periods: the
    reference the tallies are tested against. Not for pages."""
    from .models import Gender, Membership

    periods = Membership.objects.on(day).filter(branch__path__subtree=branch.path)
    genders = Counter(periods.values_list("member__gender", flat=True))
    return domain.Counts(
        members=sum(genders.values()),
        women=genders[Gender.FEMALE],
        unknown=genders[Gender.UNKNOWN],
    )
