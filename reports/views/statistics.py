"""Pages and downloads of the membership statistics of a subtree on a day (with a comparison
day) and of women's representation through a congress.

Each view reads one dataset (reports.datasets.statistics / .representation) and hands it to
the page or to a format (reports.formats.statistics / .representation), so the three show the
same figures. Both need READ on the branch: a reviewer or a secretary of it or above reads
them, the member role (statistics only) gets 403, anyone else 404 (unionrec.access).
Downloads as reports.views.downloads describes them; a date that cannot be read also answers
400. Dates are typed dd/mm/yyyy (`?as_of=`, `?compare=`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from members.models import Branch
from unionrec.access import Need, branch_for
from unionrec.forms import DayField
from unionrec.records import congress_for

from ..datasets.representation import Representation, representation
from ..datasets.statistics import StatisticsReport, statistics_report
from ..excel import XLSX_CONTENT_TYPE
from ..formats.representation import (
    representation_chart,
    representation_groups,
    representation_pdf,
    representation_workbook,
)
from ..formats.statistics import statistics_chart, statistics_pdf, statistics_workbook
from .downloads import bad_request, download, download_links, file_language, unknown_language

log = logging.getLogger("unionrec.reports")

STATISTICS_FILE = {"vi": "thong-ke-{code}-{day}.{ext}", "en": "statistics-{code}-{day}.{ext}"}
REPRESENTATION_FILE = {"vi": "dai-dien-nu-{pk}.{ext}", "en": "womens-representation-{pk}.{ext}"}
CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": XLSX_CONTENT_TYPE}


class StatisticsForm(forms.Form):
    """The day of the statistics (today by default) and an optional day to compare with."""

    as_of = DayField(label=gettext_lazy("As of (dd/mm/yyyy)"), required=False)
    compare = DayField(label=gettext_lazy("Compared with (dd/mm/yyyy)"), required=False)


def _days(request: HttpRequest) -> tuple[StatisticsForm, date | None, date | None]:
    """The form and the days it gives; no days when it does not validate."""
    form = StatisticsForm(request.GET)
    if not form.is_valid():
        return form, None, None
    return form, form.cleaned_data["as_of"], form.cleaned_data["compare"]


# --- Statistics ------------------------------------------------------------------------------


@require_safe
def statistics(request: HttpRequest, code: str) -> HttpResponse:
    """The statistics of the branch's subtree: a row per direct sub-unit, the totals, the
    chart, and the downloads for the same days."""
    branch = branch_for(request, code, need=Need.READ)
    form, as_of, compare_on = _days(request)
    report = statistics_report(branch, as_of=as_of, compare_on=compare_on)
    query = {"as_of": report.as_of.strftime("%d/%m/%Y")}
    if report.compare_on:
        query["compare"] = report.compare_on.strftime("%d/%m/%Y")
    context = {
        "branch": branch,
        "report": report,
        "form": form,
        "chart": statistics_chart(report),
        "downloads": download_links("statistics", [code], query),
    }
    return render(request, "reports/statistics.html", context)


def _statistics_file(
    request: HttpRequest, code: str, kind: str, write: Callable[..., bytes]
) -> HttpResponse:
    branch: Branch = branch_for(request, code, need=Need.READ)
    language = file_language(request)
    if language is None:
        return unknown_language()
    form, as_of, compare_on = _days(request)
    if form.errors:
        return bad_request(" ".join(str(e) for errors in form.errors.values() for e in errors))
    report: StatisticsReport = statistics_report(branch, as_of=as_of, compare_on=compare_on)
    content = write(report, language=language)
    log.info(
        "export: user=%s branch=%s report=statistics format=%s lang=%s",
        request.user.pk,
        branch.pk,
        kind,
        language,
    )
    template = STATISTICS_FILE.get(language, STATISTICS_FILE["en"])
    filename = template.format(code=branch.code, day=report.as_of.isoformat(), ext=kind)
    return download(content, filename=filename, content_type=CONTENT_TYPES[kind], language=language)


@require_safe
def statistics_pdf_view(request: HttpRequest, code: str) -> HttpResponse:
    return _statistics_file(request, code, "pdf", statistics_pdf)


@require_safe
def statistics_xlsx_view(request: HttpRequest, code: str) -> HttpResponse:
    return _statistics_file(request, code, "xlsx", statistics_workbook)


# --- Women's representation ------------------------------------------------------------------


@require_safe
def representation_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Women among the members, delegates, candidates and those elected of a congress, per
    election and per sub-unit, beside the resolution's targets about women."""
    congress, _level = congress_for(request, pk, need=Need.READ)
    rep = representation(congress)
    context = {
        "congress": congress,
        "branch": congress.term.branch,
        "rep": rep,
        "groups": representation_groups(rep),
        "chart": representation_chart(rep),
        "downloads": download_links("representation", [pk], {}),
    }
    return render(request, "reports/representation.html", context)


def _representation_file(
    request: HttpRequest, pk: int, kind: str, write: Callable[..., bytes]
) -> HttpResponse:
    congress, _level = congress_for(request, pk, need=Need.READ)
    language = file_language(request)
    if language is None:
        return unknown_language()
    rep: Representation = representation(congress)
    content = write(rep, language=language)
    log.info(
        "export: user=%s congress=%s report=representation format=%s lang=%s",
        request.user.pk,
        pk,
        kind,
        language,
    )
    template = REPRESENTATION_FILE.get(language, REPRESENTATION_FILE["en"])
    return download(
        content,
        filename=template.format(pk=pk, ext=kind),
        content_type=CONTENT_TYPES[kind],
        language=language,
    )


@require_safe
def representation_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _representation_file(request, pk, "pdf", representation_pdf)


@require_safe
def representation_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _representation_file(request, pk, "xlsx", representation_workbook)
