"""The task worker's daily work: files past their time are deleted (`purge_expired`).

`manage.py db_worker` (unionrec's, which wraps django-tasks-db's) starts `keep_daily` beside
its loop: a thread that asks every hour whether the day's purge is due. `claim` moves the
work's last run forward in the database (one conditional UPDATE), so of several workers one
runs it each day; the others find it done. `python manage.py purge_expired` runs the same
purge from a timer, whenever asked."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import close_old_connections, connections
from django.utils import timezone

from members import import_lifetime
from reports import exports

from .models import DailyRun

log = logging.getLogger("unionrec.daily")

DAY = timedelta(days=1)
CHECK_EVERY_SECONDS = 3600.0  # how often the worker's thread asks whether the day's work is due
PURGE = "purge_expired"


@dataclass(frozen=True)
class Purged:
    """How many files a purge deleted (or, in a dry run, would delete)."""

    import_files: int
    export_files: int


def purge_expired(*, now: datetime | None = None, dry_run: bool = False) -> Purged:
    """Delete the files past their time: member imports' uploads (members.import_lifetime)
    and expired exports (reports.exports.delete_expired). The jobs stay as the record."""
    now = now or timezone.now()
    return Purged(
        import_files=import_lifetime.purge(now=now, dry_run=dry_run),
        export_files=exports.delete_expired(now, dry_run=dry_run),
    )


def claim(name: str, *, now: datetime, every: timedelta = DAY) -> bool:
    """Whether the caller is the one to run the work `name` now: true once per `every`,
    whatever the number of workers asking (the row is created on the first claim)."""
    _run, created = DailyRun.objects.get_or_create(name=name, defaults={"last_run_at": now})
    if created:
        return True
    due = DailyRun.objects.filter(name=name, last_run_at__lte=now - every)
    return due.update(last_run_at=now) == 1


def run_daily(*, now: datetime | None = None) -> Purged | None:
    """The day's purge if no worker has run it within the last day; None when it was done."""
    now = now or timezone.now()
    if not claim(PURGE, now=now):
        return None
    purged = purge_expired(now=now)
    log.info(
        "daily purge: %s import file(s), %s export file(s) deleted",
        purged.import_files,
        purged.export_files,
    )
    return purged


def keep_daily(every_seconds: float = CHECK_EVERY_SECONDS) -> threading.Thread:
    """Start a daemon thread that calls `run_daily` now and then every `every_seconds`. A purge
    that fails is logged, and the next day's tries again (its day was claimed); the thread
    dies with the worker."""

    def loop() -> None:
        while True:
            close_old_connections()
            try:
                run_daily()
            except Exception:
                log.exception("daily purge failed")
            finally:
                connections.close_all()  # this thread's connections only
            time.sleep(every_seconds)

    thread = threading.Thread(target=loop, name="unionrec-daily", daemon=True)
    thread.start()
    return thread
