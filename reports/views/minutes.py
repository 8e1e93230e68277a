"""The counting minutes of an election as a page, a PDF and an Excel file. Each reads the one
dataset (reports.datasets.minutes) and hands it to the page or to a format
(reports.formats.minutes); scope is checked on the election's branch (unionrec.records: 404
outside the user's subtrees, 403 for a role that only sees statistics). An election with no
round yet still downloads: the minutes then list the board and the ballot and say that no
round is entered. Downloads as reports.views.downloads describes them."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from unionrec.access import Need
from unionrec.records import election_for

from ..datasets.minutes import counting_minutes
from ..excel import XLSX_CONTENT_TYPE
from ..formats.minutes import counting_minutes_pdf, counting_minutes_workbook
from .downloads import download, download_links, file_language, unknown_language

log = logging.getLogger("unionrec.reports")

MINUTES_FILE = {"vi": "bien-ban-kiem-phieu-{pk}.{ext}", "en": "counting-minutes-{pk}.{ext}"}


@require_safe
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The counting minutes as a page, with the downloads in every language."""
    election, _level = election_for(request, pk, need=Need.READ)
    context = {
        "minutes": counting_minutes(election),
        "election": election,
        "downloads": download_links("minutes", [pk], {}),
    }
    return render(request, "reports/counting_minutes.html", context)


@require_safe
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    election, _level = election_for(request, pk, need=Need.READ)
    language = file_language(request)
    if language is None:
        return unknown_language()
    content = counting_minutes_pdf(counting_minutes(election), language=language)
    log.info("export: user=%s election=%s format=pdf lang=%s", request.user.pk, pk, language)
    filename = MINUTES_FILE.get(language, MINUTES_FILE["en"]).format(pk=pk, ext="pdf")
    return download(content, filename=filename, content_type="application/pdf", language=language)


@require_safe
def minutes_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    election, _level = election_for(request, pk, need=Need.READ)
    language = file_language(request)
    if language is None:
        return unknown_language()
    content = counting_minutes_workbook(counting_minutes(election), language=language)
    log.info("export: user=%s election=%s format=xlsx lang=%s", request.user.pk, pk, language)
    filename = MINUTES_FILE.get(language, MINUTES_FILE["en"]).format(pk=pk, ext="xlsx")
    return download(content, filename=filename, content_type=XLSX_CONTENT_TYPE, language=language)
