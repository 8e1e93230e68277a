"""A PDF stopped at its time limit (reports.pdf_pool.PdfTimeout) answers with a page that
says so and gives the way out: the same report as an Excel file where it has one (the
download's address ending in .xlsx instead of .pdf, with the same query), else the page the
user came from, to choose a smaller selection."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from .pdf_pool import PdfTimeout


def _excel_of(request: HttpRequest) -> str:
    if not request.path.endswith(".pdf"):
        return ""
    path = request.path.removesuffix(".pdf") + ".xlsx"
    try:
        resolve(path)
    except Resolver404:
        return ""
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{query}" if query else path


class PdfTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PdfTimeout):
            return None
        context = {
            "seconds": int(exception.seconds),
            "excel": _excel_of(request),
            "back": request.META.get("HTTP_REFERER", "/"),
        }
        return render(request, "reports/pdf_timeout.html", context, status=503)
