"""Membership and gender statistics over a subtree as of a day: a row per direct child with
its members, women, the women's share and the change since a comparison day, the members
attached to the branch itself, and the totals. Read from the tallies (members.statistics):
a handful of queries whatever the size of the subtree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from members import domain
from members.models import Branch
from members.statistics import statistics, today


@dataclass(frozen=True)
class StatisticsRow:
    code: str
    name: str
    members: int
    women: int
    unknown: int
    sub_units: int
    members_before: int | None  # on the comparison day (None: no comparison)
    women_before: int | None

    @property
    def women_share(self) -> Decimal | None:
        return domain.share(self.women, self.members)

    @property
    def change(self) -> int | None:
        return None if self.members_before is None else self.members - self.members_before

    @property
    def women_change(self) -> int | None:
        return None if self.women_before is None else self.women - self.women_before


@dataclass(frozen=True)
class StatisticsReport:
    branch_code: str
    branch_name: str
    as_of: date
    compare_on: date | None
    rows: tuple[StatisticsRow, ...]  # the direct children, in tree order
    direct: StatisticsRow | None  # members attached to the branch itself, if any
    total: StatisticsRow

    @property
    def largest(self) -> int:
        """The largest row's members, the scale of a bar chart."""
        return max([row.members for row in self.rows] + [0])


def statistics_report(
    branch: Branch, *, as_of: date | None = None, compare_on: date | None = None
) -> StatisticsReport:
    """The statistics of `branch`'s subtree on `as_of` (today by default), compared with
    `compare_on` when given. The totals are the branch's own tally, so they equal the sum of
    the rows and the members attached to the branch itself."""
    day = as_of or today()
    now = statistics(branch, day)
    before = statistics(branch, compare_on) if compare_on else None
    earlier = {child.branch.code: child.counts for child in before.children} if before else {}
    rows = tuple(
        StatisticsRow(
            code=child.branch.code,
            name=child.branch.display_name,
            members=child.members,
            women=child.women,
            unknown=child.unknown,
            sub_units=child.sub_units,
            members_before=earlier[child.branch.code].members
            if child.branch.code in earlier
            else (0 if before else None),
            women_before=earlier[child.branch.code].women
            if child.branch.code in earlier
            else (0 if before else None),
        )
        for child in now.children
    )
    direct = None
    if now.direct.members or (before and before.direct.members):
        direct = StatisticsRow(
            code=branch.code,
            name=branch.display_name,
            members=now.direct.members,
            women=now.direct.women,
            unknown=now.direct.unknown,
            sub_units=0,
            members_before=before.direct.members if before else None,
            women_before=before.direct.women if before else None,
        )
    total = StatisticsRow(
        code=branch.code,
        name=branch.name,
        members=now.members,
        women=now.women,
        unknown=now.unknown,
        sub_units=now.sub_units,
        members_before=before.members if before else None,
        women_before=before.women if before else None,
    )
    return StatisticsReport(
        branch_code=branch.code,
        branch_name=branch.name,
        as_of=day,
        compare_on=compare_on,
        rows=rows,
        direct=direct,
        total=total,
    )
