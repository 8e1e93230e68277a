"""Statistics from the tallies equal a direct count of the membership periods."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from members import domain, services, tallies
from members.models import Branch, BranchMove, BranchTally, Gender, LeaveReason
from members.statistics import direct_count, statistics
from tests.factories import branch, member, small_tree, user

pytestmark = pytest.mark.django_db


def test_demo_congress_day_figures(demo):
    stats = statistics(Branch.objects.get(code="hp-skhcn"), date(2017, 12, 23))
    assert (stats.members, stats.women, stats.women_share, stats.sub_units) == (
        185,
        91,
        Decimal("49.2"),
        6,
    )
    assert sum(child.members for child in stats.children) == 185
    assert sum(child.women for child in stats.children) == 91


def test_roll_up_reaches_the_top_of_the_tree(demo):
    root = Branch.objects.get(code="vgcl")
    assert statistics(root, date(2017, 12, 23)).members == 185
    assert [c.branch.code for c in statistics(root, date(2017, 12, 23)).children] == ["hp-ldld"]


def test_membership_period_is_half_open(tree):
    lan = member(tree.unit_a, started_on=date(2020, 1, 1))
    services.mark_left(member=lan, on=date(2021, 3, 1), reason=LeaveReason.RETIRED)
    assert statistics(tree.unit_a, date(2019, 12, 31)).members == 0
    assert statistics(tree.unit_a, date(2020, 1, 1)).members == 1
    assert statistics(tree.unit_a, date(2021, 2, 28)).members == 1
    assert statistics(tree.unit_a, date(2021, 3, 1)).members == 0  # leaves on D: not counted on D


def test_unknown_gender_and_empty_branch(tree):
    member(tree.unit_a, "Lê Văn Nam", Gender.MALE)
    member(tree.unit_a, "Trần Hoa", Gender.UNKNOWN)
    stats = statistics(tree.unit_a, date(2020, 1, 1))
    assert (stats.members, stats.women, stats.unknown, stats.men) == (2, 0, 1, 1)
    assert stats.women_share == Decimal("0.0")
    assert statistics(tree.unit_b, date(2020, 1, 1)).women_share is None


def test_the_tally_of_a_day_is_the_latest_row_on_or_before_it(tree):
    member(tree.unit_a, started_on=date(2020, 1, 1))
    member(tree.unit_a, started_on=date(2020, 3, 1))
    rows = BranchTally.objects.filter(branch=tree.unit_a)
    assert [t.day for t in rows.on_or_before(date(2020, 2, 15))] == [date(2020, 1, 1)]
    assert rows.on_or_before(date(2020, 3, 1)).first().members == 2
    assert rows.before(date(2020, 3, 1)).first().members == 1
    assert not rows.before(date(2020, 1, 1)).exists()


def test_sub_units_count_children_existing_on_the_day(tree):
    branch(tree.union, "unit-c", founded_on=date(2019, 1, 1), kind="sub_union")
    branch(
        tree.union,
        "unit-d",
        founded_on=date(2000, 1, 1),
        dissolved_on=date(2018, 1, 1),
        kind="sub_union",
    )
    assert statistics(tree.union, date(2017, 6, 1)).sub_units == 3  # a, b, d
    assert statistics(tree.union, date(2018, 6, 1)).sub_units == 2  # a, b
    assert statistics(tree.union, date(2019, 6, 1)).sub_units == 3  # a, b, c
    prov = statistics(tree.prov, date(2019, 6, 1))
    assert {c.branch.code: c.sub_units for c in prov.children} == {"union": 3, "other": 0}


def test_transfer_moves_the_member_between_subtrees(tree):
    lan = member(tree.unit_a, started_on=date(2015, 1, 1))
    services.transfer_member(member=lan, to_branch=tree.far_union, on=date(2018, 5, 1))
    assert statistics(tree.unit_a, date(2018, 4, 30)).members == 1
    assert statistics(tree.unit_a, date(2018, 5, 1)).members == 0
    assert statistics(tree.far, date(2018, 5, 1)).women == 1
    assert statistics(tree.root, date(2018, 5, 1)).members == 1


def test_gender_correction_rewrites_past_figures(tree):
    lan = member(tree.unit_a, gender=Gender.UNKNOWN, started_on=date(2015, 1, 1))
    services.update_member(member=lan, gender=Gender.FEMALE)
    assert statistics(tree.union, date(2016, 1, 1)).women == 1
    assert statistics(tree.union, date(2016, 1, 1)).unknown == 0


def test_move_branch_refreshes_tallies_and_records_history(tree):
    member(tree.unit_a, started_on=date(2015, 1, 1))
    admin = user("boss", is_superuser=True)
    services.move_branch(branch=tree.union, new_parent=tree.far, by=admin, reason="merger")
    tree.refresh()
    assert statistics(tree.prov, date(2016, 1, 1)).members == 0
    assert statistics(tree.far, date(2016, 1, 1)).members == 1  # past days follow today's tree
    assert BranchMove.objects.get(branch=tree.union).old_parent == tree.prov
    assert tree.unit_a.path.startswith(tree.far.path)
    assert tree.union.history.first().history_change_reason == "merger"


def test_move_needs_rights_over_both_parents_and_refuses_cycles(tree):
    secretary = user("sec", "secretary", tree.prov)
    with pytest.raises(PermissionDenied):
        services.move_branch(branch=tree.union, new_parent=tree.far, by=secretary)
    with pytest.raises(ValidationError):
        services.move_branch(
            branch=tree.prov, new_parent=tree.unit_a, by=user("root", is_superuser=True)
        )
    tree.refresh()
    assert tree.union.parent == tree.prov
    assert not BranchMove.objects.exists()


def test_rebuild_equals_incremental_tallies(demo):
    def rows():
        return list(
            BranchTally.objects.order_by("branch_id", "day").values_list(
                "branch_id", "day", "members", "women", "unknown"
            )
        )

    before = rows()
    tallies.rebuild()
    assert rows() == before


EVENTS = st.lists(
    st.tuples(
        st.sampled_from(["add", "leave", "transfer", "gender"]),
        st.integers(min_value=0, max_value=7),  # a branch index
        st.integers(min_value=0, max_value=3000),  # a day offset
        st.sampled_from(list(Gender.values)),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=EVENTS)
def test_tallies_equal_a_direct_count(django_db_blocker, events):
    """Property: after any sequence of joins, leaves, transfers and corrections, the
    statistics of every branch on sample days equal a count of the membership periods."""
    from django.db import transaction

    start = date(2010, 1, 1)
    with django_db_blocker.unblock(), transaction.atomic():
        tree = small_tree()
        nodes = tree.branches
        people = []
        for action, index, offset, gender in events:
            day = start + timedelta(days=offset)
            try:
                if action == "add" or not people:
                    people.append(member(nodes[index], f"Người {len(people)}", gender, day))
                elif action == "leave":
                    services.mark_left(
                        member=people[index % len(people)], on=day, reason=LeaveReason.OTHER
                    )
                elif action == "transfer":
                    services.transfer_member(
                        member=people[index % len(people)], to_branch=nodes[(index + 3) % 8], on=day
                    )
                else:
                    services.update_member(member=people[index % len(people)], gender=gender)
            except ValidationError:
                pass  # refused input changes nothing; the property still has to hold
        for offset in (0, 500, 1500, 2999, 3001):
            day = start + timedelta(days=offset)
            for node in nodes:
                node.refresh_from_db()
                assert statistics(node, day).counts == direct_count(node, day), (node.code, day)
        transaction.set_rollback(True)


def recount(top: Branch, day: date):
    """The figures of statistics(top, day) computed the plain way: the membership periods
    counted for each child's subtree, and each child's sub-units counted from the branch
    rows, without the tallies or the statistics' queries."""

    def exists(node: Branch) -> bool:
        return (node.founded_on is None or node.founded_on <= day) and (
            node.dissolved_on is None or node.dissolved_on > day
        )

    nodes = list(Branch.objects.filter(path__subtree=top.path).order_by("path"))
    children = [n for n in nodes if n.depth == top.depth + 1 and exists(n)]
    return direct_count(top, day), [
        (
            child.code,
            direct_count(child, day),
            sum(
                1
                for n in nodes
                if n.depth == child.depth + 1 and n.path.startswith(child.path) and exists(n)
            ),
        )
        for child in children
    ]


