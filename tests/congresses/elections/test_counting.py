"""congresses.domain: counting votes under configurable rules (domain-rules §3 and §8)."""

from collections import Counter
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congresses.elections import counting
from congresses.elections.counting import (
    PLURALITY,
    ROBERTS_RULES,
    VGCL_2018,
    BallotError,
    Denominator,
    NextStep,
    RuleSet,
    Threshold,
    TieBreak,
    ballot_problems,
    count_votes,
)

VALID_RULE = replace(VGCL_2018, code="valid", denominator=Denominator.VALID)
VALID_CAST_RULE = replace(ROBERTS_RULES, code="valid_cast", denominator=Denominator.VALID_CAST)
LOT_RULE = replace(VGCL_2018, code="lot", tie_break=TieBreak.LOT)
ONE_ROUND_RULE = replace(VGCL_2018, code="one_round", max_rounds=1)

DONE, TIED, OPEN = NextStep.DONE, NextStep.FURTHER_ROUND_TIED, NextStep.FURTHER_ROUND_OPEN
DECIDES, LOTS = NextStep.CONGRESS_DECIDES, NextStep.DRAW_LOTS


def test_presets_by_code_and_the_charter_is_the_default():
    assert counting.PRESETS == {
        "vgcl_2018": VGCL_2018,
        "roberts_rules": ROBERTS_RULES,
        "plurality": PLURALITY,
    }
    assert counting.DEFAULT_RULES is VGCL_2018
    assert (VGCL_2018.denominator, VGCL_2018.threshold) == ("collected", "majority")
    assert (VGCL_2018.tie_break, VGCL_2018.vacancy_allowed) == ("further_round", True)
    assert (ROBERTS_RULES.denominator, ROBERTS_RULES.vacancy_allowed) == ("cast", False)
    assert (PLURALITY.threshold, PLURALITY.max_rounds) == ("plurality", 2)


