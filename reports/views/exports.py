"""The roster downloads of the member list and the pages of background exports.

`/members/roster.xlsx?<the member list's filters>` answers a small roster directly and sends
a large one to the background (reports.exports), redirecting to its job page; `roster.pdf`
prints a short roster and refuses a long one with a pointer to the Excel file. Both see
exactly what the member list shows the user: the same scope (404 outside it, 403 for the
member role, through unionrec.access) and the same filters. An export job and its file are
their owner's alone: anyone else gets 404, as for a record outside their reach. Downloads
as reports.views.downloads describes them, the stored file of an export too; every download
is logged without the filters' text (a search may be a card number)."""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from members.models import Branch
from unionrec.access import Need, branch_for, require_reader

from .. import exports
from ..datasets.roster import build_roster, filters_of
from ..excel import XLSX_CONTENT_TYPE
from ..formats.roster import RosterTooLong, pdf_max_rows, roster_pdf
from ..models import ExportJob, ExportKind, ExportStatus
from .downloads import attachment, bad_request, download, file_language, unknown_language

log = logging.getLogger("unionrec.reports")

RECENT = 50  # exports listed on the user's page
PDF_FILE = {"vi": "danh-sach-doan-vien-{code}.pdf", "en": "member-roster-{code}.pdf"}


def _target(request: HttpRequest) -> tuple[Branch | None, dict[str, str]]:
    """The roster's branch and filters, as the member list reads them (404 / 403)."""
    code = request.GET.get("branch")
    branch = branch_for(request, code, need=Need.READ) if code else None
    require_reader(request.user)  # the member role never lists other members
    return branch, filters_of(request.GET)


def _logged(
    request: HttpRequest, kind: str, branch: Branch | None, filters: dict[str, str]
) -> None:
    log.info(
        "export: user=%s kind=%s branch=%s filters=%s",
        request.user.pk,
        kind,
        branch.pk if branch else "-",
        ",".join(sorted(filters)) or "-",
    )


@require_safe
def roster_xlsx(request: HttpRequest) -> HttpResponse:
    """The roster as an Excel file: now if small, else a background job (302 to its page)."""
    branch, filters = _target(request)
    language = file_language(request)
    if language is None:
        return unknown_language()
    parameters = exports.roster_parameters(branch=branch, filters=filters, language=language)
    try:
        result = exports.start_export(
            owner=request.user, kind=ExportKind.ROSTER_XLSX, parameters=parameters
        )
    except exports.ExportRefused as refusal:
        return bad_request(str(refusal))
    except exports.TooManyExports:
        context = {"reason": "busy", "limit": exports.max_active()}
        return render(request, "reports/export_refused.html", context, status=429)
    _logged(request, "roster_xlsx", branch, filters)
    if isinstance(result, ExportJob):
        return redirect("reports:export", pk=result.pk)
    return download(
        result.content,
        filename=result.filename,
        content_type=result.content_type,
        language=result.language,
    )


@require_safe
def roster_pdf_view(request: HttpRequest) -> HttpResponse:
    """The roster as a PDF, up to settings.UNIONREC_ROSTER_PDF_MAX_ROWS rows; past that a
    refusal (422) that links to the same roster as an Excel file."""
    branch, filters = _target(request)
    language = file_language(request)
    if language is None:
        return unknown_language()
    parameters = exports.roster_parameters(branch=branch, filters=filters, language=language)
    try:
        prepared = exports.prepare_roster(request.user, parameters)
    except exports.ExportRefused as refusal:
        return bad_request(str(refusal))
    limit = pdf_max_rows()
    title = branch.name if branch else _("All my branches")
    try:
        if prepared.queryset[: limit + 1].count() > limit:
            raise RosterTooLong(limit)
        roster = build_roster(prepared.queryset, language=language, sight=prepared.sight)
        content = roster_pdf(roster, title=title, limit=limit)
    except RosterTooLong:
        query = urlencode({**filters, "lang": language})
        context = {
            "reason": "long",
            "limit": limit,
            "excel": f"{reverse('reports:roster_xlsx')}?{query}",
        }
        return render(request, "reports/export_refused.html", context, status=422)
    _logged(request, "roster_pdf", branch, filters)
    code = branch.code if branch else exports.EVERYONE.get(language, "all")
    filename = PDF_FILE.get(language, PDF_FILE["en"]).format(code=code)
    return download(content, filename=filename, content_type="application/pdf", language=language)


def _own_job(request: HttpRequest, pk: int) -> ExportJob:
    """The export if it is the user's; 404 for anyone else's (logged, as access.py does)."""
    job = ExportJob.objects.filter(pk=pk, owner_id=request.user.pk).first()
    if job is None:
        log.warning("out of scope: user=%s export=%s", request.user.pk, pk)
        raise Http404
    exports.mark_stale(ExportJob.objects.filter(pk=job.pk))
    job.refresh_from_db()
    return job


@require_safe
def export_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's page: refreshes itself while waiting or running, with the rows written."""
    job = _own_job(request, pk)
    return render(request, "reports/export_job.html", {"job": job, "refresh": job.running})


@require_safe
def export_file(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """The job's file for its owner, until it expires; a page that says why (404) after."""
    job = _own_job(request, pk)
    if not job.available:
        if job.status == ExportStatus.DONE:
            reason = "expired"
        else:
            reason = "failed" if job.status == ExportStatus.FAILED else "running"
        return render(
            request, "reports/export_gone.html", {"job": job, "reason": reason}, status=404
        )
    log.info("export download: user=%s export=%s", request.user.pk, job.pk)
    response = FileResponse(job.file.open("rb"), content_type=XLSX_CONTENT_TYPE)
    attachment(response, filename=job.filename, language=job.parameters.get("language", ""))
    return response


@require_safe
def export_list(request: HttpRequest) -> HttpResponse:
    """The user's recent exports, newest first."""
    jobs = ExportJob.objects.filter(owner_id=request.user.pk)
    exports.mark_stale(jobs)
    return render(request, "reports/export_list.html", {"jobs": jobs[:RECENT]})
