"""congresses.read_only: one rule decides whether a congress's records may still change, and
the services, the pages and the API refuse alike with its text."""

from datetime import date

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from congresses import parts, services
from congresses.elections import certification, rounds
from congresses.elections import services as elections
from congresses.elections.models import ElectionKind
from congresses.read_only import Conflict, why_read_only
from tests.factories import member, persona

pytestmark = pytest.mark.django_db

DAY = date(2017, 12, 23)
RECOGNISED = "The congress is recognised and read-only; an administrator can reopen it."
CERTIFIED = "The result is certified and read-only; an administrator can reopen it with a reason."


@pytest.fixture
def congress(tree):
    term = services.create_term(branch=tree.union, starts_on=DAY)
    congress = services.create_congress(
        term=term, held_on=DAY, summoned=10, present=9, committee_size=3
    )
    return services.record_held(congress)


@pytest.fixture
def election(tree, congress):
    election = elections.create_election(congress=congress, kind=ElectionKind.CHAIR)
    elections.add_candidate(election=election, member=member(tree.union, name="Lê Minh Anh"))
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
def test_the_reason_a_record_is_read_only(congress, election, certified, recognised, reason):
    if certified:
        certification.certify(election=election)
    if recognised:
        recognise(congress)
    election.refresh_from_db()
    with translation.override("en"):
        assert why_read_only(congress, election) == reason
        assert why_read_only(congress) == (RECOGNISED if recognised else None)


def test_every_service_refuses_a_recognised_congress_with_the_same_text(tree, congress, election):
    recognise(congress)
    attempts = [
        lambda: parts.add_guest(congress=congress, name="Khách mời"),
        lambda: services.update_congress(congress=congress, present=8),
        lambda: elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE),
        lambda: elections.add_candidate(election=election, person_name="Khách"),
        lambda: certification.certify(election=election),
    ]
    with translation.override("en"):
        for attempt in attempts:
            with pytest.raises(Conflict) as refused:
                attempt()
            assert refused.value.messages == [RECOGNISED]


def test_pages_and_api_give_the_rule_its_own_text(client, tree, congress, election):
    certification.certify(election=election)
    election.refresh_from_db()
    secretary = persona(tree, "secretary")
    client.force_login(secretary)
    page = client.get(f"/elections/{election.pk}/")
    assert page.status_code == 200
    with translation.override("vi"):
        vietnamese = why_read_only(congress, election)
    assert vietnamese in page.content.decode()  # the page shows the reason in its language
    edit = client.post(f"/elections/{election.pk}/edit/", {"version": election.version})
    assert edit.status_code == 409
    assert vietnamese in edit.content.decode()
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(secretary)
    answer = api.post(f"/api/v1/elections/{election.pk}/candidates/", {"person_name": "X"})
    assert answer.status_code == 409
    assert CERTIFIED in str(answer.json())
