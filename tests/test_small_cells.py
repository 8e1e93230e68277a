"""Small cells (unionrec.small_cells, issue 15 item 4): outside the scope of a secretary or a
reviewer of the branch, counts below UNIONREC_SMALL_CELL and the shares computed from them
are "< 5", and so is the next smallest figure of a column with one hidden; in scope every
figure is exact."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from congresses.resolutions import progress
from congresses.resolutions import services as resolutions
from members.models import Gender
from tests.congresses.resolutions.helpers import TODAY, resolution_of
from tests.factories import member, user
from unionrec.small_cells import hidden_cells

# --- The rule: table-driven, no database -------------------------------------------------

# Columns add up to the last row (column_totals), as the statistics tables do.
CASES = [
    # (why, cells, hidden)
    ("nothing small: nothing hidden", [[10, 6], [12, 7], [22, 13]], set()),
    (
        "one small count in a column hides the next smallest of that column, not the total",
        [[10, 6], [3, 2], [0, 0], [13, 8]],
        {(1, 0), (1, 1), (0, 0), (0, 1)},
    ),
    (
        "zero is shown and never a complement while another cell is left",
        [[9, 0], [7, 0], [16, 0]],
        set(),
    ),
    (
        "two small counts in a column protect each other",
        [[2, 1], [3, 1], [40, 20], [45, 22]],
        {(0, 0), (1, 0), (0, 1), (1, 1)},
    ),
    (
        "a small total is hidden, with the next smallest cell of its column",
        [[3, 3], [0, 0], [3, 3]],
        {(0, 0), (2, 0), (0, 1), (2, 1)},
    ),
    (
        "a tie for the next smallest goes to the first row",
        [[4, 0], [8, 0], [8, 0], [20, 0]],
        {(0, 0), (1, 0)},
    ),
]


@pytest.mark.parametrize(("why", "cells", "hidden"), CASES, ids=[c[0] for c in CASES])
def test_hidden_cells(why, cells, hidden):
    assert hidden_cells(cells, below=5) == hidden


def test_rows_with_totals_hide_a_complement_in_the_row_too():
    # a row: women, men, total; the lone small cell of the row takes its next smallest along
    cells = [[2, 30, 32], [20, 25, 45], [22, 55, 77]]
    hidden = hidden_cells(cells, below=5, row_totals=True)
    assert (0, 0) in hidden and (0, 1) in hidden  # the row: 2 with the smaller of 30, 32
    for line in [[(r, c) for c in range(3)] for r in range(3)] + [
        [(r, c) for r in range(3)] for c in range(3)
    ]:
        assert sum(cell in hidden for cell in line) != 1, line  # no lone hidden cell anywhere


def test_the_threshold_is_the_argument():
    assert hidden_cells([[3, 1], [10, 5], [13, 6]], below=3) == {(0, 1), (1, 1)}
    assert hidden_cells([[3, 1], [10, 5], [13, 6]], below=1) == set()


# --- Every page and file outside the scope ----------------------------------------------

db = pytest.mark.django_db


@pytest.fixture
def counted(tree):
    """unit-a: 10 members, 6 women; unit-b: 3 members, 2 women; the union 13, 8."""
    for i in range(10):
        member(tree.unit_a, f"A {i}", Gender.FEMALE if i < 6 else Gender.MALE)
    for i in range(3):
        member(tree.unit_b, f"B {i}", Gender.FEMALE if i < 2 else Gender.MALE)
    return tree


def row(page: str, code: str) -> list[str]:
    found = re.search(rf'<tr data-code="{code}">(.*?)</tr>', page, re.S)
    assert found, code
    return re.findall(r'<td class="num">([^<]*)</td>', found.group(1))


@db
def test_a_member_sees_small_counts_of_the_union_withheld(client_as, counted):
    page = client_as("member").get(reverse("members:branch", args=["union"])).content.decode()
    assert row(page, "unit-b") == ["&lt; 5", "&lt; 5", "&lt; 5", "0"]
    # the next smallest of each column, so that 13 - 10 does not give unit-b's 3
    assert row(page, "unit-a") == ["&lt; 5", "&lt; 5", "&lt; 5", "0"]
    assert 'id="stat-members">13<' in page and 'id="stat-women">8<' in page
    assert 'id="small-cells-note"' in page


@pytest.mark.parametrize("name", ["secretary", "reviewer", "admin"])
@db
def test_in_scope_every_figure_is_exact(client_as, counted, name):
    page = client_as(name).get(reverse("members:branch", args=["union"])).content.decode()
    assert row(page, "unit-b") == ["3", "2", "66,7\u00a0%", "0"]
    assert row(page, "unit-a") == ["10", "6", "60,0\u00a0%", "0"]
    assert "small-cells-note" not in page


@db
def test_the_threshold_comes_from_the_setting(client_as, counted, settings):
    settings.UNIONREC_SMALL_CELL = 3
    page = client_as("member").get(reverse("members:branch", args=["union"])).content.decode()
    assert row(page, "unit-b") == ["3", "&lt; 3", "&lt; 3", "0"]
    assert row(page, "unit-a") == ["10", "&lt; 3", "&lt; 3", "0"]  # 6, the next smallest women


@db
def test_the_statistics_api_answers_null_and_names_what_it_hides(counted):
    client = APIClient()
    client.force_authenticate(user("m", "member", counted.unit_b))
    body = client.get("/api/v1/branches/union/stats/").json()
    assert body["small_cell"] == 5
    assert (body["members"], body["women"], body["hidden"]) == (13, 8, [])
    unit_b = next(child for child in body["children"] if child["code"] == "unit-b")
    assert unit_b["members"] is None and unit_b["women"] is None
    assert unit_b["women_share"] is None
    assert unit_b["hidden"] == ["members", "women", "women_share"]
    own = client.get("/api/v1/branches/unit-b/stats/").json()
    assert own["members"] is None and own["hidden"] == ["members", "women", "women_share"]


@db
def test_the_statistics_api_is_exact_for_a_secretary(counted, api):
    body = api.get("/api/v1/branches/union/stats/").json()
    assert body["small_cell"] is None
    unit_b = next(child for child in body["children"] if child["code"] == "unit-b")
    assert (unit_b["members"], unit_b["women"], unit_b["hidden"]) == (3, 2, [])


@db
def test_the_start_page_and_the_tree_withhold_a_members_small_branch(client, counted):
    client.force_login(user("m", "member", counted.unit_b))
    home = client.get(reverse("home")).content.decode()
    assert "&lt; 5" in home and "small-cells-note" in home
    tree = client.get(reverse("members:tree")).content.decode()
    unit_b = re.search(r"unit-b</span></td>(.*?)</tr>", tree, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', unit_b) == ["&lt; 5", "&lt; 5"]
    union = re.search(r">union</span></td>(.*?)</tr>", tree, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', union) == ["13", "8"]


@db
def test_the_secretarys_tree_and_start_page_are_exact(client, counted):
    client.force_login(user("s", "secretary", counted.union))
    home = client.get(reverse("home")).content.decode()
    assert "&lt; 5" not in home
    tree = client.get(reverse("members:tree")).content.decode()
    unit_b = re.search(r"unit-b</span></td>(.*?)</tr>", tree, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', unit_b) == ["3", "2"]


@pytest.fixture
def women_on_the_executive(counted):
    """The union's target of women on its executive committee: 2 now, from 1, towards 5, read
    on TODAY, half-way through the term."""
    with time_machine.travel(TODAY, tick=False):
        yield _women_target(counted)


def _women_target(counted):
    union = resolution_of(counted.union, date(2017, 12, 23))
    target = resolutions.add_target(
        resolution=union,
        title="Nữ trong Ban Chấp hành",
        kind="count",
        baseline=1,
        target_value=5,
        unit="người",
    )
    progress.record_progress(target=target, on=date(2019, 1, 1), actual=2)
    return target


@db
def test_the_goals_page_withholds_a_small_count_from_a_member(client_as, women_on_the_executive):
    page = client_as("member").get(reverse("congresses:goals")).content.decode()
    line = re.search(rf'data-target="{women_on_the_executive.pk}".*?</li>', page, re.S).group(0)
    assert "&lt; 5\u00a0người" in line  # the actual and the baseline
    assert "<progress" not in line  # a bar would give the count back
    assert "small-cells-note" in page


@db
def test_the_goals_page_is_exact_for_the_secretary(client_as, women_on_the_executive):
    page = client_as("secretary").get(reverse("congresses:goals")).content.decode()
    line = re.search(rf'data-target="{women_on_the_executive.pk}".*?</li>', page, re.S).group(0)
    assert "2\u00a0người" in line and "<progress" in line and "&lt; 5" not in line


@db
def test_the_goals_api_answers_null_for_a_small_count_to_a_member(women_on_the_executive, tree):
    client = APIClient()
    client.force_authenticate(user("m", "member", tree.unit_a))
    body = client.get(f"/api/v1/targets/{women_on_the_executive.pk}/").json()
    assert body["hidden"] == ["actual", "baseline", "progress", "percent"]
    assert [body[name] for name in body["hidden"]] == [None] * 4
    assert body["target_value"] == 5
    assert [figure["actual"] for figure in body["history"]] == [None]
    listed = client.get("/api/v1/targets/").json()["results"]
    assert [row["actual"] for row in listed if row["id"] == women_on_the_executive.pk] == [None]


@db
def test_the_goals_api_is_exact_for_the_secretary(women_on_the_executive, api):
    body = api.get(f"/api/v1/targets/{women_on_the_executive.pk}/").json()
    assert (body["actual"], body["baseline"], body["hidden"]) == (2, 1, [])
    assert [figure["actual"] for figure in body["history"]] == [2]
