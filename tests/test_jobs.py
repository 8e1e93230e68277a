"""The one stale-job rule (unionrec.jobs.fail_stale) on both kinds of job: a job in an active
status not heard of for longer than STALE_AFTER is failed, finished now, with its kind's
message in the job's own language; any other job is left as it is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from members.jobs import ImportJob, ImportStatus
from reports.models import ExportJob, ExportKind, ExportStatus
from unionrec.jobs import STALE_AFTER, fail_stale

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 4, 2, 0, tzinfo=UTC)
IMPORT_STOPPED = (
    "The import stopped before it finished; nothing was written. Upload the file again."
)
EXPORT_STOPPED = "The export stopped before it finished. Ask for it again."
IMPORT_ACTIVE = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.COMMITTING)

# (status, minutes since its heartbeat or None for never, its language, failed?)
CASES = [
    (ImportStatus.QUEUED, 11, "en", True),
    (ImportStatus.CHECKING, 11, "vi", True),
    (ImportStatus.COMMITTING, 600, "en", True),
    (ImportStatus.CHECKING, 10, "en", False),  # heard of exactly STALE_AFTER ago: not older
    (ImportStatus.COMMITTING, 5, "vi", False),
    (ImportStatus.PREVIEWED, 600, "en", False),  # not an active status
    (ImportStatus.COMMITTED, 600, "en", False),
    (ImportStatus.CHECKING, None, "en", False),  # no heartbeat to compare
]


def import_job(tree, status, minutes, language):
    heard = None if minutes is None else NOW - timedelta(minutes=minutes)
    return ImportJob.objects.create(
        branch=tree.union,
        filename="danh-sach.csv",
        stored_name=f"{status}-{minutes}-{language}.bin",
        size=1,
        sha256="0" * 64,
        status=status,
        language=language,
        heartbeat_at=heard,
    )


def test_stale_after_is_ten_minutes():
    assert timedelta(minutes=10) == STALE_AFTER


def test_active_jobs_not_heard_of_for_longer_than_stale_after_fail_in_their_language(tree):
    jobs = [import_job(tree, *case[:3]) for case in CASES]
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        failed = fail_stale(
            ImportJob.objects.all(),
            active=IMPORT_ACTIVE,
            failed=ImportStatus.FAILED,
            message=gettext_lazy(IMPORT_STOPPED),
        )
    assert failed == sum(1 for case in CASES if case[3])
    for job, (status, _minutes, language, fails) in zip(jobs, CASES, strict=True):
        before = job.heartbeat_at
        job.refresh_from_db()
        if fails:
            with translation.override(language):
                said = gettext(IMPORT_STOPPED)
            assert (job.status, job.finished_at, job.heartbeat_at) == (
                ImportStatus.FAILED,
                NOW,
                NOW,
            )
            assert job.message == said
            assert job.history.filter(status=ImportStatus.FAILED).exists()
        else:
            assert (job.status, job.message, job.finished_at) == (status, "", None)
            assert job.heartbeat_at == before
    vietnamese = next(job for job in jobs if job.language == "vi" and job.message)
    assert vietnamese.message != IMPORT_STOPPED  # translated, not the English msgid


def test_only_the_given_queryset_is_looked_at(tree):
    old = import_job(tree, ImportStatus.CHECKING, 30, "en")
    other = import_job(tree, ImportStatus.CHECKING, 30, "vi")
    with time_machine.travel(NOW, tick=False):
        fail_stale(
            ImportJob.objects.filter(pk=old.pk),
            active=IMPORT_ACTIVE,
            failed=ImportStatus.FAILED,
            message=gettext_lazy(IMPORT_STOPPED),
        )
    old.refresh_from_db()
    other.refresh_from_db()
    assert (old.status, other.status) == (ImportStatus.FAILED, ImportStatus.CHECKING)


@pytest.mark.parametrize(
    ("parameters", "language"),
    [({"language": "en"}, "en"), ({"language": "vi"}, "vi"), ({}, "vi")],
)
def test_an_export_job_speaks_the_language_it_was_asked_for_in(parameters, language, settings):
    settings.LANGUAGE_CODE = "vi"
    owner = get_user_model().objects.create_user("owner")
    job = ExportJob.objects.create(
        owner=owner,
        kind=ExportKind.ROSTER_XLSX,
        parameters=parameters,
        status=ExportStatus.RUNNING,
        stored_name="x.xlsx",
        filename="member-roster-all.xlsx",
        heartbeat_at=NOW - timedelta(minutes=11),
        expires_at=NOW + timedelta(hours=24),
    )
    assert job.language == language
    with (
        time_machine.travel(NOW, tick=False),
        translation.override("vi" if language == "en" else "en"),
    ):
        fail_stale(
            ExportJob.objects.all(),
            active=(ExportStatus.RUNNING,),
            failed=ExportStatus.FAILED,
            message=gettext_lazy(EXPORT_STOPPED),
        )
    job.refresh_from_db()
    with translation.override(language):
        assert (job.status, job.message) == (ExportStatus.FAILED, gettext(EXPORT_STOPPED))
