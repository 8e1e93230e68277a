"""Project-level pages: the start page and the login page."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator

from members.models import Branch, Role
from members.statistics import statistics


def home(request: HttpRequest) -> HttpResponse:
    """The start page: the user's grants, each with its branch's figures for today."""
    grants = list(request.user.grants.select_related("branch").order_by("branch__path"))  # type: ignore[union-attr]
    cards = [{"grant": grant, "stats": statistics(grant.branch)} for grant in grants]
    roots = Branch.objects.filter(depth=1) if request.user.is_superuser else Branch.objects.none()  # type: ignore[union-attr]
    return render(
        request,
        "home.html",
        {"cards": cards, "roots": roots, "Role": Role},
    )


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
