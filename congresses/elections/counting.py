"""Counting one round of a ballot under configurable rules (domain-rules §3 "Threshold" and
"Edge cases", §8): the rule sets, their presets and the counting engine `count_votes`.

Values in, values out; only the standard library. ĐL2018 = the Vietnam Trade Union Charter of
2018; RONR = Robert's Rules of Order.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from congresses.domain import gettext_noop
from members.domain import share

# --- Counting votes (domain-rules §3 "Threshold" and "Edge cases", §8) ---------------------------
# Imports of this section are kept here so the section stays self-contained (E402 allowed).


class Denominator(StrEnum):
    """What a candidate's votes are measured against."""

    COLLECTED = "collected"  # every ballot returned, invalid ones included (ĐL2018 Art. 10.3)
    VALID = "valid"  # valid ballots, blank ones included
    CAST = "cast"  # every ballot returned except blanks; illegal votes count (RONR §45)
    VALID_CAST = "valid_cast"  # valid ballots that are not blank: "valid votes cast"


class Threshold(StrEnum):
    MAJORITY = "majority"  # strictly more than half of the denominator: 2 × votes > denominator
    PLURALITY = "plurality"  # no threshold: the highest vote counts win (one vote at least)


class TieBreak(StrEnum):
    """How a tie that straddles the last seat(s) is settled. Age never decides (§3, case 2)."""

    FURTHER_ROUND = "further_round"  # a further round among the tied candidates only
    LOT = "lot"


@dataclass(frozen=True)
class RuleSet:
    """A counting rule as configuration (domain-rules §8). `max_rounds` counts every ballot of
    one election, the first included; None means no limit (the congress decides each time).
    When the limit is reached no further round is proposed: a tie goes to lot and unfilled
    seats stay vacant."""

    code: str
    name: str
    denominator: Denominator
    threshold: Threshold
    tie_break: TieBreak
    vacancy_allowed: bool
    max_rounds: int | None
    source: str

    def __post_init__(self) -> None:
        if self.max_rounds is not None and self.max_rounds < 1:
            raise ValueError("max_rounds must be at least 1 (or None for no limit)")


VGCL_2018 = RuleSet(
    code="vgcl_2018",
    name=gettext_noop("Vietnam Trade Union Charter (2018)"),
    denominator=Denominator.COLLECTED,
    threshold=Threshold.MAJORITY,
    tie_break=TieBreak.FURTHER_ROUND,
    vacancy_allowed=True,  # the congress decides: vote again or leave the seats vacant
    max_rounds=None,
    source=gettext_noop(
        "ĐL2018 Art. 10.3: more than half of the ballots collected, invalid ones included; "
        "a tie for the last seat goes to a further round among the tied"
    ),
)

ROBERTS_RULES = RuleSet(
    code="roberts_rules",
    name=gettext_noop("Robert's Rules of Order"),
    denominator=Denominator.CAST,
    threshold=Threshold.MAJORITY,
    tie_break=TieBreak.FURTHER_ROUND,
    vacancy_allowed=False,  # balloting is repeated until every seat is filled
    max_rounds=None,
    source=gettext_noop(
        "RONR §45: a majority of the votes cast, blanks ignored, illegal votes counted in the "
        "total; the ballot is repeated until someone has a majority"
    ),
)

# Plurality as union constitutions often set it (LMRDA, domain-rules §8): a tie for the last
# seat goes to one run-off among the tied; if the run-off ties again, lots are drawn.
PLURALITY = RuleSet(
    code="plurality",
    name=gettext_noop("Plurality (most votes win)"),
    denominator=Denominator.VALID,
    threshold=Threshold.PLURALITY,
    tie_break=TieBreak.FURTHER_ROUND,
    vacancy_allowed=True,
    max_rounds=2,
    source=gettext_noop(
        "Plurality: the highest vote counts win; a tie goes to one run-off, then to lot"
    ),
)

DEFAULT_RULES = VGCL_2018
PRESETS: Mapping[str, RuleSet] = {
    rules.code: rules for rules in (VGCL_2018, ROBERTS_RULES, PLURALITY)
}


class NextStep(StrEnum):
    DONE = "done"
    FURTHER_ROUND_TIED = "further_round_tied"  # among the tied candidates only
    FURTHER_ROUND_OPEN = "further_round_open"  # for the seats nobody won
    CONGRESS_DECIDES = "congress_decides"  # vote again for the open seats, or leave them vacant
    DRAW_LOTS = "draw_lots"  # among the tied candidates


@dataclass(frozen=True)
class CountResult:
    """The outcome of one round. Candidate keys are ordered by votes, highest first, then by
    key. `tied` holds the candidates level at the cut-off when there are more of them than
    seats left: none of them is elected, and `next_step` says how their seats are settled.
    `passed_not_seated` excludes them. `open_seats` = seats − len(elected), always."""

    elected: tuple[str, ...]
    passed_not_seated: tuple[str, ...]
    tied: tuple[str, ...]
    open_seats: int
    next_step: NextStep
    next_candidates: tuple[str, ...]
    next_seats: int
    threshold_votes: int
    denominator: int
    percentages: Mapping[str, Decimal | None]


