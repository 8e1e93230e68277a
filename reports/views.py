"""Report pages and downloads. Each reads one dataset (reports.datasets) and hands it to a
format; scope is checked on the record's branch (unionrec.access: 404 outside the user's
subtrees, 403 for a role that only sees statistics).

Downloads: GET only, a file name the server sets, the right type, `nosniff` and `no-store`
(reliability-security test 35). `?lang=vi|en` picks the file's language (default: the
request's); any other value answers 400. An election with no round yet still downloads: the
minutes then list the board and the ballot and say that no round is entered."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from congresses.elections.models import Election
from unionrec.access import Need, check_branch

from .datasets import counting_minutes
from .excel import XLSX_CONTENT_TYPE, counting_minutes_workbook
from .pdf import counting_minutes_pdf

log = logging.getLogger("unionrec.reports")

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
MINUTES_FILE = {"vi": "bien-ban-kiem-phieu-{pk}.{ext}", "en": "counting-minutes-{pk}.{ext}"}


def election_for(request: HttpRequest, pk: int) -> Election:
    """The election if the user may read its branch (404 / 403 otherwise)."""
    election = Election.objects.select_related("congress__term__branch").filter(pk=pk).first()
    if election is None:
        raise Http404
    check_branch(request, election.congress.term.branch, need=Need.READ)
    return election


def file_language(request: HttpRequest) -> str | None:
    """The language asked for with ?lang=, else the request's; None for an unknown code."""
    asked = request.GET.get("lang")
    if asked is None:
        current = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        return current if current in LANGUAGES else settings.LANGUAGE_CODE
    return asked if asked in LANGUAGES else None


def download(content: bytes, *, filename: str, content_type: str, language: str) -> HttpResponse:
    """An attachment under a server-chosen name, never sniffed, never cached."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Language"] = language
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _unknown_language() -> HttpResponse:
    text = _("Unknown language: choose one of %(codes)s.") % {"codes": ", ".join(LANGUAGES)}
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


@require_safe
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The counting minutes as a page, with the downloads in every language."""
    election = election_for(request, pk)
    names = {"vi": _("Vietnamese"), "en": _("English")}
    downloads = [
        {
            "label": f"{kind.upper()} · {names.get(code, code)}",
            "code": code,
            "url": reverse(f"reports:minutes_{kind}", args=[pk]) + f"?lang={code}",
            "id": f"download-{kind}-{code}",
        }
        for kind in ("pdf", "xlsx")
        for code in LANGUAGES
    ]
    context = {"minutes": counting_minutes(election), "election": election, "downloads": downloads}
    return render(request, "reports/counting_minutes.html", context)


@require_safe
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request, pk)
    language = file_language(request)
    if language is None:
        return _unknown_language()
    content = counting_minutes_pdf(counting_minutes(election), language=language)
    log.info("export: user=%s election=%s format=pdf lang=%s", request.user.pk, pk, language)
    filename = MINUTES_FILE.get(language, MINUTES_FILE["en"]).format(pk=pk, ext="pdf")
    return download(content, filename=filename, content_type="application/pdf", language=language)


@require_safe
def minutes_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request, pk)
    language = file_language(request)
    if language is None:
        return _unknown_language()
    content = counting_minutes_workbook(counting_minutes(election), language=language)
    log.info("export: user=%s election=%s format=xlsx lang=%s", request.user.pk, pk, language)
    filename = MINUTES_FILE.get(language, MINUTES_FILE["en"]).format(pk=pk, ext="xlsx")
    return download(content, filename=filename, content_type=XLSX_CONTENT_TYPE, language=language)
