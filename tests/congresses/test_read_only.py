"""congresses.read_only: one rule decides whether a congress's records may still change, and
the services, the pages and the API refuse alike with its text."""

from datetime import date

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from congresses import committees, parts, services
from congresses.elections import certification, rounds
from congresses.elections import services as elections
from congresses.elections.models import ElectionKind
from congresses.models import ObtainedBy, PostKind
from congresses.read_only import Conflict, why_read_only
from tests.congresses.helpers import held_congress
from tests.factories import member, persona

pytestmark = pytest.mark.django_db

RECOGNISED = "The congress is recognised and read-only; an administrator can reopen it."
CERTIFIED = "The result is certified and read-only; an administrator can reopen it with a reason."


@pytest.fixture
def congress_of_ten(tree):
    """The union's congress, held: 10 summoned, 9 present (the elections' has 30 and 28)."""
    return held_congress(tree.union, summoned=10, present=9)


@pytest.fixture
def chair_election(tree, congress_of_ten):
    """The chair's election of that congress: one candidate, on the executive committee (the
    chair is elected from its members), a round of 9 votes of 9 entered."""
    anh = member(tree.union, name="Lê Minh Anh")
    committees.add_post(
        term=congress_of_ten.term,
        kind=PostKind.EXECUTIVE,
        member=anh,
        starts_on=congress_of_ten.held_on,
        obtained_by=ObtainedBy.CONGRESS,
    )
    election = elections.create_election(congress=congress_of_ten, kind=ElectionKind.CHAIR)
    elections.add_candidate(election=election, member=anh)
    candidate = election.candidates.get()
    rounds.enter_round(
        election=election, issued=9, collected=9, valid=9, invalid=0, votes={candidate.pk: 9}
    )
    return election


def recognise(congress):
    services.submit_for_recognition(congress)
    services.recognise(congress, decision="1/QĐ", decided_on=date(2018, 1, 5))
    congress.refresh_from_db()


@pytest.mark.parametrize(
    ("certified", "recognised", "reason"),
    [
        (False, False, None),
        (True, False, CERTIFIED),
        (False, True, RECOGNISED),
        (True, True, CERTIFIED),  # the election's own state is named first
    ],
)
def test_the_reason_a_record_is_read_only(
    congress_of_ten, chair_election, certified, recognised, reason
):
    if certified:
        certification.certify(election=chair_election)
    if recognised:
        recognise(congress_of_ten)
    chair_election.refresh_from_db()
    with translation.override("en"):
        assert why_read_only(congress_of_ten, chair_election) == reason
        assert why_read_only(congress_of_ten) == (RECOGNISED if recognised else None)


def test_every_service_refuses_a_recognised_congress_with_the_same_text(
    tree, congress_of_ten, chair_election
):
    recognise(congress_of_ten)
    attempts = [
        lambda: parts.add_guest(congress=congress_of_ten, name="Khách mời"),
        lambda: services.update_congress(congress=congress_of_ten, present=8),
        lambda: elections.create_election(congress=congress_of_ten, kind=ElectionKind.EXECUTIVE),
        lambda: elections.add_candidate(election=chair_election, person_name="Khách"),
        lambda: certification.certify(election=chair_election),
    ]
    with translation.override("en"):
        for attempt in attempts:
            with pytest.raises(Conflict) as refused:
                attempt()
            assert refused.value.messages == [RECOGNISED]


def test_pages_and_api_give_the_rule_its_own_text(client, tree, congress_of_ten, chair_election):
    certification.certify(election=chair_election)
    chair_election.refresh_from_db()
    secretary = persona(tree, "secretary")
    client.force_login(secretary)
    page = client.get(f"/elections/{chair_election.pk}/")
    assert page.status_code == 200
    with translation.override("vi"):
        vietnamese = why_read_only(congress_of_ten, chair_election)
    assert vietnamese in page.content.decode()  # the page shows the reason in its language
    edit = client.post(f"/elections/{chair_election.pk}/edit/", {"version": chair_election.version})
    assert edit.status_code == 409
    assert vietnamese in edit.content.decode()
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(secretary)
    answer = api.post(f"/api/v1/elections/{chair_election.pk}/candidates/", {"person_name": "X"})
    assert answer.status_code == 409
    assert CERTIFIED in str(answer.json())
