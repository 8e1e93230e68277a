"""How long an uploaded member list is kept: until its import ends, and never longer than
UNIONREC_IMPORT_FILE_HOURS (72 by default).

An import ends when it is written, cancelled, refused or failed, or when its preview has
errors (such a preview can never be written: the user corrects the file and uploads it again).
Its file is then deleted through the file field's storage, never the file system directly.
The job stays, as the record of the import: its SHA-256, who ran it, its preview and what it
wrote. A commit does not read the file again (it checks the preview's rows again), so a
preview whose file has gone with time can still be written; a check still waiting for the
worker finds no file and refuses the import (members.importer).

`purge` deletes every file past its time (`python manage.py purge_expired`, and the task
worker once a day, unionrec.daily); a file already missing from storage is not an error."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from unionrec.access import require

from .jobs import ImportJob, ImportStatus

# The statuses an import cannot leave (a preview with errors is the other end, see `ended`).
FINAL = (
    ImportStatus.COMMITTED,
    ImportStatus.CANCELLED,
    ImportStatus.REFUSED,
    ImportStatus.FAILED,
)


def file_hours() -> float:
    """settings.UNIONREC_IMPORT_FILE_HOURS: the longest an uploaded file is kept (72)."""
    return float(getattr(settings, "UNIONREC_IMPORT_FILE_HOURS", 72))


def ended() -> Q:
    """The imports that are over: their file has no further use."""
    return Q(status__in=FINAL) | Q(status=ImportStatus.PREVIEWED, preview__ok=False)


def past_time(now: datetime) -> QuerySet[ImportJob]:
    """The imports whose file is still stored but past its time: ended, or uploaded more than
    UNIONREC_IMPORT_FILE_HOURS before `now`."""
    uploaded_before = now - timedelta(hours=file_hours())
    return ImportJob.objects.exclude(file="").filter(ended() | Q(created_at__lte=uploaded_before))


def delete_file(job: ImportJob) -> None:
    """Delete the job's file from its storage and forget its name; the job stays. A file
    already missing is not an error (the storage ignores it)."""
    if job.file:
        job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")


def discard_if_ended(job: ImportJob) -> None:
    """Delete the job's file once the transaction in progress commits, if the job has ended
    by then (so a rolled-back ending leaves the file in place)."""

    def discard() -> None:
        for ended_job in ImportJob.objects.filter(ended(), pk=job.pk).exclude(file=""):
            delete_file(ended_job)

    transaction.on_commit(discard)


def purge(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Delete the files past their time (see `past_time`); returns how many. `dry_run` counts
    them and deletes nothing."""
    due = past_time(now or timezone.now())
    if dry_run:
        return due.count()
    count = 0
    for job in due.only("pk", "file").iterator():
        delete_file(job)
        count += 1
    return count


def cancel(job: ImportJob, *, by: Any) -> ImportJob:
    """Abandon a checked import: nothing is written, the job is cancelled and its file deleted.
    Only a checked import not being written can be cancelled; of a cancel and a commit sent at
    once (members.importer claims the job the same way) one wins, and the other gets a
    ValidationError."""
    require(by, job.branch)
    now = timezone.now()
    pending = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEWED)
    if not pending.update(status=ImportStatus.CANCELLED, finished_at=now, heartbeat_at=now):
        job.refresh_from_db()
        raise ValidationError(
            _("Only a checked import that is not being written can be cancelled.")
        )
    job.status, job.finished_at, job.heartbeat_at = ImportStatus.CANCELLED, now, now
    job.save(update_fields=["status", "finished_at", "heartbeat_at"])  # the history's row
    discard_if_ended(job)
    return job
