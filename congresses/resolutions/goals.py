"""Where a resolution's targets stand on a day: the one read model behind the resolution page,
the target page, the members' goals page, the comparison of two terms, the API and the
reports (term summary, representation).

The verdict on a target is decided here, once: asked on a day (today, or the day a page was
asked for), `judging_day` says which day the term's targets are judged on (that day while
the term runs; its end-of-term review's day, or its end, once it is over; none before it
starts), and `judged` judges them on it. A target that is not split takes its latest actual
value on or before that day; a split target rolls its parts up by their weights
(domain.rolled_up). The verdict comes from domain.verdict for the target's own period (the
term's start to its deadline), final once the term is over. Nothing here writes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, DateField, OuterRef, Subquery, Value, When
from django.utils.translation import gettext as _

from congresses.models import Term
from congresses.resolutions import domain
from congresses.resolutions.models import (
    Progress,
    Resolution,
    Review,
    ReviewKind,
    Target,
    Verdict,
)
from congresses.resolutions.split_gaps import split_text
from members.models import Branch
from unionrec.days import day_text

VERDICT_ORDER = [
    domain.Verdict.NOT_MET,
    domain.Verdict.AT_RISK,
    domain.Verdict.ON_TRACK,
    domain.Verdict.ACHIEVED,
    domain.Verdict.EXCEEDED,
]


def verdict_text(verdict: str | None) -> str:
    """A verdict in the reader's language; no verdict (the term has not begun) says so."""
    if not verdict:
        return _("Not yet judged")
    return str(Verdict(verdict).label)


def judged_text(judging: domain.Judging | None) -> str:
    """The day a term's verdicts are judged on and why, as a sentence in the reader's
    language (every page and report says it beside the verdicts)."""
    if judging is None:
        return _("Not yet judged: the term has not begun")
    values = {"day": day_text(judging.day)}
    if judging.basis == domain.Basis.END_OF_TERM_REVIEW:
        return _("Judged as of %(day)s, the day of the end-of-term review") % values
    if judging.basis == domain.Basis.TERM_END:
        return _("Judged as of %(day)s, the end of the term") % values
    return _("Judged on %(day)s") % values


def end_of_term_reviews(resolution_ids: list[int]) -> dict[int, date]:
    """The day of each resolution's end-of-term review, where one was held: one query."""
    found = Review.objects.filter(resolution__in=resolution_ids, kind=ReviewKind.END_OF_TERM)
    return dict(found.values_list("resolution_id", "held_on"))


def judging_day(term: Term, on: date) -> domain.Judging | None:
    """The day `term`'s targets are judged on when asked on `on` (domain.judging_day): `on`
    while the term runs, its end-of-term review's day or its end once it is over, None
    before it starts. Reads the review only for a finished term."""
    review_on = None
    if on >= term.end:
        held = Review.objects.filter(resolution__congress__term=term, kind=ReviewKind.END_OF_TERM)
        review_on = held.values_list("held_on", flat=True).first()
    return _judging(term, on, review_on)


def _judging(term: Term, on: date, review_on: date | None) -> domain.Judging | None:
    return domain.judging_day(
        starts_on=term.starts_on, ends_on=term.end, on=on, review_on=review_on
    )


@dataclass(frozen=True)
class TargetStatus:
    """A target as judged on a day: its latest actual value then (for a split target, the
    value its progress stands for), how far it had come, and its verdict; `parts` for a
    split one. `judging` is the day and why (None: the term has not begun, no verdict)."""

    target: Target
    actual: Decimal | None
    as_of: date | None  # the day of the latest figure (None: no figure yet)
    progress: Decimal
    verdict: domain.Verdict | None
    judging: domain.Judging | None = None
    parts: tuple[TargetStatus, ...] = ()
    starts_on: date | None = None  # the start of the target's period (its term's)

    @property
    def percent(self) -> int:
        """How full the progress bar is drawn (domain.bar_percent)."""
        return domain.bar_percent(self.progress)

    @property
    def progress_percentage(self) -> Decimal:
        """The progress as shown in words, the same on every page and file."""
        return domain.progress_percentage(self.progress)

    @property
    def at_risk(self) -> bool:
        return self.verdict in (domain.Verdict.AT_RISK, domain.Verdict.NOT_MET)

    @property
    def verdict_code(self) -> str:
        """The verdict's code, blank when there is none (for templates and datasets)."""
        return self.verdict.value if self.verdict else ""

    @property
    def verdict_label(self) -> str:
        return verdict_text(self.verdict_code)

    @property
    def judged_on(self) -> date | None:
        return self.judging.day if self.judging else None

    @property
    def judged_as(self) -> str | None:
        """Why the verdict is judged on that day (domain.Basis), None before the term."""
        return self.judging.basis.value if self.judging else None

    @property
    def judged_text(self) -> str:
        return judged_text(self.judging)

    def verdict_if(self, *, actual: Decimal, baseline: Decimal | None) -> domain.Verdict | None:
        """The verdict the target would have on the same day with these figures (for a split
        target, `actual` the value its progress stands for): unionrec.small_cells asks which
        small counts a verdict leaves possible."""
        if self.judging is None or self.starts_on is None:
            return None
        target = self.target
        return domain.verdict(
            target.kind,
            baseline=baseline,
            target=target.target_value,
            actual=actual,
            starts_on=self.starts_on,
            deadline=target.deadline,
            on=self.judging.day,
            final=self.judging.final,
        )

    @property
    def split_gap(self) -> domain.SplitGap | None:
        """How a split target's parts miss the whole (domain.split_gap); None if they add up."""
        parts = [(p.target.weight or Decimal(1), p.target.target_value) for p in self.parts]
        target = self.target
        return domain.split_gap(
            target.kind, target=target.target_value, baseline=target.baseline, parts=parts
        )

    @property
    def split_warning(self) -> str:
        """The split_gap as the target page, the resolution page and the API say it."""
        gap = self.split_gap
        return split_text(gap) if gap else ""


