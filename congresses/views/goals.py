"""The goals page (being built: issue 5, item 5)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def goals_page(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})
