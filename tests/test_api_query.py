"""A query parameter the API cannot read is refused by name (issue 18): a page, a page size, a
boolean or a choice that is not one answers 400 with `{name: [message]}`, never the default
or no filter (unionrec.query). An empty value reads as an absent one, as the schema says
(`allowEmptyValue`), and a page size above the cap is read as the cap."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from congresses import services as congresses
from tests.congresses.resolutions.helpers import add_members_target, resolution_of
from tests.factories import member
from unionrec.pagination import Pagination

pytestmark = pytest.mark.django_db

PAGED = ["members", "terms", "congresses", "posts", "delegates", "targets", "branches"]
NOT_NUMBERS = ["abc", "1.5", "5.0", " 5", "٥", "1_0", "1e3", "true", "null", "0", "-1"]
NOT_BOOLEANS = ["null", "None", "yes", "2", "0.2", "truee", "[true]"]


@pytest.fixture
def records(tree):
    """A member, and a term with a resolution and a target of the union."""
    member(tree.unit_a, "Trần Thị Lan", card_number="HP-0001")
    add_members_target(resolution_of(tree.union))


def refused(response, name):
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == [name]
    assert all(isinstance(message, str) and message for message in body[name])


# --- Pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("collection", PAGED)
@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_a_page_size_that_is_not_a_whole_number_from_1_is_refused(api, records, collection, value):
    refused(api.get(f"/api/v1/{collection}/", {"page_size": value}), "page_size")


@pytest.mark.parametrize("collection", PAGED)
@pytest.mark.parametrize("value", [*NOT_NUMBERS, "last"])
def test_a_page_that_is_not_a_whole_number_from_1_is_refused(api, records, collection, value):
    refused(api.get(f"/api/v1/{collection}/", {"page": value}), "page")


@pytest.mark.parametrize("query", [{"page": "abc"}, {"page_size": "null"}])
def test_the_branch_search_refuses_unreadable_paging_too(api, query):
    """The search answers one page whatever the paging says, but reads it as a list does."""
    response = api.get("/api/v1/branches/", {"search": "unit", **query})
    refused(response, next(iter(query)))


@pytest.mark.parametrize("collection", ["members", "terms"])
def test_a_page_size_above_the_cap_is_read_as_the_cap(api, tree, monkeypatch, collection):
    monkeypatch.setattr(Pagination, "max_page_size", 1)
    for name in ("Trần Thị Lan", "Phạm Văn Nam"):
        member(tree.unit_a, name)
    for year in (2010, 2015):
        congresses.create_term(branch=tree.union, starts_on=date(year, 1, 1))
    body = api.get(f"/api/v1/{collection}/", {"page_size": "5000"}).json()
    assert body["count"] == 2
    assert len(body["results"]) == 1
    assert body["next"] is not None


def test_a_page_past_the_end_is_still_not_found(api, records):
    response = api.get("/api/v1/terms/", {"page": "99"})
    assert response.status_code == 404
    assert "detail" in response.json()


# --- Booleans -------------------------------------------------------------------------------


@pytest.mark.parametrize("collection", ["terms", "resolutions"])
@pytest.mark.parametrize("value", NOT_BOOLEANS)
def test_a_boolean_filter_that_is_not_true_or_false_is_refused(api, records, collection, value):
    refused(api.get(f"/api/v1/{collection}/", {"current": value}), "current")


@pytest.mark.parametrize("collection", ["terms", "resolutions"])
def test_a_boolean_filter_reads_true_and_false_in_their_spellings(api, records, collection):
    def count(value):
        response = api.get(f"/api/v1/{collection}/", {"current": value})
        assert response.status_code == 200
        return response.json()["count"]

    everything = count("")
    assert everything == 1
    assert count("true") == count("True") == count("1")
    assert count("false") == count("FALSE") == count("0")
    assert count("true") + count("false") == everything


# --- Choices --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("collection", "name"),
    [
        ("members", "gender"),
        ("members", "status"),
        ("congresses", "kind"),
        ("congresses", "status"),
        ("posts", "kind"),
        ("delegates", "kind"),
        ("elections", "kind"),
        ("elections", "status"),
        ("targets", "verdict"),
    ],
)
@pytest.mark.parametrize("value", ["nope", "null", "\x00"])
def test_a_choice_that_is_not_one_is_refused(api, records, collection, name, value):
    refused(api.get(f"/api/v1/{collection}/", {name: value}), name)


# --- Empty values ---------------------------------------------------------------------------


def empty_parameters():
    """Every (list, query parameter) whose empty value the schema documents as absent."""
    client = APIClient()
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path, methods in schema["paths"].items():
        for parameter in methods.get("get", {}).get("parameters", []):
            if parameter.get("allowEmptyValue") and "{" not in path:
                yield path, parameter["name"]


@pytest.fixture
def documented_empty(db):
    return list(empty_parameters())


def test_every_documented_empty_value_reads_as_absent(api, records, documented_empty):
    assert ("/api/v1/terms/", "current") in documented_empty
    assert ("/api/v1/members/", "page_size") in documented_empty
    for path, name in documented_empty:
        absent = api.get(path)
        empty = api.get(path, {name: ""})
        assert empty.status_code == absent.status_code == 200, (path, name, empty.content[:200])
        assert empty.json() == absent.json(), (path, name)
