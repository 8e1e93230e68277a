"""The counting minutes' dataset (reports.datasets.minutes) follows the election's outcome
round by round: the ballots, each candidate's line, those elected, the board."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from congresses.elections import certification
from congresses.elections import services as elections
from congresses.elections.models import Election, ElectionKind
from reports.datasets.minutes import counting_minutes
from tests.reports.conftest import (
    BALLOTS,
    BOARD,
    DAY,
    ELECTED,
    LINES,
    enter,
    make_election,
    thresholds,
)

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


def test_the_minutes_carry_the_congress_day_and_the_day_of_certification(congress, election):
    """The chair is elected from the executive (`election`, certified) at the new committee's
    first meeting, the day after the congress, and the result certified two days later: the
    minutes name the three days in their order; the day of certification stands only while
    the result is certified."""
    chair = make_election(congress, ["Lê Minh Anh"], kind=ElectionKind.CHAIR)
    elections.update_election(election=chair, held_on=date(2017, 12, 24), present=3)
    enter(chair, {"Lê Minh Anh": 3}, issued=3, collected=3, invalid=0)
    draft = counting_minutes(Election.objects.get(pk=chair.pk))
    # the committee voted, not the congress: neither the congress's summons nor its counting
    # board stand in its minutes (seen: "summoned 185" under a vote of 9)
    assert not draft.at_congress and draft.board == ()
    assert (draft.summoned, draft.present) == (3, 3)  # the nine of the committee, not 185
    assert counting_minutes(election).board  # the congress's own election keeps its board
    assert (draft.congress_held_on, draft.held_on, draft.certified_day) == (
        DAY,
        date(2017, 12, 24),
        None,
    )
    certification.certify(election=chair, certified_on=date(2017, 12, 26))
    minutes = counting_minutes(Election.objects.get(pk=chair.pk))
    assert (minutes.congress_held_on, minutes.held_on, minutes.certified_day) == (
        DAY,
        date(2017, 12, 24),
        date(2017, 12, 26),
    )
    admin = get_user_model().objects.create_superuser("root", password="pw")
    certification.reopen(election=chair, reason="Sửa số phiếu", by=admin)
    reopened = counting_minutes(Election.objects.get(pk=chair.pk))
    assert (reopened.certified, reopened.certified_day) == (False, None)
