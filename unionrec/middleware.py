"""Session lifetime and the proxy's headers.

A session ends after 30 minutes without a request and 12 hours after its login, whatever the
activity (reliability-security test 19). A request that only reads writes nothing (issue 17
item 1): the session row is written at login and when a view changes the session, never to
note that the user was active. The time of the last request is a cookie instead, signed with
the secret key and bound to the session, renewed on every response; a session whose cookie is
older than 30 minutes (or missing, past the first 30 minutes) is logged out. SESSION_COOKIE_AGE
(12 hours) ends the row and the browser's cookie; the login time kept in the session ends it
on the server whatever the cookie says."""

from __future__ import annotations

import hashlib
import ipaddress
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from unionrec.lockout import is_trusted_proxy

ABSOLUTE_LIMIT_SECONDS = 12 * 60 * 60
IDLE_LIMIT_SECONDS = 30 * 60
STARTED_KEY = "unionrec_session_started"
SEEN_COOKIE = "unionrec_seen"


@receiver(user_logged_in, dispatch_uid="unionrec.session_started")
def _note_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[STARTED_KEY] = int(time.time())


def _seen_token(request: HttpRequest) -> str:
    """What the activity cookie holds: a digest of the session's key, so that it counts for
    that session alone and says nothing of the key itself."""
    key = request.session.session_key or ""
    return hashlib.sha256(key.encode()).hexdigest()[:32]


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and self._expired(request):
            logout(request)
        response = self.get_response(request)
        if request.user.is_authenticated and request.session.session_key:
            response.set_signed_cookie(
                SEEN_COOKIE,
                _seen_token(request),
                salt=SEEN_COOKIE,
                max_age=IDLE_LIMIT_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
        elif SEEN_COOKIE in request.COOKIES:
            response.delete_cookie(SEEN_COOKIE, samesite=settings.SESSION_COOKIE_SAMESITE)
        return response

    @staticmethod
    def _expired(request: HttpRequest) -> bool:
        now = time.time()
        started = request.session.get(STARTED_KEY)
        if started is None:  # a session from before this rule: it starts now (one write)
            started = request.session[STARTED_KEY] = int(now)
        if now - started > ABSOLUTE_LIMIT_SECONDS:
            return True
        seen = request.get_signed_cookie(
            SEEN_COOKIE, default=None, salt=SEEN_COOKIE, max_age=IDLE_LIMIT_SECONDS
        )
        return seen != _seen_token(request) and now - started > IDLE_LIMIT_SECONDS


class ProxyHeadersMiddleware:
    """X-Forwarded-Proto says HTTPS (SECURE_PROXY_SSL_HEADER) only when it comes from a trusted
    proxy (UNIONREC_TRUSTED_PROXIES): from anyone else it is dropped before any other middleware
    reads it, as unionrec.lockout.client_ip ignores their X-Forwarded-For."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            trusted = is_trusted_proxy(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")))
        except ValueError:
            trusted = False
        if not trusted:
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """A page, not a blank answer, when an address is opened with a method it does not take
    (an action that changes something takes a form's POST only): Django's 405 has no body.
    The API's own 405 answers (JSON) and anything with a body pass unchanged."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.method == "HEAD":
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page
