"""Where a resolution's targets stand on a day: the one read model behind the resolution page,
the members' goals page, the API and the reports.

A target that is not split takes its latest actual value on or before the day; a split
target rolls its parts up by their weights (congresses.domain.rolled_up). The verdict comes
from congresses.domain.verdict for the target's own period (the term's start to its deadline).
Nothing here writes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Subquery

from congresses.models import Term
from congresses.resolutions import domain
from congresses.resolutions.models import Progress, Resolution, Target
from members.models import Branch

VERDICT_ORDER = [
    domain.Verdict.NOT_MET,
    domain.Verdict.AT_RISK,
    domain.Verdict.ON_TRACK,
    domain.Verdict.ACHIEVED,
    domain.Verdict.EXCEEDED,
]


@dataclass(frozen=True)
class TargetStatus:
    """A target on a day: its latest actual value (for a split target, the value its
    progress stands for), how far it has come, and its verdict; `parts` for a split one."""

    target: Target
    actual: Decimal | None
    as_of: date | None  # the day of the latest figure (None: no figure yet)
    progress: Decimal
    verdict: domain.Verdict
    parts: tuple[TargetStatus, ...] = ()

    @property
    def percent(self) -> int:
        """Progress as a whole percentage for a progress bar, capped to 0–100."""
        return int(max(Decimal(0), min(self.progress, Decimal(1))) * 100)

    @property
    def at_risk(self) -> bool:
        return self.verdict in (domain.Verdict.AT_RISK, domain.Verdict.NOT_MET)

    @property
    def verdict_label(self) -> str:
        from congresses.resolutions.models import Verdict

        return str(Verdict(self.verdict.value).label)


def _status(
    target: Target,
    *,
    on: date,
    starts_on: date,
    latest: dict[int, Progress],
    children: dict[int, list[Target]],
) -> TargetStatus:
    parts = tuple(
        _status(part, on=on, starts_on=starts_on, latest=latest, children=children)
        for part in children.get(target.pk, [])
    )
    baseline = target.baseline
    if parts:
        weights = [(part.target.weight or Decimal(1), part.progress) for part in parts]
        progress = domain.rolled_up(weights)
        start = baseline if baseline is not None else Decimal(0)
        span = target.target_value - start
        actual: Decimal | None = (start + progress * span).quantize(Decimal("0.01"))
        days = [part.as_of for part in parts if part.as_of is not None]
        as_of = max(days) if days else None
        exact = target.kind == domain.TargetKind.YES_NO
        verdict = domain.verdict_for_progress(
            progress, starts_on=starts_on, deadline=target.deadline, on=on, exact=exact
        )
    else:
        figure = latest.get(target.pk)
        actual = figure.actual if figure else None
        as_of = figure.on if figure else None
        progress = domain.progress_share(
            target.kind, baseline=baseline, target=target.target_value, actual=actual
        )
        verdict = domain.verdict(
            target.kind,
            baseline=baseline,
            target=target.target_value,
            actual=actual,
            starts_on=starts_on,
            deadline=target.deadline,
            on=on,
        )
    return TargetStatus(
        target=target, actual=actual, as_of=as_of, progress=progress, verdict=verdict, parts=parts
    )


def statuses(resolution: Resolution, on: date) -> list[TargetStatus]:
    """The resolution's targets on `on`, in their order, each with its parts: two queries."""
    targets = list(
        Target.objects.filter(resolution=resolution)
        .select_related("branch")
        .order_by("order", "id")
    )
    latest: dict[int, Progress] = {}
    figures = Progress.objects.filter(target__resolution=resolution, on__lte=on).order_by("on")
    for figure in figures:
        latest[figure.target_id] = figure  # the last one on or before `on` wins
    children: dict[int, list[Target]] = defaultdict(list)
    for target in targets:
        if target.parent_id:
            children[target.parent_id].append(target)
    starts_on = resolution.congress.term.starts_on
    return [
        _status(target, on=on, starts_on=starts_on, latest=latest, children=children)
        for target in targets
        if target.parent_id is None
    ]


def statuses_of(resolutions: list[Resolution], on: date) -> dict[int, list[TargetStatus]]:
    """`statuses` of several resolutions (a page of a subtree), keyed by resolution id, in
    two queries in all; only each target's latest figure on or before `on` is read. The
    resolutions come with their terms (select_related("congress__term"))."""
    ids = [resolution.pk for resolution in resolutions]
    targets = Target.objects.filter(resolution__in=ids).select_related("branch")
    last_day = Progress.objects.filter(target=OuterRef("target"), on__lte=on).order_by("-on")
    figures = Progress.objects.filter(
        target__resolution__in=ids, on=Subquery(last_day.values("on")[:1])
    )
    latest = {figure.target_id: figure for figure in figures}
    children: dict[int, list[Target]] = defaultdict(list)
    tops: dict[int, list[Target]] = defaultdict(list)
    for target in targets.order_by("order", "id"):
        if target.parent_id:
            children[target.parent_id].append(target)
        else:
            tops[target.resolution_id].append(target)
    found: dict[int, list[TargetStatus]] = {}
    for resolution in resolutions:
        starts_on = resolution.congress.term.starts_on
        found[resolution.pk] = [
            _status(target, on=on, starts_on=starts_on, latest=latest, children=children)
            for target in tops[resolution.pk]
        ]
    return found


def flatten(found: list[TargetStatus]) -> list[TargetStatus]:
    """Every target with its parts after it."""
    flat: list[TargetStatus] = []
    for status in found:
        flat.append(status)
        flat.extend(flatten(list(status.parts)))
    return flat


def status_of(target: Target, on: date) -> TargetStatus:
    """One target (with its parts) on `on`."""
    for status in flatten(statuses(target.resolution, on)):
        if status.target.pk == target.pk:
            return status
    raise LookupError(target.pk)


def risk_first(found: list[TargetStatus]) -> list[TargetStatus]:
    """Targets in the order leadership reads them: not met and at risk first."""
    return sorted(found, key=lambda s: VERDICT_ORDER.index(s.verdict))


@dataclass(frozen=True)
class BranchGoals:
    """The current term's resolution of one branch, as the goals page shows it."""

    branch: Branch
    term: Term | None
    resolution: Resolution | None
    targets: list[TargetStatus]

    @property
    def at_risk(self) -> int:
        return sum(1 for s in flatten(self.targets) if s.at_risk)


def goals_of(branch: Branch, on: date) -> BranchGoals:
    """The branch's term running on `on` and its resolution's targets."""
    term = Term.objects.current_on(on).filter(branch=branch).first()
    resolution = (
        Resolution.objects.filter(congress__term=term).select_related("congress__term").first()
        if term
        else None
    )
    found = statuses(resolution, on) if resolution else []
    return BranchGoals(branch=branch, term=term, resolution=resolution, targets=found)


def counts_by_verdict(found: list[TargetStatus]) -> dict[str, int]:
    counted: dict[str, int] = {verdict.value: 0 for verdict in domain.Verdict}
    for status in flatten(found):
        counted[status.verdict.value] += 1
    return counted


def as_row(status: TargetStatus) -> dict[str, Any]:
    """Plain values of a status (for the API and exports)."""
    target = status.target
    return {
        "target": target.pk,
        "title": target.title,
        "kind": target.kind,
        "baseline": target.baseline,
        "target_value": target.target_value,
        "unit": target.unit,
        "deadline": target.deadline,
        "branch": target.branch.code,
        "actual": status.actual,
        "as_of": status.as_of,
        "progress": status.progress,
        "verdict": status.verdict.value,
    }
