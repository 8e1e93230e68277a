"""`/me/data.json` and `/me/data.pdf`: everything the register stores about the logged-in
user's own member record (reports.datasets.my_data). No id in the address: a user reaches
their own record (members.own) and no other. A user whose account has no member record gets
a page saying so, answered 404. The access log records each download (its route ends like
a file's, unionrec.access_log)."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from members.own import own_member

from ..datasets.my_data import my_data
from ..formats.my_data import my_data_json as json_document
from ..formats.my_data import my_data_pdf as pdf_document
from .downloads import download, file_language, unknown_language

log = logging.getLogger("unionrec.reports")

FILE = {"vi": "du-lieu-cua-toi-{pk}", "en": "my-data-{pk}"}  # server-set: the record's number


def _serve(request: HttpRequest, kind: str) -> HttpResponse:
    """The user's own data as `kind` ("json" or "pdf") in the language asked for."""
    language = file_language(request)
    if language is None:
        return unknown_language()
    member = own_member(request.user)
    if member is None:
        return render(request, "reports/my_data_missing.html", status=404)
    data = my_data(member)
    if kind == "pdf":
        content, content_type = pdf_document(data, language=language), "application/pdf"
    else:
        content, content_type = json_document(data), "application/json"
    log.info("export: user=%s member=%s format=my-data-%s", request.user.pk, member.pk, kind)
    filename = FILE.get(language, FILE["en"]).format(pk=member.pk) + "." + kind
    return download(content, filename=filename, content_type=content_type, language=language)


@require_safe
def my_data_json(request: HttpRequest) -> HttpResponse:
    return _serve(request, "json")


@require_safe
def my_data_pdf(request: HttpRequest) -> HttpResponse:
    return _serve(request, "pdf")