# Columns: rules, round, seats, collected, valid, blank, votes ->
#          elected, passed_not_seated, tied, open_seats, next_step, next_candidates, next_seats,
#          threshold_votes, denominator
CASES = [
    # ĐL2018 Art. 10.3, domain-rules §3 illustrative example: 178 collected, 3 invalid -> 90
    pytest.param(
        VGCL_2018, 1, 1, 178, 175, 0, {"An": 90, "Bình": 85},
        ("An",), (), (), 0, DONE, (), 0, 90, 178, id="vgcl-178-collected-needs-90",
    ),
    # ĐL2018 Art. 10.3: exactly half (89 of 178) is not more than half
    pytest.param(
        VGCL_2018, 1, 1, 178, 175, 0, {"An": 89, "Bình": 86},
        (), (), (), 1, DECIDES, ("An", "Bình"), 1, 90, 178, id="vgcl-exactly-half-fails",
    ),
    # ĐL2018 Art. 10.3: invalid ballots count in the denominator (48 of 100 collected fails)
    pytest.param(
        VGCL_2018, 1, 1, 100, 90, 0, {"An": 48, "Bình": 42},
        (), (), (), 1, DECIDES, ("An", "Bình"), 1, 51, 100, id="vgcl-invalid-in-denominator",
    ),
    # a valid-ballot rule (domain-rules §8): the same 48 of 90 valid ballots passes
    pytest.param(
        VALID_RULE, 1, 1, 100, 90, 0, {"An": 48, "Bình": 42},
        ("An",), (), (), 0, DONE, (), 0, 46, 90, id="valid-rule-ignores-invalid",
    ),
    # RONR §45: blanks are ignored: 46 of 90 non-blank ballots is a majority
    pytest.param(
        ROBERTS_RULES, 1, 1, 100, 100, 10, {"An": 46, "Bình": 44},
        ("An",), (), (), 0, DONE, (), 0, 46, 90, id="roberts-blanks-ignored",
    ),
    # ĐL2018 Art. 10.3: blanks are ballots collected, so the same 46 fails the charter's test
    pytest.param(
        VGCL_2018, 1, 1, 100, 100, 10, {"An": 46, "Bình": 44},
        (), (), (), 1, DECIDES, ("An", "Bình"), 1, 51, 100, id="vgcl-blanks-collected",
    ),
    # RONR §45: illegal votes count in the total (100 − 10 blank = 90): 45 is not a majority;
    # the ballot is repeated, no seat left vacant
    pytest.param(
        ROBERTS_RULES, 1, 1, 100, 96, 10, {"An": 45, "Bình": 41},
        (), (), (), 1, OPEN, ("An", "Bình"), 1, 46, 90, id="roberts-illegal-votes-count",
    ),
    # "majority of valid votes cast": illegal votes excluded (96 − 10 = 86), 45 passes
    pytest.param(
        VALID_CAST_RULE, 1, 1, 100, 96, 10, {"An": 45, "Bình": 41},
        ("An",), (), (), 0, DONE, (), 0, 44, 86, id="valid-cast-excludes-illegal",
    ),
    # domain-rules §3 case 1: more qualifiers than seats, the highest win
    pytest.param(
        VGCL_2018, 1, 2, 100, 100, 0, {"Dũng": 5, "Chi": 60, "Bình": 65, "An": 70},
        ("An", "Bình"), ("Chi",), (), 0, DONE, (), 0, 51, 100, id="more-qualifiers-than-seats",
    ),
    # domain-rules §3 case 2 (binhthuan p.140): a tie for the last seat, a further round among
    # the tied only; never age
    pytest.param(
        VGCL_2018, 1, 3, 100, 100, 0, {"An": 70, "Bình": 60, "Chi": 55, "Dũng": 55, "Đức": 52},
        ("An", "Bình"), ("Đức",), ("Chi", "Dũng"), 1, TIED, ("Chi", "Dũng"), 1, 51, 100,
        id="tie-for-last-seat",
    ),
    # a tie that does not straddle the last seat decides nothing: all the tied are seated
    pytest.param(
        VGCL_2018, 1, 3, 100, 100, 0, {"An": 80, "Bình": 60, "Chi": 60, "Dũng": 55},
        ("An", "Bình", "Chi"), ("Dũng",), (), 0, DONE, (), 0, 51, 100, id="tie-inside-the-seats",
    ),
    # a tie for the last two seats among three
    pytest.param(
        VGCL_2018, 1, 3, 100, 100, 0, {"An": 90, "Bình": 60, "Chi": 60, "Dũng": 60},
        ("An",), (), ("Bình", "Chi", "Dũng"), 2, TIED, ("Bình", "Chi", "Dũng"), 2, 51, 100,
        id="tie-for-last-two-seats",
    ),
    # a tie between candidates who both fail decides nothing: the congress decides
    pytest.param(
        VGCL_2018, 1, 2, 100, 100, 0, {"An": 80, "Bình": 40, "Chi": 40},
        ("An",), (), (), 1, DECIDES, ("Bình", "Chi"), 1, 51, 100, id="tie-below-threshold",
    ),
    # domain-rules §3 case 3: too few qualify, the congress votes again or leaves seats vacant
    pytest.param(
        VGCL_2018, 1, 3, 100, 100, 0, {"An": 80, "Bình": 40, "Chi": 30},
        ("An",), (), (), 2, DECIDES, ("Bình", "Chi"), 2, 51, 100, id="too-few-qualify-vgcl",
    ),
    # RONR §45: too few have a majority, the ballot is repeated for the open seats
    pytest.param(
        ROBERTS_RULES, 1, 3, 100, 100, 0, {"An": 80, "Bình": 40, "Chi": 30},
        ("An",), (), (), 2, OPEN, ("Bình", "Chi"), 2, 51, 100, id="too-few-qualify-roberts",
    ),
    # plurality (domain-rules §8, LMRDA practice): the highest win, no threshold
    pytest.param(
        PLURALITY, 1, 2, 100, 100, 0, {"An": 40, "Bình": 30, "Chi": 20},
        ("An", "Bình"), ("Chi",), (), 0, DONE, (), 0, 1, 100, id="plurality-fills",
    ),
    # plurality preset: a tie for the last seat goes to one run-off among the tied ...
    pytest.param(
        PLURALITY, 1, 1, 100, 100, 0, {"An": 40, "Bình": 40, "Chi": 20},
        (), ("Chi",), ("An", "Bình"), 1, TIED, ("An", "Bình"), 1, 1, 100, id="plurality-tie",
    ),
    # ... and a tie in the run-off (round 2 of max 2) to lot
    pytest.param(
        PLURALITY, 2, 1, 80, 80, 0, {"An": 40, "Bình": 40},
        (), (), ("An", "Bình"), 1, LOTS, ("An", "Bình"), 1, 1, 80, id="plurality-run-off-tie",
    ),
    # plurality: a candidate needs one vote; a seat nobody voted for stays open
    pytest.param(
        PLURALITY, 1, 2, 10, 10, 0, {"An": 10, "Bình": 0},
        ("An",), (), (), 1, DECIDES, ("Bình",), 1, 1, 10, id="plurality-zero-votes",
    ),
    # a rule set with lot for ties (domain-rules §8 configurable tie-break)
    pytest.param(
        LOT_RULE, 1, 2, 100, 100, 0, {"An": 80, "Bình": 60, "Chi": 60},
        ("An",), (), ("Bình", "Chi"), 1, LOTS, ("Bình", "Chi"), 1, 51, 100, id="lot-rule",
    ),
    # max rounds reached: no further round, the open seats stay vacant
    pytest.param(
        ONE_ROUND_RULE, 1, 2, 100, 100, 0, {"An": 80, "Bình": 40},
        ("An",), (), (), 1, DONE, (), 0, 51, 100, id="last-round-leaves-vacant",
    ),
    # all candidates tied for every seat: nobody is elected
    pytest.param(
        VGCL_2018, 1, 2, 90, 90, 0, {"An": 60, "Bình": 60, "Chi": 60},
        (), (), ("An", "Bình", "Chi"), 2, TIED, ("An", "Bình", "Chi"), 2, 46, 90,
        id="all-tied",
    ),
    # zero candidates: every seat open
    pytest.param(
        VGCL_2018, 1, 3, 10, 10, 10, {},
        (), (), (), 3, DECIDES, (), 3, 6, 10, id="no-candidates",
    ),
    # one seat, one candidate
    pytest.param(
        VGCL_2018, 1, 1, 50, 50, 0, {"An": 49},
        ("An",), (), (), 0, DONE, (), 0, 26, 50, id="one-seat-one-candidate",
    ),
    # a candidate with no votes is never elected under a majority rule
    pytest.param(
        VGCL_2018, 1, 2, 50, 50, 0, {"An": 49, "Bình": 0},
        ("An",), (), (), 1, DECIDES, ("Bình",), 1, 26, 50, id="candidate-with-zero-votes",
    ),
    # no ballots at all: nobody can pass
    pytest.param(
        VGCL_2018, 1, 1, 0, 0, 0, {"An": 0},
        (), (), (), 1, DECIDES, ("An",), 1, 1, 0, id="no-ballots",
    ),
]  # fmt: skip # a case a row, as in a table


