"""The API answers any input without a server error: an id in the path that is not one is not
found (404), and a filter, a `version` or a body that cannot be read is refused (400) under
its name, before it reaches the database and without changing anything (issue 18)."""

import pytest

from congresses.elections import services as elections
from congresses.elections.models import Election, ElectionKind
from members.models import Member
from tests.congresses.helpers import held_congress
from tests.congresses.resolutions.helpers import add_members_target, resolution_of
from tests.factories import member

pytestmark = pytest.mark.django_db

BIG = 2**63  # one past the largest id the database holds


@pytest.fixture
def lan(tree):
    return member(tree.unit_a, "Trần Thị Lan", card_number="HP-0001")


@pytest.fixture
def election(tree):
    congress = held_congress(tree.union, summoned=30, present=28)
    found = elections.create_election(congress=congress, kind=ElectionKind.CHAIR)
    elections.add_candidate(election=found, member=member(tree.union, "Lê Văn Cường"))
    return Election.objects.get(pk=found.pk)


def json_of(response):
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()


# --- Ids in the path --------------------------------------------------------------------------

COLLECTIONS = [
    "members",
    "terms",
    "congresses",
    "posts",
    "delegates",
    "elections",
    "resolutions",
    "targets",
]
NOT_IDS = ["AAA", "1a", "%00", str(BIG), "9" * 40, "-1"]


@pytest.mark.parametrize("collection", COLLECTIONS)
@pytest.mark.parametrize("method", ["get", "put", "patch"])
@pytest.mark.parametrize("pk", NOT_IDS)
def test_an_id_that_is_not_one_is_not_found(api, lan, collection, method, pk):
    response = getattr(api, method)(f"/api/v1/{collection}/{pk}/", {}, format="json")
    assert response.status_code in (404, 405), response.content[:200]
    assert "detail" in json_of(response)


@pytest.mark.parametrize(
    "path",
    [
        "candidates/{bad}/",
        "rounds/{bad}/",
    ],
)
@pytest.mark.parametrize("bad", ["AAA", str(BIG), "9" * 40])
def test_an_id_in_an_action_that_is_not_one_is_not_found(api, election, path, bad):
    response = api.delete(f"/api/v1/elections/{election.pk}/" + path.format(bad=bad))
    assert response.status_code == 404
    assert "detail" in json_of(response)
    assert election.candidates.count() == 1


@pytest.mark.parametrize("bad", ["AAA", str(BIG)])
def test_a_figure_id_that_is_not_one_is_not_found(api, tree, bad):
    target = add_members_target(resolution_of(tree.union))
    response = api.patch(f"/api/v1/targets/{target.pk}/progress/{bad}/", {}, format="json")
    assert response.status_code == 404
    assert "detail" in json_of(response)


# --- Filters --------------------------------------------------------------------------------

ID_FILTERS = [
    ("congresses", "term"),
    ("posts", "term"),
    ("delegates", "congress"),
    ("elections", "congress"),
    ("resolutions", "term"),
    ("targets", "resolution"),
]


@pytest.mark.parametrize(("collection", "name"), ID_FILTERS)
@pytest.mark.parametrize("value", [str(BIG), str(-BIG - 1), "9" * 5000, "1.5", "abc", "1e3"])
def test_an_id_filter_out_of_range_or_not_whole_is_refused_by_name(api, collection, name, value):
    response = api.get(f"/api/v1/{collection}/", {name: value})
    assert response.status_code == 400
    assert list(json_of(response)) == [name]


@pytest.mark.parametrize(("collection", "name"), ID_FILTERS)
def test_an_id_filter_within_range_still_filters(api, collection, name):
    for value in ("1", str(BIG - 1)):
        response = api.get(f"/api/v1/{collection}/", {name: value})
        assert response.status_code == 200
        assert json_of(response)["count"] == 0


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/posts/", "on"),
        ("/api/v1/resolutions/", "on"),
        ("/api/v1/targets/", "on"),
        ("/api/v1/branches/union/stats/", "as_of"),
    ],
)
@pytest.mark.parametrize("value", ["abc", "2017-02-31", "\x00", "9" * 5000])
def test_a_date_filter_that_is_not_a_date_is_refused_by_name(api, url, name, value):
    response = api.get(url, {name: value})
    assert response.status_code == 400
    assert list(json_of(response)) == [name]


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": str(BIG)},
        {"page": "\x00"},
        {"page_size": "abc"},
        {"page_size": str(BIG)},
        {"cursor": "abc"},
        {"cursor": "\x00"},
        {"search": "a\x00b"},
        {"branch": "a\x00b"},
        {"search": "x" * 5000},
    ],
)
@pytest.mark.parametrize("collection", ["members", "branches", "terms", "targets"])
def test_paging_and_search_garbage_answers_without_a_server_error(api, lan, collection, query):
    response = api.get(f"/api/v1/{collection}/", query)
    assert response.status_code in (200, 400, 404)
    json_of(response)


