"""The JSON API over the demo's register: the statistics contract of the seed case, its
reviewer's scope, refusals without credentials and bad dates. The register is loaded once for
the module (tests/conftest.py)."""

import pytest
from rest_framework.test import APIClient

from tests.members.test_api import token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def demo(_members_demo_for_module, db):
    """The demo's register, loaded once for this module."""


def test_demo_stats_contract(api, demo):
    api.credentials(HTTP_AUTHORIZATION="Token " + token_for(api, "secretary", "demo"))
    body = api.get("/api/v1/branches/hp-skhcn/stats/", {"as_of": "2017-12-23"}).json()
    assert (body["members"], body["women"], body["women_share"], body["sub_units"]) == (
        185,
        91,
        49.2,
        6,
    )
    assert isinstance(body["women_share"], float)
    assert len(body["children"]) == 6
    child = body["children"][0]
    assert set(child) >= {"code", "name", "members", "women", "women_share", "sub_units"}
    assert sum(c["members"] for c in body["children"]) == 185


def test_reviewer_reads_stats_of_the_demo_subtree(api, demo):
    api.credentials(HTTP_AUTHORIZATION="Token " + token_for(api, "reviewer", "demo"))
    assert api.get("/api/v1/branches/hp-skhcn/stats/?as_of=2017-12-23").json()["members"] == 185
    assert api.get("/api/v1/branches/hp-ldld/stats/").status_code == 404


def test_anonymous_calls_get_json_refusals(api, demo):
    for url in ["/api/v1/branches/", "/api/v1/branches/hp-skhcn/stats/", "/api/v1/members/"]:
        response = api.get(url)
        assert response.status_code in (401, 403)
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("as_of", ["23/12/2017", "20171223", "2017-W51-6", "2017-02-31", " "])
def test_bad_date_is_a_clear_error(api, demo, as_of):
    api.login(username="secretary", password="demo")
    response = api.get("/api/v1/branches/hp-skhcn/stats/", {"as_of": as_of})
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["as_of"]
    [message] = body["as_of"]
    assert "YYYY-MM-DD" in message
