"""Sessions without a write per request (issue 17 item 1) and the proxy's HTTPS header.

A logged-in user who only reads (pages, the API, a file) writes nothing to the database: the
session row is written at login, and the idle time is a signed cookie bound to the session.
The rules of reliability-security test 19 still hold (30 idle minutes, 12 hours at most:
tests/test_every_route.py); here, the ways around the cookie are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import persona
from unionrec.middleware import SEEN_COOKIE

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes(queries: list[dict]) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_reading_pages_and_the_api_writes_nothing(client, demo):
    login = {"username": "secretary", "password": "demo"}
    assert client.post(reverse("login"), login).status_code == 302
    reads = [
        reverse("home"),
        reverse("members:branch", args=["hp-skhcn"]),
        reverse("members:member_list") + "?branch=hp-skhcn",
        reverse("reports:statistics", args=["hp-skhcn"]),
        reverse("reports:statistics_xlsx", args=["hp-skhcn"]),
        reverse("congresses:goals"),
        "/api/v1/members/?branch=hp-skhcn",
        "/api/v1/branches/?search=hp",
    ]
    with CaptureQueriesContext(connection) as captured:
        for url in reads:
            assert client.get(url).status_code == 200, url
    assert writes(captured.captured_queries) == []


def test_the_login_writes_the_session_once(client, tree):
    persona(tree, "secretary")
    with CaptureQueriesContext(connection) as captured:
        client.post(reverse("login"), {"username": "secretary", "password": "pw"})
    assert any("django_session" in sql for sql in writes(captured.captured_queries))


def test_each_answer_renews_the_idle_cookie(client, tree):
    client.force_login(persona(tree, "secretary"))
    response = client.get(reverse("home"))
    cookie = response.cookies[SEEN_COOKIE]
    assert cookie["httponly"] and int(cookie["max-age"]) == 30 * 60


def test_an_idle_cookie_of_another_session_keeps_nothing_alive(tree):
    account = persona(tree, "secretary")
    first, second = Client(), Client()
    first.force_login(account)
    second.force_login(account)
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=25)):
        assert first.get(reverse("home")).status_code == 200
    # the second session, idle for 40 minutes, borrows the first one's fresh cookie
    second.cookies[SEEN_COOKIE] = first.cookies[SEEN_COOKIE].value
    with time_machine.travel(start + timedelta(minutes=40)):
        assert second.get(reverse("home")).status_code == 302
        assert first.get(reverse("home")).status_code == 200


def test_a_forged_idle_cookie_is_refused(client, tree):
    client.force_login(persona(tree, "secretary"))
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=10)):
        client.get(reverse("home"))
    value = client.cookies[SEEN_COOKIE].value
    token, stamp, signature = value.rsplit(":", 2)
    with time_machine.travel(start + timedelta(minutes=45)):
        client.cookies[SEEN_COOKIE] = f"{token}:{stamp}:{signature[:-2]}xx"
        assert client.get(reverse("home")).status_code == 302


def test_logging_out_drops_the_idle_cookie(client, tree):
    client.force_login(persona(tree, "secretary"))
    client.get(reverse("home"))
    response = client.post(reverse("logout"))
    assert response.cookies[SEEN_COOKIE].value == ""


@pytest.mark.parametrize(
    ("remote", "secure"), [("10.0.0.5", True), ("203.0.113.7", False)], ids=["proxy", "client"]
)
def test_https_is_believed_from_a_trusted_proxy_only(settings, tree, remote, secure):
    settings.UNIONREC_TRUSTED_PROXIES = ["10.0.0.5"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    client = Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_PROTO="https")
    response = client.get(reverse("login"))
    if secure:
        assert response.status_code == 200
    else:  # a client saying "https" over plain HTTP is sent to HTTPS like any other
        assert response.status_code == 301 and response["Location"].startswith("https://")