def _denominator(rules: RuleSet, *, collected: int, valid: int, blank: int) -> int:
    match rules.denominator:
        case Denominator.COLLECTED:
            return collected
        case Denominator.VALID:
            return valid
        case Denominator.CAST:
            return collected - blank
        case Denominator.VALID_CAST:
            return valid - blank


# The texts of the ballot check, in English as gettext's source: the services translate them
# (congresses.elections.rounds), count_votes raises them as they are.
BALLOT_MESSAGES: Mapping[str, str] = {
    "negative": gettext_noop("Enter a number, 0 or more."),
    "collected_over_issued": gettext_noop(
        "More ballots collected (%(collected)s) than issued (%(issued)s)."
    ),
    "issued_over_present": gettext_noop(
        "More ballots issued (%(issued)s) than present (%(present)s)."
    ),
    "valid_over_collected": gettext_noop(
        "More valid ballots (%(valid)s) than collected (%(collected)s)."
    ),
    "not_adding_up": gettext_noop(
        "Valid (%(valid)s) and invalid (%(invalid)s) ballots must add up to the "
        "%(collected)s collected."
    ),
    "blank_over_valid": gettext_noop("More blank ballots (%(blank)s) than valid ones (%(valid)s)."),
    "other_candidates": gettext_noop(
        "Enter the votes of every candidate on this round's ballot, and of no one else."
    ),
    # Counts in brackets, as above, so that no text reads "1 votes" or "1 seats".
    "votes_over_marked": gettext_noop(
        "%(name)s has more votes (%(votes)s) than valid ballots that mark anyone (%(marked)s)."
    ),
    "votes_over_seats": gettext_noop(
        "More votes in all (%(total)s) than seats (%(seats)s) × valid ballots that mark "
        "anyone (%(marked)s): a ballot keeps at most as many names as there are seats."
    ),
}


@dataclass(frozen=True)
class BallotProblem:
    """One count that cannot happen: the field it concerns ("issued", "collected", "valid",
    "invalid", "blank", "votes"; "vote" for one candidate's votes, named by `candidate`),
    the code of its text in BALLOT_MESSAGES and the values the text names."""

    field: str
    code: str
    values: Mapping[str, object]
    candidate: str | None = None

    @property
    def where(self) -> str:
        return f"votes of {self.candidate}" if self.candidate is not None else self.field

    @property
    def text(self) -> str:
        """The text in English (BALLOT_MESSAGES is gettext's source; translate that)."""
        return BALLOT_MESSAGES[self.code] % self.values


