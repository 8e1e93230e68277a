"""Fixtures of the resolution tests: the union's congress of DAY, its resolution and its
target of new members, and the day they run on."""

from datetime import date

import pytest
import time_machine

from congresses import services
from congresses.resolutions import services as resolutions
from tests.congresses.helpers import DAY
from tests.congresses.resolutions.helpers import TODAY, add_members_target


@pytest.fixture
def on_today():
    """The clock stands still at the start of TODAY: record_progress refuses days in the
    future."""
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def congress(tree):
    """The union's congress of DAY (30 summoned, 28 present), opening its term to 23/12/2022."""
    term = services.create_term(branch=tree.union, starts_on=DAY, ends_on=date(2022, 12, 23))
    return services.create_congress(term=term, held_on=DAY, summoned=30, present=28)


@pytest.fixture
def resolution(congress):
    return resolutions.create_resolution(congress=congress)


@pytest.fixture
def target(resolution):
    """The resolution's target of new members (185 to 225)."""
    return add_members_target(resolution)
