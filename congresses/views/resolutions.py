"""Pages of resolutions and targets (being built: issue 5)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def resolution_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "base.html", {})


@require_safe
def target_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "base.html", {})