class BallotError(ValueError):
    """Counts that cannot happen, as count_votes refuses them."""

    def __init__(self, problems: Sequence[BallotProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(f"{problem.where}: {problem.text}" for problem in problems))


def ballot_problems(
    *,
    seats: int,
    collected: int,
    valid: int,
    blank: int = 0,
    votes: Mapping[str, int],
    invalid: int | None = None,
    issued: int | None = None,
    present: int | None = None,
    candidates: Collection[str] | None = None,
) -> list[BallotProblem]:
    """The one check of a round's arithmetic, for the pages, the API (a tally loaded by
    counting software) and the counting engine alike (domain-rules §3, §8): no count below 0;
    collected ≤ issued ≤ present (when known); valid ≤ collected, and valid + invalid =
    collected when invalid is given; blank ≤ valid; votes for exactly the ballot's
    `candidates` (when given); no candidate with more votes than the valid ballots that mark
    anyone (a blank ballot votes for nobody); at most seats × those ballots in all (each
    ballot keeps at most `seats` names). Negative counts are reported alone, since the other
    rules would only repeat them."""
    counts = {"issued": issued, "collected": collected, "valid": valid, "invalid": invalid}
    negative = [
        BallotProblem(field, "negative", {})
        for field, value in (counts | {"blank": blank}).items()
        if value is not None and value < 0
    ] + [
        BallotProblem("vote", "negative", {}, candidate=key)
        for key, count in votes.items()
        if count < 0
    ]
    if negative:
        return negative
    problems: list[BallotProblem] = []
    values: dict[str, object]
    if issued is not None and collected > issued:
        values = {"collected": collected, "issued": issued}
        problems.append(BallotProblem("collected", "collected_over_issued", values))
    if issued is not None and present is not None and issued > present:
        values = {"issued": issued, "present": present}
        problems.append(BallotProblem("issued", "issued_over_present", values))
    if invalid is None and valid > collected:
        values = {"valid": valid, "collected": collected}
        problems.append(BallotProblem("valid", "valid_over_collected", values))
    if invalid is not None and valid + invalid != collected:
        values = {"valid": valid, "invalid": invalid, "collected": collected}
        problems.append(BallotProblem("invalid", "not_adding_up", values))
    if blank > valid:
        problems.append(
            BallotProblem("blank", "blank_over_valid", {"blank": blank, "valid": valid})
        )
    if candidates is not None and set(votes) != set(candidates):
        problems.append(BallotProblem("votes", "other_candidates", {}))
    if blank > valid:
        return problems  # the ballots that mark anyone are unknown: no vote can be checked
    marked = valid - blank
    for key, count in votes.items():
        if count > marked:
            values = {"name": key, "votes": count, "marked": marked}
            problems.append(BallotProblem("vote", "votes_over_marked", values, candidate=key))
    total = sum(votes.values())
    if total > seats * marked:
        values = {"total": total, "seats": seats, "marked": marked}
        problems.append(BallotProblem("votes", "votes_over_seats", values))
    return problems


def _threshold_votes(rules: RuleSet, denominator: int) -> int:
    """The fewest votes that pass: the smallest v with 2v > denominator under a majority rule
    (178 collected -> 90; exactly half fails), one vote under plurality."""
    if rules.threshold == Threshold.MAJORITY:
        return denominator // 2 + 1
    return 1


def count_votes(
    rules: RuleSet,
    *,
    seats: int,
    collected: int,
    valid: int,
    blank: int = 0,
    votes: Mapping[str, int],
    invalid: int | None = None,
    issued: int | None = None,
    candidates: Collection[str] | None = None,
    round_number: int = 1,
) -> CountResult:
    """Who one round of a ballot elects, and what happens next (domain-rules §3).

    `collected` are the ballots returned (issued but not returned ones are not counted);
    `valid` ⊆ collected; `blank` ⊆ valid are valid ballots marked for nobody. `invalid`, if
    given, must equal collected − valid (a check for the secretary's minutes); `issued` and
    the ballot's `candidates`, if given, are checked too (ballot_problems). `round_number`
    is this round's number, to apply `rules.max_rounds`. Raises BallotError (a ValueError)
    on counts that cannot happen.

    Guarantees: a candidate passes with `threshold_votes` or more (majority: the smallest v with
    2v > denominator, so exactly half fails; plurality: one vote). Seats go from the highest
    vote down (ĐL2018 Art. 10.3). Candidates level at the cut-off who outnumber the seats left
    are all `tied` and none is elected: a further round among them only, or lot, settles their
    seats (binhthuan p.140; age never decides). If too few pass, the open seats go to the
    congress (vote again or leave vacant) when the rules allow vacancy, else to a further
    round. The result does not depend on the order of `votes`.
    """
    if seats < 1:
        raise ValueError(f"at least one seat is needed, not {seats}")
    problems = ballot_problems(
        seats=seats,
        collected=collected,
        valid=valid,
        blank=blank,
        votes=votes,
        invalid=invalid,
        issued=issued,
        candidates=candidates,
    )
    if problems:
        raise BallotError(problems)
    if round_number < 1:
        raise ValueError(f"rounds are numbered from 1, not {round_number}")
    denominator = _denominator(rules, collected=collected, valid=valid, blank=blank)
    threshold_votes = _threshold_votes(rules, denominator)
    ranked = sorted(votes, key=lambda key: (-votes[key], key))
    passed = [key for key in ranked if votes[key] >= threshold_votes]
    last_round = rules.max_rounds is not None and round_number >= rules.max_rounds

    tied: tuple[str, ...] = ()
    if len(passed) > seats and votes[passed[seats - 1]] == votes[passed[seats]]:
        cut = votes[passed[seats]]
        elected = tuple(key for key in passed if votes[key] > cut)
        tied = tuple(key for key in passed if votes[key] == cut)
        not_seated = tuple(key for key in passed if votes[key] < cut)
    else:
        elected, not_seated = tuple(passed[:seats]), tuple(passed[seats:])
    open_seats = seats - len(elected)

    next_candidates: tuple[str, ...] = ()
    if tied:
        lot = rules.tie_break == TieBreak.LOT or last_round
        next_step = NextStep.DRAW_LOTS if lot else NextStep.FURTHER_ROUND_TIED
        next_candidates = tied
    elif open_seats == 0 or last_round:
        next_step = NextStep.DONE  # at the last round, unfilled seats stay vacant
    else:
        vacancy = rules.vacancy_allowed
        next_step = NextStep.CONGRESS_DECIDES if vacancy else NextStep.FURTHER_ROUND_OPEN
        next_candidates = tuple(key for key in ranked if key not in elected)

    return CountResult(
        elected=elected,
        passed_not_seated=not_seated,
        tied=tied,
        open_seats=open_seats,
        next_step=next_step,
        next_candidates=next_candidates,
        next_seats=0 if next_step == NextStep.DONE else open_seats,
        threshold_votes=threshold_votes,
        denominator=denominator,
        percentages={key: share(votes[key], denominator) for key in ranked},  # one decimal, half up
    )
