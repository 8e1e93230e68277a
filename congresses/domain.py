"""Pure rules of terms, congresses and committees (domain-rules §2, §3.5, §4).

Values in, values out; only the standard library. Sources are cited beside each rule:
ĐL2018 = the Vietnam Trade Union Charter of 2018 (khóa XII); 03 = Guidance 03/HD-TLĐ (2020).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

# --- Terms --------------------------------------------------------------------------------

DEFAULT_TERM_YEARS = 5  # ĐL2018 Art. 8.2: a congress every five years at every level
MAX_EXTENSION_MONTHS = 30  # ĐL2018 Art. 8.2: the level above may shift a term by up to 30 months

_LABEL = re.compile(r"^\s*(\d{4})\s*[-‐‑‒–—−]\s*(\d{4})\s*$")


def normalize_term_label(label: str) -> str:
    """The canonical label of a term: "2017-2022", "2017 – 2022" and "2017–2022" all name
    the same term and are stored as "2017–2022" (with an en dash). Other labels are kept as
    typed, with spaces collapsed."""
    match = _LABEL.match(label)
    if match:
        return f"{match.group(1)}–{match.group(2)}"
    return " ".join(label.split())


def label_for(starts_on: date, ends_on: date) -> str:
    return f"{starts_on.year}–{ends_on.year}"


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's last day (31/08 + 6 -> 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError("unreachable")


def default_term_end(starts_on: date, years: int = DEFAULT_TERM_YEARS) -> date:
    return add_months(starts_on, 12 * years)


def extension_allowed(ends_on: date, extended_until: date) -> bool:
    """An extension moves the end later by at most 30 months (ĐL2018 Art. 8.2)."""
    return ends_on < extended_until <= add_months(ends_on, MAX_EXTENSION_MONTHS)


def periods_overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    """Half-open periods [start, end) overlap; a term may start on the day the previous ends."""
    return a[0] < b[1] and b[0] < a[1]


# --- Congresses -------------------------------------------------------------------------------


class CongressKind(StrEnum):
    ALL_MEMBER = "all_member"
    DELEGATE = "delegate"
    EXTRAORDINARY = "extraordinary"


DELEGATE_CONGRESS_MIN_MEMBERS = 150  # Guidance 238/HD-TLĐ: below 150 members, all-member


@dataclass(frozen=True)
class Quorum:
    summoned: int
    present: int

    @property
    def required(self) -> int:
        """The fewest present that make at least 2/3 of those summoned (ĐL2018 Art. 10.1)."""
        return -(-2 * self.summoned // 3)

    @property
    def met(self) -> bool:
        return self.summoned > 0 and 3 * self.present >= 2 * self.summoned


def quorum(summoned: int, present: int) -> Quorum:
    if summoned < 0 or present < 0:
        raise ValueError("counts cannot be negative")
    if present > summoned:
        raise ValueError("more present than summoned")
    return Quorum(summoned, present)


@dataclass(frozen=True)
class RuleWarning:
    """Something a secretary should see, with the rule it comes from."""

    code: str
    rule: str


def congress_kind_warnings(
    kind: str,
    *,
    members: int,
    higher_consent: bool,
    extraordinary_reason: str = "",
) -> list[RuleWarning]:
    """When a kind of congress is allowed (domain-rules §2; Guidance 238/HD-TLĐ):
    an all-member congress is the rule below 150 members; a delegate congress from 150 (below,
    only with dispersed work and the higher union's consent); an extraordinary congress needs
    the higher union's consent and a ground for it."""
    warnings: list[RuleWarning] = []
    below = members < DELEGATE_CONGRESS_MIN_MEMBERS
    if kind == CongressKind.DELEGATE and below and not higher_consent:
        warnings.append(RuleWarning("delegate_below_150", "HD 238/HD-TLĐ"))
    if kind == CongressKind.EXTRAORDINARY:
        if not higher_consent:
            warnings.append(RuleWarning("extraordinary_without_consent", "HD 238/HD-TLĐ"))
        if not extraordinary_reason.strip():
            warnings.append(RuleWarning("extraordinary_without_reason", "HD 238/HD-TLĐ"))
    return warnings


# --- Committees --------------------------------------------------------------------------------


def gettext_noop(text: str) -> str:
    """Marks a rule's text for `makemessages` (which looks for this name) without importing
    Django; congresses.services translates the text when it shows the warning."""
    return text


@dataclass(frozen=True)
class SizeBounds:
    low: int
    high: int | None
    rule: str


def committee_size_bounds(kind: str, members: int) -> SizeBounds | None:
    """Bounds of the executive committee's size by the branch's kind (Guidance 03/HD-TLĐ
    §9.1, domain-rules §4). None where no rule is known (the confederation, union groups)."""
    if kind == "grassroots":
        if members < 10:
            return SizeBounds(
                1, 1, gettext_noop("HD 03/HD-TLĐ §9.1: below 10 members, a chair only")
            )
        high = 19 if members >= 3000 else 15
        return SizeBounds(
            3, high, gettext_noop("HD 03/HD-TLĐ §9.1: 3–15 members (up to 19 from 3,000)")
        )
    if kind == "sub_union":
        return SizeBounds(
            3, 7, gettext_noop("HD 03/HD-TLĐ §9.1: a sub-union's committee has 3–7 members")
        )
    if kind == "upper_union":
        return SizeBounds(1, 27, gettext_noop("HD 03/HD-TLĐ §9.1: at most 27 above the grassroots"))
    if kind == "federation":
        high = 49 if members >= 100_000 else 35
        return SizeBounds(
            1, high, gettext_noop("HD 03/HD-TLĐ §9.1: at most 35 (49 from 100,000 members)")
        )
    return None


def committee_size_warning(kind: str, members: int, size: int) -> RuleWarning | None:
    bounds = committee_size_bounds(kind, members)
    if bounds is None:
        return None
    if size < bounds.low or (bounds.high is not None and size > bounds.high):
        return RuleWarning("committee_size", bounds.rule)
    return None


# ĐL2018 Art. 11.4 (domain-rules §3.5): within a term, by-elections may fill at most 2/3 of the
# seats set by the congress at a grassroots union and the units inside it, 1/2 above; beyond
# that the higher union must consent.
BY_ELECTION_SHARE = {
    "grassroots": (2, 3),
    "sub_union": (2, 3),
    "group": (2, 3),
    "upper_union": (1, 2),
    "federation": (1, 2),
    "confederation": (1, 2),
}


def by_election_cap(seats: int, kind: str, share: tuple[int, int] | None = None) -> int:
    """The most seats that by-elections may fill in one term without the higher union's
    consent: floor(seats × share)."""
    numerator, denominator = share or BY_ELECTION_SHARE.get(kind, (1, 2))
    return seats * numerator // denominator


class PostKind(StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    STANDING = "standing"
    EXECUTIVE = "executive"
    INSPECTION_HEAD = "inspection_head"
    INSPECTION_MEMBER = "inspection_member"


def held_on(starts_on: date, ends_on: date | None, day: date) -> bool:
    """Whether a mandate [starts_on, ends_on) is held on `day`."""
    return starts_on <= day and (ends_on is None or day < ends_on)


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


ONE_DECIMAL = Decimal("0.1")


def vote_percentage(votes: int, denominator: int) -> Decimal | None:
    """`votes` as a percentage of `denominator`, one decimal, rounded half up in Decimal
    (90 of 178 -> 50.6). A zero denominator has no percentage (None)."""
    if denominator == 0:
        return None
    return (Decimal(votes) * 100 / Decimal(denominator)).quantize(
        ONE_DECIMAL, rounding=ROUND_HALF_UP
    )


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


def _check_counts(
    *,
    seats: int,
    collected: int,
    valid: int,
    blank: int,
    invalid: int | None,
    votes: Mapping[str, int],
) -> None:
    if seats < 1:
        raise ValueError(f"at least one seat is needed, not {seats}")
    counts = {"collected": collected, "valid": valid, "blank": blank, "invalid": invalid or 0}
    for label, value in counts.items():
        if value < 0:
            raise ValueError(f"{label} ballots cannot be negative ({value})")
    if valid > collected:
        raise ValueError(f"more valid ballots ({valid}) than ballots collected ({collected})")
    if blank > valid:
        raise ValueError(f"more blank ballots ({blank}) than valid ballots ({valid})")
    if invalid is not None and valid + invalid != collected:
        raise ValueError(
            f"valid ({valid}) and invalid ({invalid}) ballots do not add up to {collected} "
            "collected"
        )
    marked = valid - blank  # a blank ballot votes for nobody
    for key, count in votes.items():
        if count < 0:
            raise ValueError(f"votes for {key!r} cannot be negative ({count})")
        if count > marked:
            raise ValueError(
                f"{key!r} has {count} votes, more than the {marked} valid non-blank ballots"
            )
    if sum(votes.values()) > seats * marked:
        raise ValueError(
            f"{sum(votes.values())} votes in all, more than {seats} seats × {marked} valid "
            "non-blank ballots"
        )


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
    round_number: int = 1,
) -> CountResult:
    """Who one round of a ballot elects, and what happens next (domain-rules §3).

    `collected` are the ballots returned (issued but not returned ones are not counted);
    `valid` ⊆ collected; `blank` ⊆ valid are valid ballots marked for nobody. `invalid`, if
    given, must equal collected − valid (a check for the secretary's minutes). `round_number`
    is this round's number, to apply `rules.max_rounds`. Raises ValueError on counts that
    cannot happen.

    Guarantees: a candidate passes with `threshold_votes` or more (majority: the smallest v with
    2v > denominator, so exactly half fails; plurality: one vote). Seats go from the highest
    vote down (ĐL2018 Art. 10.3). Candidates level at the cut-off who outnumber the seats left
    are all `tied` and none is elected: a further round among them only, or lot, settles their
    seats (binhthuan p.140; age never decides). If too few pass, the open seats go to the
    congress (vote again or leave vacant) when the rules allow vacancy, else to a further
    round. The result does not depend on the order of `votes`.
    """
    _check_counts(
        seats=seats, collected=collected, valid=valid, blank=blank, invalid=invalid, votes=votes
    )
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
        percentages={key: vote_percentage(votes[key], denominator) for key in ranked},
    )


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
    if set(counts.votes) != set(candidates):
        raise ValueError(f"round {number} needs votes for exactly {sorted(candidates)}")
    if counts.issued is not None and counts.collected > counts.issued:
        raise ValueError(
            f"more ballots collected ({counts.collected}) than issued ({counts.issued})"
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


# --- Targets of a resolution and their verdicts (issue "Resolutions, targets") -------------------


class TargetKind(StrEnum):
    PERCENTAGE = "percentage"  # e.g. share of units rated strong: 80 %
    COUNT = "count"  # e.g. members trained: 150
    YES_NO = "yes_no"  # e.g. a union office set up: done or not


class Verdict(StrEnum):
    EXCEEDED = "exceeded"
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    NOT_MET = "not_met"


# A target is at risk when its progress lags the share of its period already elapsed by more
# than this many points (0.15: at half-term, less than 35 % of the way is at risk). A margin,
# because progress comes in steps (a yearly review) while time runs every day; 15 points is
# about three quarters of a year in a five-year term, so one late yearly figure is not a
# warning but two are.
AT_RISK_MARGIN = Decimal("0.15")


def elapsed_share(starts_on: date, deadline: date, on: date) -> Decimal:
    """The share of the period [starts_on, deadline] elapsed on `on`, between 0 and 1."""
    if deadline <= starts_on:
        return Decimal(1)
    days = (min(max(on, starts_on), deadline) - starts_on).days
    return Decimal(days) / Decimal((deadline - starts_on).days)


def progress_share(
    kind: str, *, baseline: Decimal | None, target: Decimal, actual: Decimal | None
) -> Decimal:
    """How far a target has come, as a share of the way from its baseline to its target
    value: 0 at the baseline (or with no figure yet), 1 at the target, above 1 beyond it. A
    target below its baseline (a reduction) counts the way down. Yes/no targets are 0 or 1."""
    if kind == TargetKind.YES_NO:
        return Decimal(1) if actual is not None and actual >= 1 else Decimal(0)
    if actual is None:
        return Decimal(0)
    start = baseline if baseline is not None else Decimal(0)
    if target == start:  # keep a level: met when the level holds
        return Decimal(1) if actual >= target else Decimal(0)
    return max(Decimal(0), (actual - start) / (target - start))


def verdict(
    kind: str,
    *,
    baseline: Decimal | None,
    target: Decimal,
    actual: Decimal | None,
    starts_on: date,
    deadline: date,
    on: date,
    margin: Decimal = AT_RISK_MARGIN,
) -> Verdict:
    """The verdict on a target on day `on`, from its latest actual value:

    - exceeded: beyond the target value (yes/no targets are achieved, never exceeded);
    - achieved: at the target value;
    - not met: the deadline has passed short of it;
    - at risk: progress lags the share of the period elapsed by more than `margin`;
    - on track: otherwise.
    """
    progress = progress_share(kind, baseline=baseline, target=target, actual=actual)
    return verdict_for_progress(
        progress,
        exact=kind == TargetKind.YES_NO,
        starts_on=starts_on,
        deadline=deadline,
        on=on,
        margin=margin,
    )


def verdict_for_progress(
    progress: Decimal,
    *,
    starts_on: date,
    deadline: date,
    on: date,
    exact: bool = False,
    margin: Decimal = AT_RISK_MARGIN,
) -> Verdict:
    """The verdict for a share of the way already made (progress_share, or a roll-up)."""
    if progress > 1 and not exact:
        return Verdict.EXCEEDED
    if progress >= 1:
        return Verdict.ACHIEVED
    if on > deadline:
        return Verdict.NOT_MET
    if progress < elapsed_share(starts_on, deadline, on) - margin:
        return Verdict.AT_RISK
    return Verdict.ON_TRACK


def rolled_up(parts: list[tuple[Decimal, Decimal]]) -> Decimal:
    """A cascaded target's progress from its parts: each part's progress weighted by its
    share of the split. `parts` holds (weight, progress) pairs. With the parts' own target
    values as weights this is the parts' total against the whole: 150 trained of 100 + 50
    split is the whole target, even if one sub-unit trained them all."""
    total = sum((weight for weight, _progress in parts), Decimal(0))
    if total <= 0:
        return Decimal(0)
    return sum((weight * progress for weight, progress in parts), Decimal(0)) / total