def test_a_federation_of_many_sub_units_has_the_figures_of_a_plain_recount(
    db, django_assert_num_queries
):
    """Generated data: a federation of 60 sub-units (some founded late, some dissolved, some
    with sub-units of their own), members who join on random days, move between sub-units
    and leave; its statistics and its root's, on a past day and today, equal a recount."""
    import random

    rng = random.Random(14)
    root = branch(None, "nation", "confederation")
    fed = branch(root, "fed", "federation")
    branch(root, "fed-2", "federation")
    units = []
    for n in range(60):
        founded = date(2005 + rng.randrange(20), 1 + rng.randrange(12), 1) if n % 7 == 0 else None
        dissolved = date(2019, 6, 30) if n % 11 == 0 else None
        unit = branch(fed, f"u{n}", founded_on=founded, dissolved_on=dissolved)
        units.append(unit)
        for k in range(rng.choice([0, 0, 1, 3])):
            branch(unit, f"u{n}-{k}", "sub_union", founded_on=date(2016 + k, 3, 1))
    homes = [*units, fed, *Branch.objects.filter(depth=4)]
    people = []
    while len(people) < 240:
        at = rng.choice(homes)
        started = date(2000, 1, 1) + timedelta(days=rng.randrange(8000))
        if at.exists_on(started):
            gender = rng.choice([Gender.FEMALE, Gender.FEMALE, Gender.MALE, Gender.UNKNOWN])
            people.append((member(at, f"Người {len(people)}", gender, started), started))
    moved = left = 0
    for person, started in rng.sample(people, 120):
        on = started + timedelta(days=1 + rng.randrange(3000))
        try:  # the services refuse a move to a branch that is not there on the day
            services.transfer_member(member=person, to_branch=rng.choice(homes), on=on)
            moved += 1
            if rng.random() < 0.5:
                later = on + timedelta(days=1 + rng.randrange(2000))
                services.mark_left(member=person, on=later, reason=LeaveReason.RETIRED)
                left += 1
        except ValidationError:
            continue
    for person, started in rng.sample(people, 40):
        person.refresh_from_db()
        on = started + timedelta(days=4000 + rng.randrange(2000))
        if person.status == "active" and on > person.periods.latest("started_on").started_on:
            try:
                services.mark_left(member=person, on=on, reason=LeaveReason.OTHER)
                left += 1
            except ValidationError:
                continue
    assert moved > 40 and left > 30  # transfers and leavers, on either side of the days below
    for day in (date(2017, 12, 23), date.today(), date(2035, 1, 1)):
        for top in (fed, root):
            stats = statistics(top, day)
            counts, children = recount(top, day)
            assert stats.counts == counts, (top.code, day)
            assert [(c.branch.code, c.counts, c.sub_units) for c in stats.children] == children
            assert stats.sub_units == len(children)
            assert stats.direct == counts - sum((c[1] for c in children), domain.Counts())
    assert statistics(fed, date(2017, 12, 23)).members > 50  # the data has something to count
    with django_assert_num_queries(3):  # the tally; the children with theirs; their sub-units
        statistics(fed)
