"""Background jobs whose worker stopped: one rule for every kind of job (member imports,
exports).

A job records a heartbeat while its worker runs. A worker that is killed or restarted leaves
its job in an active status for good, so the pages that show jobs, and every worker after its
heartbeat (unionrec.heartbeat.recover), call `fail_stale`: a job whose task failed (the
heartbeat marks the tasks of a stopped worker failed within a minute), or not heard of for
STALE_AFTER, is marked failed, with its kind's message in the job's own
language (the one it was asked for in, whoever opens the page). Each kind keeps its active
statuses and its message; members.importer and reports.exports say them. The project level:
it imports neither app."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise

# A job whose worker has not been heard of for this long is taken as stopped.
STALE_AFTER = timedelta(minutes=10)


def fail_stale(
    jobs: QuerySet[Any],
    *,
    active: Iterable[str],
    failed: str,
    message: str | Promise,
    task_paths: Iterable[str] = (),
) -> int:
    """Mark failed the jobs of `jobs` that are in one of the `active` statuses and whose
    heartbeat is older than STALE_AFTER, or whose task failed (one of `task_paths`, the
    django-tasks-db tasks that take the job's id as their first argument): status `failed`,
    finished now, `message` rendered in the job's `language`. Returns how many.

    A job is a model with `status`, `heartbeat_at`, `finished_at` and `message` fields and a
    `language` (a field or a property). Each is saved with those fields only (and its
    heartbeat, as every save of a job writes it), so nothing else a job holds is rewritten,
    and a model with history records the change."""
    now = timezone.now()
    running = jobs.filter(status__in=list(active))
    stale = list(running.filter(heartbeat_at__lt=now - STALE_AFTER))
    if task_paths:
        others = running.exclude(pk__in=[job.pk for job in stale])
        stale += others.filter(
            pk__in=_failed_for(list(others.values_list("pk", flat=True)), task_paths)
        )
    count = 0
    for job in stale:
        with translation.override(job.language):
            job.message = str(message)
        job.status = failed
        job.finished_at = now
        job.heartbeat_at = now
        job.save(update_fields=["status", "finished_at", "message", "heartbeat_at"])
        count += 1
    return count


def _failed_for(job_ids: list[int], task_paths: Iterable[str]) -> set[int]:
    """Which of `job_ids` a task of `task_paths` failed for (one query, whatever their number)."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if not job_ids:
        return set()
    failed = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED,
        task_path__in=list(task_paths),
        args_kwargs__args__0__in=job_ids,
    )
    return {int(pk) for pk in failed.values_list("args_kwargs__args__0", flat=True)}