@pytest.mark.parametrize(
    (
        "rules",
        "round_number",
        "seats",
        "collected",
        "valid",
        "blank",
        "votes",
        "elected",
        "not_seated",
        "tied",
        "open_seats",
        "next_step",
        "next_candidates",
        "next_seats",
        "threshold_votes",
        "denominator",
    ),
    CASES,
)
def test_count_follows_the_rule(
    rules,
    round_number,
    seats,
    collected,
    valid,
    blank,
    votes,
    elected,
    not_seated,
    tied,
    open_seats,
    next_step,
    next_candidates,
    next_seats,
    threshold_votes,
    denominator,
):
    result = count_votes(
        rules,
        seats=seats,
        collected=collected,
        valid=valid,
        blank=blank,
        votes=votes,
        round_number=round_number,
    )
    assert result.elected == elected
    assert result.passed_not_seated == not_seated
    assert result.tied == tied
    assert result.open_seats == open_seats
    assert result.next_step == next_step
    assert result.next_candidates == next_candidates
    assert result.next_seats == next_seats
    assert result.threshold_votes == threshold_votes
    assert result.denominator == denominator


def test_percentages_are_of_the_rules_denominator_in_vote_order():
    # ĐL2018 Art. 10.3 example: 178 collected, 3 invalid; 90 of 178 is 50.56... -> 50.6
    result = count_votes(
        VGCL_2018, seats=1, collected=178, valid=175, invalid=3, votes={"Bình": 85, "An": 90}
    )
    assert list(result.percentages.items()) == [("An", Decimal("50.6")), ("Bình", Decimal("47.8"))]
    # RONR §45: illegal votes count in the total, blanks do not
    result = count_votes(ROBERTS_RULES, seats=1, collected=178, valid=175, votes={"An": 90})
    assert result.percentages == {"An": Decimal("50.6")}  # 90/178 = 50.56
    result = count_votes(
        ROBERTS_RULES, seats=1, collected=178, valid=178, blank=3, votes={"An": 90}
    )
    assert result.percentages == {"An": Decimal("51.4")}  # 90/175 = 51.43


