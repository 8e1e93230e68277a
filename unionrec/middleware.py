"""Session lifetime: 30 minutes idle (SESSION_COOKIE_AGE, renewed on every request) and at
most 12 hours from login, whatever the activity (reliability-security test 19)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

ABSOLUTE_LIMIT_SECONDS = 12 * 60 * 60
STARTED_KEY = "unionrec_session_started"


class AbsoluteSessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.setdefault(STARTED_KEY, int(time.time()))
            if time.time() - started > ABSOLUTE_LIMIT_SECONDS:
                logout(request)
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
