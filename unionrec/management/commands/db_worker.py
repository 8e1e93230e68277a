"""`manage.py db_worker`: django-tasks-db's worker, which also writes its heartbeat and
recovers the work of stopped workers (unionrec.heartbeat), and runs the daily work
(unionrec.daily), each in a thread beside its loop. This command replaces the library's because
unionrec comes before django_tasks_db in INSTALLED_APPS; its options are the library's.

The library's loop ends when the database cannot be reached (PostgreSQL restarting). Here it
starts again, after 1, 2, 5 then every 10 s, once the task it was running is marked failed
(heartbeat.release), so jobs do not wait for someone to restart the worker (issue 17 item 6).
SIGTERM or Ctrl-C during the wait ends it. With --batch the error ends the command."""

from __future__ import annotations

import logging
import os
import signal
import time
from typing import Any

from django.db import InterfaceError, OperationalError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from unionrec import heartbeat
from unionrec.daily import keep_daily

log = logging.getLogger("unionrec.worker")
RETRY_SECONDS = (1.0, 2.0, 5.0, 10.0)


class Command(db_worker.Command):
    help = (
        "Run the background worker (django-tasks-db) for imports and exports; once a day it "
        "also deletes the stored files past their time (as purge_expired does). It writes a "
        "heartbeat every UNIONREC_WORKER_BEAT_SECONDS (10); the tasks of a worker silent for "
        "UNIONREC_WORKER_DEAD_SECONDS (30), and their imports and exports, are marked failed. "
        "With --batch it runs the waiting tasks only."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # With --reload the parent process only restarts the child: the child does the work.
        child = not options.get("reload") or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        worker_id = options["worker_id"]
        if child:
            heartbeat.beat(worker_id)
            heartbeat.recover()  # what a worker killed earlier left running
        if not options.get("batch") and child:
            heartbeat.keep_beating(worker_id)
            keep_daily()
        try:
            self.work(*args, **options)
        finally:
            if child:
                heartbeat.stop(worker_id)

    def work(self, *args: Any, **options: Any) -> None:
        """The library's loop, started again while the database is out of reach."""
        outages = 0
        while True:
            try:
                if outages:
                    heartbeat.release(options["worker_id"])
                super().handle(*args, **options)
                return
            except (OperationalError, InterfaceError) as error:
                if options.get("batch"):
                    raise
                pause = RETRY_SECONDS[min(outages, len(RETRY_SECONDS) - 1)]
                outages += 1
                log.warning("database out of reach (%s); working again in %g s", error, pause)
                connections.close_all()
                _wait(pause)


def _wait(seconds: float) -> None:
    """Sleep, ending the worker on SIGTERM or SIGINT (the library's handlers are the loop's)."""

    def end(signum: int, frame: object) -> None:
        raise SystemExit(0)

    for stop in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop, end)
    time.sleep(seconds)
