"""Whether this installation is healthy (issue 17 item 3): `/healthz` for a load balancer or a
monitor, and `python manage.py check_health` for cron and systemd, answer from the same three
checks:

- database: a connection answers a query;
- migrations: none is waiting to be applied;
- worker: the task worker's last heartbeat (unionrec.heartbeat, the one the recovery of a
  killed worker reads) is younger than UNIONREC_HEALTH_WORKER_SECONDS (60).

Each answer names the part and says "ok" or what is wrong; nothing personal, no record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _database() -> Check:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return Check("database", False, f"not reachable: {type(error).__name__}")
    return Check("database", True, "ok")


def _migrations() -> Check:
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:
        return Check("migrations", False, f"not readable: {type(error).__name__}")
    if plan:
        return Check("migrations", False, f"{len(plan)} not applied: run manage.py migrate")
    return Check("migrations", True, "ok")


def _worker() -> Check:
    from .heartbeat import latest_beat

    try:
        beat = latest_beat()
    except Exception as error:
        return Check("worker", False, f"not readable: {type(error).__name__}")
    limit = timedelta(seconds=float(settings.UNIONREC_HEALTH_WORKER_SECONDS))
    if beat is None:
        return Check("worker", False, "no heartbeat: start manage.py db_worker")
    age = timezone.now() - beat
    if age > limit:
        return Check("worker", False, f"last heartbeat {int(age.total_seconds())} s ago")
    return Check("worker", True, "ok")


def checks() -> list[Check]:
    """The three checks, database first: without it the others are not asked."""
    database = _database()
    if not database.ok:
        skipped = "not checked: no database"
        return [database, Check("migrations", False, skipped), Check("worker", False, skipped)]
    return [database, _migrations(), _worker()]
