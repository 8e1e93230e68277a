"""congresses.domain.election_state: the rounds of one election, replayed under its rules
(domain-rules §3 "Edge cases")."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congresses.elections import counting
from congresses.elections import domain as election_domain
from congresses.elections.counting import PLURALITY, ROBERTS_RULES, VGCL_2018
from congresses.elections.domain import Awaiting, Decision, RoundCounts, election_state

FIVE = ("An", "Bình", "Chi", "Dũng", "Đức")


def round_of(votes, *, seats, collected=100, valid=100, **extra):
    return RoundCounts(
        seats=seats,
        candidates=tuple(votes),
        collected=collected,
        valid=valid,
        votes=votes,
        **extra,
    )


def test_a_clean_first_round_completes_the_election():
    # ĐL2018 Art. 10.3: 3 seats, the three highest above half of 100 collected
    first = round_of({"An": 90, "Bình": 70, "Chi": 60, "Dũng": 55, "Đức": 20}, seats=3)
    state = election_state(VGCL_2018, seats=3, candidates=FIVE, rounds=(first,))
    assert state.complete
    assert state.elected == ("An", "Bình", "Chi")
    assert state.results[0].passed_not_seated == ("Dũng",)
    assert (state.vacant, state.open_seats) == (0, 0)


def test_no_round_yet_awaits_the_first_round_with_every_candidate():
    state = election_state(VGCL_2018, seats=2, candidates=FIVE, rounds=())
    assert state.awaiting == Awaiting.ROUND
    assert (state.next_candidates, state.next_seats) == (FIVE, 2)


def test_a_tie_for_the_last_seat_goes_to_a_further_round_among_the_tied():
    # domain-rules §3 case 2 (binhthuan p.140): among the tied only, never by age
    first = round_of({"An": 90, "Bình": 70, "Chi": 60, "Dũng": 60, "Đức": 20}, seats=3)
    state = election_state(VGCL_2018, seats=3, candidates=FIVE, rounds=(first,))
    assert state.awaiting == Awaiting.ROUND
    assert state.elected == ("An", "Bình")
    assert (state.next_candidates, state.next_seats) == (("Chi", "Dũng"), 1)

    second = round_of({"Chi": 52, "Dũng": 48}, seats=1)
    state = election_state(VGCL_2018, seats=3, candidates=FIVE, rounds=(first, second))
    assert state.complete
    assert state.elected == ("An", "Bình", "Chi")
    assert state.elected_in_round == {"An": 1, "Bình": 1, "Chi": 2}


def test_a_further_round_must_offer_exactly_the_candidates_the_count_named():
    first = round_of({"An": 90, "Bình": 70, "Chi": 60, "Dũng": 60, "Đức": 20}, seats=3)
    intruder = round_of({"Chi": 40, "Dũng": 30, "Đức": 30}, seats=1)
    with pytest.raises(ValueError, match="offers"):
        election_state(VGCL_2018, seats=3, candidates=FIVE, rounds=(first, intruder))
    too_many_seats = round_of({"Chi": 52, "Dũng": 48}, seats=2)
    with pytest.raises(ValueError, match="is for 1 seats"):
        election_state(VGCL_2018, seats=3, candidates=FIVE, rounds=(first, too_many_seats))


def test_too_few_qualify_the_congress_decides_and_may_leave_seats_vacant():
    # domain-rules §3 case 3; the 13th national congress left 9 of 177 seats vacant
    first = round_of({"An": 80, "Bình": 40, "Chi": 30}, seats=3)
    candidates = ("An", "Bình", "Chi")
    state = election_state(VGCL_2018, seats=3, candidates=candidates, rounds=(first,))
    assert state.awaiting == Awaiting.DECISION
    assert election_domain.decisions_allowed(VGCL_2018, state) == (
        Decision.VOTE_AGAIN,
        Decision.LEAVE_VACANT,
    )
    vacant = replace(first, decision=Decision.LEAVE_VACANT)
    state = election_state(VGCL_2018, seats=3, candidates=candidates, rounds=(vacant,))
    assert state.complete
    assert (state.elected, state.vacant, state.open_seats) == (("An",), 2, 0)


def test_voting_again_offers_those_not_elected_for_the_open_seats():
    candidates = ("An", "Bình", "Chi")
    first = round_of({"An": 80, "Bình": 40, "Chi": 30}, seats=3, decision=Decision.VOTE_AGAIN)
    state = election_state(VGCL_2018, seats=3, candidates=candidates, rounds=(first,))
    assert (state.awaiting, state.next_candidates, state.next_seats) == (
        Awaiting.ROUND,
        ("Bình", "Chi"),
        2,
    )
    second = round_of({"Bình": 55, "Chi": 45}, seats=2, decision=Decision.LEAVE_VACANT)
    state = election_state(VGCL_2018, seats=3, candidates=candidates, rounds=(first, second))
    assert state.complete
    assert (state.elected, state.vacant) == (("An", "Bình"), 1)


def test_roberts_rules_repeat_the_ballot_and_never_leave_a_seat_vacant():
    # RONR §45: balloting is repeated until every seat is filled
    first = round_of({"An": 40, "Bình": 35, "Chi": 25}, seats=1)
    state = election_state(
        ROBERTS_RULES, seats=1, candidates=("An", "Bình", "Chi"), rounds=(first,)
    )
    assert state.awaiting == Awaiting.ROUND
    assert election_domain.decisions_allowed(ROBERTS_RULES, state) == ()
    with pytest.raises(ValueError, match="further round"):
        election_state(
            ROBERTS_RULES,
            seats=1,
            candidates=("An", "Bình", "Chi"),
            rounds=(replace(first, decision=Decision.LEAVE_VACANT),),
        )


def test_plurality_run_off_tie_is_settled_by_lot():
    first = round_of({"An": 40, "Bình": 40, "Chi": 20}, seats=1)
    run_off = round_of({"An": 50, "Bình": 50}, seats=1)
    state = election_state(
        PLURALITY, seats=1, candidates=("An", "Bình", "Chi"), rounds=(first, run_off)
    )
    assert (state.awaiting, state.next_candidates, state.next_seats) == (
        Awaiting.LOT,
        ("An", "Bình"),
        1,
    )
    drawn = replace(run_off, decision=Decision.LOT, lot_winners=("Bình",))
    state = election_state(
        PLURALITY, seats=1, candidates=("An", "Bình", "Chi"), rounds=(first, drawn)
    )
    assert state.complete
    assert (state.elected, state.by_lot) == (("Bình",), ("Bình",))


@pytest.mark.parametrize(
    ("winners", "message"),
    [(("An", "Bình"), "pick 1"), (("Chi",), "pick 1"), ((), "pick 1")],
)
def test_a_lot_must_pick_as_many_tied_candidates_as_open_seats(winners, message):
    first = round_of({"An": 40, "Bình": 40, "Chi": 20}, seats=1)
    run_off = round_of({"An": 50, "Bình": 50}, seats=1, decision=Decision.LOT, lot_winners=winners)
    with pytest.raises(ValueError, match=message):
        election_state(
            PLURALITY, seats=1, candidates=("An", "Bình", "Chi"), rounds=(first, run_off)
        )


def test_no_round_may_follow_a_complete_count():
    first = round_of({"An": 80, "Bình": 20}, seats=1)
    extra = round_of({"Bình": 60}, seats=1)
    with pytest.raises(ValueError, match="needs no further round"):
        election_state(VGCL_2018, seats=1, candidates=("An", "Bình"), rounds=(first, extra))


def test_a_decision_where_none_is_needed_is_refused():
    first = round_of({"An": 80, "Bình": 20}, seats=1, decision=Decision.LEAVE_VACANT)
    with pytest.raises(ValueError, match="needs no decision"):
        election_state(VGCL_2018, seats=1, candidates=("An", "Bình"), rounds=(first,))


def test_votes_must_cover_exactly_the_ballot_and_collected_within_issued():
    missing = RoundCounts(
        seats=1, candidates=("An", "Bình"), collected=10, valid=10, votes={"An": 6}
    )
    with pytest.raises(ValueError, match="every candidate on this round"):
        election_state(VGCL_2018, seats=1, candidates=("An", "Bình"), rounds=(missing,))
    over = round_of({"An": 6, "Bình": 4}, seats=1, collected=10, valid=10, issued=9)
    with pytest.raises(ValueError, match="More ballots collected"):
        election_state(VGCL_2018, seats=1, candidates=("An", "Bình"), rounds=(over,))


def test_max_rounds_reached_leaves_the_open_seats_vacant():
    two_rounds = replace(VGCL_2018, code="two", max_rounds=2)
    first = round_of({"An": 80, "Bình": 40, "Chi": 30}, seats=2, decision=Decision.VOTE_AGAIN)
    second = round_of({"Bình": 45, "Chi": 40}, seats=1)
    state = election_state(
        two_rounds, seats=2, candidates=("An", "Bình", "Chi"), rounds=(first, second)
    )
    assert state.complete
    assert (state.elected, state.vacant) == (("An",), 1)


# --- Properties -------------------------------------------------------------------------------


@st.composite
def played_elections(draw):
    """Elections played round after round as the state asks, with random counts and decisions."""
    rules = draw(st.sampled_from(list(counting.PRESETS.values())))
    seats = draw(st.integers(1, 3))
    candidates = tuple(draw(st.lists(st.sampled_from(FIVE), unique=True, min_size=seats)))
    rounds: list[RoundCounts] = []
    for _ in range(4):
        state = election_state(rules, seats=seats, candidates=candidates, rounds=tuple(rounds))
        if state.awaiting == Awaiting.NOTHING:
            break
        if state.awaiting != Awaiting.ROUND:
            last = rounds[-1]
            if state.awaiting == Awaiting.LOT:
                pick = draw(st.permutations(state.next_candidates))[: state.next_seats]
                rounds[-1] = replace(last, decision=Decision.LOT, lot_winners=tuple(pick))
            else:
                choice = draw(st.sampled_from(election_domain.decisions_allowed(rules, state)))
                rounds[-1] = replace(last, decision=choice)
            continue
        valid = draw(st.integers(0, 30))
        ballot = state.next_candidates
        votes = {key: draw(st.integers(0, valid)) for key in ballot}
        while sum(votes.values()) > state.next_seats * valid:
            biggest = max(votes, key=votes.__getitem__)
            votes[biggest] -= 1
        rounds.append(
            RoundCounts(
                seats=state.next_seats,
                candidates=ballot,
                collected=valid + draw(st.integers(0, 3)),
                valid=valid,
                votes=votes,
            )
        )
    return rules, seats, candidates, tuple(rounds)


@given(played_elections())
def test_seats_always_add_up_and_nobody_is_elected_twice(played):
    rules, seats, candidates, rounds = played
    state = election_state(rules, seats=seats, candidates=candidates, rounds=rounds)
    assert len(state.elected) == len(set(state.elected))
    assert len(state.elected) + state.vacant + state.open_seats == seats
    assert set(state.elected) <= set(candidates)
    assert set(state.by_lot) <= set(state.elected)
    if state.complete:
        assert state.open_seats == 0
    if not rules.vacancy_allowed and rules.max_rounds is None:
        assert state.vacant == 0
