"""Exports answered now or written in the background (pretix's pattern: a job row, a task that
writes the file to storage, a page that follows it, a file that expires).

`start_export` counts at most UNIONREC_EXPORT_DIRECT_MAX_ROWS + 1 rows (a LIMIT, never a full
count): a roster up to that size is written within the request and answered directly; a
larger one becomes an ExportJob and a task (reports.tasks.run_export, run by the
django-tasks-db worker that `make run` starts). The task checks the owner's permission again
before it reads a row (a role removed meanwhile: the job fails with the reason and nothing
is written), counts the rows, writes the file to a temporary file with its progress saved
every few thousand rows, and only then stores it under a server-chosen name.

Files are kept UNIONREC_EXPORT_KEEP_HOURS hours (24) and served to their owner only. Expired
files are deleted by `delete_expired`, which every export runs first (in the request for a
small one, in the task for a large one), and which `python manage.py purge_expired` and the
task worker's daily purge (unionrec.daily) run where exports are rare. An expired file is
never served, deleted yet or not. A user may have UNIONREC_EXPORT_MAX_ACTIVE exports waiting
or running at once; asking again for the same one shows the job already under way."""

from __future__ import annotations

import errno
import io
import logging
import os
import tempfile
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.disclosure import Disclosure, list_disclosure
from members.models import Branch
from members.statistics import today
from unionrec.access import Need, scope_for
from unionrec.jobs import fail_stale

from .datasets.roster import build_roster, roster_queryset
from .excel import XLSX_CONTENT_TYPE
from .formats.roster import roster_xlsx
from .models import ExportJob, ExportKind, ExportStatus, export_path

log = logging.getLogger("unionrec.reports")

ROSTER_FILE = {
    "vi": "danh-sach-doan-vien-{code}-{day}.xlsx",
    "en": "member-roster-{code}-{day}.xlsx",
}
EVERYONE = {"vi": "tat-ca", "en": "all"}


def direct_max_rows() -> int:
    return int(getattr(settings, "UNIONREC_EXPORT_DIRECT_MAX_ROWS", 5000))


def keep_for() -> timedelta:
    return timedelta(hours=float(getattr(settings, "UNIONREC_EXPORT_KEEP_HOURS", 24)))


def max_active() -> int:
    return int(getattr(settings, "UNIONREC_EXPORT_MAX_ACTIVE", 3))


class ExportRefused(Exception):
    """The export cannot be made for this user: the reason is the message (translated)."""


class TooManyExports(Exception):
    """The user already has UNIONREC_EXPORT_MAX_ACTIVE exports waiting or running."""


@dataclass(frozen=True)
class DirectFile:
    """A small export, written within the request."""

    content: bytes
    filename: str
    content_type: str
    language: str


@dataclass(frozen=True)
class PreparedRoster:
    branch: Branch | None
    queryset: QuerySet[Any]
    sight: Disclosure
    language: str


def roster_parameters(
    *, branch: Branch | None, filters: dict[str, str], language: str
) -> dict[str, Any]:
    """What a roster job keeps: the branch's code, the member list's filters, the language."""
    return {"branch": branch.code if branch else None, "filters": filters, "language": language}


def prepare_roster(owner: Any, parameters: dict[str, Any]) -> PreparedRoster:
    """The roster's queryset for `owner` as things stand now; ExportRefused when the owner may
    not (or no longer) read it or the filters are not valid. Views check first with the
    request's 404/403; this is the same check again, for the task."""
    scope = scope_for(owner)
    code = parameters.get("branch")
    branch = Branch.objects.filter(code=code).first() if code else None
    if code and branch is None:
        raise ExportRefused(_("The branch of this export no longer exists; nothing was written."))
    if branch is not None and not scope.covers(branch.path, Need.READ):
        raise ExportRefused(
            _("You may no longer read the members of %(branch)s, so nothing was written.")
            % {"branch": branch.name}
        )
    if branch is None and not scope.reads_records:
        raise ExportRefused(_("You may no longer read member lists, so nothing was written."))
    filters = dict(parameters.get("filters") or {})
    if code:
        filters["branch"] = code
    queryset = roster_queryset(owner, branch, filters)
    if queryset is None:
        raise ExportRefused(_("These filters are not valid: correct them on the member list."))
    language = parameters.get("language") or settings.LANGUAGE_CODE
    return PreparedRoster(branch, queryset, list_disclosure(owner, branch), language)


def roster_filename(branch: Branch | None, language: str) -> str:
    code = branch.code if branch else EVERYONE.get(language, "all")
    pattern = ROSTER_FILE.get(language, ROSTER_FILE["en"])
    return pattern.format(code=code, day=today().isoformat())


