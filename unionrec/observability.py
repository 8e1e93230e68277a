"""What an operator watches (issue 17 item 7): a line a request in the `unionrec.requests` log,
and the figures at `/metrics` in Prometheus's text format (unionrec.views.metrics).

The line, written once the answer is ready, after every other middleware:

    request method=GET view=members:member_list status=200 ms=12.3 user=7 db_queries=4

`view` is the URL's name ("-" for an address that names none: an unknown one, a static file),
`user` the user's id ("-" for nobody), `db_queries` the queries the request sent to the
database. Nothing else of the request goes in: no path, no query string, so nothing a user
typed. A file's download is timed until its answer starts, not until its last byte.

The figures, when UNIONREC_METRICS is set: requests counted by view and status class, and
their times as a histogram by view; then, read from the database at each scrape (the same for
every process), the task queue and the worker's heartbeat. gunicorn answers with several
processes, and a scrape reaches one of them: with PROMETHEUS_MULTIPROC_DIR set (`make serve`
sets it) each process keeps its counts in a file there and the scrape adds up all of them
(prometheus_client's multiprocess mode); without it the counts are the answering process's
alone, and the figures' help says so. Nothing here writes to the database."""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics
from prometheus_client.exposition import generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from .access import log_safe
from .heartbeat import latest_beat

log = logging.getLogger("unionrec.requests")

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
SHARED = "PROMETHEUS_MULTIPROC_DIR" in os.environ  # prometheus_client reads it once, on import
WHOSE = "all of the server's processes" if SHARED else "the answering server process alone"
# Seconds: pages answer within 1 s; a PDF may take UNIONREC_PDF_SECONDS (60) and gunicorn
# cuts a request at 90.
BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 90)

disable_created_metrics()  # type: ignore[no-untyped-call]  # no `_created` twin of each series
REQUESTS = Counter(
    "unionrec_http_requests",
    f"Requests answered, by view and status class, since the server started ({WHOSE}).",
    ["view", "status"],
    registry=None,
)
DURATION = Histogram(
    "unionrec_http_request_duration_seconds",
    f"Time to answer a request, by view ({WHOSE}).",
    ["view"],
    buckets=BUCKETS,
    registry=None,
)


class QueryCount:
    """A database execute wrapper that counts the queries of the request it wraps."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], *args: Any) -> Any:
        self.count += 1
        return execute(*args)


class RequestLogMiddleware:
    """First in MIDDLEWARE, so that its time is the whole request's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        queries = QueryCount()
        started = time.perf_counter()
        with connection.execute_wrapper(queries):
            response = self.get_response(request)
        seconds = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match is not None and match.view_name else "-"
        user = getattr(request, "user", None)
        log.info(
            "request method=%s view=%s status=%s ms=%.1f user=%s db_queries=%s",
            log_safe(request.method or "-")[:20],
            view,
            response.status_code,
            seconds * 1000,
            getattr(user, "pk", None) or "-",
            queries.count,
        )
        if settings.UNIONREC_METRICS:
            REQUESTS.labels(view=view, status=f"{response.status_code // 100}xx").inc()
            DURATION.labels(view=view).observe(seconds)
        return response


def may_scrape(request: HttpRequest) -> bool:
    """Whether the request carries `Authorization: Bearer <UNIONREC_METRICS>` (compared in
    constant time); never when UNIONREC_METRICS is unset."""
    token = settings.UNIONREC_METRICS
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def task_figures() -> dict[str, float | None]:
    """The task queue and the worker, from the database: tasks due and waiting (READY, their
    time to run come), the age in seconds of the oldest of them (0: none waits), tasks
    running, and the age of the latest heartbeat of any worker (None: no worker runs, or none
    ever did). Three small queries; the waiting ones are read through django-tasks-db's index
    of READY tasks."""
    now = timezone.now()
    waiting = DBTaskResult.objects.ready().aggregate(count=Count("pk"), oldest=Min("enqueued_at"))
    beat = latest_beat()
    oldest = waiting["oldest"]
    return {
        "unionrec_tasks_waiting": waiting["count"],
        "unionrec_tasks_oldest_waiting_seconds": (now - oldest).total_seconds() if oldest else 0,
        "unionrec_tasks_running": DBTaskResult.objects.running().count(),
        "unionrec_worker_last_heartbeat_seconds": (now - beat).total_seconds() if beat else None,
    }


HELP = {
    "unionrec_tasks_waiting": "Background tasks due to run and waiting for the worker.",
    "unionrec_tasks_oldest_waiting_seconds": "Seconds the oldest waiting task has waited.",
    "unionrec_tasks_running": "Background tasks running now.",
    "unionrec_worker_last_heartbeat_seconds": (
        "Seconds since a task worker last wrote its heartbeat (absent: no worker runs)."
    ),
}


class TaskCollector(Collector):
    """The figures of `task_figures`, read at each scrape."""

    def collect(self) -> Iterator[Metric]:
        for name, value in task_figures().items():
            if value is not None:
                yield GaugeMetricFamily(name, HELP[name], value=value)


def exposition() -> bytes:
    """Every figure, in Prometheus's text format 0.0.4."""
    registry = CollectorRegistry(auto_describe=False)
    if SHARED:
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(REQUESTS)
        registry.register(DURATION)
    registry.register(TaskCollector())
    return generate_latest(registry)