@pytest.mark.parametrize(
    ("votes", "denominator", "percent"),
    [
        (90, 178, Decimal("50.6")),
        (1, 16, Decimal("6.3")),  # 6.25: half up, not half to even
        (3, 16, Decimal("18.8")),  # 18.75
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),
        (0, 5, Decimal("0.0")),
        (5, 5, Decimal("100.0")),
        (0, 0, None),  # no ballots, no percentage
    ],
)
def test_vote_percentage_rounds_half_up_to_one_decimal(votes, denominator, percent):
    counted = count_votes(
        VGCL_2018, seats=1, collected=denominator, valid=denominator, votes={"An": votes}
    )
    result = counted.percentages["An"]
    assert result == percent
    assert str(result) == str(percent)


def test_zero_denominator_has_no_percentages():
    result = count_votes(VGCL_2018, seats=1, collected=0, valid=0, votes={"An": 0, "Bình": 0})
    assert result.percentages == {"An": None, "Bình": None}


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({"seats": 0}, "at least one seat"),
        ({"round_number": 0}, "numbered from 1"),
    ],
)
def test_impossible_rounds_are_refused(counts, message):
    arguments = {"seats": 2, "collected": 100, "valid": 90, "votes": {"An": 50}} | counts
    with pytest.raises(ValueError, match=message):
        count_votes(VGCL_2018, **arguments)


# One row per rule of the ballot check (domain-rules §3, §8), the same for the pages, the API
# and the engine: the field each problem names, and its code (the text of BALLOT_MESSAGES).
@pytest.mark.parametrize(
    ("counts", "problems"),
    [
        ({"collected": -1}, [("collected", "negative")]),
        ({"blank": -1}, [("blank", "negative")]),
        ({"invalid": -1}, [("invalid", "negative")]),
        ({"issued": -1}, [("issued", "negative")]),
        ({"votes": {"An": -1}}, [("vote", "negative")]),
        ({"issued": 99}, [("collected", "collected_over_issued")]),
        ({"issued": 100, "present": 98}, [("issued", "issued_over_present")]),
        ({"valid": 101}, [("valid", "valid_over_collected")]),
        ({"blank": 91}, [("blank", "blank_over_valid")]),
        ({"invalid": 5}, [("invalid", "not_adding_up")]),
        ({"invalid": 10}, []),
        ({"candidates": ["An", "Bình"]}, [("votes", "other_candidates")]),
        ({"votes": {"An": 91}}, [("vote", "votes_over_marked")]),
        ({"blank": 10, "votes": {"An": 81}}, [("vote", "votes_over_marked")]),
        ({"votes": {"An": 90, "Bình": 90, "Chi": 1}}, [("votes", "votes_over_seats")]),
    ],
)
def test_the_ballot_check_names_each_impossible_count(counts, problems):
    arguments = {"seats": 2, "collected": 100, "valid": 90, "votes": {"An": 50}} | counts
    found = ballot_problems(**arguments)
    assert [(problem.field, problem.code) for problem in found] == problems
    engine = {key: value for key, value in arguments.items() if key != "present"}
    if problems and "present" not in counts:  # the engine refuses what the check finds
        with pytest.raises(BallotError) as refused:
            count_votes(VGCL_2018, **engine)
        assert refused.value.problems == tuple(found)


