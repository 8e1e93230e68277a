"""The dossier's dataset (reports.datasets.dossier) carries the congress's record as stored:
its seats, the delegates it sent on, the counting minutes of every election in the order
held, the resolution's campaigns."""

from __future__ import annotations

import pytest

from congresses import services
from congresses.elections.models import Election
from congresses.models import Body, BodyMember
from congresses.resolutions.models import Campaign
from reports.datasets.dossier import dossier
from tests.reports.conftest import AS_OF, DAY

pytestmark = pytest.mark.django_db


def test_the_dossier_carries_the_resolution_campaigns_and_the_congress_seats(seed):
    found = dossier(seed, as_of=AS_OF)
    assert found.summary.as_of == AS_OF
    campaigns = Campaign.objects.filter(resolution__congress__term=seed).order_by("order", "id")
    assert [c.name for c in found.resolution.campaigns] == [c.name for c in campaigns]
    assert found.resolution.adopted_on == DAY
    seats = found.seats
    for body, listed in (
        (Body.PRESIDIUM, seats.presidium),
        (Body.SECRETARIAT, seats.secretariat),
        (Body.CREDENTIALS, seats.credentials),
    ):
        stored = BodyMember.objects.filter(congress__term=seed, body=body).order_by("order", "id")
        assert [(s.name, s.role) for s in listed] == [(b.name, b.role) for b in stored]
    assert [(d.kind, d.order) for d in seats.delegates] == [
        ("full", 1),
        ("full", 2),
        ("full", 3),
        ("alternate", 1),
    ]
    held = Election.objects.filter(congress__term=seed).order_by("held_on", "id")
    assert [m.election_id for m in found.minutes] == [e.pk for e in held]
    assert found.first_meeting is not None and found.first_meeting.held_on == DAY


def test_a_term_without_a_congress_has_an_empty_dossier(congress):
    later = services.create_term(branch=congress.term.branch, starts_on=congress.term.end)
    found = dossier(later)
    assert found.summary.congress is None
    assert (found.seats.presidium, found.seats.delegates, found.minutes) == ((), (), ())
    assert found.resolution is None and found.first_meeting is None
