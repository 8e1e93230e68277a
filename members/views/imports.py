"""Member imports: the upload page of a branch (with the template files), a job's page with
its preview, progress and result, the commit and the cancel. All or nothing: see
members.importer; how long the uploaded file is kept: members.import_lifetime.

The upload's size is capped while it arrives (members.uploads), so the view reads the upload
only after inserting the cap; CSRF is checked by hand after that (Django's recipe for upload
handlers)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unionrec.access import Need, branch_for, check_branch
from unionrec.days import day_text

from .. import import_lifetime, importer
from ..forms import ImportForm
from ..jobs import ImportJob, ImportStatus
from ..models import Gender, Member
from ..uploads import CappedUploadHandler

SHOWN_ROWS = 200  # rows of each kind listed on the page; the counts cover all of them


def max_bytes() -> int:
    return int(getattr(settings, "UNIONREC_IMPORT_MAX_BYTES", 5 * 1024 * 1024))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, code: str) -> HttpResponse:
    cap = CappedUploadHandler(request, max_bytes=max_bytes())
    request.upload_handlers.insert(0, cap)
    return _upload(request, code, cap)


@csrf_protect
def _upload(request: HttpRequest, code: str, cap: CappedUploadHandler) -> HttpResponse:
    branch = branch_for(request, code, need=Need.WRITE)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if cap.exceeded:
            form.is_valid()  # the file was dropped: say why, instead of "required"
            text = _("The file is larger than %(size)s: split it and upload the parts.")
            form.errors["file"] = form.error_class([text % {"size": filesizeformat(max_bytes())}])
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = importer.start(
                    branch=branch,
                    data=upload.read(),
                    by=request.user,
                    filename=upload.name or "",
                    language=get_language(),
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                return redirect("members:import_job", pk=job.pk)
    # A job's stored preview can be megabytes (a row per line of its file): the list shows none.
    jobs = ImportJob.objects.filter(branch=branch).select_related("user").defer("preview")
    importer.mark_stale(jobs)
    context = {
        "branch": branch,
        "form": form,
        "jobs": jobs[:10],
        "max_size": filesizeformat(max_bytes()),
    }
    return render(request, "members/import_upload.html", context)


def _job(request: HttpRequest, pk: int, *, need: Need) -> ImportJob:
    job = ImportJob.objects.select_related("branch", "user").filter(pk=pk).first()
    if job is None:
        raise Http404
    check_branch(request, job.branch, need=need)
    return job


def _shown(field: str, value: Any) -> Any:
    """A stored preview value as the page shows it: dates dd/mm/yyyy, genders by name."""
    if value in (None, ""):
        return "—"
    if field == "gender":
        return Gender(value).label if value in Gender.values else value
    if field in ("birth_date", "joined_union_on") and isinstance(value, str):
        try:
            return day_text(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def _label(field: str) -> str:
    try:
        return str(Member._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


def _rows(preview: dict[str, Any], action: str) -> list[dict[str, Any]]:
    rows = [row for row in preview.get("rows", []) if row.get("action") == action][:SHOWN_ROWS]
    return [
        row
        | {
            "values": {k: _shown(k, v) for k, v in row.get("values", {}).items()},
            "changes": {
                _label(k): [_shown(k, old), _shown(k, new)]
                for k, (old, new) in row.get("changes", {}).items()
            },
        }
        for row in rows
    ]


@require_safe
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk, need=Need.WRITE)
    importer.mark_stale(ImportJob.objects.filter(pk=job.pk))
    job.refresh_from_db()
    preview = job.preview or {}
    context = {
        "job": job,
        "branch": job.branch,
        "preview": preview,
        "counts": preview.get("counts", {}),
        "errors": preview.get("errors", [])[: SHOWN_ROWS * 5],
        "new_rows": _rows(preview, "new"),
        "update_rows": _rows(preview, "update"),
        "shown": SHOWN_ROWS,
        "can_commit": job.status == ImportStatus.PREVIEWED and preview.get("ok"),
        "refresh": job.running,
        "file_hours": f"{import_lifetime.file_hours():g}",
    }
    return render(request, "members/import_job.html", context)


@require_POST
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk, need=Need.WRITE)
    try:
        job = importer.request_commit(job, by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        if job.status == ImportStatus.COMMITTED:
            text = ngettext(
                "Imported: %(new)s member added, %(changed)s updated, %(same)s already in the "
                "register.",
                "Imported: %(new)s members added, %(changed)s updated, %(same)s already in the "
                "register.",
                job.created_count,
            )
            figures = {"new": job.created_count, "changed": job.updated_count}
            messages.success(request, text % (figures | {"same": job.unchanged_count}))
        elif job.status == ImportStatus.FAILED:
            messages.error(request, job.message)
    return redirect("members:import_job", pk=job.pk)


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Abandon a checked import: nothing is written and its file is deleted."""
    job = _job(request, pk, need=Need.WRITE)
    try:
        import_lifetime.cancel(job, by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("members:import_job", pk=job.pk)
    text = _("The import of %(name)s was cancelled: nothing was written and its file was deleted.")
    messages.success(request, text % {"name": job.filename})
    return redirect("members:import", code=job.branch.code)


@require_safe
def template_file(request: HttpRequest) -> HttpResponse:
    """The template to fill in: ?format=xlsx|csv, ?lang=vi|en (default: the page's)."""
    from ..import_template import template_csv, template_workbook

    language = request.GET.get("lang") or get_language() or "vi"
    if language not in dict(settings.LANGUAGES):
        language = "vi"
    if request.GET.get("format") == "csv":
        data, kind, extension = template_csv(language), "text/csv; charset=utf-8", "csv"
    else:
        data = template_workbook(language)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        extension = "xlsx"
    response = HttpResponse(data, content_type=kind)
    name = "mau-danh-sach-doan-vien" if language == "vi" else "member-list-template"
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
