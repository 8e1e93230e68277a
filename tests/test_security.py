"""Project-wide guarantees: every page needs a login, SQLite runs safely, sessions behave."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import member, persona
from tests.url_routes import routes

pytestmark = pytest.mark.django_db

# Reviewed: these answer anonymous requests on purpose.
# metrics: 404 unless the request carries UNIONREC_METRICS's token (tests/test_observability.py)
# api-not-found: the JSON 404 of any other address under /api/, the same for everyone
PUBLIC = {
    "login",
    "set_language",
    "api-schema",
    "api-docs",
    "api-token",
    "api-not-found",
    "healthz",
    "metrics",
}


def _concrete(route: str, sample: dict[str, str]) -> str | None:
    if "format>" in route:
        return None  # DRF's ".json" twins of the routes checked without the suffix
    route = route.replace("^", "").replace("$", "")
    if "(?P" in route or "\\" in route:  # DRF's format-suffix and regex routes
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: sample.get(m.group(1), "x"), route)
        route = route.replace("\\.", ".").replace("/?", "/")
        if any(ch in route for ch in "()[]*+?"):
            return None
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: sample.get(m.group(1), "1"), route)
    return "/" + route


def test_every_url_sends_anonymous_users_to_login(tree, client):
    lan = member(tree.unit_a)
    sample = {"code": "union", "pk": str(lan.pk), "format": "json"}
    checked = 0
    for route, name in routes():
        url = _concrete(route, sample)
        if url is None or name.split(":")[-1] in PUBLIC or url.startswith("/static/"):
            continue
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code in (401, 403), url
        elif url.startswith("/admin/"):
            assert response.status_code in (302, 404), url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("login")), url
        checked += 1
    assert checked >= 15


def test_sqlite_runs_in_wal_with_full_sync_and_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert "journal_mode=WAL" in options["init_command"]


def test_post_without_csrf_token_is_refused(tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(persona(tree, "secretary"))
    response = client.post(
        reverse("members:branch_add", args=["union"]), {"code": "c", "name": "C", "kind": "group"}
    )
    assert response.status_code == 403


def test_session_key_changes_at_login(client, tree):
    persona(tree, "secretary")
    client.get(reverse("login"))
    before = client.session.session_key
    client.post(reverse("login"), {"username": "secretary", "password": "pw"})
    assert client.session.session_key != before
    assert client.get(reverse("home")).status_code == 200


def test_logout_ends_the_session(client, tree):
    client.force_login(persona(tree, "secretary"))
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_deactivated_account_loses_its_session(client, tree):
    account = persona(tree, "secretary")
    client.force_login(account)
    account.is_active = False
    account.save()
    assert client.get(reverse("home")).status_code == 302


def test_sessions_expire_after_30_idle_minutes_and_12_hours(client, tree):
    import time

    from unionrec.middleware import STARTED_KEY

    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60 and not settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(persona(tree, "secretary"))
    session = client.session
    session[STARTED_KEY] = int(time.time()) - 13 * 60 * 60
    session.save()
    assert client.get(reverse("home")).status_code == 302


def test_language_switcher_changes_the_language(client, tree):
    client.force_login(persona(tree, "secretary"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("members:branch", args=["union"]))
    assert "Members" in page.content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    page = client.get(reverse("members:branch", args=["union"]))
    assert "Đoàn viên" in page.content.decode()


def test_vietnamese_dates_and_decimals(client, demo):
    client.login(username="secretary", password="demo")
    page = client.get(reverse("members:branch", args=["hp-skhcn"]), {"as_of": "23/12/2017"})
    html = page.content.decode()
    assert "49,2\u00a0%" in html
    assert "23/12/2017" in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("members:branch", args=["hp-skhcn"]), {"as_of": "23/12/2017"}).content
    assert "49.2\u00a0%" in html.decode()


def test_no_form_or_serializer_takes_every_field():
    """ModelForms and serializers list their fields (reliability-security test 11)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    offenders = [
        str(path.relative_to(root))
        for app in ("members", "congresses", "reports", "unionrec")
        for path in (root / app).rglob("*.py")
        if re.search(r"fields\s*=\s*['\"]__all__['\"]|^\s+exclude\s*=", path.read_text(), re.M)
    ]
    assert offenders == []
