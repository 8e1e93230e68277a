"""The member list page, the members API and the statistics API as a user reaches them:
through HTTP, on a server started in this process (wsgiref on a loopback port, one thread, the
application's whole stack: sessions, scope checks, filters, counts, templates, JSON), for a
superuser and for a reviewer of the confederation (whose scope filter a superuser skips)."""

from __future__ import annotations

import html
import re
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client

from bench.measure import LIST_TARGET, Sample, Section, Timing, time_it
from members.models import Gender, Grant, MemberStatus
from unionrec.keyset import Cursor

USERS = {"superuser": "bench-admin", "reviewer": "bench-reviewer"}
STATS_API_TARGET = 20.0  # ms; issue 14: the statistics API of the root or a federation ≤ 20 ms
PAST = "2017-12-23"  # the statistics API's past day (as_of, ISO)
API_ORDER = "api:sort_key,id"  # the members API's ordering (unionrec.pagination)


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


def _server() -> tuple[WSGIServer, str]:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def _session(role: str, sample: Sample) -> str:
    """A session cookie of the bench's superuser or reviewer of the root (made once)."""
    users = get_user_model()
    account, _new = users.objects.get_or_create(
        username=USERS[role], defaults={"is_superuser": role == "superuser", "is_staff": True}
    )
    if role == "reviewer":
        Grant.objects.get_or_create(user=account, branch=sample.root, role="reviewer")
    client = Client()
    client.force_login(account)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _get(base: str, cookie: str, path: str) -> tuple[int, bytes]:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310 - loopback
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _link(body: bytes, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]*)"', body.decode())
    return html.unescape(found.group(1)) if found else None


def time_page(
    section: Section, base: str, cookie: str, label: str, path: str, repeat: int, target: float
) -> None:
    """Time GET `path` into `section` beside `target` (ms) and the response's size; a status
    other than 200 is noted instead."""
    status, body = _get(base, cookie, path)
    if status != 200:
        section.notes.append(f"{label}: HTTP {status} for {path}")
        return
    action: Callable[[], Any] = lambda: _get(base, cookie, path)  # noqa: E731
    timing = Timing(label, time_it(action, repeat), target)
    timing.target_text = f"≤ {target:.0f} ms (10 M); {len(body) / 1024:,.0f} KB"
    section.timings.append(timing)


def http_section(sample: Sample, repeat: int) -> Section:
    section = Section("Through HTTP: the member list page, the members API and the statistics API")
    server, base = _server()
    fed = sample.federation.code
    last_api = Cursor("last", API_ORDER).encode()
    active_women = f"gender={Gender.FEMALE}&status={MemberStatus.ACTIVE}"
    try:
        for role in USERS:
            cookie = _session(role, sample)

            def add(
                label: str,
                path: str,
                target: float = LIST_TARGET,
                cookie: str = cookie,
                role: str = role,
            ) -> None:
                time_page(section, base, cookie, f"{role}: {label}", path, repeat, target)

            for scope, query in (("root", ""), ("federation", f"branch={fed}&")):
                first = f"/members/?{query}".rstrip("&?") or "/members/"
                _status, body = _get(base, cookie, first)
                add(f"page /members/, {scope}, first", first)
                last = _link(body, "last")
                if last:
                    add(f"page /members/, {scope}, last", "/members/" + last)
                for sort in ("branch", "-birth_date"):
                    _status, sorted_body = _get(base, cookie, f"/members/?{query}sort={sort}")
                    last = _link(sorted_body, "last")
                    if last:
                        add(f"page /members/, {scope}, sort={sort}, last", "/members/" + last)
                add(f"page /members/, {scope}, active women", f"/members/?{query}{active_women}")
                api = f"/api/v1/members/?{query}"
                add(f"API members, {scope}, page 1", api)
                add(f"API members, {scope}, last page", f"{api}cursor={last_api}")
                add(f"API members, {scope}, page=200 (by number)", f"{api}page=200")
                add(f"API members, {scope}, active women", f"{api}{active_women}")
            for scope, code in (("root", sample.root.code), ("federation", fed)):
                stats = f"/api/v1/branches/{code}/stats/"
                add(f"API statistics, {scope}, today", stats, target=STATS_API_TARGET)
                add(f"API statistics, {scope}, {PAST}", f"{stats}?as_of={PAST}", STATS_API_TARGET)
            started = time.perf_counter()
            _status, body = _get(base, cookie, f"/api/v1/members/?branch={fed}&{active_women}")
            section.notes.append(
                f"{role}: {body.decode()[:120]}… ({(time.perf_counter() - started) * 1000:.0f} ms)"
            )
    finally:
        server.shutdown()
    return section
