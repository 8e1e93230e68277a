"""`manage.py db_worker`: django-tasks-db's worker, which also writes its heartbeat and
recovers the work of stopped workers (unionrec.heartbeat), and runs the daily work
(unionrec.daily), each in a thread beside its loop. This command replaces the library's because
unionrec comes before django_tasks_db in INSTALLED_APPS; its options are the library's."""

from __future__ import annotations

import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from unionrec import heartbeat
from unionrec.daily import keep_daily


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
            super().handle(*args, **options)
        finally:
            if child:
                heartbeat.stop(worker_id)
