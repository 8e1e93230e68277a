"""The counting minutes' dataset (reports.datasets.minutes) follows the election's outcome
round by round: the ballots, each candidate's line, those elected, the board."""

from __future__ import annotations

import pytest

from reports.datasets.minutes import counting_minutes
from tests.reports.conftest import BALLOTS, BOARD, ELECTED, LINES, thresholds

pytestmark = pytest.mark.django_db


def test_the_threshold_is_said_in_words_with_its_denominator(election):
    assert thresholds(election, "en") == [
        "more than half of 178 ballots collected: at least 90 votes",
        "more than half of 176 ballots collected: at least 89 votes",
    ]


def test_the_dataset_follows_the_outcome_round_by_round(election):
    minutes = counting_minutes(election)
    assert [
        (r.number, r.issued, r.collected, r.valid, r.invalid, r.blank, r.threshold.votes_needed)
        for r in minutes.rounds
    ] == BALLOTS
    assert [
        (r.number, line.name, line.votes, str(line.percentage))
        for r in minutes.rounds
        for line in r.lines
    ] == LINES
    assert [line.result for line in minutes.rounds[0].lines[:4]] == [
        "elected",
        "elected",
        "tied",
        "tied",
    ]
    assert [(e.name, e.round_number, e.votes, str(e.percentage)) for e in minutes.elected] == (
        ELECTED
    )
    assert (minutes.summoned, minutes.present, minutes.seats, minutes.vacant) == (180, 178, 3, 0)
    assert minutes.certified and minutes.revision == 1 and len(minutes.digest) == 64
    assert minutes.candidates[:3] == ("Lê Minh Anh", "Trần Văn Bình", "Đỗ Quang Đức")
    assert [(seat.name, seat.role) for seat in minutes.board] == BOARD
