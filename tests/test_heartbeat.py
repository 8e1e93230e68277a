"""A killed worker's tasks are recovered (issue 16 item 5, unionrec.heartbeat): the worker
writes a heartbeat; the running tasks of a worker silent for UNIONREC_WORKER_DEAD_SECONDS are
marked failed by any worker, and so are the imports and exports they were doing; no task stays
RUNNING. The last test kills a real worker process with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from members.jobs import ImportJob, ImportStatus
from reports.models import ExportJob, ExportKind, ExportStatus
from tests.factories import user
from unionrec import heartbeat
from unionrec.models import WorkerBeat

ROOT = Path(__file__).resolve().parents[1]
IMPORT_STOPPED = (
    "The import stopped before it finished; nothing was written. Upload the file again."
)


def running_task(path: str, job_id: int, worker: str | None, *, started: timedelta):
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [job_id], "kwargs": {}},
        task_path=path,
        worker_ids=[worker] if worker else [],
        queue_name="default",
        backend_name="default",
        run_after=now,
        started_at=now - started,
        exception_class_path="",
        traceback="",
    )


def import_job(tree, status=ImportStatus.CHECKING, language="en"):
    return ImportJob.objects.create(
        branch=tree.union,
        filename="danh-sach.csv",
        stored_name=f"{status}-{language}-{ImportJob.objects.count()}.bin",
        size=1,
        sha256="0" * 64,
        status=status,
        language=language,
        heartbeat_at=timezone.now(),  # heard of just now: STALE_AFTER alone would wait 10 min
    )


def silent(worker_id: str, seconds: float) -> None:
    heartbeat.beat(worker_id, now=timezone.now() - timedelta(seconds=seconds))


@pytest.mark.django_db
def test_the_tasks_of_a_silent_worker_fail_and_so_do_their_jobs(tree, settings):
    settings.UNIONREC_WORKER_DEAD_SECONDS = 30
    silent("killed", 31)
    silent("alive", 5)
    lost, kept = import_job(tree, language="vi"), import_job(tree)
    export = ExportJob.objects.create(
        owner=user("owner"),
        kind=ExportKind.ROSTER_XLSX,
        status=ExportStatus.RUNNING,
        heartbeat_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=1),
        parameters={},
    )
    stopped = running_task("members.tasks.check_import", lost.pk, "killed", started=timedelta(0))
    running = running_task("members.tasks.check_import", kept.pk, "alive", started=timedelta(0))
    writing = running_task("reports.tasks.run_export", export.pk, "killed", started=timedelta(0))
    assert heartbeat.recover() == 2
    for task, status in ((stopped, "FAILED"), (running, "RUNNING"), (writing, "FAILED")):
        task.refresh_from_db()
        assert task.status == status
    stopped.refresh_from_db()
    assert stopped.exception_class_path == heartbeat.STOPPED and "killed" in stopped.traceback
    for job in (lost, kept, export):
        job.refresh_from_db()
    assert (lost.status, kept.status, export.status) == (
        ImportStatus.FAILED,
        ImportStatus.CHECKING,
        ExportStatus.FAILED,
    )
    with translation.override("vi"):
        assert lost.message == gettext(IMPORT_STOPPED)  # in the job's language
    assert list(WorkerBeat.objects.values_list("worker_id", flat=True)) == ["alive"]


@pytest.mark.django_db
def test_a_task_of_a_worker_without_heartbeat_fails_once_it_ran_past_the_dead_time(tree):
    old = running_task("members.tasks.check_import", 1, "before", started=timedelta(minutes=2))
    new = running_task("members.tasks.check_import", 2, "before", started=timedelta(seconds=5))
    assert heartbeat.recover() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == ("FAILED", "RUNNING")


@pytest.mark.django_db
def test_a_worker_that_lost_the_database_releases_its_own_task_and_job(tree):
    heartbeat.beat("back")
    heartbeat.beat("other")
    job = import_job(tree)
    own = running_task("members.tasks.check_import", job.pk, "back", started=timedelta(seconds=5))
    theirs = running_task("members.tasks.check_import", 0, "other", started=timedelta(seconds=5))
    assert heartbeat.release("back") == 1
    own.refresh_from_db()
    theirs.refresh_from_db()
    assert (own.status, theirs.status) == ("FAILED", "RUNNING")
    assert "lost the database" in own.traceback
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED


def _database_env() -> dict[str, str]:
    """The environment of a subprocess on this test's database (SQLite file or PostgreSQL)."""
    env = {**os.environ, "UNIONREC_TESTING": "1", "DJANGO_DEBUG": "0"}
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = str(name)
        env.pop("DATABASE_URL", None)
    else:
        s = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT'] or 5432}/{name}"
    return env


def _worker(env: dict[str, str], worker_id: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"]
    return subprocess.Popen(  # noqa: S603
        [*command, "--worker-id", worker_id],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_after_kill_9_the_next_worker_fails_the_task_and_its_job(tree, tmp_path, settings):
    """A worker checks a member list of 20,000 rows in the background; it is SIGKILLed
    while the check runs; a new worker starts. With a 1 s heartbeat and a 3 s dead time the
    task and the import job are failed within seconds (at the defaults, 10 s and 30 s: within
    a minute of the new worker's start)."""
    import random

    from members import importer
    from tests.members.test_import_crash import member_list

    settings.MEDIA_ROOT = tmp_path / "media"
    env = {
        **_database_env(),
        "UNIONREC_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "UNIONREC_WORKER_BEAT_SECONDS": "1",
        "UNIONREC_WORKER_DEAD_SECONDS": "3",
    }
    path = tmp_path / "danh-sach.csv"
    member_list(path, 20_000, random.Random(16))
    job = importer.start(
        branch=tree.union, data=path.read_bytes(), filename=path.name, background=True
    )
    task = DBTaskResult.objects.get(task_path="members.tasks.check_import")
    first = _worker(env, "first")
    try:
        assert _until(
            lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKING).exists(),
            60,
        ), "the first worker never started the check"
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
    task.refresh_from_db()
    assert task.status == "RUNNING"  # as the killed worker left it
    second = _worker(env, "second")
    try:
        assert _until(
            lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.FAILED).exists(), 30
        ), "the import job was not failed"
        task.refresh_from_db()
        assert task.status == "FAILED" and "first" in task.traceback
        assert WorkerBeat.objects.filter(worker_id="second").exists()
        assert not WorkerBeat.objects.filter(worker_id="first").exists()
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(20)
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
    assert not WorkerBeat.objects.exists()  # the second ended normally
