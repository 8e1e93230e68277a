"""The term summary of a branch: its congress (day, kind, attendance, quorum, guests), the
statistics frozen on the congress day beside the reported ones, the members per sub-unit frozen
with them (congresses.breakdown: the rows add up to the totals), the committee with its posts,
the elections' results, the resolution's directions and its targets with their progress and
verdicts, and the reviews of the term. The congress dossier (reports.datasets.dossier) adds
the rest of the congress's record to it.

Language-neutral data: codes, numbers, dates and the users' own text; labels and texts are
properties and methods that read the active language when a format calls them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from congresses.breakdown import Breakdown, UnitRow, congress_breakdown
from congresses.elections.models import ElectionKind, ElectionStatus
from congresses.elections.results import outcome
from congresses.models import CongressKind, CongressStatus, ObtainedBy, PostKind, Term
from congresses.resolutions import domain as resolutions_domain
from congresses.resolutions import goals
from congresses.resolutions.domain import Judging
from congresses.resolutions.models import ItemKind, Resolution, ReviewKind
from members import domain as members_domain
from members.models import Branch
from members.statistics import today

from .minutes import congress_title


@dataclass(frozen=True)
class Guest:
    name: str
    title: str
    organisation: str


@dataclass(frozen=True)
class CongressFacts:
    held_on: date
    preparatory_on: date | None
    kind: str
    venue: str
    summoned: int | None
    present: int | None
    quorum_required: int | None
    quorum_met: bool | None
    guests: tuple[Guest, ...]
    status: str
    recognition_decision: str
    recognised_on: date | None

    @property
    def present_share(self) -> Decimal | None:
        """The share of those summoned who were present, rounded as every share is."""
        if self.summoned is None or self.present is None:
            return None
        return members_domain.share(self.present, self.summoned)

    @property
    def kind_label(self) -> str:
        return str(CongressKind(self.kind).label)

    @property
    def status_label(self) -> str:
        return str(CongressStatus(self.status).label)


@dataclass(frozen=True)
class Figures:
    """Counted from the register on the congress day (frozen), and as reported where the
    secretary's figures differ (None where not reported)."""

    counted_on: date | None
    members: int | None
    women: int | None
    unknown: int | None
    sub_units: int | None
    reported_members: int | None
    reported_women: int | None
    reported_sub_units: int | None
    reported_reason: str

    @property
    def women_share(self) -> Decimal | None:
        if self.members is None or self.women is None:
            return None
        return members_domain.share(self.women, self.members)

    @property
    def reported_share(self) -> Decimal | None:
        if self.reported_members is None and self.reported_women is None:
            return None
        members = self.reported_members if self.reported_members is not None else self.members
        women = self.reported_women if self.reported_women is not None else self.women
        return members_domain.share(women or 0, members or 0)


@dataclass(frozen=True)
class CommitteeLine:
    post: str
    name: str
    since: date
    obtained_by: str

    @property
    def post_label(self) -> str:
        return str(PostKind(self.post).label)

    @property
    def obtained_by_label(self) -> str:
        return str(ObtainedBy(self.obtained_by).label)


@dataclass(frozen=True)
class ElectedPerson:
    name: str
    votes: int
    percentage: Decimal | None
    round_number: int
    by_lot: bool


@dataclass(frozen=True)
class ElectionResult:
    kind: str
    seats: int
    candidates: int
    elected: tuple[ElectedPerson, ...]
    vacant: int
    status: str

    @property
    def kind_label(self) -> str:
        return str(ElectionKind(self.kind).label)

    @property
    def status_label(self) -> str:
        return str(ElectionStatus(self.status).label)


@dataclass(frozen=True)
class TargetLine:
    title: str
    kind: str
    unit: str
    baseline: Decimal | None
    target_value: Decimal
    actual: Decimal | None
    as_of: date | None
    progress: Decimal
    verdict: str  # blank: not yet judged (the term has not begun)
    judged_on: date | None  # the day the verdict is judged on (goals.judging_day)
    branch: str
    deadline: date
    is_part: bool

    @property
    def verdict_label(self) -> str:
        return goals.verdict_text(self.verdict)

    @property
    def percent(self) -> int:
        return resolutions_domain.bar_percent(self.progress)

    @property
    def progress_percentage(self) -> Decimal:
        """The progress as every page shows it (one decimal, half up: 0.9333 -> 93.3)."""
        return resolutions_domain.progress_percentage(self.progress)


@dataclass(frozen=True)
class ReviewSummary:
    kind: str
    held_on: date
    achievements: tuple[str, ...]
    shortcomings: tuple[str, ...]

    @property
    def kind_label(self) -> str:
        return str(ReviewKind(self.kind).label)


@dataclass(frozen=True)
class TermSummary:
    branch_code: str
    branch_name: str
    parent_name: str
    term_label: str
    term_ordinal: int | None
    starts_on: date
    ends_on: date
    as_of: date
    congress: CongressFacts | None
    figures: Figures | None
    breakdown: Breakdown | None  # the members per sub-unit on the congress day
    committee_day: date
    committee: tuple[CommitteeLine, ...]
    elections: tuple[ElectionResult, ...]
    directions: tuple[tuple[int, str], ...]
    targets: tuple[TargetLine, ...]
    judging: Judging | None  # the day the targets are judged on, and why
    reviews: tuple[ReviewSummary, ...]

    @property
    def judged_text(self) -> str:
        """The day the targets' verdicts are judged on and why, in the active language."""
        return goals.judged_text(self.judging)

    @property
    def sub_units(self) -> tuple[UnitRow, ...]:
        """The rows of the breakdown (the branch's own members last, when it has any)."""
        return self.breakdown.rows if self.breakdown is not None else ()

    @property
    def executive_size(self) -> int:
        return sum(1 for line in self.committee if line.post == PostKind.EXECUTIVE)

    @property
    def congress_text(self) -> str:
        """ "Congress no. 5 of <branch>, term 2017–2022" in the active language, the words of
        the counting minutes' title."""
        return congress_title(self.branch_name, self.term_label, self.term_ordinal)


