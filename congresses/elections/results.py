"""The result of an election, read from its rounds: one object that the election page, the
API and the counting minutes all show, so they cannot disagree.

Nothing here writes. Candidates are the domain's keys as str(pk); congresses.domain decides
who is elected (election_state), this module only joins its answer to the records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congresses import domain as congress_domain
from congresses.elections import counting, domain
from congresses.elections.models import Candidate, Election, ElectionKind, Elector, Round
from congresses.models import Post
from unionrec.days import day_text

_NOTHING = domain.Awaiting.NOTHING


@dataclass(frozen=True)
class CandidateLine:
    """A candidate's line in one round, in the order of votes."""

    candidate: Candidate
    votes: int
    percentage: Decimal | None
    passed: bool
    elected: bool
    tied: bool
    won_by_lot: bool


@dataclass(frozen=True)
class RoundResult:
    round: Round
    count: counting.CountResult
    lines: tuple[CandidateLine, ...]

    @property
    def elected(self) -> tuple[Candidate, ...]:
        return tuple(line.candidate for line in self.lines if line.elected)

    @property
    def tied(self) -> tuple[Candidate, ...]:
        return tuple(line.candidate for line in self.lines if line.tied)

    @property
    def passed_not_seated(self) -> tuple[Candidate, ...]:
        return tuple(
            line.candidate
            for line in self.lines
            if line.passed and not line.elected and not line.tied
        )


@dataclass(frozen=True)
class ElectedLine:
    candidate: Candidate
    round_number: int
    votes: int
    percentage: Decimal | None
    by_lot: bool


@dataclass(frozen=True)
class Outcome:
    """Where an election stands: its ballot, each round's count, who is elected (in the order
    seats were won), the vacancies and what the congress must do next."""

    election: Election
    rules: counting.RuleSet
    candidates: tuple[Candidate, ...]  # the first ballot, in Vietnamese alphabetical order
    rounds: tuple[RoundResult, ...]
    state: domain.ElectionState
    elected: tuple[ElectedLine, ...]
    next_candidates: tuple[Candidate, ...]
    decisions: tuple[domain.Decision, ...]
    error: str = ""  # set when stored rounds no longer follow the rules (edited out of band)

    @property
    def complete(self) -> bool:
        return not self.error and self.state.awaiting == _NOTHING

    @property
    def awaiting(self) -> str:
        return str(self.state.awaiting)

    @property
    def last_round(self) -> RoundResult | None:
        return self.rounds[-1] if self.rounds else None


def ballot_order(candidates: list[Candidate]) -> list[Candidate]:
    """Vietnamese alphabetical order by given name, then family and middle names, as union
    ballots list them (members.domain.name_sort_key)."""
    return sorted(candidates, key=lambda c: (c.sort_key, c.pk))


def _counts(round_: Round, votes: dict[str, int], winners: tuple[str, ...]) -> domain.RoundCounts:
    return domain.RoundCounts(
        seats=round_.seats,
        candidates=tuple(votes),
        collected=round_.collected,
        valid=round_.valid,
        votes=votes,
        blank=round_.blank,
        invalid=round_.invalid,
        issued=round_.issued,
        decision=_decision(round_.decision),
        lot_winners=winners,
    )


def _decision(value: str) -> domain.Decision | None:
    return domain.Decision(value) if value else None


def ballot_text(problem: counting.BallotProblem, names: Mapping[str, str]) -> str:
    """A problem of the ballot check in the active language, a candidate named by `names`
    (their keys as the check was given them)."""
    values = dict(problem.values)
    if problem.candidate is not None:
        values["name"] = names.get(problem.candidate, problem.candidate)
    return _(counting.BALLOT_MESSAGES[problem.code]) % values