def test_a_refused_count_says_which_count_and_why():
    with pytest.raises(
        BallotError,
        match=r"votes of An: An has more votes \(91\) than valid ballots that mark anyone \(90\)",
    ):
        count_votes(VGCL_2018, seats=1, collected=100, valid=90, votes={"An": 91})


def test_max_rounds_must_be_positive():
    with pytest.raises(ValueError, match="max_rounds"):
        replace(VGCL_2018, max_rounds=0)


# --- Properties -------------------------------------------------------------------------------

NAMES = ["An", "Bình", "Chi", "Dũng", "Đức", "Giang"]

rule_sets = st.sampled_from(list(counting.PRESETS.values())) | st.builds(
    RuleSet,
    code=st.just("custom"),
    name=st.just("custom"),
    denominator=st.sampled_from(Denominator),
    threshold=st.sampled_from(Threshold),
    tie_break=st.sampled_from(TieBreak),
    vacancy_allowed=st.booleans(),
    max_rounds=st.none() | st.integers(1, 3),
    source=st.just("test"),
)


@st.composite
def elections(draw):
    """A ballot box: every valid ballot keeps at most `seats` names; an empty one is blank."""
    seats = draw(st.integers(1, 4))
    candidates = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=len(NAMES)))
    ballot = st.sets(st.sampled_from(candidates), max_size=seats) if candidates else st.just(set())
    ballots = draw(st.lists(ballot, max_size=40))
    invalid = draw(st.integers(0, 5))
    tally = Counter(name for kept in ballots for name in kept)
    return {
        "seats": seats,
        "collected": len(ballots) + invalid,
        "valid": len(ballots),
        "blank": sum(1 for kept in ballots if not kept),
        "invalid": invalid,
        "votes": {name: tally[name] for name in candidates},
    }


@given(rules=rule_sets, election=elections(), round_number=st.integers(1, 3))
def test_never_more_elected_than_seats_and_seats_add_up(rules, election, round_number):
    result = count_votes(rules, round_number=round_number, **election)
    assert len(result.elected) <= election["seats"]
    assert len(result.elected) + result.open_seats == election["seats"]
    assert result.next_seats <= result.open_seats


@given(rules=rule_sets, election=elections())
def test_every_elected_candidate_meets_the_threshold(rules, election):
    result = count_votes(rules, **election)
    votes = election["votes"]
    for key in result.elected:
        assert votes[key] >= result.threshold_votes >= 1
        if rules.threshold == Threshold.MAJORITY:
            assert 2 * votes[key] > result.denominator
    others = [key for key in votes if key not in result.elected]
    assert all(votes[key] >= votes[other] for key in result.elected for other in others)
    assert [votes[key] for key in result.elected] == sorted(
        (votes[key] for key in result.elected), reverse=True
    )


@given(rules=rule_sets, election=elections(), data=st.data())
def test_result_does_not_depend_on_the_order_of_candidates(rules, election, data):
    shuffled = data.draw(st.permutations(list(election["votes"].items())))
    result = count_votes(rules, **election)
    assert count_votes(rules, **(election | {"votes": dict(shuffled)})) == result


@given(rules=rule_sets, election=elections())
def test_tied_candidates_are_never_elected(rules, election):
    result = count_votes(rules, **election)
    assert not set(result.tied) & set(result.elected)
    assert not set(result.tied) & set(result.passed_not_seated)
    if result.tied:
        assert len(result.tied) > result.open_seats
        assert len({election["votes"][key] for key in result.tied}) == 1
        assert result.next_step in (NextStep.FURTHER_ROUND_TIED, NextStep.DRAW_LOTS)
        assert result.next_candidates == result.tied
    if result.next_step == NextStep.DONE:
        assert not result.tied
