"""Entering an election's rounds: the ballots and votes of each round, corrections of the
last one, and what the congress decided after a count that left seats open or tied.

Counts are checked by the one ballot check of congresses.elections.counting, with messages
a secretary can act on beside the field they concern; the same check serves the pages, the
API and the counting engine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congresses.elections import counting
from congresses.elections.changes import open_for_change, save_change
from congresses.elections.lifecycle import ElectionAction, election_actions
from congresses.elections.models import Candidate, Decision, Election, Round, RoundVote
from congresses.elections.results import ballot_text, outcome
from congresses.read_only import Conflict


def vote_field(candidate_pk: int) -> str:
    """The name under which a candidate's votes are entered and their errors reported."""
    return f"vote_{candidate_pk}"


def check_counts(
    *,
    election: Election,
    seats: int,
    candidates: Iterable[Candidate],
    issued: int,
    collected: int,
    valid: int,
    invalid: int,
    blank: int,
    votes: Mapping[int, int],
) -> None:
    """Refuse counts that cannot happen (congresses.elections.counting.ballot_problems, the
    one check of a round's arithmetic), each with its reason in the user's language beside
    the field it concerns, under the names the pages and the API use (a candidate's votes
    under vote_field)."""
    names = {str(candidate.pk): candidate.person_name for candidate in candidates}
    numbers = {"issued": issued, "collected": collected, "valid": valid, "invalid": invalid}
    missing = [field for field, value in (numbers | {"blank": blank}).items() if value is None]
    missing += [vote_field(pk) for pk, count in votes.items() if count is None]
    if missing:
        raise ValidationError(
            {field: [_(counting.BALLOT_MESSAGES["negative"])] for field in missing}
        )
    problems = counting.ballot_problems(
        seats=seats,
        issued=issued,
        present=election.present,
        collected=collected,
        valid=valid,
        invalid=invalid,
        blank=blank,
        votes={str(pk): count for pk, count in votes.items()},
        candidates=names,
    )
    errors: dict[str, list[str]] = {}
    for problem in problems:
        field = problem.field if problem.candidate is None else vote_field(int(problem.candidate))
        errors.setdefault(field, []).append(ballot_text(problem, names))
    if errors:
        raise ValidationError(errors)


def _store_votes(round_: Round, votes: Mapping[int, int], *, lower: bool | None = None) -> None:
    """Store the round's votes: all of them, or with `lower` True only the counts that go
    down and with False the others. A correction lowers before it saves the round's ballots
    and raises after, so that the database's check of votes against ballots
    (congresses.elections.db_rules) holds at every step."""
    existing = {v.candidate_id: v for v in round_.votes.all()}
    for candidate_pk, count in votes.items():
        vote = existing.get(candidate_pk)
        if lower is not None and (vote is not None and count < vote.votes) is not lower:
            continue
        if vote is None:
            RoundVote.objects.create(round=round_, candidate_id=candidate_pk, votes=count)
        elif vote.votes != count or vote.won_by_lot:
            vote.votes, vote.won_by_lot = count, False
            vote.save()


