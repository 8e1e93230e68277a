"""Observability (issue 17 item 7, unionrec.observability): one line a request in the
`unionrec.requests` log, with its view, status, user id, time and queries and nothing a user
typed; `/metrics` in Prometheus's text format, to a scraper with the token alone (404 to anyone
else, and to everyone without UNIONREC_METRICS); request counts that grow, added up over the
server's processes; task figures that match the task rows."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import member
from unionrec import gunicorn_conf, heartbeat
from unionrec.environment import production_refusals
from unionrec.observability import CONTENT_TYPE
from unionrec.serve import TEMPORARY_METRICS_DIR, prepare_metrics_dir

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
LOGGER = "unionrec.requests"
TOKEN = "t0ken-of-the-scraper-5f3a9c"
LINE = re.compile(
    r"request method=(\S+) view=(\S+) status=(\d{3}) ms=(\d+\.\d) user=(\S+) db_queries=(\d+)"
)
Figures = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


def parse(text: str) -> Figures:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client: Client | None = None) -> Figures:
    response = (client or Client()).get("/metrics", headers={"authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE == "text/plain; version=0.0.4; charset=utf-8"
    return parse(response.content.decode())


def figure(figures: Figures, name: str, **labels: str) -> float:
    return figures.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def metrics_on(settings):
    settings.UNIONREC_METRICS = TOKEN


def test_a_request_writes_one_line_with_nothing_it_typed(client_as, tree, caplog):
    member(tree.union, "Trần Thị Hoa", card_number="HP-123456")
    client = client_as("secretary")
    caplog.set_level(logging.INFO, logger=LOGGER)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("members:member_list"), {"search": "Trần HP-123456"})
    assert response.status_code == 200
    found = lines(caplog)
    assert len(found) == 1, found
    parts = LINE.fullmatch(found[0])
    assert parts, found[0]
    user = client.session["_auth_user_id"]
    assert parts.groups()[:3] == ("GET", "members:member_list", "200")
    assert parts[5] == user and int(parts[6]) == len(queries) > 0
    assert 0 < float(parts[4]) < 60_000
    for typed in ("search", "Trần", "HP-123456", "/members"):
        assert typed not in found[0]


def test_a_record_is_named_by_its_view_and_an_anonymous_user_by_a_dash(client_as, tree, caplog):
    person = member(tree.union, "Lê Văn Nam")
    caplog.set_level(logging.INFO, logger=LOGGER)
    Client().get("/no-such-address/?name=Nam")
    client_as("secretary").get(reverse("members:member", args=[person.pk]))
    found = lines(caplog)
    assert len(found) == 2, found
    assert found[0].startswith("request method=GET view=- status=404 ms=")
    assert " user=- " in found[0] and "Nam" not in found[0]
    assert found[1].startswith("request method=GET view=members:member status=200 ")


def test_no_metrics_without_the_setting(settings):
    settings.UNIONREC_METRICS = ""
    client = Client()
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"authorization": "Bearer "}).status_code == 404


@pytest.mark.usefixtures("metrics_on")
@pytest.mark.parametrize(
    "authorization",
    [None, "", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Token {TOKEN}", TOKEN],
    ids=["none", "empty", "longer", "shorter", "other-scheme", "bare"],
)
def test_metrics_answer_the_token_alone(authorization, client_as):
    headers = {} if authorization is None else {"authorization": authorization}
    assert Client().get("/metrics", headers=headers).status_code == 404
    assert client_as("admin").get("/metrics", headers=headers).status_code == 404  # no login


@pytest.mark.usefixtures("metrics_on")
def test_request_counts_and_times_grow_with_requests(tree):
    client = Client()
    before = scrape(client)
    client.get("/healthz")  # 503: no worker runs in the tests
    client.get("/healthz")
    client.get(reverse("login"))
    after = scrape(client)

    def grew(name: str, **labels: str) -> float:
        return figure(after, name, **labels) - figure(before, name, **labels)

    assert grew("unionrec_http_requests_total", view="healthz", status="5xx") == 2
    assert grew("unionrec_http_requests_total", view="login", status="2xx") == 1
    assert grew("unionrec_http_requests_total", view="metrics", status="2xx") == 1  # the first
    assert grew("unionrec_http_request_duration_seconds_count", view="healthz") == 2
    assert grew("unionrec_http_request_duration_seconds_sum", view="healthz") > 0
    buckets = sorted(
        (float(dict(labels)["le"]), value)
        for (name, labels), value in after.items()
        if name == "unionrec_http_request_duration_seconds_bucket"
        and dict(labels)["view"] == "healthz"
    )
    assert [le for le, _count in buckets][-1] == float("inf") and len(buckets) == 13
    counts = [count for _le, count in buckets]
    assert counts == sorted(counts)
    assert counts[-1] == figure(
        after, "unionrec_http_request_duration_seconds_count", view="healthz"
    )


def task(status: str, *, enqueued: timedelta = timedelta(0), run_after: timedelta | None = None):
    now = timezone.now()
    row = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="members.tasks.check_import",
        queue_name="default",
        backend_name="default",
        run_after=now + (run_after or timedelta(0)),
        exception_class_path="",
        traceback="",
    )
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=now - enqueued)


@pytest.mark.usefixtures("metrics_on")
def test_task_figures_match_the_task_rows():
    figures = scrape()
    assert figure(figures, "unionrec_tasks_waiting") == 0
    assert figure(figures, "unionrec_tasks_oldest_waiting_seconds") == 0
    assert ("unionrec_worker_last_heartbeat_seconds", ()) not in figures  # no worker ever
    task(TaskResultStatus.READY, enqueued=timedelta(seconds=300))
    task(TaskResultStatus.READY, enqueued=timedelta(seconds=5))
    task(TaskResultStatus.READY, run_after=timedelta(hours=1))  # not due: not waiting
    task(TaskResultStatus.RUNNING, enqueued=timedelta(hours=2))
    task(TaskResultStatus.SUCCESSFUL, enqueued=timedelta(days=1))
    task(TaskResultStatus.FAILED, enqueued=timedelta(days=1))
    heartbeat.beat("worker-1", now=timezone.now() - timedelta(seconds=42))
    figures = scrape()
    assert figure(figures, "unionrec_tasks_waiting") == 2
    assert 300 <= figure(figures, "unionrec_tasks_oldest_waiting_seconds") < 330
    assert figure(figures, "unionrec_tasks_running") == 1
    assert 42 <= figure(figures, "unionrec_worker_last_heartbeat_seconds") < 72


RECORD = """
import os, sys
import django
django.setup()
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve
from unionrec import observability
request = RequestFactory().get("/healthz")
request.resolver_match = resolve("/healthz")
middleware = observability.RequestLogMiddleware(lambda request: HttpResponse())
for _ in range(int(sys.argv[1])):
    middleware(request)