def _congress(term: Term) -> tuple[CongressFacts | None, Figures | None]:
    congress = getattr(term, "congress", None)
    if congress is None:
        return None, None
    quorum = congress.quorum
    facts = CongressFacts(
        held_on=congress.held_on,
        preparatory_on=congress.preparatory_on,
        kind=congress.kind,
        venue=congress.venue,
        summoned=congress.summoned,
        present=congress.present,
        quorum_required=quorum.required if quorum else None,
        quorum_met=quorum.met if quorum else None,
        guests=tuple(Guest(g.name, g.title, g.organisation) for g in congress.guests.all()),
        status=congress.status,
        recognition_decision=congress.recognition_decision,
        recognised_on=congress.recognised_on,
    )
    figures = Figures(
        counted_on=congress.counted_on,
        members=congress.counted_members,
        women=congress.counted_women,
        unknown=congress.counted_unknown,
        sub_units=congress.counted_sub_units,
        reported_members=congress.reported_members,
        reported_women=congress.reported_women,
        reported_sub_units=congress.reported_sub_units,
        reported_reason=congress.reported_reason,
    )
    return facts, figures


def _elections(term: Term) -> tuple[ElectionResult, ...]:
    congress = getattr(term, "congress", None)
    if congress is None:
        return ()
    found = []
    for election in congress.elections.order_by("held_on", "id"):
        result = outcome(election)
        elected = tuple(
            ElectedPerson(
                line.candidate.person_name,
                line.votes,
                line.percentage,
                line.round_number,
                line.by_lot,
            )
            for line in result.elected
        )
        result_line = ElectionResult(
            kind=election.kind,
            seats=election.seats,
            candidates=len(result.candidates),
            elected=elected,
            vacant=result.state.vacant,
            status=election.status,
        )
        found.append(result_line)
    return tuple(found)


def _targets(resolution: Resolution | None, judging: Judging | None) -> tuple[TargetLine, ...]:
    if resolution is None:
        return ()
    lines = []
    for status in goals.flatten(goals.judged(resolution, judging)):
        target = status.target
        lines.append(
            TargetLine(
                title=target.title,
                kind=target.kind,
                unit=target.unit,
                baseline=target.baseline,
                target_value=target.target_value,
                actual=status.actual,
                as_of=status.as_of,
                progress=status.progress,
                verdict=status.verdict_code,
                judged_on=status.judged_on,
                branch=target.branch.display_name,
                deadline=target.deadline,
                is_part=target.parent_id is not None,
            )
        )
    return tuple(lines)


def _reviews(resolution: Resolution | None) -> tuple[ReviewSummary, ...]:
    if resolution is None:
        return ()
    found = []
    for review in resolution.reviews.prefetch_related("items").order_by("held_on"):
        items = list(review.items.all())
        found.append(
            ReviewSummary(
                kind=review.kind,
                held_on=review.held_on,
                achievements=tuple(i.text for i in items if i.kind == ItemKind.ACHIEVEMENT),
                shortcomings=tuple(i.text for i in items if i.kind == ItemKind.SHORTCOMING),
            )
        )
    return tuple(found)


def term_summary(term: Term, *, as_of: date | None = None) -> TermSummary:
    """The summary of `term` as of `as_of` (today by default): the committee of that day
    (within the term), the targets judged as every page judges them asked on that day
    (goals.judging_day: a finished term as of its end-of-term review or its end), the rest
    as recorded."""
    term = Term.objects.select_related("branch").get(pk=term.pk)
    branch: Branch = term.branch
    day = as_of or today()
    committee_day = min(max(day, term.starts_on), term.end - timedelta(days=1))
    facts, figures = _congress(term)
    congress = getattr(term, "congress", None)
    resolution = (
        Resolution.objects.filter(congress__term=term).select_related("congress__term").first()
    )
    parent = branch.parent
    judging = goals.judging_day(term, day)
    return TermSummary(
        branch_code=branch.code,
        branch_name=branch.name,
        parent_name=parent.name if parent else "",
        term_label=term.label,
        term_ordinal=term.ordinal,
        starts_on=term.starts_on,
        ends_on=term.end,
        as_of=day,
        congress=facts,
        figures=figures,
        breakdown=congress_breakdown(congress) if congress is not None else None,
        committee_day=committee_day,
        committee=tuple(
            CommitteeLine(p.kind, p.person_name, p.starts_on, p.obtained_by)
            for p in term.posts.committee_on(committee_day)
        ),
        elections=_elections(term),
        directions=tuple((d.number, d.text) for d in resolution.directions.all())
        if resolution
        else (),
        targets=_targets(resolution, judging),
        judging=judging,
        reviews=_reviews(resolution),
    )