def outcome(election: Election) -> Outcome:
    """The election's outcome, from three queries (candidates, rounds, votes)."""
    rules = election.rule_set
    candidates = ballot_order(list(election.candidates.select_related("member")))
    by_key = {str(c.pk): c for c in candidates}
    rounds = list(election.rounds.prefetch_related("votes").order_by("number"))
    inputs = []
    for round_ in rounds:
        votes = {str(v.candidate_id): v.votes for v in round_.votes.all()}
        winners = tuple(str(v.candidate_id) for v in round_.votes.all() if v.won_by_lot)
        inputs.append(_counts(round_, votes, winners))
    keys = tuple(by_key)
    error = ""
    try:
        state = domain.election_state(
            rules, seats=election.seats, candidates=keys, rounds=tuple(inputs)
        )
    except counting.BallotError as refusal:  # stored rounds changed behind the services
        names = {key: candidate.person_name for key, candidate in by_key.items()}
        error = " ".join(ballot_text(problem, names) for problem in refusal.problems)
        state = domain.election_state(rules, seats=election.seats, candidates=keys, rounds=())
        rounds = []
    except ValueError as problem:  # a round that does not follow from the one before
        error = str(problem)
        state = domain.election_state(rules, seats=election.seats, candidates=keys, rounds=())
        rounds = []

    sort_key = {key: (c.sort_key, c.pk) for key, c in by_key.items()}
    results: list[RoundResult] = []
    for round_, counts, count in zip(rounds, inputs, state.results, strict=True):
        elected, tied = set(count.elected), set(count.tied)
        ranked = sorted(counts.votes, key=lambda k: (-counts.votes[k], sort_key[k]))
        lines = tuple(
            CandidateLine(
                candidate=by_key[key],
                votes=counts.votes[key],
                percentage=count.percentages[key],
                passed=counts.votes[key] >= count.threshold_votes,
                elected=key in elected or key in counts.lot_winners,
                tied=key in tied and key not in counts.lot_winners,
                won_by_lot=key in counts.lot_winners,
            )
            for key in ranked
        )
        results.append(RoundResult(round=round_, count=count, lines=lines))

    elected_lines: list[ElectedLine] = []
    for key in state.elected:
        number = state.elected_in_round[key]
        line = next(line for line in results[number - 1].lines if line.candidate.pk == int(key))
        elected_lines.append(
            ElectedLine(
                candidate=by_key[key],
                round_number=number,
                votes=line.votes,
                percentage=line.percentage,
                by_lot=key in state.by_lot,
            )
        )
    return Outcome(
        election=election,
        rules=rules,
        candidates=tuple(candidates),
        rounds=tuple(results),
        state=state,
        elected=tuple(elected_lines),
        next_candidates=tuple(
            sorted((by_key[k] for k in state.next_candidates), key=lambda c: (c.sort_key, c.pk))
        ),
        decisions=domain.decisions_allowed(rules, state),
        error=error,
    )


def next_step_text(result: Outcome) -> str:
    """In words, what the election needs next."""
    state = result.state
    seats = state.next_seats
    values = {"seats": seats, "names": ", ".join(c.person_name for c in result.next_candidates)}
    if result.error:
        return _("The stored rounds do not follow the rules: %(problem)s") % {
            "problem": result.error
        }
    if state.awaiting == domain.Awaiting.NOTHING:
        if state.vacant:
            vacant = ngettext(
                "The count is complete; %(n)s seat is left vacant.",
                "The count is complete; %(n)s seats are left vacant.",
                state.vacant,
            )
            return vacant % {"n": state.vacant}
        return _("The count is complete.")
    if state.awaiting == domain.Awaiting.LOT:
        text = ngettext(
            "Tie for the last seat among %(names)s: lots decide.",
            "Tie for the last %(seats)s seats among %(names)s: lots decide.",
            seats,
        )
    elif state.awaiting == domain.Awaiting.DECISION:
        text = ngettext(
            "%(seats)s seat is still open: the congress votes again or leaves it vacant.",
            "%(seats)s seats are still open: the congress votes again or leaves them vacant.",
            seats,
        )
    elif not result.rounds:
        text = ngettext(
            "Enter the first round: %(seats)s seat.",
            "Enter the first round: %(seats)s seats.",
            seats,
        )
    elif result.rounds[-1].count.next_step == counting.NextStep.FURTHER_ROUND_TIED:
        text = ngettext(
            "Tie for the last seat: a further round among %(names)s.",
            "Tie for the last %(seats)s seats: a further round among %(names)s.",
            seats,
        )
    else:
        text = ngettext(
            "A further round for %(seats)s open seat among %(names)s.",
            "A further round for %(seats)s open seats among %(names)s.",
            seats,
        )
    return text % values


