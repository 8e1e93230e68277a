"""Session lifetime: 30 minutes idle (SESSION_COOKIE_AGE, renewed on every request) and at
most 12 hours from login, whatever the activity (reliability-security test 19)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

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