def start_export(*, owner: Any, kind: str, parameters: dict[str, Any]) -> ExportJob | DirectFile:
    """Answer a small export now or queue a large one (see the module's docstring). Raises
    ExportRefused (see prepare_roster) and TooManyExports."""
    if kind != ExportKind.ROSTER_XLSX:
        raise ValueError(f"unknown export kind {kind!r}")
    delete_expired()
    prepared = prepare_roster(owner, parameters)
    limit = direct_max_rows()
    if prepared.queryset[: limit + 1].count() <= limit:
        buffer = io.BytesIO()
        roster = build_roster(prepared.queryset, language=prepared.language, sight=prepared.sight)
        roster_xlsx(roster, language=prepared.language, out=buffer)
        return DirectFile(
            buffer.getvalue(),
            roster_filename(prepared.branch, prepared.language),
            XLSX_CONTENT_TYPE,
            prepared.language,
        )
    active = list(ExportJob.objects.filter(owner=owner, status__in=_ACTIVE))
    for job in active:
        if job.kind == kind and job.parameters == parameters:
            return job  # the same export is already under way
    if len(active) >= max_active():
        raise TooManyExports
    now = timezone.now()
    job = ExportJob.objects.create(
        owner=owner,
        kind=kind,
        parameters=parameters,
        stored_name=f"{uuid.uuid4().hex}.xlsx",
        filename=roster_filename(prepared.branch, prepared.language),
        created_at=now,
        heartbeat_at=now,
        expires_at=now + keep_for(),
    )
    from .tasks import run_export

    transaction.on_commit(lambda: run_export.enqueue(job.pk))
    return job


_ACTIVE = (ExportStatus.QUEUED, ExportStatus.RUNNING)


def _save(job: ExportJob, **fields: Any) -> None:
    """Save the named fields (and the heartbeat) only, so a save never undoes the progress
    that the writer stores on its own."""
    for name, value in fields.items():
        setattr(job, name, value)
    job.heartbeat_at = timezone.now()
    job.save(update_fields=[*fields, "heartbeat_at"])


def run(job_id: int) -> ExportJob:
    """Write a queued export (what the task does). A job that is not waiting is left alone,
    so a task that runs twice writes one file."""
    job = ExportJob.objects.get(pk=job_id)
    if job.status != ExportStatus.QUEUED:
        return job
    delete_expired()
    owner = get_user_model().objects.filter(pk=job.owner_id).first()  # grants read afresh
    with translation.override(job.language):
        try:
            prepared = prepare_roster(owner, job.parameters)
        except ExportRefused as refusal:
            _save(job, status=ExportStatus.FAILED, message=str(refusal), finished_at=timezone.now())
            log.warning("export refused at run: user=%s export=%s", job.owner_id, job.pk)
            return job
        _save(
            job,
            status=ExportStatus.RUNNING,
            started_at=timezone.now(),
            rows_total=prepared.queryset.count(),
        )
        try:
            _write(job, prepared)
        except Exception as error:
            log.exception("export failed: export=%s", job.pk)
            _save(job, status=ExportStatus.FAILED, finished_at=timezone.now(), message=_why(error))
    return job


def _why(error: Exception) -> str:
    """What the owner reads of a failed export."""
    if isinstance(error, OSError) and error.errno in {errno.ENOSPC, errno.EDQUOT}:
        return _(
            "The server's disk is full, so the file could not be written; nothing of it was "
            "kept. Tell your administrator, and ask for the export again once there is room."
        )
    return _(
        "The file could not be written. Ask for the export again; if it fails again, "
        "tell your administrator."
    )


def _write(job: ExportJob, prepared: PreparedRoster) -> None:
    def progress(rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_written=rows, heartbeat_at=timezone.now())

    roster = build_roster(prepared.queryset, language=prepared.language, sight=prepared.sight)
    handle, path = tempfile.mkstemp(prefix="unionrec-export-", suffix=".xlsx")
    os.close(handle)
    try:
        rows = roster_xlsx(roster, language=prepared.language, out=path, progress=progress)
        with open(path, "rb") as written:
            try:
                job.file.save(job.stored_name, File(written), save=False)
            except BaseException:  # a file cut short (a full disk) is not left in storage
                name = export_path(job, job.stored_name)
                if job.file.storage.exists(name):
                    job.file.storage.delete(name)
                raise
        now = timezone.now()
        _save(
            job,
            status=ExportStatus.DONE,
            file=job.file,
            rows_written=rows,
            size=job.file.size,
            finished_at=now,
            expires_at=now + keep_for(),
            message="",
        )
    finally:
        os.unlink(path)
    log.info("export written: user=%s export=%s rows=%s", job.owner_id, job.pk, rows)


def delete_expired(now: Any = None, *, dry_run: bool = False) -> int:
    """Delete the files of exports past their `expires_at` through their storage (a file
    already missing is not an error); the job rows stay as the record of who exported what.
    Returns the number of files deleted; `dry_run` counts them and deletes nothing."""
    now = now or timezone.now()
    expired = ExportJob.objects.filter(expires_at__lte=now).exclude(file="")
    if dry_run:
        return expired.count()
    deleted = 0
    for job in expired:
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        deleted += 1
    return deleted


def mark_stale(jobs: QuerySet[ExportJob]) -> None:
    """Running jobs whose worker stopped (killed, restarted) are marked failed, in the job's
    language (unionrec.jobs.fail_stale); their temporary file never reached storage. A job
    still waiting for the worker is left to wait."""
    fail_stale(
        jobs,
        active=(ExportStatus.RUNNING,),
        failed=ExportStatus.FAILED,
        message=gettext_lazy("The export stopped before it finished. Ask for it again."),
        task_paths=("reports.tasks.run_export",),
    )