def warnings_for(election: Election, result: Outcome) -> list[str]:
    """What a secretary should know about the election, with the rule or practice behind it."""
    texts: list[str] = []
    congress = election.congress
    if len(result.candidates) < election.seats:
        texts.append(
            _("Fewer candidates (%(n)s) than seats (%(seats)s): seats will stay open.")
            % {"n": len(result.candidates), "seats": election.seats}
        )
    if (
        election.kind == ElectionKind.EXECUTIVE
        and congress.committee_size
        and election.seats != congress.committee_size
    ):
        texts.append(
            ngettext(
                "The congress voted for %(size)s seat; this election fills %(seats)s.",
                "The congress voted for %(size)s seats; this election fills %(seats)s.",
                congress.committee_size,
            )
            % {"size": congress.committee_size, "seats": election.seats}
        )
    if election.summoned and election.present is not None:
        quorum = congress_domain.quorum(election.summoned, min(election.present, election.summoned))
        if not quorum.met:
            texts.append(
                _(
                    "Quorum not met: %(present)s present of %(summoned)s summoned; at least "
                    "%(required)s are needed (Charter 2018, Art. 10.1: two thirds)."
                )
                % {
                    "present": quorum.present,
                    "summoned": quorum.summoned,
                    "required": quorum.required,
                }
            )
    board = set(
        congress.body_members.filter(body="counting_board", member__isnull=False).values_list(
            "member_id", flat=True
        )
    )
    on_board = [c.person_name for c in result.candidates if c.member_id in board]
    if on_board:
        texts.append(
            _(
                "On the counting board and standing for election: %(names)s. "
                "Candidates should not count the ballots (practice)."
            )
            % {"names": ", ".join(on_board)}
        )
    if election.elected_by == Elector.COMMITTEE and election.kind in (
        ElectionKind.CHAIR,
        ElectionKind.VICE_CHAIR,
        ElectionKind.STANDING,
    ):
        executive = set(
            Post.objects.held_on(election.held_on)
            .filter(term=congress.term, kind="executive", member__isnull=False)
            .values_list("member_id", flat=True)
        )
        outside = [c.person_name for c in result.candidates if c.member_id not in executive]
        if outside:
            texts.append(
                _(
                    "Not on the executive committee on %(day)s: %(names)s. The "
                    "committee elects these posts from its own members."
                )
                % {"day": day_text(election.held_on), "names": ", ".join(outside)}
            )
    return texts


def threshold_words(threshold: str, denominator: str, size: int, needed: int) -> str:
    """A threshold in words, in the active language: "more than half of 176 ballots
    collected: at least 89 votes" (ĐL2018 Art. 10.3), or the plurality rule. The page, the
    API and the counting minutes all say it with this function."""
    from unionrec.templatetags.unionrec import count

    if threshold == counting.Threshold.PLURALITY:
        return _("no threshold: the most votes win (at least one vote)")
    texts = {
        counting.Denominator.COLLECTED: ngettext(
            "more than half of %(n)s ballots collected: at least %(votes)s vote",
            "more than half of %(n)s ballots collected: at least %(votes)s votes",
            needed,
        ),
        counting.Denominator.VALID: ngettext(
            "more than half of %(n)s valid ballots: at least %(votes)s vote",
            "more than half of %(n)s valid ballots: at least %(votes)s votes",
            needed,
        ),
        counting.Denominator.CAST: ngettext(
            "more than half of %(n)s votes cast: at least %(votes)s vote",
            "more than half of %(n)s votes cast: at least %(votes)s votes",
            needed,
        ),
        counting.Denominator.VALID_CAST: ngettext(
            "more than half of %(n)s valid votes cast: at least %(votes)s vote",
            "more than half of %(n)s valid votes cast: at least %(votes)s votes",
            needed,
        ),
    }
    return texts[counting.Denominator(denominator)] % {"n": count(size), "votes": count(needed)}


def threshold_text(rules: counting.RuleSet, result: counting.CountResult) -> str:
    """The rule a round was counted by, in words (threshold_words)."""
    return threshold_words(
        rules.threshold, rules.denominator, result.denominator, result.threshold_votes
    )