# --- version --------------------------------------------------------------------------------

NOT_VERSIONS = ["abc", [1], {}, True, BIG, -1, 0, 1.5, "\x00", "9" * 5000]


@pytest.mark.parametrize("version", NOT_VERSIONS)
def test_a_member_update_with_a_version_that_is_not_one_is_refused(api, lan, version):
    response = api.patch(
        f"/api/v1/members/{lan.pk}/", {"full_name": "Trần Thị Mai", "version": version}, "json"
    )
    assert response.status_code == 400
    assert list(json_of(response)) == ["version"]
    lan.refresh_from_db()
    assert (lan.full_name, lan.version) == ("Trần Thị Lan", 1)


def test_a_form_encoded_body_is_refused(api, lan):
    """The API takes JSON only: a form-encoded body (here a version spelt "null") is 415."""
    response = api.patch(
        f"/api/v1/members/{lan.pk}/",
        "full_name=Mai&version=null",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415
    assert "detail" in json_of(response)
    assert Member.objects.get(pk=lan.pk).full_name == "Trần Thị Lan"


@pytest.mark.parametrize("version", [None, "", 1])
def test_a_member_update_without_a_version_or_with_the_current_one_is_saved(api, lan, version):
    response = api.patch(
        f"/api/v1/members/{lan.pk}/", {"full_name": "Trần Thị Mai", "version": version}, "json"
    )
    assert response.status_code == 200
    assert json_of(response)["version"] == 2


@pytest.mark.parametrize("version", ["abc", BIG, 0, [1]])
def test_an_election_change_with_a_version_that_is_not_one_is_refused(api, election, version):
    response = api.patch(f"/api/v1/elections/{election.pk}/", {"version": version}, "json")
    assert response.status_code == 400
    assert list(json_of(response)) == ["version"]
    assert Election.objects.get(pk=election.pk).version == election.version


@pytest.mark.parametrize("version", ["abc", str(BIG), "0", "\x00"])
def test_a_deletion_with_a_version_that_is_not_one_is_refused(api, election, version):
    candidate = election.candidates.get()
    url = f"/api/v1/elections/{election.pk}/candidates/{candidate.pk}/"
    response = api.delete(url + "?" + f"version={version}")
    assert response.status_code == 400
    assert list(json_of(response)) == ["version"]
    assert election.candidates.count() == 1


# --- Bodies ---------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["not json", "{", "\x00"])
def test_a_body_that_is_not_json_is_refused(api, lan, body):
    response = api.patch(f"/api/v1/members/{lan.pk}/", body, content_type="application/json")
    assert response.status_code == 400
    assert "detail" in json_of(response)


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "3", "null"])
@pytest.mark.parametrize("method", ["post", "patch"])
def test_a_body_that_is_not_an_object_is_refused(api, lan, method, body):
    url = "/api/v1/members/" + (f"{lan.pk}/" if method == "patch" else "")
    response = getattr(api, method)(url, body, content_type="application/json")
    assert response.status_code == 400
    json_of(response)
    assert Member.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", "Trần\x00Lan"),
        ("full_name", "x" * 100_000),
        ("ethnicity", "\x00"),
        ("card_number", "H" * 41),
        ("birth_date", "9999-99-99"),
        ("gender", ["female"]),
        ("branch", {"code": "unit-a"}),
        ("branch", "unit-a\x00"),
    ],
)
def test_a_new_member_with_a_bad_field_is_refused_under_it(api, tree, field, value):
    body = {"full_name": "Trần Thị Lan", "branch": "unit-a", field: value}
    response = api.post("/api/v1/members/", body, format="json")
    assert response.status_code == 400
    assert list(json_of(response)) == [field]
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("summoned", BIG), ("present", -BIG - 1), ("committee_size", BIG), ("held_on", "\x00")],
)
def test_a_congress_number_beyond_the_database_is_refused_under_it(api, tree, field, value):
    term = api.post(
        "/api/v1/terms/", {"branch": "union", "starts_on": "2017-12-23"}, format="json"
    ).json()
    body = {"term": term["id"], "held_on": "2017-12-23", field: value}
    response = api.post("/api/v1/congresses/", body, format="json")
    assert response.status_code == 400
    assert list(json_of(response)) == [field]


@pytest.mark.parametrize("code", ["union\x00", "\x00", ["union"], 7])
def test_a_branch_code_that_no_code_can_be_is_refused_under_it(api, tree, code):
    body = {"branch": code, "starts_on": "2017-12-23"}
    response = api.post("/api/v1/terms/", body, format="json")
    assert response.status_code == 400
    assert list(json_of(response)) == ["branch"]
    assert not tree.union.terms.exists()
