"""The term summary as a page, a PDF and an Excel file, and the congress dossier as a PDF.

Each reads one dataset (reports.datasets.summary, reports.datasets.dossier) for one term,
whose branch the user must be able to read (unionrec.records.term_for: 404 outside the user's
subtrees, 403 for the member role), and hands it to the page or to a format
(reports.formats.summary, reports.formats.dossier). `?as_of=dd/mm/yyyy` picks the day the
committee and the targets' standing are read on (default: today); `?lang=vi|en` the file's
language (400 on any other value or an invalid day). Downloads as reports.views.downloads
describes them."""

from __future__ import annotations

import logging
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from congresses.models import Term
from unionrec.access import Need
from unionrec.forms import DayField
from unionrec.records import term_for

from ..datasets.dossier import dossier
from ..datasets.summary import term_summary
from ..excel import XLSX_CONTENT_TYPE
from ..formats.dossier import dossier_pdf as dossier_document
from ..formats.summary import term_summary_pdf, term_summary_workbook
from .downloads import (
    LANGUAGES,
    bad_request,
    download,
    file_language,
    language_name,
    unknown_language,
)

log = logging.getLogger("unionrec.reports")

FILES = {  # server-set names: the branch's code (a slug) and the term's number only
    "summary": {
        "vi": "tong-ket-nhiem-ky-{code}-{pk}.{ext}",
        "en": "term-summary-{code}-{pk}.{ext}",
    },
    "dossier": {
        "vi": "ho-so-dai-hoi-{code}-{pk}.{ext}",
        "en": "congress-dossier-{code}-{pk}.{ext}",
    },
}


class AsOfForm(forms.Form):
    """The day the summary is read on (`?as_of=dd/mm/yyyy`); empty means today."""

    as_of = DayField(label=gettext_lazy("As of (dd/mm/yyyy)"), required=False)


def _as_of(request: HttpRequest) -> tuple[AsOfForm, date | None, bool]:
    """The form, the day asked for (None: today) and whether the request's day was valid."""
    form = AsOfForm(request.GET if "as_of" in request.GET else None)
    if not form.is_bound:
        return form, None, True
    if form.is_valid():
        return form, form.cleaned_data["as_of"], True
    return form, None, False


def _filename(kind: str, language: str, term: Term, ext: str) -> str:
    names = FILES[kind]
    return names.get(language, names["en"]).format(code=term.branch.code, pk=term.pk, ext=ext)


@require_safe
def summary_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The term summary as a page, with its downloads in every language."""
    term, _level = term_for(request, pk, need=Need.READ)
    form, day, _valid = _as_of(request)
    summary = term_summary(term, as_of=day)
    kinds = [
        ("term_summary_pdf", _("Term summary (PDF)"), "pdf"),
        ("term_summary_xlsx", _("Term summary (Excel)"), "xlsx"),
        ("dossier_pdf", _("Congress dossier (PDF)"), "dossier"),
    ]
    query = {"as_of": day.strftime("%d/%m/%Y")} if day else {}
    downloads = [
        {
            "label": f"{label} · {language_name(code)}",
            "code": code,
            "url": reverse(f"reports:{name}", args=[pk]) + "?" + urlencode({"lang": code} | query),
            "id": f"download-{kind}-{code}",
        }
        for name, label, kind in kinds
        for code in LANGUAGES
    ]
    context = {"summary": summary, "term": term, "form": form, "downloads": downloads}
    return render(request, "reports/summary_detail.html", context)


def _export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    term, _level = term_for(request, pk, need=Need.READ)
    language = file_language(request)
    if language is None:
        return unknown_language()
    _form, day, valid = _as_of(request)
    if not valid:
        return bad_request(_("Unknown day: write it as dd/mm/yyyy."))
    if kind == "dossier":
        content = dossier_document(dossier(term, as_of=day), language=language)
    else:
        summary = term_summary(term, as_of=day)
        writer = term_summary_workbook if kind == "xlsx" else term_summary_pdf
        content = writer(summary, language=language)
    ext = "xlsx" if kind == "xlsx" else "pdf"
    content_type = XLSX_CONTENT_TYPE if kind == "xlsx" else "application/pdf"
    log.info("export: user=%s term=%s format=%s lang=%s", request.user.pk, pk, kind, language)
    filename = _filename("dossier" if kind == "dossier" else "summary", language, term, ext)
    return download(content, filename=filename, content_type=content_type, language=language)


@require_safe
def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "pdf")


@require_safe
def summary_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "xlsx")


@require_safe
def dossier_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "dossier")
