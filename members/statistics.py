"""Membership and gender statistics of a branch on a day, read from the subtree tallies.

Three queries whatever the size of the subtree: one for the branch's tally, one for its
children with their tallies, one for their own sub-units. Statistics for past days follow the tree
as it is now (moves are rare and recorded).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import CharField, Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat, Left

from unionrec.prepared import Prepared

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


def _own_tally(branch_id: int, day: date) -> QuerySet[BranchTally, tuple[int, int, int]]:
    return (
        BranchTally.objects.filter(branch_id=branch_id)
        .on_or_before(day)
        .values_list("members", "women", "unknown")[:1]
    )


def _children(path: str, depth: int, day: date) -> QuerySet[Branch, tuple[Any, ...]]:
    """The direct children (at `depth`, within the subtree of `path`) existing on `day`, each
    with its latest tally on or before the day as the text "members women unknown" (None
    without one): one backward probe of the (branch, day) index per child, whose row gives
    all three counts. Joining the tally row on the day of the latest one probed the index
    twice per child (federation of 515 sub-units, 10 M members: 4.7 ms, now 3.3 ms)."""
    latest = BranchTally.objects.filter(branch=OuterRef("pk")).on_or_before(day)
    counts = Concat("members", Value(" "), "women", Value(" "), "unknown", output_field=CharField())
    return (
        Branch.objects.children_of(Branch(path=path, depth=depth - 1))
        .existing_on(day)
        .annotate(tally=Subquery(latest.annotate(figures=counts).values("figures")[:1]))
        .values_list(*BranchRef.FIELDS, "numchild", "tally")
    )


def _grandchildren_absent(
    path: str, depth: int, day: date, size: int
) -> QuerySet[Branch, tuple[Any, ...]]:
    """The sub-units of each direct child that do not exist on `day` (founded later, or
    dissolved by then): the branches at `depth` (two levels below) within the subtree of
    `path`, counted by their parent's path (their own path's first `size` characters). A
    child's sub-units on the day are its children (`numchild`, kept by treebeard) less these.
    Today they are few, read from two small ranges (branch_founded_idx, branch_dissolved_idx);
    counting the sub-units that exist instead read every branch two levels down (10,700 under
    the root of the national tree: 8 ms, bench)."""
    absent = Q(founded_on__gt=day) | Q(dissolved_on__lte=day)
    return (
        Branch.objects.filter(absent, depth=depth, path__subtree=path)
        .annotate(parent=Left("path", size))
        .order_by()
        .values("parent")
        .annotate(n=Count("*"))  # not the id, which is not in the index
        .values_list("parent", "n")
    )


# Built and compiled by Django once per process, then run with each branch's values: Django
# spends about 2 ms building these two queries, more than the database takes to answer them.
OWN_TALLY = Prepared(_own_tally)
CHILDREN = Prepared(_children)
GRANDCHILDREN_ABSENT = Prepared(_grandchildren_absent)


def counts_on(branch: Branch, day: date) -> domain.Counts:
    rows = OWN_TALLY.rows(branch_id=branch.pk, day=day)
    return domain.Counts(*rows[0]) if rows else domain.Counts()


def statistics(branch: Branch, day: date | None = None) -> BranchStatistics:
    """Members, women, women's share and sub-units of `branch` on `day` (today by default),
    and the same for each direct child. `sub_units` counts direct child branches that exist
    on the day.

    Three queries whatever the tree's size: the branch's tally, its children, each with the
    counts of its latest tally row and its number of children, and those of their children
    that do not exist on the day (_grandchildren_absent). The tallies hold a row per branch
    and day of change, so a child's figures on a day are its latest row on or before it: one
    index probe per child. A single grouped query cannot give that row (GROUP BY ... MAX(day)
    reads every row of every child up to the day, thousands for a large union, and neither
    database skips through an index to the last row of each group), so the probe per child
    is the cheapest exact read."""
    day = day or today()
    rows = []
    width = len(BranchRef.FIELDS)
    children = CHILDREN.rows(path=branch.path, depth=branch.depth + 1, day=day)
    absent: dict[str, int] = {}
    if any(row[width] for row in children):
        size = len(children[0][BranchRef.FIELDS.index("path")])
        gone = GRANDCHILDREN_ABSENT.rows(
            path=branch.path, depth=branch.depth + 2, day=day, size=size
        )
        absent = dict(gone)
    for row in children:
        tally = row[width + 1]
        counts = domain.Counts(*map(int, tally.split())) if tally else domain.Counts()
        ref = BranchRef(*row[:width])
        rows.append(BranchFigures(ref, counts, row[width] - absent.get(ref.path, 0)))
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