@transaction.atomic
def enter_round(
    *,
    election: Election,
    issued: int,
    collected: int,
    valid: int,
    invalid: int,
    votes: Mapping[int, int],
    blank: int = 0,
    expected_version: int | None = None,
    by: Any = None,
) -> Round:
    """Enter the next round's counts. The round offers exactly the candidates and seats the
    count so far calls for: every candidate for every seat at first; afterwards the tied
    candidates only, or those not yet elected for the open seats."""
    election = open_for_change(election, by=by, expected_version=expected_version)
    result = outcome(election)
    election_actions(election, result).check(ElectionAction.ROUND)
    candidates, seats = list(result.next_candidates), result.state.next_seats
    check_counts(
        election=election,
        seats=seats,
        candidates=candidates,
        issued=issued,
        collected=collected,
        valid=valid,
        invalid=invalid,
        blank=blank,
        votes=votes,
    )
    number = election.rounds.count() + 1
    round_ = Round.objects.create(
        election=election,
        number=number,
        seats=seats,
        issued=issued,
        collected=collected,
        valid=valid,
        invalid=invalid,
        blank=blank,
        entered_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _store_votes(round_, votes)
    save_change(election, outcome(election))
    return round_


def _last_round(election: Election, round_: Round) -> Round:
    last = election.rounds.order_by("-number").first()
    if last is None or last.pk != round_.pk:
        raise Conflict(_("Only the last round can be changed; delete the rounds after it first."))
    return last


@transaction.atomic
def correct_round(
    *,
    round: Round,
    issued: int,
    collected: int,
    valid: int,
    invalid: int,
    votes: Mapping[int, int],
    blank: int = 0,
    expected_version: int | None = None,
    by: Any = None,
) -> Round:
    """Correct the counts of the last round. A decision taken after it stays if it still
    fits the corrected count, else it is cleared and asked for again."""
    election = open_for_change(round.election, by=by, expected_version=expected_version)
    round_ = _last_round(election, round)
    candidates = [v.candidate for v in round_.votes.select_related("candidate")]
    check_counts(
        election=election,
        seats=round_.seats,
        candidates=candidates,
        issued=issued,
        collected=collected,
        valid=valid,
        invalid=invalid,
        blank=blank,
        votes=votes,
    )
    _store_votes(round_, votes, lower=True)
    round_.issued, round_.collected, round_.valid = issued, collected, valid
    round_.invalid, round_.blank = invalid, blank
    round_.save()
    _store_votes(round_, votes, lower=False)
    result = outcome(election)
    if result.error and round_.decision:
        round_.decision = ""
        round_.save()
        result = outcome(election)
    save_change(election, result)
    return round_


@transaction.atomic
def delete_round(*, round: Round, expected_version: int | None = None, by: Any = None) -> None:
    """Delete the last round (entered by mistake); the decision before it is asked again."""
    election = open_for_change(round.election, by=by, expected_version=expected_version)
    round_ = _last_round(election, round)
    round_.votes.all().delete()
    round_.delete()
    save_change(election, outcome(election))


@transaction.atomic
def record_decision(
    *,
    election: Election,
    decision: str,
    lot_winners: Iterable[int] = (),
    expected_version: int | None = None,
    by: Any = None,
) -> Election:
    """Record what the congress decided after the last round: a further round for the seats
    nobody won, leaving them vacant (where the rules allow it; domain-rules §3 case 3), or
    the candidates who drew the seats by lot."""
    election = open_for_change(election, by=by, expected_version=expected_version)
    result = outcome(election)
    election_actions(election, result).check(ElectionAction.DECIDE)
    if decision not in result.decisions:
        allowed = ", ".join(str(Decision(d).label) for d in result.decisions)
        raise ValidationError(
            {
                "decision": [
                    _("This decision is not open now.")
                    + (" " + _("Open: %(allowed)s.") % {"allowed": allowed} if allowed else "")
                ]
            }
        )
    last = result.last_round
    assert last is not None  # a decision is open only after a round
    round_ = last.round
    winners = set(lot_winners)
    if decision == Decision.LOT:
        tied = {c.pk for c in result.next_candidates}
        if len(winners) != result.state.next_seats or not winners <= tied:
            raise ValidationError(
                {
                    "lot_winners": [
                        _("Choose %(seats)s of the tied candidates: those who drew the seats.")
                        % {"seats": result.state.next_seats}
                    ]
                }
            )
        for vote in round_.votes.filter(candidate_id__in=winners):  # one by one: each audited
            vote.won_by_lot = True
            vote.save(update_fields=["won_by_lot"])
    elif winners:
        raise ValidationError({"lot_winners": [_("Lots are drawn only for a tie.")]})
    round_.decision = decision
    round_.save()
    save_change(election, outcome(election))
    return election
