"""Faults an operator meets (issue 17 item 6), each with what was lost: nothing.

- The disk fills while an export is written: the export fails with a message saying so, and
  no file, whole or partial, is left in storage or in the temporary directory.
- The task worker is stopped for ten minutes: the jobs queued meanwhile wait (nothing marks
  them failed) and are done when it returns.

A gunicorn worker killed with SIGKILL and a PostgreSQL restart under load are steps of
`python -m bench.load --faults` (make bench): they need a running server and a database
server to restart."""

from __future__ import annotations

import errno
import html
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reports import exports
from reports.models import ExportJob, ExportStatus
from tests.factories import member

pytestmark = pytest.mark.django_db(transaction=True)

FULL = "The server's disk is full"


@pytest.fixture
def queued(client_as, tree, settings, tmp_path, english):
    """A roster export of the union (4 members) waiting for the worker, its owner's client."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UNIONREC_EXPORT_DIRECT_MAX_ROWS = 2
    for n in range(4):
        member(tree.unit_a, f"Đoàn Viên {n}", card_number=f"HP-3{n:02}")
    client = client_as("secretary")
    response = client.get(reverse("reports:roster_xlsx"), {"branch": "union"})
    assert response.status_code == 302
    return ExportJob.objects.latest("pk"), client


def _work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def _leftovers() -> set[str]:
    return {path.name for path in Path(tempfile.gettempdir()).glob("unionrec-export-*")}


def _stored(settings) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


class _FillsUp:
    """A file that takes `room` bytes, then fails as a full disk does."""

    def __init__(self, handle, room: int) -> None:
        self.handle, self.room = handle, room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.handle.write(data[: self.room])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.handle.write(data)

    def close(self) -> None:
        self.handle.close()


def test_a_disk_full_while_the_file_is_stored_leaves_no_partial_file(queued, settings, monkeypatch):
    import django.core.files.storage.filesystem as filesystem

    job, client = queued
    real = filesystem.os.fdopen
    monkeypatch.setattr(filesystem.os, "fdopen", lambda fd, mode: _FillsUp(real(fd, mode), 100))
    before = _leftovers()
    _work()
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.message.startswith(FULL)
    assert not job.file and _stored(settings) == []  # the 100 bytes written were removed
    assert _leftovers() == before
    page = client.get(reverse("reports:export", args=[job.pk])).content.decode()
    assert FULL in html.unescape(page)
    assert client.get(reverse("reports:export_file", args=[job.pk])).status_code == 404


def test_a_disk_full_while_the_workbook_is_laid_out_leaves_no_temporary_file(
    queued, settings, monkeypatch
):
    job, _client = queued

    def fills_up(roster, *, language, out, progress):
        Path(out).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(exports, "roster_xlsx", fills_up)
    before = _leftovers()
    _work()
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.message.startswith(FULL)
    assert _leftovers() == before and _stored(settings) == []


def test_jobs_wait_while_the_worker_is_stopped_ten_minutes_and_run_when_it_returns(queued):
    job, client = queued
    later = timezone.now() + timedelta(minutes=10)
    with time_machine.travel(later, tick=False):
        page = client.get(reverse("reports:export", args=[job.pk])).content.decode()
        assert 'data-status="queued"' in page  # shown, not failed, after ten minutes
        _work()  # the worker returns: it recovers what it left running (nothing), then works
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.rows_written == 4
    assert client.get(reverse("reports:export_file", args=[job.pk])).status_code == 200


def test_the_worker_outlives_a_database_out_of_reach(queued, monkeypatch):
    """PostgreSQL restarting ends the library's loop with OperationalError: the worker waits
    and starts it again, and the queued export is written (`make bench` restarts a real
    server under load: bench/load.py --faults)."""
    from django.db import OperationalError
    from django_tasks_db.management.commands import db_worker as library

    from unionrec.management.commands import db_worker as ours

    job, _client = queued
    loops, waits = [], []
    real = library.Command.handle

    def restarting(self, *args, **options):
        loops.append(options["worker_id"])
        if len(loops) == 1:
            raise OperationalError("connection refused: the server is restarting")
        return real(self, *args, **options)

    monkeypatch.setattr(library.Command, "handle", restarting)
    monkeypatch.setattr(ours.heartbeat, "keep_beating", lambda worker_id: None)
    monkeypatch.setattr(ours, "keep_daily", lambda: None)
    monkeypatch.setattr(ours, "_wait", waits.append)
    call_command("db_worker", "--max-tasks", "1", "--no-startup-delay", verbosity=0)
    assert len(loops) == 2 and waits == [1.0]
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
