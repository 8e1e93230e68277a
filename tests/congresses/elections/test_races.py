"""Two secretaries entering the same round at once (issue 12 item 6): the writes queue on the
election's lock (congresses.elections.changes.locked), so one round is stored and the other
writer is refused with a Conflict (409, on the page with its reason), never a second round
or a server error.

Each write pauses once the election is open for it, before it reads the rounds and writes
(tests.races.Meeting), so that writes that were not serialised would both write every time."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from congresses.elections import rounds
from congresses.elections.models import Round
from tests.congresses.elections.helpers import CLEAR, ids
from tests.congresses.helpers import text
from tests.factories import persona, user
from tests.races import Meeting, run_together

pytestmark = pytest.mark.django_db(transaction=True)

STALE = "Someone else changed this election meanwhile"


@pytest.fixture
def meeting(monkeypatch):
    """Each write pauses once the election is locked and checked for it."""
    meet, open_for_change = Meeting(), rounds.open_for_change

    def opened(*args, **kwargs):
        election = open_for_change(*args, **kwargs)
        meet()
        return election

    monkeypatch.setattr(rounds, "open_for_change", opened)


@pytest.fixture
def secretaries(tree):
    """Two secretaries of the union."""
    return [persona(tree, "secretary"), user("second", "secretary", tree.union)]


def api_entry(account, election, body):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(account)
    url = f"/api/v1/elections/{election.pk}/rounds/"
    return lambda: api.post(url, body, format="json")


def body(election, **extra):
    """The counts of the first round, all three seats filled."""
    votes = [{"candidate": pk, "votes": CLEAR[name]} for name, pk in ids(election).items()]
    return {"issued": 28, "collected": 28, "valid": 28, "invalid": 0, "votes": votes} | extra


@pytest.mark.parametrize("versioned", [True, False], ids=["with the version", "without"])
def test_two_counting_programs_entering_the_same_round_store_it_once(
    election, secretaries, meeting, versioned
):
    before = election.version
    sent = body(election, version=before) if versioned else body(election)
    answers = run_together(*(api_entry(account, election, sent) for account in secretaries))
    assert sorted(a.status_code for a in answers) == [201, 409]
    refused = next(a for a in answers if a.status_code == 409).json()["detail"]
    assert (STALE if versioned else "The count is complete") in refused
    assert Round.objects.count() == 1
    election.refresh_from_db()
    assert (election.status, election.version) == ("entered", before + 1)  # one change


def test_two_secretaries_entering_the_same_round_on_the_page_store_it_once(
    election, secretaries, meeting, english
):
    form = {"round-issued": 28, "round-collected": 28, "round-valid": 28, "round-invalid": 0}
    form |= {f"round-vote_{pk}": CLEAR[name] for name, pk in ids(election).items()}
    form |= {"round-blank": 0, "round-version": election.version}
    url = reverse("congresses:round_add", args=[election.pk])
    clients = []
    for account in secretaries:
        client = Client()
        client.force_login(account)
        clients.append(client)
    answers = run_together(*(lambda c=c: c.post(url, form) for c in clients))
    assert sorted(a.status_code for a in answers) == [302, 409]
    refused = next(a for a in answers if a.status_code == 409)
    assert STALE in text(refused)
    assert Round.objects.count() == 1
