"""The members per sub-unit of a congress day (congresses.breakdown): frozen with the totals
when the congress is recorded as held, adding up to them (the branch's own members are a row
of their own), untouched by later changes of the register; the register's figures of a day,
labelled with it, before the congress is held; rebuilt for congresses held before by
migration 0005, marked reconstructed and listed by check_records where they differ."""

from __future__ import annotations

import contextlib
import importlib
from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from congresses import services
from congresses.breakdown import congress_breakdown, rows_for_storage
from congresses.models import Congress, Term
from congresses.record_checks import term_findings
from members.domain import Counts
from members.models import Gender
from members.statistics import statistics
from tests.congresses.helpers import DAY, text
from tests.factories import member

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("congresses.migrations.0005_congress_breakdown")
BEFORE = date(2015, 1, 1)  # a join date before the congress


@pytest.fixture
def register(tree):
    """Two members in unit-a (one woman), one woman in unit-b, and one of unknown gender
    attached to the union itself, all since 2015."""
    member(tree.unit_a, "Nguyễn Thị Hoa")
    member(tree.unit_a, "Trần Văn Khoa", Gender.MALE)
    member(tree.unit_b, "Lê Thu Trang")
    member(tree.union, "Phạm Minh", Gender.UNKNOWN)
    return tree


@pytest.fixture
def held(register):
    term = services.create_term(branch=register.union, starts_on=DAY)
    congress = services.create_congress(term=term, held_on=DAY, summoned=4, present=4)
    return services.record_held(congress)


FROZEN = [
    ("unit-a", 2, 1, 0, False),
    ("unit-b", 1, 1, 0, False),
    ("union", 1, 0, 1, True),  # the union's own member, outside any sub-unit
]


def shown(breakdown):
    return [(r.code, r.members, r.women, r.unknown, r.direct) for r in breakdown.rows]


def forget_breakdown(congress):
    """The congress as it was before migration 0005: totals frozen, no rows."""
    Congress.objects.filter(pk=congress.pk).update(
        counted_sub_unit_rows=[], counted_rows_reconstructed=False
    )


def check_records_output(capsys, *args):
    with contextlib.suppress(SystemExit):  # it exits with 1 when it lists a record
        call_command("check_records", *args)
    return capsys.readouterr().out


def test_record_held_freezes_the_rows_with_the_totals_and_they_add_up(held):
    found = congress_breakdown(held)
    assert found.frozen and not found.reconstructed and found.day == DAY
    assert shown(found) == FROZEN
    assert found.total == Counts(4, 2, 1) == found.sums and found.adds_up
    assert (held.counted_members, held.counted_women, held.counted_unknown) == (4, 2, 1)
    assert held.counted_sub_units == len(found.sub_units) == 2


def test_members_added_later_with_earlier_dates_leave_the_frozen_rows_alone(
    held, tree, client_as, english
):
    member(tree.union, "Đỗ Quang Đức", Gender.MALE, BEFORE)
    member(tree.unit_b, "Vũ Thị Mai", started_on=BEFORE)
    assert statistics(tree.union, DAY).members == 6  # the register moved
    found = congress_breakdown(Congress.objects.get(pk=held.pk))
    assert shown(found) == FROZEN and found.adds_up
    page = text(client_as("secretary").get(f"/congresses/{held.pk}/"))
    assert 'data-frozen="true" data-adds-up="true"' in page
    assert '<tr id="sub-unit-sum"><th scope="row">Total</th><td class="num">4</td>' in page
    assert 'id="sub-unit-frozen-total"' not in page


def test_a_planned_congress_shows_the_register_labelled_with_its_day(register, client_as, english):
    term = services.create_term(branch=register.union, starts_on=DAY)
    congress = services.create_congress(term=term, held_on=DAY)
    found = congress_breakdown(congress)
    assert not found.frozen and found.day == DAY and shown(found) == FROZEN
    page = text(client_as("secretary").get(f"/congresses/{congress.pk}/"))
    assert "From the register as of 23/12/2017, not frozen" in page
    assert 'data-frozen="false"' in page


def test_rows_that_do_not_add_up_are_listed_with_both_figures(held, client_as, capsys, english):
    rows = [
        dict(row, members=3) if row["code"] == "unit-a" else row
        for row in held.counted_sub_unit_rows
    ]
    Congress.objects.filter(pk=held.pk).update(counted_sub_unit_rows=rows)  # behind the app
    [finding] = term_findings(held.term)
    assert finding.problem == (
        "The rows add up to 5 members (2 women, 1 of gender not recorded), not to the totals "
        "frozen on 23/12/2017: 4 members (2 women, 1 of gender not recorded)."
    )
    assert finding.url == f"/congresses/{held.pk}/#statistics"
    out = check_records_output(capsys)
    assert "members per sub-unit" in out and "1 problem(s) to fix" in out
    page = text(client_as("secretary").get(f"/congresses/{held.pk}/"))
    assert 'id="sub-unit-frozen-total"' in page and 'data-adds-up="false"' in page


# --- Migration 0005: congresses held before the breakdown was frozen ---------------------


def test_the_migration_rebuilds_the_rows_of_a_held_congress_from_its_day(held):
    forget_breakdown(held)
    MIGRATION.reconstruct(apps, None)
    congress = Congress.objects.get(pk=held.pk)
    assert congress.counted_sub_unit_rows == rows_for_storage(congress_breakdown(held).rows)
    assert shown(congress_breakdown(congress)) == FROZEN
    assert not congress.counted_rows_reconstructed and term_findings(held.term) == []


def test_a_rebuilt_breakdown_that_differs_is_marked_and_listed(
    held, tree, client_as, capsys, english
):
    """The case seen: members imported with join dates before the congress, after it was
    held; the rows rebuilt from the register no longer add up to the frozen totals."""
    forget_breakdown(held)
    member(tree.unit_b, "Vũ Thị Mai", started_on=BEFORE)
    MIGRATION.reconstruct(apps, None)
    congress = Congress.objects.get(pk=held.pk)
    assert congress.counted_rows_reconstructed
    assert (congress.counted_members, congress.counted_women) == (4, 2)  # never touched
    found = congress_breakdown(congress)
    assert found.reconstructed and found.sums == Counts(5, 3, 1) and not found.adds_up
    out = check_records_output(capsys, "--rule", "congress-breakdown")
    assert "Reconstructed later from the register as of 23/12/2017" in out
    assert "add up to 5 members (3 women" in out and "23/12/2017: 4 members (2 women" in out
    page = text(client_as("secretary").get(f"/congresses/{held.pk}/"))
    assert "Reconstructed later from the register as of 23/12/2017" in page


def test_the_migration_does_not_stop_on_odd_rows(tree):
    """Figures frozen without an unknown count, a branch with no tallies at all."""
    term = Term.objects.create(
        branch=tree.other, label="2017–2022", starts_on=DAY, ends_on=date(2022, 12, 23)
    )
    Congress.objects.create(
        term=term, held_on=DAY, counted_on=DAY, counted_members=3, counted_women=None
    )
    MIGRATION.reconstruct(apps, None)
    congress = Congress.objects.get(term=term)
    assert congress.counted_sub_unit_rows == [] and congress.counted_rows_reconstructed


def test_the_demo_has_nothing_to_fix(demo, capsys):
    from congresses import demo as congress_demo
    from congresses.resolutions import demo as demo_resolutions

    congress_demo.load()
    demo_resolutions.load()
    out = check_records_output(capsys)
    with translation.override("vi"):
        done = gettext("%(terms)s term(s) checked, %(count)s problem(s) to fix.")
    assert done % {"terms": 3, "count": 0} in out
