"""Login lockout (reliability-security test 20): five failed logins lock the username and
twenty lock the address for UNIONREC_LOGIN_LOCKOUT_MINUTES, on the login page, the admin
site's login and the API's token endpoint alike; the right password does not get through a
lock; the page says so in the user's language without telling whether the username exists."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import persona, user
from unionrec.models import LoginFailure

pytestmark = pytest.mark.django_db

LOCKED_VI = "Đăng nhập sai quá nhiều lần"


def log_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        response = log_in(client, username, "wrong")
        assert response.status_code == 200  # the form again, with an error


def logged_in(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_five_failures_lock_the_username_even_against_the_right_password(client, tree):
    persona(tree, "secretary")
    fail(client, "secretary", 3)
    assert LOCKED_VI not in log_in(client, "secretary", "wrong").content.decode()  # the 4th
    assert LOCKED_VI in log_in(client, "secretary", "wrong").content.decode()  # the 5th locks
    page = log_in(client, "secretary", "pw").content.decode()  # the right one, locked
    assert LOCKED_VI in page and "15" in page
    assert not logged_in(client)
    # another spelling of the same username is the same account to the lockout
    assert LOCKED_VI in log_in(client, " Secretary", "pw").content.decode()
    assert LoginFailure.objects.filter(username="secretary").count() == 5  # none while locked


def test_the_lock_ends_after_the_cool_off_and_a_success_clears_the_count(client, tree):
    persona(tree, "secretary")
    fail(client, "secretary", 5)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert log_in(client, "secretary", "pw").status_code == 302
        assert logged_in(client)
        assert not LoginFailure.objects.filter(username="secretary").exists()


def test_fewer_failures_lock_nothing_and_the_count_forgets_old_ones(client, tree):
    persona(tree, "secretary")
    fail(client, "secretary", 4)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        fail(client, "secretary", 4)  # 8 in all, but only 4 within the window
        assert log_in(client, "secretary", "pw").status_code == 302


def test_a_locked_username_does_not_lock_the_others(client, tree):
    persona(tree, "secretary")
    persona(tree, "reviewer")
    fail(client, "secretary", 5)
    assert log_in(client, "reviewer", "pw").status_code == 302


def test_an_unknown_username_is_locked_the_same_way(client, tree):
    fail(client, "nobody", 5)
    first = log_in(client, "nobody", "wrong").content.decode()
    assert LOCKED_VI in first  # the same answer as for an account that exists


def test_twenty_failures_from_one_address_lock_the_address(client, tree):
    persona(tree, "secretary")
    for number in range(20):
        fail(client, f"guess-{number}", 1)
    assert LOCKED_VI in log_in(client, "secretary", "pw").content.decode()
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    assert log_in(elsewhere, "secretary", "pw").status_code == 302


def test_the_lock_message_speaks_english_too(client, tree, settings):
    persona(tree, "secretary")
    fail(client, "secretary", 5)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = log_in(client, "secretary", "pw").content.decode()
    assert "Too many failed logins. Try again in 15 minutes." in page


def test_the_api_token_endpoint_counts_and_obeys_the_same_lock(tree):
    persona(tree, "secretary")
    api = Client()
    url = reverse("api-token")
    wrong = {"username": "secretary", "password": "wrong"}
    for _ in range(4):
        assert api.post(url, wrong, content_type="application/json").status_code == 400
    assert api.post(url, wrong, content_type="application/json").status_code == 429
    right = {"username": "secretary", "password": "pw"}
    refused = api.post(url, right, content_type="application/json")
    assert refused.status_code == 429
    assert LOCKED_VI in refused.json()["detail"]
    assert LOCKED_VI in log_in(Client(), "secretary", "pw").content.decode()  # and the page


def test_the_admin_login_is_locked_too(tree):
    user("boss", is_superuser=True, is_staff=True)
    admin = Client()
    url = reverse("admin:login")
    for _ in range(5):
        admin.post(url, {"username": "boss", "password": "wrong"})
    admin.post(url, {"username": "boss", "password": "pw"})
    assert admin.get(reverse("admin:index")).status_code == 302  # still not logged in


# --- Behind a reverse proxy (issue 17 item 1) ---------------------------------------------


def _ip(settings, remote: str, forwarded: str | None = None, proxies=()) -> str | None:
    from django.test import RequestFactory

    from unionrec.lockout import client_ip

    settings.UNIONREC_TRUSTED_PROXIES = list(proxies)
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **headers))


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    assert _ip(settings, "203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_saw(settings):
    proxy = ["10.0.0.5"]
    assert _ip(settings, "10.0.0.5", "198.51.100.1", proxy) == "198.51.100.1"
    # a client that sends its own header cannot choose its address: the proxy appended the
    # real one on the right
    assert _ip(settings, "10.0.0.5", "1.2.3.4, 198.51.100.1", proxy) == "198.51.100.1"
    # two proxies in a row, both trusted: the client is the first untrusted from the right
    two = ["10.0.0.0/24"]
    assert _ip(settings, "10.0.0.5", "198.51.100.1, 10.0.0.9", two) == "198.51.100.1"
    assert _ip(settings, "10.0.0.5", "garbage", proxy) == "10.0.0.5"
    assert _ip(settings, "10.0.0.5", None, proxy) == "10.0.0.5"


@pytest.mark.django_db
def test_clients_behind_one_proxy_are_locked_apart(settings, tree):
    settings.UNIONREC_TRUSTED_PROXIES = ["10.0.0.5"]
    settings.UNIONREC_LOGIN_MAX_FAILURES_PER_IP = 3
    guesser = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.66")
    for n in range(3):
        guesser.post(reverse("login"), {"username": f"nobody{n}", "password": "wrong"})
    colleague = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1")
    persona(tree, "secretary")
    response = colleague.post(reverse("login"), {"username": "secretary", "password": "pw"})
    assert response.status_code == 302  # logged in: the guesser's address is locked, not theirs
    locked = guesser.post(reverse("login"), {"username": "secretary", "password": "pw"})
    assert locked.status_code == 200  # the form again, saying the address is locked
    assert "_auth_user_id" not in guesser.session
