"""A split target whose parts do not add up to the whole: the split is kept, and the target
page, the resolution page and the API warn with the difference (domain.split_gap; the rule's
cases are in test_domain.py)."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation

from congresses.resolutions import goals
from congresses.resolutions import services as resolutions
from tests.congresses.helpers import as_user, text
from tests.congresses.resolutions.helpers import TODAY
from tests.factories import persona

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]

SHORT = "The parts add up to 180, 14 short of the target 194."


@pytest.fixture
def trained(resolution):
    """A count of 194 members to train, split over no sub-unit yet."""
    return resolutions.add_target(
        resolution=resolution, title="Bồi dưỡng nghiệp vụ", kind="count", target_value=194
    )


def split(target, tree, value_a, value_b):
    """Split `target` over unit-a and unit-b, the weights left to their defaults."""
    parts = [(tree.unit_a, value_a, None), (tree.unit_b, value_b, None)]
    return resolutions.split_target(target=target, parts=parts)


def test_a_split_short_of_the_whole_is_kept_with_its_difference(tree, trained):
    parts = split(trained, tree, 100, 80)
    assert [part.target_value for part in parts] == [D(100), D(80)]
    status = goals.status_of(trained, TODAY)
    assert (status.split_gap.combined, status.split_gap.difference) == (D(180), D(-14))
    with translation.override("en"):
        assert status.split_warning == SHORT
    # the secretary mends the part: the warning goes
    resolutions.update_target(target=parts[1], target_value="94")
    assert goals.status_of(trained, TODAY).split_warning == ""


def test_a_percentage_split_is_weighed_as_the_whole(tree, resolution):
    strong = resolutions.add_target(
        resolution=resolution, title="Tổ vững mạnh", kind="percentage", target_value=85
    )
    resolutions.split_target(target=strong, parts=[(tree.unit_a, 80, 10), (tree.unit_b, 90, 30)])
    with translation.override("en"):
        assert goals.status_of(strong, TODAY).split_warning == (
            "The parts' weighted average is 87.5\u00a0%, 2.5 points above the target 85\u00a0%."
        )


def test_the_pages_warn_when_the_parts_do_not_add_up(client_as, tree, trained, english):
    client = client_as("secretary")
    response = client.post(
        reverse("congresses:target_split", args=[trained.pk]),
        {
            "split-branch_1": tree.unit_a.code,
            "split-value_1": "100",
            "split-branch_2": tree.unit_b.code,
            "split-value_2": "80",
        },
    )
    assert response.status_code == 302 and trained.parts.count() == 2
    page = text(client.get(reverse("congresses:target", args=[trained.pk])))
    assert f'<li class="warning" id="split-warning">{SHORT}</li>' in page
    page = text(client.get(reverse("congresses:resolution", args=[trained.resolution.congress_id])))
    assert f'<span class="warning split-warning">{SHORT}</span>' in page


def test_the_warning_writes_its_numbers_the_vietnamese_way(client_as, tree, resolution):
    trained = resolutions.add_target(
        resolution=resolution, title="Bồi dưỡng", kind="count", target_value="194.5"
    )
    split(trained, tree, 100, "80")
    page = text(client_as("secretary").get(reverse("congresses:target", args=[trained.pk])))
    with translation.override("vi"):
        expected = goals.status_of(trained, TODAY).split_warning
    assert "180" in expected and "14,5" in expected and "194,5" in expected
    assert f'id="split-warning">{expected}</li>' in page


def test_a_split_that_adds_up_gives_no_warning(client_as, tree, trained, english):
    split(trained, tree, 100, 94)
    page = text(client_as("secretary").get(reverse("congresses:target", args=[trained.pk])))
    assert "split-warning" not in page and "Branch unit-a" in page


def test_the_api_returns_the_warning_beside_the_target(api, tree, trained):
    split(trained, tree, 100, 80)
    as_user(api, persona(tree, "reviewer"))
    body = api.get(f"/api/v1/targets/{trained.pk}/").json()
    assert body["split_warning"] == {
        "measure": "sum",
        "parts": 180.0,
        "expected": 194.0,
        "difference": -14.0,
        "message": SHORT,
    }
    assert [part["target_value"] for part in body["parts"]] == [100.0, 80.0]
    listed = api.get("/api/v1/resolutions/", {"branch": "union"}).json()["results"]
    (found,) = [t for r in listed for t in r["targets"] if t["id"] == trained.pk]
    assert found["split_warning"]["difference"] == -14.0
    resolutions.update_target(target=trained.parts.get(branch=tree.unit_b), target_value=94)
    assert api.get(f"/api/v1/targets/{trained.pk}/").json()["split_warning"] is None
