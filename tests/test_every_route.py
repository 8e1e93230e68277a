"""Every route of the URLconf, enumerated (reliability-security tests 15, 16, 19 and 21; issue
16 item 6): a POST without its CSRF token is refused on every page route; a GET on any route,
actions included, changes nothing and never fails with a 500; an idle session and a session
past its absolute limit both end; a server error shows a page without a trace.

The routes come from tests/url_routes.routes(), so a route added later is covered without a
row to write; their ids are filled with records of the demo (a real term, congress, election
and so on), so the GETs reach the views and not only their 404."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.url_routes import routes

pytestmark = pytest.mark.django_db

# Routes outside the application's own pages: the admin site (Django's own CSRF and
# permission handling), static files, the API (its own CSRF rule: tests/test_api_errors.py).
OUTSIDE = ("admin/", "static/", "api/", "media/")
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _ids() -> dict[str, str]:
    """A record of each kind that the routes name, from the demo (ids differ between
    databases: PostgreSQL does not reset its sequences between tests). A kind the demo has
    none of gets an id of no record."""
    from congresses.elections.models import Candidate, Election, Round
    from congresses.models import BodyMember, Congress, Delegate, Document, Guest, Post, Term
    from congresses.resolutions.models import (
        Campaign,
        Direction,
        Progress,
        Review,
        ReviewItem,
        Target,
    )
    from members.jobs import ImportJob
    from members.models import Member
    from reports.models import ExportJob

    first = {
        "review-items": ReviewItem,
        "documents": Document,
        "directions": Direction,
        "campaigns": Campaign,
        "guests": Guest,
        "seats": BodyMember,
        "imports": ImportJob,
        "exports": ExportJob,
        "terms": Term,
        "congresses": Congress,
        "elections": Election,
        "candidates": Candidate,
        "rounds": Round,
        "posts": Post,
        "delegates": Delegate,
        "targets": Target,
        "progress": Progress,
        "reviews": Review,
        "members": Member,
    }
    return {
        prefix: str(model.objects.order_by("pk").values_list("pk", flat=True).first() or 0)
        for prefix, model in first.items()
    }


def _filled(route: str, ids: dict[str, str]) -> str:
    """The route with its parameters filled: a branch's code, else the id of a record of the
    kind its first segment names (1 where the demo has none)."""
    kind = route.split("/", 1)[0]

    def value(match: re.Match[str]) -> str:
        name = match.group(2) or match.group(3)
        if name == "code":
            return "hp-skhcn"
        return ids.get(kind, "0")

    return "/" + PARAMETER.sub(value, route).replace("^", "").replace("$", "")


def page_routes() -> list[tuple[str, str]]:
    return [
        (route, name)
        for route, name in routes()
        if not route.lstrip("^").startswith(OUTSIDE) and "(?P<format>" not in route
    ]


def test_every_route_is_enumerated():
    found = {name: route for route, name in page_routes()}
    assert len(found) > 80, len(found)
    for name in ("members:member_edit", "congresses:election_certify", "reports:roster_xlsx"):
        assert name in found, name


def test_a_post_without_its_csrf_token_is_refused_on_every_page_route(demo):
    client = Client(enforce_csrf_checks=True)
    client.login(username="secretary", password="demo")
    ids = _ids()
    accepted = [
        (name, status)
        for route, name in page_routes()
        if (status := client.post(_filled(route, ids), {}).status_code) != 403
    ]
    assert accepted == []


def _audit_rows() -> int:
    """Every history row of every model (the audit trail)."""
    return sum(
        model.objects.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    )


def test_a_get_on_every_route_changes_nothing_and_never_fails(demo):
    """As the secretary and as the member: a GET answers a page, a redirect, a refusal (403,
    404; 409 for the form of a record that may no longer change, a certified election's), 405
    for an action, or 503 from /healthz (no task worker runs here), and the audit trail does
    not grow."""
    from tests import demo_copy

    demo_copy.load("congresses", "resolutions")
    ids = _ids()
    before = _audit_rows()
    answers: dict[int, list[str]] = {}
    for username in ("secretary", "member"):
        client = Client()
        client.raise_request_exception = False
        client.login(username=username, password="demo")
        for route, name in page_routes():
            status = client.get(_filled(route, ids)).status_code
            answers.setdefault(status, []).append(f"{username} {name}")
    assert set(answers) <= {200, 302, 400, 403, 404, 405, 409, 503}, {
        status: names for status, names in answers.items() if status >= 500
    }
    assert len(answers.get(405, [])) >= 40  # the actions: certify, remove, commit, ...
    assert _audit_rows() == before


def test_an_idle_session_ends_after_30_minutes(client, tree):
    from tests.factories import persona

    client.force_login(persona(tree, "secretary"))
    now = timezone.now()
    with time_machine.travel(now + timedelta(minutes=29)):
        assert client.get(reverse("home")).status_code == 200  # and renews the idle time
    with time_machine.travel(now + timedelta(minutes=58)):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(now + timedelta(minutes=89)):
        response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_busy_session_still_ends_after_12_hours(client, tree):
    from tests.factories import persona

    client.force_login(persona(tree, "secretary"))
    start = time.time()
    for minutes in range(0, 12 * 60, 20):  # a click every 20 minutes, all day
        with time_machine.travel(start + minutes * 60):
            assert client.get(reverse("home")).status_code == 200, minutes
    with time_machine.travel(start + 12 * 60 * 60 + 60):
        response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_server_error_shows_a_plain_page_without_a_trace(client, tree, monkeypatch):
    from tests.factories import persona

    def boom(*args, **kwargs):
        raise RuntimeError("forced failure in SECRET_MODULE")

    monkeypatch.setattr("unionrec.views.statistics", boom)
    assert settings.DEBUG is False
    client.force_login(persona(tree, "secretary"))
    client.raise_request_exception = False
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")
    assert "Lỗi máy chủ" in html or "Server error" in html
    for trace in ("forced failure", "SECRET_MODULE", "Traceback", "RuntimeError", "views.py"):
        assert trace not in html