if sys.argv[2] == "show":
    observability.task_figures = dict  # the database is not this test's subject
    sys.stdout.write(observability.exposition().decode())
"""


def test_the_counts_of_several_processes_are_added_up(tmp_path):
    """As gunicorn's processes do under `make serve` (PROMETHEUS_MULTIPROC_DIR): one process
    answers three requests and ends, another answers two and is scraped."""
    env = dict(os.environ, PROMETHEUS_MULTIPROC_DIR=str(tmp_path), UNIONREC_METRICS=TOKEN)
    env |= {"DJANGO_SETTINGS_MODULE": "unionrec.settings", "UNIONREC_TESTING": "1"}

    def run(requests: int, then: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", RECORD, str(requests), then],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout

    run(3, "end")
    text = run(2, "show")
    figures = parse(text)
    assert figure(figures, "unionrec_http_requests_total", view="healthz", status="2xx") == 5
    assert figure(figures, "unionrec_http_request_duration_seconds_count", view="healthz") == 5
    assert "all of the server's processes" in text


def test_make_serve_empties_the_metrics_directory_and_refuses_a_short_token(tmp_path):
    stale = tmp_path / "counter_4242.db"
    stale.write_bytes(b"old")
    env = {"UNIONREC_METRICS": TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    prepare_metrics_dir(env)
    assert not stale.exists() and env["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path)
    made = {"UNIONREC_METRICS": TOKEN}
    prepare_metrics_dir(made)
    assert Path(made["PROMETHEUS_MULTIPROC_DIR"]).is_dir()
    # `--part web` becomes gunicorn: its master removes the directory as it ends
    with mock.patch.dict(os.environ, made):
        gunicorn_conf.on_exit(None)
    assert not Path(made["PROMETHEUS_MULTIPROC_DIR"]).exists()
    with mock.patch.dict(os.environ, env | {TEMPORARY_METRICS_DIR: "elsewhere"}):
        gunicorn_conf.on_exit(None)  # a directory it did not make stays
    assert tmp_path.is_dir()
    without: dict[str, str] = {}
    prepare_metrics_dir(without)
    assert without == {}

    good = {"DJANGO_SECRET_KEY": "k" * 50, "DJANGO_ALLOWED_HOSTS": "unionrec.example.org"}
    assert production_refusals(good | {"UNIONREC_METRICS": TOKEN}) == []
    (reason,) = production_refusals(good | {"UNIONREC_METRICS": "1"})
    assert reason.startswith("UNIONREC_METRICS") and "openssl rand" in reason
