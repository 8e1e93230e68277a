"""Report data, built once from the records; the page, the PDF and the Excel file only lay it
out, so the three cannot disagree (style guide: "rows first, then formats").

The objects here are language-neutral: codes, numbers, dates and the users' own text. Their
labels are properties and methods that translate when they are called, so a format gets them
in the language it chose with translation.override."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext

from congresses.elections import counting
from congresses.elections.models import (
    Decision,
    Election,
    ElectionKind,
    ElectionStatus,
    Elector,
    RulePreset,
)
from congresses.elections.results import Outcome, next_step_text, outcome, threshold_words
from congresses.models import Body


@dataclass(frozen=True)
class BoardMember:
    """A seat of the counting board (ban kiểm phiếu), as the congress elected it."""

    name: str
    role: str  # the user's own words, e.g. "Trưởng ban"; may be empty


class VoteResult:
    """What a candidate's line of one round came to (codes, translated by `label`)."""

    ELECTED = "elected"
    ELECTED_BY_LOT = "elected_by_lot"
    TIED = "tied"  # level at the cut-off: a further round, a decision or lots settle it
    PASSED = "passed"  # over the threshold, but the seats went to more votes
    NOT_PASSED = "not_passed"

    @staticmethod
    def label(code: str) -> str:
        return {
            VoteResult.ELECTED: gettext("elected"),
            VoteResult.ELECTED_BY_LOT: gettext("elected by lot"),
            VoteResult.TIED: gettext("tied for the last seat"),
            VoteResult.PASSED: gettext("passed the threshold, not seated"),
            VoteResult.NOT_PASSED: gettext("below the threshold"),
        }[code]


@dataclass(frozen=True)
class VoteLine:
    """A candidate's votes in one round and their share of the rule's denominator."""

    name: str
    votes: int
    percentage: Decimal | None  # one decimal (50.6), None when the denominator is 0
    result: str  # a VoteResult code

    @property
    def result_label(self) -> str:
        return VoteResult.label(self.result)


@dataclass(frozen=True)
class ThresholdRule:
    """The threshold a round was counted by: the fewest votes that pass (`votes_needed`) out
    of the rule's denominator for that round (`denominator_size` ballots or votes)."""

    threshold: str  # congresses.domain.Threshold
    denominator: str  # congresses.domain.Denominator
    denominator_size: int
    votes_needed: int

    def text(self) -> str:
        """The threshold in words, in the active language (congresses.elections.results, as the
        election page says it): "more than half of 176 ballots collected: at least 89 votes"."""
        return threshold_words(
            self.threshold, self.denominator, self.denominator_size, self.votes_needed
        )


@dataclass(frozen=True)
class RoundMinutes:
    """One round: its ballots, its threshold and every candidate's line, most votes first."""

    number: int
    seats: int
    issued: int
    collected: int
    valid: int
    invalid: int
    blank: int
    threshold: ThresholdRule
    lines: tuple[VoteLine, ...]
    decision: str = ""  # a congresses.models.Decision code, when the congress had to decide

    @property
    def decision_label(self) -> str:
        return str(Decision(self.decision).label) if self.decision else ""


@dataclass(frozen=True)
class ElectedLine:
    """A seat won: in the order seats were won (round by round, by votes within a round)."""

    order: int
    name: str
    round_number: int
    votes: int
    percentage: Decimal | None
    by_lot: bool


@dataclass(frozen=True)
class CountingMinutes:
    """The counting minutes (biên bản kiểm phiếu) of one election, domain-rules §5."""

    election_id: int
    # the title block
    branch_name: str
    parent_name: str  # the higher union, printed above the branch; "" at the root
    term_label: str
    congress_ordinal: int | None
    venue: str
    kind: str  # congresses.models.ElectionKind
    elected_by: str  # congresses.models.Elector
    held_on: date  # the election's day: the congress's, or the new committee's first meeting
    congress_held_on: date  # the day of the congress (its formal session)
    # the counting board and the electors
    board: tuple[BoardMember, ...]
    summoned: int | None
    present: int | None
    seats: int
    # the rules
    rules_code: str
    rules_name: str  # an English msgid (presets and the union's own rules)
    rules_source: str  # an English msgid for presets, the union's own note otherwise
    # the ballot and the count
    candidates: tuple[str, ...]  # ballot order (Vietnamese alphabetical)
    rounds: tuple[RoundMinutes, ...]
    elected: tuple[ElectedLine, ...]
    vacant: int  # seats left vacant by the congress's decision or the rules
    open_seats: int  # seats still to be settled (the count is not complete)
    complete: bool
    # the record
    status: str  # congresses.models.ElectionStatus
    revision: int
    # the day of certification the secretary entered (never before held_on nor ahead of the
    # day it was entered: congresses.elections.lifecycle); kept after a reopening
    certified_on: date | None
    digest: str
    error: str  # set when the stored rounds no longer follow the rules
    _outcome: Outcome = field(repr=False, compare=False)

    @property
    def certified(self) -> bool:
        return self.status == ElectionStatus.CERTIFIED

    @property
    def at_congress(self) -> bool:
        """Whether the congress voted (its counting board counted); otherwise the new
        executive committee at its first meeting."""
        return self.elected_by == Elector.CONGRESS

    @property
    def certified_day(self) -> date | None:
        """The day the result was certified, for a certified result only."""
        return self.certified_on if self.certified else None

    @property
    def kind_label(self) -> str:
        return str(ElectionKind(self.kind).label)

    @property
    def elected_by_label(self) -> str:
        return str(Elector(self.elected_by).label)

    @property
    def status_label(self) -> str:
        return str(ElectionStatus(self.status).label)

    @property
    def rules_name_text(self) -> str:
        return gettext(self.rules_name)

    @property
    def rules_source_text(self) -> str:
        """A preset's source is translated; the union's own note is shown as written."""
        if self.rules_code == RulePreset.CUSTOM:
            return self.rules_source
        return gettext(self.rules_source)

    @property
    def congress_text(self) -> str:
        return congress_title(self.branch_name, self.term_label, self.congress_ordinal)

    @property
    def status_text(self) -> str:
        """What a reader must know about the standing of these figures, in one sentence."""
        if self.certified:
            return gettext("Certified result, revision %(revision)s.") % {"revision": self.revision}
        if self.complete:
            return gettext("Not certified: the count is complete but not yet certified.")
        return gettext("Not certified: the count is not complete.")

    def next_step(self) -> str:
        """What the election still needs ("" once complete), as the election page says it."""
        return "" if self.complete and not self.error else next_step_text(self._outcome)


