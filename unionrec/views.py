"""Project-level pages: the start page, the login page, and the error pages (JSON under /api/)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.decorators import method_decorator
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from rest_framework import exceptions

from members.forms import CorrectionRequestForm
from members.models import Branch, CorrectionRequest, CorrectionStatus, Role
from members.own import own_member
from members.statistics import statistics

from . import health, lockout, observability
from .access import scope_for
from .small_cells import exact_for, shown_statistics

MY_REQUESTS_SHOWN = 10  # the start page lists a member's latest correction requests


def home(request: HttpRequest) -> HttpResponse:
    """The start page: the user's grants, each with its branch's figures for today."""
    grants = list(request.user.grants.select_related("branch").order_by("branch__path"))  # type: ignore[union-attr]
    cards = []
    for grant in grants:  # a member's own branch: small counts withheld (unionrec.small_cells)
        exact = exact_for(request.user, grant.branch.path)
        cards.append(
            {"grant": grant, "stats": shown_statistics(statistics(grant.branch), exact=exact)}
        )
    roots = Branch.objects.filter(depth=1) if request.user.is_superuser else Branch.objects.none()  # type: ignore[union-attr]
    context: dict[str, Any] = {"cards": cards, "roots": roots, "Role": Role}
    me = own_member(request.user)
    if me is not None or any(grant.role == Role.MEMBER for grant in grants):
        context["my_record"] = True  # members/_my_record.html, with an empty state
        context["me"] = me
        context["correction_form"] = CorrectionRequestForm()
        if me is not None:
            context["my_corrections"] = me.correction_requests.all()[:MY_REQUESTS_SHOWN]
    scope = scope_for(request.user)
    if scope.superuser or scope.write_paths:
        open_requests = CorrectionRequest.objects.answerable_by(request.user)
        context["open_corrections"] = open_requests.filter(status=CorrectionStatus.OPEN).count()
    return render(request, "home.html", context)


class LoginForm(AuthenticationForm):
    """Django's login form, which says so when the username or the address is locked
    (unionrec.lockout) instead of "incorrect username or password"."""

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            lock = lockout.lock_for(
                self.cleaned_data.get("username"), lockout.client_ip(self.request)
            )
            if lock is not None:
                raise ValidationError(lock.message(), code="locked") from None
            raise


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    form_class = LoginForm


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (its security token is missing or stale: the page was open too long, or
    the session ended) says so in the user's language and how to go on; nothing was saved."""
    return render(request, "403_csrf.html", status=403)


# --- Error pages --------------------------------------------------------------------------
# Django's handler400/403/404/500 (unionrec.urls). Under /api/ they answer as DRF answers its
# own errors, `{"detail": message}` in JSON, with DRF's translated messages: a client of the
# API never gets an HTML page. Elsewhere they are Django's pages (templates/4xx.html, 500.html).

API_PREFIX = "/api/"


def _api_error(request: HttpRequest, error: type[exceptions.APIException]) -> HttpResponse | None:
    if not request.path.startswith(API_PREFIX):
        return None
    return JsonResponse({"detail": str(error.default_detail)}, status=error.status_code)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _api_error(request, exceptions.ParseError) or defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    answer = _api_error(request, exceptions.PermissionDenied)
    return answer or defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    answer = _api_error(request, exceptions.NotFound)
    return answer or defaults.page_not_found(request, exception)


@csrf_exempt  # it changes nothing: a write to an unknown address is a 404, not a CSRF 403
@login_not_required
def api_not_found(request: HttpRequest) -> HttpResponse:
    """Any other address under /api/ (the last route): the JSON 404, also where DEBUG would
    show Django's page, to anyone, with any method. A path that exists with a final slash is
    sent there, as APPEND_SLASH does for the rest of the site."""
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "api-not-found":
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return _api_error(request, exceptions.NotFound) or defaults.page_not_found(request, Http404())


def server_error(request: HttpRequest) -> HttpResponse:
    return _api_error(request, exceptions.APIException) or defaults.server_error(request)


@login_not_required
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """`/healthz`: 200 when the database, the migrations and the task worker are healthy, 503
    naming what is not (unionrec.health); no login, nothing personal."""
    found = health.checks()
    healthy = all(check.ok for check in found)
    body = {
        "status": "ok" if healthy else "failing",
        "checks": {check.name: check.detail for check in found},
    }
    response = JsonResponse(body, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """`/metrics`: the figures of unionrec.observability in Prometheus's text format, to a
    scraper that sends `Authorization: Bearer <UNIONREC_METRICS>`. To any other request, and
    to every request when UNIONREC_METRICS is unset, 404 as for an unknown address: a 401 or
    403 would tell a scanner that the address exists and is worth guessing tokens at. No
    login: a scraper has none; the figures are counts and times, nothing personal."""
    if not observability.may_scrape(request):
        raise Http404
    response = HttpResponse(observability.exposition(), content_type=observability.CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    return response
