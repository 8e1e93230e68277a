"""Files past their time go (unionrec.daily): `purge_expired` deletes uploaded member lists
past UNIONREC_IMPORT_FILE_HOURS or whose import ended, and expired export files, keeping
every record; the task worker runs it once a day, one worker of several."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command, get_commands
from django_tasks_db.management.commands import db_worker as library_worker

from members.jobs import ImportJob, ImportStatus
from reports.models import ExportJob, ExportKind, ExportStatus
from tests.factories import user
from tests.races import run_together
from unionrec import daily
from unionrec.management.commands import db_worker

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 4, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def import_job(tree, name, *, hours_old, status=ImportStatus.PREVIEWED):
    job = ImportJob(
        branch=tree.union,
        filename=f"{name}.csv",
        stored_name=f"{name}.bin",
        size=4,
        sha256="a" * 64,
        status=status,
        preview={"ok": True},
    )
    job.file.save(job.stored_name, ContentFile(b"list"), save=False)
    job.save()
    ImportJob.objects.filter(pk=job.pk).update(created_at=NOW - timedelta(hours=hours_old))
    return job


def export_job(owner, name, *, expires_in_hours):
    job = ExportJob(
        owner=owner,
        kind=ExportKind.ROSTER_XLSX,
        status=ExportStatus.DONE,
        stored_name=f"{name}.xlsx",
        filename=f"{name}.xlsx",
        expires_at=NOW + timedelta(hours=expires_in_hours),
    )
    job.file.save(job.stored_name, ContentFile(b"xlsx"), save=False)
    job.save()
    return job


def kept(job):
    job.refresh_from_db()
    return bool(job.file) and default_storage.exists(job.file.name)


@pytest.fixture
def files(tree):
    owner = user("exporter")
    return {
        "old_import": import_job(tree, "old", hours_old=73),
        "young_import": import_job(tree, "young", hours_old=71),
        "written_import": import_job(tree, "written", hours_old=1, status=ImportStatus.COMMITTED),
        "expired_export": export_job(owner, "expired", expires_in_hours=-1),
        "live_export": export_job(owner, "live", expires_in_hours=1),
    }


def purge(*arguments):
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("purge_expired", *arguments, stdout=out)
    return out.getvalue()


def test_purge_expired_deletes_the_files_past_their_time_and_keeps_the_records(files):
    out = purge()
    assert "Import files deleted: 2" in out and "Export files deleted: 1" in out
    gone = {name for name, job in files.items() if not kept(job)}
    assert gone == {"old_import", "written_import", "expired_export"}
    assert ImportJob.objects.count() == 3 and ExportJob.objects.count() == 2
    assert files["old_import"].sha256 == "a" * 64
    assert "Import files deleted: 0" in purge() and "Export files deleted: 0" in purge()


def test_a_dry_run_counts_and_deletes_nothing(files):
    out = purge("--dry-run")
    assert "Import files would be deleted (dry run): 2" in out
    assert "Export files would be deleted (dry run): 1" in out
    assert all(kept(job) for job in files.values())


def test_files_already_missing_are_not_an_error(files):
    for job in files.values():
        default_storage.delete(job.file.name)
    out = purge()
    assert "Import files deleted: 2" in out and "Export files deleted: 1" in out
    files["old_import"].refresh_from_db()
    files["expired_export"].refresh_from_db()
    assert not files["old_import"].file and not files["expired_export"].file


def test_the_command_says_what_it_does(capsys):
    with pytest.raises(SystemExit):
        call_command("purge_expired", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "UNIONREC_IMPORT_FILE_HOURS" in text and "--dry-run" in text
    assert "once a day" in text


def test_the_daily_purge_runs_once_a_day(files):
    first = daily.run_daily(now=NOW)
    assert first == daily.Purged(import_files=2, export_files=1)
    assert daily.run_daily(now=NOW + timedelta(hours=23)) is None
    assert daily.run_daily(now=NOW + timedelta(hours=24)) is not None


@pytest.mark.django_db(transaction=True)
def test_of_several_workers_one_runs_the_day_s_purge():
    for moment in (NOW, NOW + timedelta(days=1)):  # the first day's row, then a later day
        claims = run_together(*[lambda m=moment: daily.claim("purge", now=m)] * 3)
        assert sorted(claims) == [False, False, True]


def test_the_worker_command_is_unionrec_s_and_starts_the_daily_purge(monkeypatch):
    assert get_commands()["db_worker"] == "unionrec"
    started = []
    monkeypatch.setattr(db_worker, "keep_daily", lambda: started.append("daily"))
    monkeypatch.setattr(db_worker.heartbeat, "keep_beating", lambda _id: started.append("beat"))
    monkeypatch.setattr(library_worker.Worker, "run", lambda self: None)
    call_command("db_worker", "--no-reload", "--no-startup-delay", stdout=StringIO())
    assert started == ["beat", "daily"]
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    assert started == ["beat", "daily"]  # a batch runs the waiting tasks only