def congress_title(branch: str, term: str, ordinal: int | None) -> str:
    """ "Congress no. 5 of <branch>, term 2017–2022" in the active language: the title of the
    counting minutes, the term summary and the dossier."""
    values = {"branch": branch, "term": term}
    if ordinal:
        return gettext("Congress no. %(number)s of %(branch)s, term %(term)s") % (
            values | {"number": ordinal}
        )
    return gettext("Congress of %(branch)s, term %(term)s") % values


def _threshold(rules: counting.RuleSet, count: counting.CountResult) -> ThresholdRule:
    return ThresholdRule(
        threshold=rules.threshold.value,
        denominator=rules.denominator.value,
        denominator_size=count.denominator,
        votes_needed=count.threshold_votes,
    )


def _result(elected: bool, by_lot: bool, tied: bool, passed: bool) -> str:
    if by_lot:
        return VoteResult.ELECTED_BY_LOT
    if elected:
        return VoteResult.ELECTED
    if tied:
        return VoteResult.TIED
    return VoteResult.PASSED if passed else VoteResult.NOT_PASSED


def counting_minutes(election: Election) -> CountingMinutes:
    """The counting minutes of `election`, from congresses.elections.results.outcome (the one read
    model the election page and the API show) plus the congress's counting board. The
    caller has checked the user may read the election's branch. Five queries when the
    election comes with select_related("congress__term__branch")."""
    congress = election.congress
    branch = congress.term.branch
    parent = branch.parent
    result = outcome(election)
    rules = result.rules
    # The congress's counting board, attendance and summons stand for the congress's own
    # elections only; the first meeting of the committee is another body on another day.
    at_congress = election.elected_by == Elector.CONGRESS
    board = (
        tuple(
            BoardMember(name=seat.name, role=seat.role)
            for seat in congress.body_members.filter(body=Body.COUNTING_BOARD).order_by(
                "order", "id"
            )
        )
        if at_congress
        else ()
    )
    rounds = tuple(
        RoundMinutes(
            number=item.round.number,
            seats=item.round.seats,
            issued=item.round.issued,
            collected=item.round.collected,
            valid=item.round.valid,
            invalid=item.round.invalid,
            blank=item.round.blank,
            threshold=_threshold(rules, item.count),
            lines=tuple(
                VoteLine(
                    name=line.candidate.person_name,
                    votes=line.votes,
                    percentage=line.percentage,
                    result=_result(line.elected, line.won_by_lot, line.tied, line.passed),
                )
                for line in item.lines
            ),
            decision=item.round.decision,
        )
        for item in result.rounds
    )
    elected = tuple(
        ElectedLine(
            order=order,
            name=line.candidate.person_name,
            round_number=line.round_number,
            votes=line.votes,
            percentage=line.percentage,
            by_lot=line.by_lot,
        )
        for order, line in enumerate(result.elected, start=1)
    )
    return CountingMinutes(
        election_id=election.pk,
        branch_name=branch.name,
        parent_name=parent.name if parent else "",
        term_label=congress.term.label,
        congress_ordinal=congress.term.ordinal,
        venue=congress.venue,
        kind=election.kind,
        elected_by=election.elected_by,
        held_on=election.held_on,
        congress_held_on=congress.held_on,
        board=board,
        summoned=(
            congress.summoned if election.summoned is None and at_congress else election.summoned
        ),
        present=(
            congress.present if election.present is None and at_congress else election.present
        ),
        seats=election.seats,
        rules_code=election.rules,
        rules_name=rules.name,
        rules_source=rules.source,
        candidates=tuple(c.person_name for c in result.candidates),
        rounds=rounds,
        elected=elected,
        vacant=result.state.vacant,
        open_seats=result.state.open_seats,
        complete=result.complete,
        status=election.status,
        revision=election.revision,
        certified_on=election.certified_on,
        digest=election.digest,
        error=result.error,
        _outcome=result,
    )
