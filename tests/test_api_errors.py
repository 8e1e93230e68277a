"""Errors under /api/ answer JSON (`{"detail": message}`), the pages elsewhere stay HTML; a
request without credentials answers 401 with the token challenge, while a logged-in session
still works and its writes still need the CSRF token (issue 18)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from members.api import BranchViewSet
from members.models import Member
from tests.factories import persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(tree):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(persona(tree, "secretary"))
    return client


def detail_of(response):
    assert response["Content-Type"] == "application/json", response.content[:200]
    body = response.json()
    assert list(body) == ["detail"]
    assert body["detail"]
    return body["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/nothing/",
        "/api/v1/members/1/nothing/",
        "/api/v1/branches/union/nothing/",
        "/api/v2/",
        "/api/nothing",
    ],
)
def test_an_unknown_api_address_answers_json_404(api, url):
    response = api.get(url)
    assert response.status_code == 404
    detail_of(response)


def test_an_unknown_api_address_answers_json_404_to_anyone(tree):
    response = APIClient().post("/api/v1/nothing/", {"a": 1}, format="json")
    assert response.status_code == 404
    detail_of(response)


def test_an_unknown_api_address_answers_json_404_with_debug_on(api, settings):
    """With DEBUG on (make run), Django would show its own 404 page: the API's last route
    still answers JSON."""
    settings.DEBUG = True
    response = api.get("/api/v1/nothing/")
    assert response.status_code == 404
    detail_of(response)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_to_an_unknown_api_address_answers_json_404_without_csrf(tree, method):
    """A session client without a CSRF token, writing to an id that is no number: the JSON
    404, not Django's CSRF page."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(persona(tree, "secretary"))
    response = getattr(client, method)("/api/v1/congresses/abc/held/", {}, format="json")
    assert response.status_code == 404
    detail_of(response)


def test_an_api_address_without_its_final_slash_is_sent_to_it(api):
    response = api.get("/api/v1/members?page_size=2")
    assert response.status_code == 301
    assert response["Location"].endswith("/api/v1/members/?page_size=2")


def test_an_unknown_page_stays_html(client_as):
    response = client_as("secretary").get("/nothing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def boom(*args, **kwargs):
    raise RuntimeError("forced failure")


def test_a_server_error_under_the_api_answers_json_500(api, monkeypatch):
    monkeypatch.setattr(BranchViewSet, "list", boom)
    response = api.get("/api/v1/branches/")
    assert response.status_code == 500
    assert "forced failure" not in detail_of(response)


def test_a_server_error_on_a_page_stays_html(client_as, monkeypatch):
    monkeypatch.setattr("unionrec.views.statistics", boom)
    client = client_as("secretary")
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


# --- Credentials ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/members/"),
        ("get", "/api/v1/branches/union/stats/"),
        ("post", "/api/v1/terms/"),
        ("patch", "/api/v1/members/1/"),
    ],
)
def test_no_credentials_answer_401_with_the_token_challenge(tree, method, url):
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    detail_of(response)


def test_a_wrong_token_answers_401(tree):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nonsense")
    response = client.get("/api/v1/members/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_still_works(tree):
    persona(tree, "secretary")
    client = APIClient()
    token = client.post("/api/v1/auth/token/", {"username": "secretary", "password": "pw"})
    client.credentials(HTTP_AUTHORIZATION="Token " + token.json()["token"])
    assert client.get("/api/v1/members/").status_code == 200


def test_a_session_reads_and_writes_with_its_csrf_token(tree):
    persona(tree, "secretary")
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="secretary", password="pw")
    assert client.get("/api/v1/members/").status_code == 200
    body = {"full_name": "Trần Thị Lan", "branch": "unit-a"}

    refused = client.post("/api/v1/members/", body, format="json")
    assert refused.status_code == 403
    assert "CSRF" in detail_of(refused)
    assert not Member.objects.exists()

    client.get(reverse("members:member_add"), {"branch": "union"})  # a form sets the cookie
    token = client.cookies["csrftoken"].value
    made = client.post("/api/v1/members/", body, format="json", HTTP_X_CSRFTOKEN=token)
    assert made.status_code == 201
    assert Member.objects.count() == 1