def _status(
    target: Target,
    *,
    judging: domain.Judging | None,
    starts_on: date,
    latest: dict[int, Progress],
    children: dict[int, list[Target]],
) -> TargetStatus:
    """One target judged as `judging` says, from the latest figures of that day."""
    parts = tuple(
        _status(part, judging=judging, starts_on=starts_on, latest=latest, children=children)
        for part in children.get(target.pk, [])
    )
    on = judging.day if judging else starts_on
    final = judging.final if judging else False
    verdict: domain.Verdict | None
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
            progress,
            starts_on=starts_on,
            deadline=target.deadline,
            on=on,
            exact=exact,
            final=final,
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
            final=final,
        )
    if judging is None:
        verdict = None  # the term has not begun: nothing to judge yet
    return TargetStatus(
        target=target,
        actual=actual,
        as_of=as_of,
        progress=progress,
        verdict=verdict,
        judging=judging,
        parts=parts,
        starts_on=starts_on,
    )


def statuses(resolution: Resolution, on: date) -> list[TargetStatus]:
    """The resolution's targets asked on `on` (judged on judging_day's day), in their order,
    each with its parts: three queries."""
    term = resolution.congress.term
    return judged(resolution, judging_day(term, on))


def judged(resolution: Resolution, judging: domain.Judging | None) -> list[TargetStatus]:
    """The resolution's targets judged as `judging` says (a review passes its own), in their
    order, each with its parts: two queries."""
    targets = list(
        Target.objects.filter(resolution=resolution)
        .select_related("branch")
        .order_by("order", "id")
    )
    starts_on = resolution.congress.term.starts_on
    latest: dict[int, Progress] = {}
    if judging is not None:  # before the term begins there is no figure to read
        figures = Progress.objects.filter(target__resolution=resolution, on__lte=judging.day)
        for figure in figures.order_by("on"):
            latest[figure.target_id] = figure  # the last one on or before the day wins
    children: dict[int, list[Target]] = defaultdict(list)
    for target in targets:
        if target.parent_id:
            children[target.parent_id].append(target)
    return [
        _status(target, judging=judging, starts_on=starts_on, latest=latest, children=children)
        for target in targets
        if target.parent_id is None
    ]


def statuses_of(resolutions: list[Resolution], on: date) -> dict[int, list[TargetStatus]]:
    """`statuses` of several resolutions (a page of a subtree), keyed by resolution id, in
    three queries in all; only each target's latest figure on or before its term's judging
    day is read. The resolutions come with their terms (select_related("congress__term"))."""
    ids = [resolution.pk for resolution in resolutions]
    reviews = end_of_term_reviews(ids)
    judgings = {r.pk: _judging(r.congress.term, on, reviews.get(r.pk)) for r in resolutions}
    targets = Target.objects.filter(resolution__in=ids).select_related("branch")
    latest = _latest_figures({pk: j.day for pk, j in judgings.items() if j is not None})
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
            _status(
                target,
                judging=judgings[resolution.pk],
                starts_on=starts_on,
                latest=latest,
                children=children,
            )
            for target in tops[resolution.pk]
        ]
    return found


def _latest_figures(days: dict[int, date]) -> dict[int, Progress]:
    """Each target's latest figure on or before its resolution's day in `days` (resolution id
    -> day), by target id: one query, whatever the number of resolutions and days."""
    if not days:
        return {}
    day_of = Case(
        *[When(target__resolution_id=pk, then=Value(day)) for pk, day in days.items()],
        output_field=DateField(),
    )
    last_day = Progress.objects.filter(target=OuterRef("target"), on__lte=OuterRef("judged_on"))
    figures = (
        Progress.objects.filter(target__resolution__in=list(days))
        .annotate(judged_on=day_of)
        .filter(on=Subquery(last_day.order_by("-on").values("on")[:1]))
    )
    return {figure.target_id: figure for figure in figures}


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
    """Targets in the order leadership reads them: not met and at risk first, those not yet
    judged last."""
    last = len(VERDICT_ORDER)
    return sorted(found, key=lambda s: VERDICT_ORDER.index(s.verdict) if s.verdict else last)


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


def counts_by_verdict(
    found: list[TargetStatus], *, withheld: Collection[int] = ()
) -> dict[str, int]:
    """How many targets (parts included) have each verdict; those not yet judged have none,
    nor do those whose verdict the reader may not see (`withheld`: their ids, for
    unionrec.small_cells), so that the counts do not give it back."""
    counted: dict[str, int] = {verdict.value: 0 for verdict in domain.Verdict}
    for status in flatten(found):
        if status.verdict is not None and status.target.pk not in withheld:
            counted[status.verdict.value] += 1
    return counted
