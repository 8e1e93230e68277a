"""Plain helpers of the congresses tests (terms, congresses and committees, elections and
resolutions alike); their fixtures are in conftest.py beside this module."""

import re
from datetime import date

from congresses import committees, services
from congresses.models import ObtainedBy, PostKind

DAY = date(2017, 12, 23)  # the congress of the union, and the first day of its term


def as_user(api, account):
    """The API client, authenticated as `account`."""
    api.force_authenticate(account)
    return api


def text(response):
    """The page's markup with every run of white space made one space."""
    return re.sub(r"\s+", " ", response.content.decode())


def held_congress(branch, *, summoned, present):
    """The congress of a new term of `branch` on DAY, recorded as held, electing a committee
    of 3."""
    term = services.create_term(branch=branch, starts_on=DAY)
    congress = services.create_congress(
        term=term, held_on=DAY, summoned=summoned, present=present, committee_size=3
    )
    return services.record_held(congress)


def fill_by_elections(term, *, by_election_name):
    """A committee of 3 elected by the congress of DAY, then the 2 by-elections (from
    01/01/2019) a grassroots union may hold without the consent of the level above; the
    by-elected are named `by_election_name` 0 and 1."""
    for n in range(3):
        committees.add_post(
            term=term,
            kind=PostKind.EXECUTIVE,
            person_name=f"Ủy viên {n}",
            starts_on=DAY,
            obtained_by=ObtainedBy.CONGRESS,
        )
    for n in range(2):
        committees.add_post(
            term=term,
            kind=PostKind.EXECUTIVE,
            person_name=f"{by_election_name} {n}",
            starts_on=date(2019, 1, 1),
            obtained_by=ObtainedBy.BY_ELECTION,
        )
