"""What /api/schema/ promises (issue 18, item 3): the refusals of every operation with their
bodies (unionrec.schema), request components apart from response ones, `version` as an
optional writable integer, dates as dates, blank reasons listed, JSON only. The answers
themselves are held to it by tests/test_api_fuzz.py."""

import pytest
from rest_framework.test import APIClient

from tests.factories import persona

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
DETAIL = {"$ref": "#/components/schemas/ErrorDetail"}


@pytest.fixture
def schema(client):
    return client.get("/api/schema/", {"format": "json"}).json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation


def body_of(response):
    return response["content"]["application/json"]["schema"]


def test_every_operation_documents_its_refusals_with_their_bodies(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        writes = method not in ("GET", "HEAD")
        queried = any(p["in"] == "query" for p in operation.get("parameters", []))
        if writes or queried:
            assert DETAIL in body_of(responses["400"])["anyOf"], (method, path)
            assert {"$ref": "#/components/schemas/FieldErrors"} in body_of(responses["400"])[
                "anyOf"
            ]
        if (path, method) == (TOKEN, "POST"):  # issuing a token takes no credentials
            assert not {"401", "403", "404"} & set(responses)
            continue
        for code in ("401", "403", "404"):
            assert body_of(responses[code]) == DETAIL, (code, method, path)
        assert "WWW-Authenticate" in responses["401"]["headers"]


@pytest.mark.parametrize(
    ("method", "path", "conflicts"),
    [
        ("PATCH", "/api/v1/members/{id}/", True),
        ("PUT", "/api/v1/members/{id}/", True),
        ("POST", "/api/v1/members/", False),
        ("GET", "/api/v1/members/{id}/", False),
        ("POST", "/api/v1/congresses/{id}/held/", True),
        ("PATCH", "/api/v1/terms/{id}/", True),
        ("POST", "/api/v1/posts/", True),
        ("DELETE", "/api/v1/elections/{id}/rounds/{number}/", True),
        ("POST", "/api/v1/targets/{id}/progress/", False),
    ],
)
def test_the_edit_conflict_is_documented_where_it_can_happen(schema, method, path, conflicts):
    responses = schema["paths"][path][method.lower()]["responses"]
    assert ("409" in responses) is conflicts
    if conflicts:
        assert body_of(responses["409"]) == DETAIL


def test_version_is_an_optional_writable_integer_of_a_member_update(schema):
    components = schema["components"]["schemas"]
    for name in ("MemberRequest", "PatchedMemberRequest"):
        version = components[name]["properties"]["version"]
        assert version["type"] == "integer" and not version.get("readOnly")
        assert "version" not in components[name].get("required", [])
    assert components["Member"]["properties"]["version"]["type"] == "integer"


def test_requests_and_responses_have_components_of_their_own(schema):
    components = schema["components"]["schemas"]
    request = components["MemberRequest"]
    assert "id" not in request["properties"] and "status" not in request["properties"]
    assert request["properties"]["full_name"]["minLength"] == 1  # may not be blank
    assert "full_name" in request["required"]
    assert "minLength" not in components["Member"]["properties"]["full_name"]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/posts/", "on"),
        ("/api/v1/targets/", "on"),
        ("/api/v1/targets/{id}/", "on"),
        ("/api/v1/resolutions/", "on"),
        ("/api/v1/resolutions/{id}/", "on"),
        ("/api/v1/branches/{code}/stats/", "as_of"),
    ],
)
def test_day_filters_are_dates(schema, path, name):
    [parameter] = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]
    assert parameter["schema"] == {"type": "string", "format": "date"}


@pytest.mark.parametrize(
    ("component", "field"), [("Member", "leave_reason"), ("Post", "end_reason")]
)
def test_a_reason_that_may_be_blank_lists_the_blank_value(schema, component, field):
    choices = schema["components"]["schemas"][component]["properties"][field]["oneOf"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in choices


def test_the_api_takes_and_answers_json_only(schema):
    for path, method, operation in operations(schema):
        if "requestBody" in operation:
            assert list(operation["requestBody"]["content"]) == ["application/json"], path
        for code, response in operation["responses"].items():
            assert set(response.get("content", {})) <= {"application/json"}, (method, path, code)


def test_a_form_encoded_body_is_refused_as_unsupported(tree):
    api = APIClient()
    api.force_authenticate(persona(tree, "secretary"))
    response = api.post(
        "/api/v1/members/", {"full_name": "A B", "branch": "unit-a"}, format="multipart"
    )
    assert response.status_code == 415
    assert response.json()["detail"]
    token = APIClient().post(TOKEN, {"username": "x", "password": "y"}, format="multipart")
    assert token.status_code == 415


def query_parameters(schema, path, method="get"):
    return {p["name"]: p for p in schema["paths"][path][method]["parameters"]}


def test_pages_and_page_sizes_are_whole_numbers_from_1_with_the_cap_said(schema):
    for path, _method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["name"] in ("page", "page_size"):
                assert parameter["schema"] == {"type": "integer", "minimum": 1}, path
            if parameter["name"] == "page_size":
                assert "at most 1000" in parameter["description"], path


@pytest.mark.parametrize(
    ("path", "method", "name", "empty"),
    [
        ("/api/v1/terms/", "get", "current", True),  # a boolean
        ("/api/v1/congresses/", "get", "term", True),  # a number
        ("/api/v1/members/", "get", "page_size", True),
        ("/api/v1/posts/", "get", "on", True),  # a day
        ("/api/v1/posts/", "get", "kind", True),  # a choice
        ("/api/v1/elections/{id}/rounds/{number}/", "delete", "version", True),
        ("/api/v1/members/", "get", "search", False),  # a text: empty is a text
        ("/api/v1/congresses/", "get", "status", False),  # a list of choices
        ("/api/v1/targets/", "get", "verdict", False),
    ],
)
def test_an_empty_query_value_is_documented_as_absent_where_it_reads_so(
    schema, path, method, name, empty
):
    """tests/test_api_query.py holds each documented empty value to it."""
    parameter = query_parameters(schema, path, method)[name]
    assert parameter.get("allowEmptyValue", False) is empty
