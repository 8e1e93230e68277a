"""Fixtures of the election tests: the union's held congress and the executive election of
the five members of helpers.NAMES."""

import pytest

from congresses.elections import services as elections
from congresses.elections.models import Election, ElectionKind
from tests.congresses.elections.helpers import NAMES
from tests.congresses.helpers import held_congress
from tests.factories import member


@pytest.fixture
def congress(tree):
    """The union's congress of DAY, held: 30 summoned, 28 present, a committee of 3."""
    return held_congress(tree.union, summoned=30, present=28)


@pytest.fixture
def people(tree):
    """The members of NAMES, in that order, alternately of the union and of unit-a."""
    return [member(tree.unit_a if i % 2 else tree.union, name=name) for i, name in enumerate(NAMES)]


@pytest.fixture
def election(congress, people):
    """The executive election of the congress, its five candidates on the ballot."""
    election = elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE)
    for person in people:
        elections.add_candidate(election=election, member=person)
    return Election.objects.get(pk=election.pk)
