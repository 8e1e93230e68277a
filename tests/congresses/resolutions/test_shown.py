"""Small cells on the target page and the resolution page (congresses.resolutions.shown over
unionrec.small_cells, issue 15 item 4): outside the scope of a secretary or a reviewer of the
responsible branch, a count target's small actual value, baseline, dated figures and frozen
figures are "< 5", with the progress and, where it would give a figure back, the verdict, as
on the goals page and in the API; the branch's secretary sees every figure exact."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from congresses.resolutions import domain, progress
from congresses.resolutions import services as resolutions
from congresses.resolutions.goals import TargetStatus
from congresses.resolutions.models import ReviewKind, Target
from tests.congresses.helpers import DAY
from tests.congresses.resolutions.helpers import TODAY, resolution_of
from tests.factories import user
from unionrec.small_cells import shown_target

# --- The verdict rule: which verdicts give a withheld count back (no database) ---------------

MID_TERM = domain.Judging(TODAY, domain.Basis.RUNNING)
FINAL = domain.Judging(date(2022, 12, 23), domain.Basis.TERM_END)

VERDICTS = [
    # (why, baseline, target value, actual, judging, verdict shown)
    ("achieved says the actual is the target value", 0, 3, 3, MID_TERM, False),
    ("exceeded a target of 3 leaves 4 alone below 5", 0, 3, 4, MID_TERM, False),
    ("at risk leaves several small counts", 1, 5, 2, MID_TERM, True),
    ("not met at the end leaves every small count", 0, 10, 3, FINAL, True),
    ("a shown actual with a shown baseline withholds nothing", 0, 10, 6, MID_TERM, True),
]


@pytest.mark.parametrize(
    ("why", "baseline", "value", "actual", "judging", "shown"),
    VERDICTS,
    ids=[case[0] for case in VERDICTS],
)
def test_a_verdict_is_withheld_where_it_gives_a_small_count_back(
    why, baseline, value, actual, judging, shown
):
    target = Target(
        kind="count",
        baseline=Decimal(baseline),
        target_value=Decimal(value),
        deadline=date(2022, 12, 23),
    )
    verdict = domain.verdict(
        "count",
        baseline=target.baseline,
        target=target.target_value,
        actual=Decimal(actual),
        starts_on=DAY,
        deadline=target.deadline,
        on=judging.day,
        final=judging.final,
    )
    progress_share = domain.progress_share(
        "count", baseline=target.baseline, target=target.target_value, actual=Decimal(actual)
    )
    status = TargetStatus(
        target, Decimal(actual), judging.day, progress_share, verdict, judging, starts_on=DAY
    )
    assert shown_target(status, exact=False).verdict is shown
    assert shown_target(status, exact=True).verdict is True


# --- The pages ------------------------------------------------------------------------------

db = pytest.mark.django_db


@pytest.fixture
def resolution(tree):
    """The union's resolution of DAY, read on TODAY (half-way through its term)."""
    with time_machine.travel(TODAY, tick=False):
        yield resolution_of(tree.union, DAY)


def count_target(resolution, *, baseline, value, figures, title="Nữ trong Ban Chấp hành"):
    target = resolutions.add_target(
        resolution=resolution,
        title=title,
        kind="count",
        baseline=baseline,
        target_value=value,
        unit="người",
    )
    for on, actual in figures:
        progress.record_progress(target=target, on=on, actual=actual)
    return target


@pytest.fixture
def women(resolution):
    """Women on the executive: 1 at the start, 1 then 2 recorded, towards 5 (at risk)."""
    figures = [(date(2018, 6, 1), 1), (date(2019, 1, 1), 2)]
    return count_target(resolution, baseline=1, value=5, figures=figures)


def between(page: str, start: str, end: str) -> str:
    found = re.search(re.escape(start) + "(.*?)" + re.escape(end), page, re.S)
    assert found, start
    return found.group(1)


def numbers(html: str) -> list[str]:
    return re.findall(r'<td class="num">([^<]*)</td>', html)


def target_page(client, target) -> str:
    return client.get(reverse("congresses:target", args=[target.pk])).content.decode()


