"""Women's representation counts people once in its headline (candidates, elected) and each
election's own candidacies in its rows (reports.datasets.representation with
congresses.elections.domain.person_key); its sub-unit columns add up to the headline."""

from __future__ import annotations

from decimal import Decimal

import pytest

from congresses.elections import certification
from congresses.elections import services as elections
from congresses.elections.models import Election, ElectionKind
from members.models import Gender
from reports.datasets.representation import Share, representation
from tests.reports.conftest import enter

pytestmark = pytest.mark.django_db


def rows(found):
    return {e.kind: (e.candidates, e.elected) for e in found.elections}


def test_the_chair_elected_twice_is_one_person_in_the_seed_case(seed_congress):
    """The demo: 11 candidates for the 9 executive seats, 3 women elected; the executive's
    first meeting elects the chair from among them, who is no further person."""
    executive = Election.objects.get(congress=seed_congress, kind=ElectionKind.EXECUTIVE)
    women = executive.candidates.filter(gender=Gender.FEMALE).count()
    chair = Election.objects.get(congress=seed_congress, kind=ElectionKind.CHAIR)
    woman = int(chair.candidates.get().gender == Gender.FEMALE)
    found = representation(seed_congress)
    assert found.candidates == Share(11, women)
    assert found.elected == Share(9, 3) and found.elected.share == Decimal("33.3")
    assert rows(found) == {  # each election keeps its own counts
        ElectionKind.EXECUTIVE: (Share(11, women), Share(9, 3)),
        ElectionKind.CHAIR: (Share(1, woman), Share(1, woman)),
    }
    assert sum(u.candidates.total for u in found.sub_units) == 11
    assert sum(u.elected.total for u in found.sub_units) == 9
    assert sum(u.elected.women for u in found.sub_units) == 3


def test_someone_outside_the_register_is_one_person_by_their_name(congress):
    """Lan (a guest nominated from outside) stands for the executive and then for chair,
    her gender recorded on the first ballot only; Bình is elected, Anh is not."""
    executive = elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE, seats=2)
    elections.add_candidate(election=executive, person_name="Nguyễn Thị Lan", gender="female")
    elections.add_candidate(election=executive, person_name="Trần Văn Bình", gender="male")
    elections.add_candidate(election=executive, person_name="Lê Minh Anh", gender="female")
    executive = Election.objects.get(pk=executive.pk)
    votes = {"Nguyễn Thị Lan": 150, "Trần Văn Bình": 120, "Lê Minh Anh": 40}
    enter(executive, votes, issued=178, collected=178, invalid=0)
    certification.certify(election=executive)
    chair = elections.create_election(congress=congress, kind=ElectionKind.CHAIR, present=2)
    elections.add_candidate(election=chair, person_name="  Nguyễn Thị  Lan ")  # gender not given
    chair = Election.objects.get(pk=chair.pk)
    enter(chair, {"Nguyễn Thị Lan": 2}, issued=2, collected=2, invalid=0)

    found = representation(congress)
    assert (found.candidates, found.elected) == (Share(3, 2), Share(2, 1))
    assert rows(found) == {
        ElectionKind.EXECUTIVE: (Share(3, 2), Share(2, 1)),
        ElectionKind.CHAIR: (Share(1, 0), Share(1, 0)),  # the candidacy's own gender
    }
    others = found.sub_units[-1]  # outside the register: placed in no sub-unit
    assert others.unit is None and (others.candidates, others.elected) == (
        Share(3, 2),
        Share(2, 1),
    )
