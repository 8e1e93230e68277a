"""The task worker's heartbeat, and what happens to the work of a worker that stopped
(issue 16 item 5).

`manage.py db_worker` writes a heartbeat row (`WorkerBeat`) when it starts and then every
UNIONREC_WORKER_BEAT_SECONDS (10) from a thread beside its loop (`keep_beating`). A worker not
heard of for UNIONREC_WORKER_DEAD_SECONDS (30) was killed or lost its machine: `recover`,
which every worker runs when it starts and after each heartbeat, marks its running tasks
failed (django-tasks-db leaves them RUNNING for good) and then the imports and exports those
tasks were doing (unionrec.jobs.fail_stale reads the failed tasks). So after `kill -9` the
job says "failed" within a minute of any worker running again, and no task stays RUNNING.

A task that was running under a worker with no heartbeat row at all (one started before this
version) is taken as stopped once it has run longer than the dead time. `latest_beat` is what
the health check reads."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import WorkerBeat

log = logging.getLogger("unionrec.heartbeat")

STOPPED = "unionrec.heartbeat.WorkerStopped"  # the failed task's exception class path


def beat_seconds() -> float:
    return float(settings.UNIONREC_WORKER_BEAT_SECONDS)


def dead_after() -> timedelta:
    return timedelta(seconds=float(settings.UNIONREC_WORKER_DEAD_SECONDS))


def beat(worker_id: str, *, now: datetime | None = None) -> None:
    """Write `worker_id`'s heartbeat (its row is made on the first)."""
    now = now or timezone.now()
    if not WorkerBeat.objects.filter(worker_id=worker_id).update(beat_at=now):
        WorkerBeat.objects.create(
            worker_id=worker_id,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=now,
            beat_at=now,
        )


def latest_beat() -> datetime | None:
    """The most recent heartbeat of any worker (None: no worker ever ran)."""
    found: datetime | None = (
        WorkerBeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    )
    return found


def recover(*, now: datetime | None = None) -> int:
    """Mark failed the running tasks of workers not heard of for the dead time, then the
    imports and exports they were doing; forget those workers. Returns how many tasks."""
    now = now or timezone.now()
    silent_since = now - dead_after()
    beats = dict(WorkerBeat.objects.values_list("worker_id", "beat_at"))

    def why(task: DBTaskResult[Any, Any], worker: str | None) -> str | None:
        last_heard = beats.get(worker) if worker else None
        if last_heard is None:
            last_heard = task.started_at or task.enqueued_at
        if last_heard >= silent_since:
            return None
        return f"The worker {worker or '?'} stopped: no heartbeat since {last_heard.isoformat()}."

    failed = _fail_running(why, now)
    WorkerBeat.objects.filter(beat_at__lt=silent_since).delete()
    if failed:
        log.warning("%s task(s) of stopped workers marked failed", failed)
    _fail_their_jobs()
    return failed


def release(worker_id: str, *, now: datetime | None = None) -> int:
    """Mark failed the running tasks of `worker_id` itself, then their imports and exports:
    its loop lost the database (a restart of PostgreSQL) and starts again, running none of
    them any more. Returns how many tasks."""

    def why(task: DBTaskResult[Any, Any], worker: str | None) -> str | None:
        if worker != worker_id:
            return None
        return f"The worker {worker_id} lost the database while the task ran."

    failed = _fail_running(why, now or timezone.now())
    _fail_their_jobs()
    return failed


def _fail_running(
    why: Callable[[DBTaskResult[Any, Any], str | None], str | None], now: datetime
) -> int:
    """Mark failed each running task for which `why(task, its last worker)` gives a reason."""
    failed = 0
    for task in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        reason = why(task, task.worker_ids[-1] if task.worker_ids else None)
        if reason is None:
            continue
        stopped = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING)
        failed += stopped.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=STOPPED,
            traceback=reason,
            return_value=None,
        )
    return failed


def _fail_their_jobs() -> None:
    from members.importer import mark_stale as stale_imports
    from members.jobs import ImportJob
    from reports.exports import mark_stale as stale_exports
    from reports.models import ExportJob

    stale_imports(ImportJob.objects.all())
    stale_exports(ExportJob.objects.all())


def stop(worker_id: str) -> None:
    """A worker that ends normally removes its heartbeat."""
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def keep_beating(worker_id: str) -> threading.Thread:
    """Start a daemon thread that writes `worker_id`'s heartbeat and recovers the work of
    stopped workers every UNIONREC_WORKER_BEAT_SECONDS; it dies with the worker."""

    def loop() -> None:
        while True:
            close_old_connections()
            try:
                beat(worker_id)
                recover()
            except Exception:
                log.exception("heartbeat failed")
            finally:
                connections.close_all()  # this thread's connections only
            time.sleep(beat_seconds())

    thread = threading.Thread(target=loop, name="unionrec-heartbeat", daemon=True)
    thread.start()
    return thread
