"""The JSON API: tokens, scope and the members' records (the demo's statistics contract is in
test_api_demo.py)."""

import pytest
from rest_framework.test import APIClient

from members.models import Member
from tests.factories import member, persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def token_for(api, username, password):
    response = api.post("/api/v1/auth/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_member_list_is_scoped_paginated_and_filtered(api, tree):
    member(tree.unit_a, "Hoàng Văn Dũng", "male")
    member(tree.unit_b, "Lê Thị Dung")
    member(tree.far_union, "Nguyễn Văn Xa", "male")
    api.force_authenticate(persona(tree, "secretary"))
    body = api.get("/api/v1/members/").json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert {m["full_name"] for m in api.get("/api/v1/members/?search=dung").json()["results"]} == {
        "Hoàng Văn Dũng",
        "Lê Thị Dung",
    }
    assert api.get("/api/v1/members/?search=hoang dung").json()["count"] == 1
    assert api.get("/api/v1/members/?gender=female").json()["count"] == 1
    assert api.get("/api/v1/members/?branch=unit-a").json()["count"] == 1
    assert api.get("/api/v1/members/?branch=far-union").status_code == 404
    result = api.get("/api/v1/members/?page_size=1").json()
    assert len(result["results"]) == 1 and result["next"]


def test_a_search_beside_an_unknown_age_band_is_answered_not_a_500(api, tree):
    """Found by the fuzz run on PostgreSQL: a search beside an age band that is none of the
    bands made the list's planner read the query string's values as lists."""
    member(tree.unit_a, "Hoàng Văn Dũng", "male")
    api.force_authenticate(persona(tree, "secretary"))
    alone = api.get("/api/v1/members/", {"age_band": "𝐓𝐡𝐞 𝐝𝐨𝐠"}).json()["count"]
    response = api.get("/api/v1/members/", {"search": "dung", "age_band": "𝐓𝐡𝐞 𝐝𝐨𝐠"})
    assert response.status_code == 200 and response.json()["count"] == min(alone, 1)
    twice = api.get("/api/v1/members/", {"search": "dung", "age_band": ["x", "y"]})
    assert twice.status_code == 200


def test_member_role_cannot_list_members(api, tree):
    api.force_authenticate(persona(tree, "member"))
    assert api.get("/api/v1/members/").status_code == 403
    assert api.get("/api/v1/branches/unit-a/stats/").status_code == 200


def test_create_and_update_member(api, tree):
    api.force_authenticate(persona(tree, "secretary"))
    response = api.post(
        "/api/v1/members/",
        {
            "full_name": "Phạm Thị Hoa",
            "gender": "female",
            "birth_date": "1990-02-03",
            "card_number": "CD123",
            "joined_on": "2019-01-01",
            "branch": "unit-b",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["branch"] == "unit-b" and created["status"] == "active"
    assert created["joined_on"] == "2019-01-01" and created["gender"] == "female"
    stats = api.get("/api/v1/branches/unit-b/stats/", {"as_of": "2019-01-01"}).json()
    assert (stats["members"], stats["women"]) == (1, 1)
    assert api.get("/api/v1/branches/unit-b/stats/", {"as_of": "2018-12-31"}).json()["members"] == 0
    response = api.patch(
        f"/api/v1/members/{created['id']}/", {"full_name": "Phạm Thị Hòa"}, format="json"
    )
    assert response.status_code == 200
    assert Member.objects.get(pk=created["id"]).full_name == "Phạm Thị Hòa"


def test_create_outside_scope_is_refused(api, tree):
    api.force_authenticate(persona(tree, "secretary"))
    response = api.post(
        "/api/v1/members/", {"full_name": "X Y", "branch": "far-union"}, format="json"
    )
    # a branch outside the caller's reach is unknown to them: refused like a missing one
    assert response.status_code == 400
    assert "branch" in response.json()
    assert not Member.objects.exists()


def test_future_birth_date_and_duplicate_card_are_refused(api, tree):
    member(tree.unit_a, card_number="CD1")
    api.force_authenticate(persona(tree, "secretary"))
    bad = api.post(
        "/api/v1/members/",
        {"full_name": "A B", "branch": "unit-a", "birth_date": "2999-01-01"},
        format="json",
    )
    assert bad.status_code == 400 and "birth_date" in bad.json()
    dup = api.post(
        "/api/v1/members/",
        {"full_name": "A B", "branch": "unit-a", "card_number": "cd1"},
        format="json",
    )
    assert dup.status_code == 400 and "card_number" in dup.json()
    assert Member.objects.count() == 1


def test_schema_and_docs_are_served_locally(client, db):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()


def test_branch_list_and_detail_by_code(api, tree):
    api.force_authenticate(persona(tree, "reviewer"))
    codes = [b["code"] for b in api.get("/api/v1/branches/").json()["results"]]
    assert codes == ["prov", "union", "unit-a", "unit-b", "other"]
    detail = api.get("/api/v1/branches/unit-a/").json()
    assert (detail["code"], detail["parent"], detail["kind"]) == ("unit-a", "union", "sub_union")
    assert api.get("/api/v1/branches/far/").status_code == 404
    assert api.get("/api/v1/branches/root/").status_code == 404


def test_member_role_sees_own_branch_and_above_only(api, tree):
    api.force_authenticate(persona(tree, "member"))
    codes = [b["code"] for b in api.get("/api/v1/branches/").json()["results"]]
    assert codes == ["root", "prov", "union", "unit-a"]
    assert api.get("/api/v1/branches/unit-b/stats/").status_code == 404


def test_reviewer_cannot_write(api, tree):
    lan = member(tree.unit_a)
    api.force_authenticate(persona(tree, "reviewer"))
    assert api.get(f"/api/v1/members/{lan.pk}/").status_code == 200
    response = api.patch(f"/api/v1/members/{lan.pk}/", {"full_name": "Đổi Tên"}, format="json")
    assert response.status_code == 403
    response = api.post("/api/v1/members/", {"full_name": "A B", "branch": "unit-a"}, format="json")
    assert response.status_code == 403
    assert Member.objects.get().full_name == "Nguyễn Thị Lan"


def test_extra_fields_cannot_be_mass_assigned(api, tree):
    lan = member(tree.unit_a)
    api.force_authenticate(persona(tree, "secretary"))
    response = api.patch(
        f"/api/v1/members/{lan.pk}/",
        {"status": "left", "left_on": "2020-01-01", "id": 999, "search_key": "x"},
        format="json",
    )
    assert response.status_code == 200
    lan.refresh_from_db()
    assert (lan.status, lan.left_on, lan.pk) == ("active", None, lan.pk)


def test_stale_version_is_a_conflict(api, tree):
    lan = member(tree.unit_a)
    api.force_authenticate(persona(tree, "secretary"))
    first = api.patch(
        f"/api/v1/members/{lan.pk}/",
        {"full_name": "Nguyễn Thị Lan Anh", "version": 1},
        format="json",
    )
    assert first.status_code == 200
    second = api.patch(
        f"/api/v1/members/{lan.pk}/", {"full_name": "Nguyễn Lan", "version": 1}, format="json"
    )
    assert second.status_code == 409
    assert Member.objects.get().full_name == "Nguyễn Thị Lan Anh"


def test_browsable_api_offers_a_json_form_that_lists_no_branch(api, tree):
    """The API takes JSON only (issue 18): the browsable API's form is its raw-data one, so no
    list of branches is offered at all, and none outside the caller's scope shows."""
    api.force_authenticate(persona(tree, "secretary"))
    response = api.get("/api/v1/members/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_content"' in html and "application/json" in html
    assert 'value="far-union"' not in html and 'value="prov"' not in html
