"""members.tallies.add_periods: many new periods at once give the same tallies as one by one."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from members import domain, tallies
from members.models import BranchTally, Gender, Member, Membership
from tests.factories import member, small_tree

pytestmark = pytest.mark.django_db

PERIODS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=7),  # a branch index
        st.integers(min_value=0, max_value=3000),  # the start, days after 2010-01-01
        st.none() | st.integers(min_value=1, max_value=900),  # the length, or open
        st.sampled_from(list(Gender.values)),
    ),
    min_size=1,
    max_size=30,
)


def rows():
    return list(
        BranchTally.objects.order_by("branch_id", "day").values_list(
            "branch_id", "day", "members", "women", "unknown"
        )
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(periods=PERIODS)
def test_a_batch_of_periods_tallies_as_the_rebuild_does(django_db_blocker, periods):
    from django.db import transaction

    start = date(2010, 1, 1)
    with django_db_blocker.unblock(), transaction.atomic():
        tree = small_tree()
        nodes = tree.branches
        member(tree.unit_a, "Người có sẵn", Gender.FEMALE, date(2012, 5, 1))  # earlier rows
        batch = []
        for index, offset, length, gender in periods:
            branch = nodes[index]
            started = start + timedelta(days=offset)
            ended = started + timedelta(days=length) if length else None
            person = Member.objects.create(
                full_name="Người mới",
                gender=gender,
                branch=branch,
                status="left" if ended else "active",
                left_on=ended,
                search_key="nguoi moi",
                sort_key=domain.name_sort_key("Người mới"),
            )
            Membership.objects.create(
                member=person, branch=branch, started_on=started, ended_on=ended
            )
            batch.append((branch.path, started, ended, gender))
        tallies.add_periods(batch)
        incremental = rows()
        tallies.rebuild()
        assert incremental == rows()
        transaction.set_rollback(True)