def resolution_row(client, target) -> str:
    url = reverse("congresses:resolution", args=[target.resolution.congress_id])
    page = client.get(url).content.decode()
    return between(page, f'data-target="{target.pk}">', "</tr>")


@db
def test_a_member_sees_a_small_count_withheld_on_the_target_page(client_as, women):
    page = target_page(client_as("member"), women)
    standing = between(page, 'id="standing">', "</section>")
    assert "&lt; 5 / 5\u00a0người" in standing  # the actual
    assert standing.count("&lt; 5\u00a0người") == 1  # the baseline
    assert "<progress" not in page  # the bar would give the count back
    assert 'data-verdict="at_risk"' in standing  # a range: it stays
    assert numbers(between(page, 'id="figure-table">', "</table>")) == ["&lt; 5", "&lt; 5"]
    assert 'id="small-cells-note"' in page


@db
def test_the_secretary_sees_the_target_page_exact(client_as, women):
    page = target_page(client_as("secretary"), women)
    standing = between(page, 'id="standing">', "</section>")
    assert "2 / 5\u00a0người" in standing and " 1\u00a0người" in standing  # the baseline
    assert "<progress" in standing
    assert numbers(between(page, 'id="figure-table">', "</table>")) == ["2", "1"]
    assert "&lt; 5" not in page and "small-cells-note" not in page


@db
def test_a_member_sees_a_small_count_withheld_on_the_resolution_page(client_as, women):
    row = resolution_row(client_as("member"), women)
    assert "&lt; 5 / 5\u00a0người" in row and row.count("&lt; 5\u00a0người") == 1
    assert "<progress" not in row and "percent withheld" in row


@db
def test_the_secretary_sees_the_resolution_page_exact(client_as, women):
    row = resolution_row(client_as("secretary"), women)
    assert "2 / 5\u00a0người" in row and " 1\u00a0người" in row
    assert "<progress" in row and "&lt; 5" not in row


@db
def test_a_small_baseline_withholds_the_progress_that_would_give_it_back(client_as, resolution):
    target = count_target(resolution, baseline=2, value=10, figures=[(date(2019, 1, 1), 6)])
    page = target_page(client_as("member"), target)
    standing = between(page, 'id="standing">', "</section>")
    assert "6 / 10\u00a0người" in standing and "&lt; 5\u00a0người" in standing
    assert "<progress" not in standing  # 6 of the way from 2 to 10 would say 50 %
    assert "<progress" in target_page(client_as("secretary"), target)


@pytest.fixture
def met(resolution):
    """Three women on the inspection committee, as the target said: achieved."""
    figures = [(date(2019, 1, 1), 3)]
    return count_target(resolution, baseline=0, value=3, figures=figures, title="Nữ trong UBKT")


@db
def test_a_verdict_that_gives_the_count_back_is_withheld_everywhere(client_as, met, tree):
    member = client_as("member")
    standing = between(target_page(member, met), 'id="standing">', "</section>")
    assert "verdict-withheld" in standing and "achieved" not in standing
    assert "verdict-withheld" in resolution_row(member, met)
    goals = member.get(reverse("congresses:goals")).content.decode()
    line = between(goals, f'data-target="{met.pk}"', "</li>")
    assert "verdict-withheld" in line and "&lt; 5\u00a0người" in line
    assert 'data-verdict="achieved"' not in goals  # nor in the counts by verdict
    api = APIClient()
    api.force_authenticate(user("m", "member", tree.unit_a))
    body = api.get(f"/api/v1/targets/{met.pk}/").json()
    assert body["verdict"] is None and "verdict" in body["hidden"]
    assert api.get("/api/v1/targets/?verdict=achieved").json()["results"] == []
    resolution = api.get(f"/api/v1/resolutions/{met.resolution_id}/").json()
    assert resolution["verdicts"]["achieved"] == 0


@db
def test_the_secretary_sees_the_verdict_that_a_member_does_not(client_as, met, tree):
    standing = between(target_page(client_as("secretary"), met), 'id="standing">', "</section>")
    assert 'data-verdict="achieved"' in standing and "verdict-withheld" not in standing
    api = APIClient()
    api.force_authenticate(user("s", "secretary", tree.union))
    listed = api.get("/api/v1/targets/?verdict=achieved").json()["results"]
    assert [row["id"] for row in listed] == [met.pk]


