"""The minutes of the first executive meeting as data (reports.datasets.first_meeting): the
seed case's meeting as the demo records it (the chair from the committee's certified
election, the rest of the step: a vice-chair, the inspection committee's head and two members
from outside the executive), attendance, and nothing before the meeting is recorded."""

from __future__ import annotations

import pytest

from congresses.elections.models import Election, ElectionKind
from congresses.elections.results import outcome
from congresses.models import FirstMeeting, Term
from reports.datasets.first_meeting import first_meeting_minutes
from tests.reports.conftest import DAY

pytestmark = pytest.mark.django_db


def elected(term: Term, kind: str) -> list[str]:
    """Who the certified election of `kind` elected, in the order seats were won."""
    election = Election.objects.get(congress__term=term, kind=kind)
    return [line.candidate.person_name for line in outcome(election).elected]


def test_the_seed_minutes_give_the_day_the_convenor_the_elected_and_the_results(seed_union):
    term = Term.objects.get(branch=seed_union, label="2017–2022")
    minutes = first_meeting_minutes(term)
    meeting = FirstMeeting.objects.get(term=term)
    executive = elected(term, ElectionKind.EXECUTIVE)
    assert (minutes.held_on, minutes.congress_day) == (DAY, DAY)
    assert (minutes.convenor, minutes.minutes_by) == (meeting.convenor, meeting.minutes_by)
    assert minutes.convenor == executive[0]
    assert [person.name for person in minutes.executive] == executive
    assert (minutes.summoned, minutes.present) == (9, 9)
    assert [body.field for body in minutes.results] == [
        "chair",
        "vice_chairs",
        "inspection_head",
        "inspection_members",
    ]
    results = {body.field: [person.name for person in body.elected] for body in minutes.results}
    assert results["chair"] == elected(term, ElectionKind.CHAIR)
    assert results["vice_chairs"] == [executive[1]]
    assert results["inspection_head"] == [executive[2]]
    assert len(results["inspection_members"]) == 2
    assert not set(results["inspection_members"]) & set(executive)  # from outside it
    assert minutes.congress_text.endswith("2017–2022")


def test_an_absent_member_is_listed_as_absent(congress, election):
    from congresses.first_meeting import record_first_meeting

    posts = {post.person_name: post for post in election.posts.all()}
    record_first_meeting(
        term=congress.term,
        held_on=DAY,
        convenor="Lê Minh Anh",
        absent=[posts["Đỗ Quang Đức"]],
        chair=posts["Lê Minh Anh"],
    )
    minutes = first_meeting_minutes(congress.term)
    assert [(p.name, p.present) for p in minutes.executive] == [
        ("Lê Minh Anh", True),
        ("Trần Văn Bình", True),
        ("Đỗ Quang Đức", False),
    ]
    assert (minutes.summoned, minutes.present) == (3, 2)
    assert [(b.field, [e.name for e in b.elected]) for b in minutes.results] == [
        ("chair", ["Lê Minh Anh"])
    ]


def test_there_are_no_minutes_before_the_meeting_is_recorded(congress, election):
    assert first_meeting_minutes(congress.term) is None
