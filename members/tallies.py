"""The per-branch subtree tallies (members.models.BranchTally): keeping them exact.

Every membership period [start, end) adds +1 to its branch and every ancestor on `start` and
-1 on `end`. A tally row holds the running total at the end of its day, so the counts of any
branch on any day are the latest row on or before that day: one index lookup, whatever the
size of the subtree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.db.models import F

from . import bulk, domain
from .locks import lock_branches
from .models import Branch, BranchTally, Gender, Member, Membership


def shift(*, branch_path: str, day: date, delta: domain.Counts) -> None:
    """Add `delta` to the tallies of the branch at `branch_path` and of all its ancestors, from
    `day` on. Must run inside the transaction that changes the membership period; the
    branches are locked (members.locks) so concurrent writers queue."""
    if delta == domain.Counts():
        return
    chain = list(lock_branches([branch_path]).values())
    existing = set(
        BranchTally.objects.filter(branch_id__in=chain, day=day).values_list("branch_id", flat=True)
    )
    for branch_id in chain:
        if branch_id in existing:
            continue
        before = BranchTally.objects.filter(branch_id=branch_id).before(day).first()
        BranchTally.objects.create(
            branch_id=branch_id,
            day=day,
            members=before.members if before else 0,
            women=before.women if before else 0,
            unknown=before.unknown if before else 0,
        )
    BranchTally.objects.filter(branch_id__in=chain, day__gte=day).update(
        members=F("members") + delta.members,
        women=F("women") + delta.women,
        unknown=F("unknown") + delta.unknown,
    )


def one_member(gender: str) -> domain.Counts:
    return domain.Counts(
        members=1,
        women=1 if gender == Gender.FEMALE else 0,
        unknown=1 if gender == Gender.UNKNOWN else 0,
    )


def count_period(period: Membership, gender: str, sign: int) -> None:
    """Add (sign=1) or remove (sign=-1) one period of a member of `gender` to the tallies."""
    unit = one_member(gender)
    plus = domain.Counts(sign * unit.members, sign * unit.women, sign * unit.unknown)
    minus = domain.Counts() - plus
    path = period.branch.path
    shift(branch_path=path, day=period.started_on, delta=plus)
    if period.ended_on is not None:
        shift(branch_path=path, day=period.ended_on, delta=minus)


def _depths() -> str:
    deepest = Branch.objects.order_by("-depth").values_list("depth", flat=True).first() or 1
    return " UNION ALL ".join(f"SELECT {n} AS n" for n in range(1, deepest + 1))


@transaction.atomic
def rebuild(branch_ids: Iterable[int] | None = None) -> None:
    """Recompute the tallies from the membership periods, for the given branches (their
    whole subtrees) or for every branch. Used after a bulk load and after a branch moves; it
    gives the same rows as applying every period through shift()."""
    tally = BranchTally._meta.db_table
    period = Membership._meta.db_table
    member = Member._meta.db_table
    branch = Branch._meta.db_table
    ids = None if branch_ids is None else sorted(set(branch_ids))
    if ids is not None and not ids:
        return
    only = "" if ids is None else f"AND a.id IN ({', '.join(['%s'] * len(ids))})"
    params = [] if ids is None else list(ids)
    female, unknown = Gender.FEMALE.value, Gender.UNKNOWN.value
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(f"DELETE FROM {tally}")  # noqa: S608 - table names, no input
        else:
            BranchTally.objects.filter(branch_id__in=ids).delete()
        cursor.execute(
            f"""
            INSERT INTO {tally} (branch_id, day, members, women, unknown)
            SELECT a.id, e.day,
                   SUM(SUM(e.dm)) OVER (PARTITION BY a.id ORDER BY e.day),
                   SUM(SUM(e.dw)) OVER (PARTITION BY a.id ORDER BY e.day),
                   SUM(SUM(e.du)) OVER (PARTITION BY a.id ORDER BY e.day)
            FROM (
                SELECT p.branch_id, p.started_on AS day, COUNT(*) AS dm,
                       SUM(CASE WHEN m.gender = %s THEN 1 ELSE 0 END) AS dw,
                       SUM(CASE WHEN m.gender = %s THEN 1 ELSE 0 END) AS du
                FROM {period} p JOIN {member} m ON m.id = p.member_id
                GROUP BY p.branch_id, p.started_on
                UNION ALL
                SELECT p.branch_id, p.ended_on, -COUNT(*),
                       -SUM(CASE WHEN m.gender = %s THEN 1 ELSE 0 END),
                       -SUM(CASE WHEN m.gender = %s THEN 1 ELSE 0 END)
                FROM {period} p JOIN {member} m ON m.id = p.member_id
                WHERE p.ended_on IS NOT NULL
                GROUP BY p.branch_id, p.ended_on
            ) e
            JOIN {branch} b ON b.id = e.branch_id
            JOIN ({_depths()}) k ON k.n <= b.depth
            JOIN {branch} a ON a.path = SUBSTR(b.path, 1, {domain.PATH_STEP} * k.n)
            WHERE 1 = 1 {only}
            GROUP BY a.id, e.day
            """,  # noqa: S608 - table names and integers only; values are parameters
            [female, unknown, female, unknown, *params],
        )


def add_periods(periods: Iterable[tuple[str, date, date | None, str]]) -> None:
    """Add many new membership periods, each (branch path, started_on, ended_on, gender), to
    the tallies at once: the same rows as count_period() for each (a test holds them equal),
    with one read and one write per affected branch instead of one per period and ancestor.
    Must run inside the transaction that creates the periods; the affected branches are
    locked (members.locks) so concurrent writers queue."""
    events: dict[str, dict[date, list[int]]] = {}
    ancestors: dict[str, list[str]] = {}  # a few branches hold thousands of periods
    for path, started_on, ended_on, gender in periods:
        woman, unknown = int(gender == Gender.FEMALE), int(gender == Gender.UNKNOWN)
        for ancestor in ancestors.setdefault(path, domain.ancestor_paths(path)):
            days = events.setdefault(ancestor, {})
            counts = days.setdefault(started_on, [0, 0, 0])
            counts[0], counts[1], counts[2] = counts[0] + 1, counts[1] + woman, counts[2] + unknown
            if ended_on is not None:
                counts = days.setdefault(ended_on, [0, 0, 0])
                counts[0], counts[1] = counts[0] - 1, counts[1] - woman
                counts[2] -= unknown
    if not events:
        return
    chain = lock_branches(events)
    for path, days in events.items():
        branch_id = chain[path]
        first = min(days)
        start = BranchTally.objects.filter(branch_id=branch_id).before(first).first()
        total = (
            domain.Counts(start.members, start.women, start.unknown) if start else domain.Counts()
        )
        later = {
            row.day: domain.Counts(row.members, row.women, row.unknown)
            for row in BranchTally.objects.filter(branch_id=branch_id, day__gte=first)
        }
        rows, old, delta = [], total, domain.Counts()
        for day in sorted(set(later) | set(days)):
            old = later.get(day, old)  # the old running total on this day
            if day in days:
                delta = delta + domain.Counts(*days[day])
            new = old + delta
            rows.append(
                {
                    "branch_id": branch_id,
                    "day": day,
                    "members": new.members,
                    "women": new.women,
                    "unknown": new.unknown,
                }
            )
        BranchTally.objects.filter(branch_id=branch_id, day__gte=first).delete()
        bulk.insert(BranchTally, rows)