def frozen_actuals(client, target) -> list[str]:
    url = reverse("congresses:resolution", args=[target.resolution.congress_id])
    page = client.get(url).content.decode()
    return numbers(between(page, 'id="reviews"', "</section>"))


@db
def test_a_reviews_frozen_small_count_is_withheld_from_a_member(client_as, women):
    progress.hold_review(resolution=women.resolution, kind=ReviewKind.MID_TERM, held_on=TODAY)
    assert frozen_actuals(client_as("member"), women) == ["&lt; 5"]
    assert frozen_actuals(client_as("secretary"), women) == ["2"]


@db
def test_the_end_of_term_draft_stating_a_small_count_is_withheld_from_a_member(client_as, met):
    with time_machine.travel(date(2023, 1, 10), tick=False):
        progress.hold_review(
            resolution=met.resolution, kind=ReviewKind.END_OF_TERM, held_on=date(2022, 12, 20)
        )
        url = reverse("congresses:resolution", args=[met.resolution.congress_id])
        member = client_as("member").get(url).content.decode()
        assert "Nữ trong UBKT:" not in member  # "achieved, 3 người"
        assert "draft-withheld" in member
        secretary = client_as("secretary").get(url).content.decode()
        assert "Nữ trong UBKT:" in secretary and "draft-withheld" not in secretary


@pytest.fixture
def trained(resolution, tree):
    """Members trained, split over two sub-units: 3 in unit A (of 10), 60 in unit B (of 90).
    The whole's progress is their progress by weight, so an exact whole and unit B's 60 would
    give unit A's 3 back."""
    whole = resolutions.add_target(
        resolution=resolution, title="Bồi dưỡng", kind="count", target_value=100, unit="người"
    )
    part_a, part_b = resolutions.split_target(
        target=whole, parts=[(tree.unit_a, 10, None), (tree.unit_b, 90, None)]
    )
    progress.record_progress(target=part_a, on=date(2019, 1, 1), actual=3)
    progress.record_progress(target=part_b, on=date(2019, 1, 1), actual=60)
    return whole, part_a, part_b


@db
def test_a_withheld_part_withholds_its_whole_everywhere(client_as, trained, tree):
    whole, part_a, part_b = trained
    member = client_as("member")
    rows = {t.pk: resolution_row(member, t) for t in trained}
    assert "&lt; 5 / 10\u00a0người" in rows[part_a.pk]
    assert "&lt; 5 / 100\u00a0người" in rows[whole.pk] and "<progress" not in rows[whole.pk]
    assert "60 / 90\u00a0người" in rows[part_b.pk] and "<progress" in rows[part_b.pk]
    standing = between(target_page(member, whole), 'id="standing">', "</section>")
    assert "&lt; 5 / 100\u00a0người" in standing and "63" not in standing
    goals = member.get(reverse("congresses:goals")).content.decode()
    line = between(goals, f'data-target="{whole.pk}"', "</li>")
    assert "&lt; 5\u00a0người" in line and "<progress" not in line
    api = APIClient()
    api.force_authenticate(user("m", "member", tree.unit_a))
    body = api.get(f"/api/v1/targets/{whole.pk}/").json()
    assert body["hidden"] == ["actual", "progress", "percent"] and body["actual"] is None
    assert body["verdict"] is not None  # a range over the whole: it stays
    assert api.get(f"/api/v1/targets/{part_b.pk}/").json()["actual"] == 60


@db
def test_the_secretary_sees_the_split_target_exact(client_as, trained):
    whole, _part_a, _part_b = trained
    row = resolution_row(client_as("secretary"), whole)
    assert "63 / 100\u00a0người" in row and "<progress" in row and "&lt; 5" not in row


@db
def test_a_reviews_frozen_whole_is_withheld_with_its_part(client_as, trained):
    whole = trained[0]
    progress.hold_review(resolution=whole.resolution, kind=ReviewKind.MID_TERM, held_on=TODAY)
    assert sorted(frozen_actuals(client_as("member"), whole)) == ["&lt; 5", "&lt; 5", "60"]
    assert sorted(frozen_actuals(client_as("secretary"), whole)) == ["3", "60", "63"]
