"""Pure rules of elections: which body elects what (domain-rules §4), the rounds of one
election replayed through the counting engine (§3), and what the elected become.

Values in, values out; only the standard library. ĐL2018 = the Vietnam Trade Union Charter of
2018; HD = the confederation's guidance documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from congresses.domain import PostKind, gettext_noop
from congresses.elections.counting import CountResult, NextStep, RuleSet, count_votes
from members.domain import clean_name

# --- Elections: which body elects what, and the rounds of one election (domain-rules §3, §4) --


class ElectionKind(StrEnum):
    EXECUTIVE = "executive"
    STANDING = "standing"
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    INSPECTION = "inspection"
    INSPECTION_HEAD = "inspection_head"
    FULL_DELEGATE = "full_delegate"
    ALTERNATE_DELEGATE = "alternate_delegate"


class Elector(StrEnum):
    CONGRESS = "congress"
    COMMITTEE = "committee"  # the new executive committee at its first meeting


# Which body may hold each election (domain-rules §4). The congress elects the executive and
# the delegates; the executive elects its standing committee, chair and vice-chairs, and the
# inspection committee with its head (ĐL2018 Art. 29); Guidance 28/HD-TLĐ (2021) lets a
# grassroots congress elect its chair directly.
ELECTORS: Mapping[ElectionKind, tuple[Elector, ...]] = {
    ElectionKind.EXECUTIVE: (Elector.CONGRESS,),
    ElectionKind.STANDING: (Elector.COMMITTEE,),
    ElectionKind.CHAIR: (Elector.COMMITTEE, Elector.CONGRESS),
    ElectionKind.VICE_CHAIR: (Elector.COMMITTEE,),
    ElectionKind.INSPECTION: (Elector.COMMITTEE,),
    ElectionKind.INSPECTION_HEAD: (Elector.COMMITTEE,),
    ElectionKind.FULL_DELEGATE: (Elector.CONGRESS,),
    ElectionKind.ALTERNATE_DELEGATE: (Elector.CONGRESS,),
}

ELECTOR_RULES: Mapping[ElectionKind, str] = {
    ElectionKind.EXECUTIVE: gettext_noop("ĐL2018 Art. 10: the congress elects the executive"),
    ElectionKind.STANDING: gettext_noop("domain-rules §4: the executive elects it"),
    ElectionKind.CHAIR: gettext_noop(
        "the executive elects the chair; HD 28/HD-TLĐ (2021): or the congress directly"
    ),
    ElectionKind.VICE_CHAIR: gettext_noop("domain-rules §4: the executive elects them"),
    ElectionKind.INSPECTION: gettext_noop("ĐL2018 Art. 29: the executive elects it"),
    ElectionKind.INSPECTION_HEAD: gettext_noop("ĐL2018 Art. 29: the executive elects the head"),
    ElectionKind.FULL_DELEGATE: gettext_noop("HD 238 §8.15: the congress elects its delegates"),
    ElectionKind.ALTERNATE_DELEGATE: gettext_noop(
        "HD 238 §8.15: the congress elects its delegates"
    ),
}


def may_elect(kind: str, elector: str) -> bool:
    return elector in ELECTORS.get(ElectionKind(kind), ())


def default_elector(kind: str) -> Elector:
    return ELECTORS[ElectionKind(kind)][0]


def person_key(member_id: int | None, person_name: str) -> tuple[str, str]:
    """Who a candidacy names, so that a person who stands in several elections of a congress
    (the chair elected to the executive by the congress, then as chair by the executive at
    its first meeting; domain-rules §2) is counted once among its candidates and those
    elected: a member of the register by the member record; anyone else by the name as
    stored, cleaned (members.domain.clean_name), letter for letter."""
    if member_id is not None:
        return ("member", str(member_id))
    return ("name", clean_name(person_name))


class Decision(StrEnum):
    """What the congress decided after a round that left something open (domain-rules §3)."""

    VOTE_AGAIN = "vote_again"  # a further round for the open seats
    LEAVE_VACANT = "leave_vacant"  # §3 case 3: the open seats stay vacant
    LOT = "lot"  # lots were drawn among the tied; the winners are recorded


class Awaiting(StrEnum):
    """What an election needs next."""

    NOTHING = "nothing"  # the count is complete
    ROUND = "round"  # a further round, among `next_candidates`, for `next_seats`
    DECISION = "decision"  # the congress votes again or leaves the seats vacant
    LOT = "lot"  # lots among the tied decide `next_seats` seats


@dataclass(frozen=True)
class RoundCounts:
    """One round as entered: the ballot it offered (`seats`, `candidates`), the ballots, the
    votes per candidate, and what the congress decided after it (if it had to)."""

    seats: int
    candidates: tuple[str, ...]
    collected: int
    valid: int
    votes: Mapping[str, int]
    blank: int = 0
    invalid: int | None = None
    issued: int | None = None
    decision: Decision | None = None
    lot_winners: tuple[str, ...] = ()


@dataclass(frozen=True)
class ElectionState:
    """Where an election stands after its rounds. `elected` is in the order seats were won:
    round by round, by votes within a round, winners by lot after their round's elected.
    `vacant` counts seats left vacant; `open_seats` those still to be settled."""

    seats: int
    results: tuple[CountResult, ...]
    elected: tuple[str, ...]
    elected_in_round: Mapping[str, int]
    by_lot: tuple[str, ...]
    vacant: int
    open_seats: int
    awaiting: Awaiting
    next_candidates: tuple[str, ...]
    next_seats: int

    @property
    def complete(self) -> bool:
        return self.awaiting == Awaiting.NOTHING


def _check_ballot(
    number: int, counts: RoundCounts, seats: int, candidates: tuple[str, ...]
) -> None:
    if counts.seats != seats:
        raise ValueError(f"round {number} is for {seats} seats, not {counts.seats}")
    if sorted(counts.candidates) != sorted(candidates):
        raise ValueError(
            f"round {number} offers {sorted(candidates)}, not {sorted(counts.candidates)}"
        )


def election_state(
    rules: RuleSet, *, seats: int, candidates: tuple[str, ...], rounds: tuple[RoundCounts, ...]
) -> ElectionState:
    """Replay an election's rounds under `rules` and say where it stands (domain-rules §3).

    Round 1 offers every candidate for every seat; each further round offers exactly the
    candidates and seats the previous count named (the tied only, or those not yet elected for
    the open seats). A round that left the congress to decide needs its `decision`: vote again
    (another round) or leave the seats vacant (only where the rules allow vacancy); a round
    that went to lot needs its `lot_winners`, as many as the open seats, from the tied. Raises
    ValueError on a round that does not follow from the one before, or a decision the rules
    or the count do not allow."""
    if seats < 1:
        raise ValueError(f"at least one seat is needed, not {seats}")
    if len(set(candidates)) != len(candidates):
        raise ValueError("a candidate is listed twice")
    ballot, ballot_seats = tuple(candidates), seats
    results: list[CountResult] = []
    elected: list[str] = []
    in_round: dict[str, int] = {}
    by_lot: list[str] = []
    vacant = 0
    awaiting, next_candidates, next_seats = Awaiting.ROUND, ballot, ballot_seats

    for number, counts in enumerate(rounds, start=1):
        if awaiting != Awaiting.ROUND:
            raise ValueError(f"round {number} follows a count that needs no further round")
        _check_ballot(number, counts, ballot_seats, ballot)
        result = count_votes(
            rules,
            seats=counts.seats,
            collected=counts.collected,
            valid=counts.valid,
            blank=counts.blank,
            votes=counts.votes,
            invalid=counts.invalid,
            issued=counts.issued,
            candidates=ballot,
            round_number=number,
        )
        results.append(result)
        elected.extend(result.elected)
        in_round |= dict.fromkeys(result.elected, number)
        awaiting, next_candidates, next_seats = Awaiting.NOTHING, (), 0
        decision = counts.decision
        step = result.next_step
        if step == NextStep.DONE:
            vacant += result.open_seats  # at the last allowed round the open seats stay vacant
            if decision is not None:
                raise ValueError(f"round {number} needs no decision")
        elif step in (NextStep.FURTHER_ROUND_TIED, NextStep.FURTHER_ROUND_OPEN):
            if decision not in (None, Decision.VOTE_AGAIN):
                raise ValueError(f"round {number} is followed by a further round")
            awaiting, next_candidates, next_seats = (
                Awaiting.ROUND,
                result.next_candidates,
                result.next_seats,
            )
        elif step == NextStep.CONGRESS_DECIDES:
            if decision is None:
                awaiting, next_candidates, next_seats = (
                    Awaiting.DECISION,
                    result.next_candidates,
                    result.next_seats,
                )
            elif decision == Decision.VOTE_AGAIN:
                if not result.next_candidates:
                    raise ValueError(f"no candidate is left for a further round after {number}")
                awaiting, next_candidates, next_seats = (
                    Awaiting.ROUND,
                    result.next_candidates,
                    result.next_seats,
                )
            elif decision == Decision.LEAVE_VACANT:
                vacant += result.open_seats
            else:
                raise ValueError(f"lot does not settle seats nobody won in round {number}")
        else:  # NextStep.DRAW_LOTS
            if decision is None:
                awaiting, next_candidates, next_seats = (
                    Awaiting.LOT,
                    result.next_candidates,
                    result.next_seats,
                )
            elif decision == Decision.LOT:
                winners = tuple(counts.lot_winners)
                if len(set(winners)) != result.next_seats or not set(winners) <= set(result.tied):
                    raise ValueError(
                        f"lot must pick {result.next_seats} of the tied {sorted(result.tied)}"
                    )
                ordered = tuple(key for key in result.tied if key in winners)
                elected.extend(ordered)
                by_lot.extend(ordered)
                in_round |= dict.fromkeys(ordered, number)
            else:
                raise ValueError(f"the tie of round {number} is settled by lot")
        if decision != Decision.LOT and counts.lot_winners:
            raise ValueError(f"round {number} drew no lots")
        if awaiting == Awaiting.ROUND:
            ballot, ballot_seats = next_candidates, next_seats

    return ElectionState(
        seats=seats,
        results=tuple(results),
        elected=tuple(elected),
        elected_in_round=in_round,
        by_lot=tuple(by_lot),
        vacant=vacant,
        open_seats=seats - len(elected) - vacant,
        awaiting=awaiting,
        next_candidates=next_candidates,
        next_seats=next_seats,
    )


def decisions_allowed(rules: RuleSet, state: ElectionState) -> tuple[Decision, ...]:
    """The decisions the congress may record now: after a count that left seats nobody won,
    a further round (if any candidate is left) or leaving them vacant; after a tie that goes
    to lot, the lot."""
    if state.awaiting == Awaiting.DECISION:
        again = (Decision.VOTE_AGAIN,) if state.next_candidates else ()
        vacancy = (Decision.LEAVE_VACANT,) if rules.vacancy_allowed else ()
        return again + vacancy
    if state.awaiting == Awaiting.LOT:
        return (Decision.LOT,)
    return ()


# What the elected become once the result is certified: posts of the term, or delegates.
ELECTED_POST: Mapping[ElectionKind, PostKind] = {
    ElectionKind.EXECUTIVE: PostKind.EXECUTIVE,
    ElectionKind.STANDING: PostKind.STANDING,
    ElectionKind.CHAIR: PostKind.CHAIR,
    ElectionKind.VICE_CHAIR: PostKind.VICE_CHAIR,
    ElectionKind.INSPECTION: PostKind.INSPECTION_MEMBER,
    ElectionKind.INSPECTION_HEAD: PostKind.INSPECTION_HEAD,
}
ELECTED_DELEGATE: Mapping[ElectionKind, str] = {
    ElectionKind.FULL_DELEGATE: "full",
    ElectionKind.ALTERNATE_DELEGATE: "alternate",
}
SINGLE_SEAT = (ElectionKind.CHAIR, ElectionKind.INSPECTION_HEAD)
