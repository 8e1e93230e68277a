"""API tokens with a lifecycle (issue 16 item 1, unionrec.tokens): a new token per request,
stored as a digest only, ending after UNIONREC_TOKEN_HOURS, on a password change or when
revoked by its owner or an administrator."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import persona, user
from unionrec.models import ApiToken

pytestmark = pytest.mark.django_db

TOKEN, TOKENS = "/api/v1/auth/token/", "/api/v1/auth/tokens/"


def issued(name: str = "secretary", password: str = "pw") -> dict:
    response = APIClient().post(TOKEN, {"username": name, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + key)
    return client


@pytest.fixture
def secretary(tree):
    return persona(tree, "secretary")


def test_each_request_issues_a_new_token_stored_only_as_its_digest(secretary, settings):
    first, second = issued(), issued()
    assert first["token"] != second["token"] and len(first["token"]) == 40
    stored = list(ApiToken.objects.filter(user=secretary).values_list("digest", "prefix"))
    assert sorted(stored) == sorted(
        (hashlib.sha256(key.encode()).hexdigest(), key[:8])
        for key in (first["token"], second["token"])
    )
    for column in ("digest", "prefix"):  # no column holds a key that works
        assert not ApiToken.objects.filter(**{column: first["token"]}).exists()
    expires = ApiToken.objects.get(prefix=first["token"][:8]).expires_at
    lifetime = expires - ApiToken.objects.get(prefix=first["token"][:8]).created_at
    assert lifetime == timedelta(hours=settings.UNIONREC_TOKEN_HOURS) == timedelta(hours=12)
    assert with_token(first["token"]).get("/api/v1/members/").status_code == 200
    listed = with_token(first["token"]).get(TOKENS).json()
    assert first["expires_at"] in [row["expires_at"] for row in listed]  # written alike


def test_a_token_ends_after_its_hours(secretary, settings):
    settings.UNIONREC_TOKEN_HOURS = 2
    key = issued()["token"]
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=59)):
        assert with_token(key).get("/api/v1/members/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=2, seconds=1)):
        response = with_token(key).get("/api/v1/members/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert (
        "expired" in response.json()["detail"]
        and "/api/v1/auth/token/" in response.json()["detail"]
    )
    assert not ApiToken.objects.exists()


def test_a_changed_password_ends_every_token(secretary):
    keys = [issued()["token"], issued()["token"]]
    secretary.set_password("a new long password")
    secretary.save()
    for key in keys:
        assert with_token(key).get("/api/v1/members/").status_code == 401
    response = APIClient().post(TOKEN, {"username": "secretary", "password": "pw"}, format="json")
    assert response.status_code == 400  # the old password issues nothing
    assert (
        with_token(issued(password="a new long password")["token"])
        .get("/api/v1/members/")
        .status_code
        == 200
    )


def test_saving_a_user_without_a_new_password_keeps_the_tokens(secretary):
    key = issued()["token"]
    secretary.first_name = "Lan"
    secretary.save()
    secretary.last_login = timezone.now()
    secretary.save(update_fields=["last_login"])
    assert with_token(key).get("/api/v1/members/").status_code == 200


def test_the_token_that_sends_the_request_is_revoked(secretary):
    kept, revoked = issued()["token"], issued()["token"]
    response = with_token(revoked).delete(TOKEN)
    assert response.status_code == 204
    assert with_token(revoked).get("/api/v1/members/").status_code == 401
    assert with_token(kept).get("/api/v1/members/").status_code == 200
    assert APIClient().delete(TOKEN).status_code == 401  # nothing to revoke


def test_the_owner_lists_and_revokes_their_tokens(secretary, tree):
    first, second = issued()["token"], issued()["token"]
    other = user("other", "secretary", tree.other)
    foreign = issued("other")["token"]
    client = with_token(first)
    listed = client.get(TOKENS).json()
    assert [row["prefix"] for row in listed] == [second[:8], first[:8]]  # newest first
    assert [row["current"] for row in listed] == [False, True]
    assert set(listed[0]) == {"id", "prefix", "created_at", "expires_at", "current"}
    assert client.get(TOKENS, {"user": "other"}).status_code == 403
    foreign_id = ApiToken.objects.get(user=other).pk
    assert client.delete(f"{TOKENS}{foreign_id}/").status_code == 404  # not theirs
    assert with_token(foreign).get("/api/v1/members/").status_code == 200
    assert client.delete(f"{TOKENS}{listed[0]['id']}/").status_code == 204
    assert with_token(second).get("/api/v1/members/").status_code == 401
    assert client.delete(f"{TOKENS}99999999999999999999/").status_code == 404


def test_an_administrator_lists_and_revokes_anyones_tokens(secretary):
    key = issued()["token"]
    admin = user("admin", is_superuser=True)
    client = APIClient()
    client.force_authenticate(admin)
    listed = client.get(TOKENS, {"user": "secretary"}).json()
    assert [row["prefix"] for row in listed] == [key[:8]]
    assert client.get(TOKENS, {"user": "nobody"}).status_code == 404
    assert client.delete(f"{TOKENS}{listed[0]['id']}/").status_code == 204
    assert with_token(key).get("/api/v1/members/").status_code == 401


def test_deleting_a_user_deletes_their_tokens(secretary):
    issued()
    get_user_model().objects.filter(pk=secretary.pk).delete()
    assert not ApiToken.objects.exists()
