"""Health (issue 17 item 3, unionrec.health): `/healthz` answers 200 with every part healthy and
503 naming the failing one (the database, waiting migrations, the task worker's heartbeat); no
login, nothing personal; `manage.py check_health` says the same with its exit status."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from unionrec import health, heartbeat

pytestmark = pytest.mark.django_db


def answer(client: Client | None = None):
    response = (client or Client()).get("/healthz")
    return response.status_code, response.json()


def test_healthy_with_a_recent_heartbeat():
    heartbeat.beat("worker-1")
    status, body = answer()
    assert status == 200
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "worker": "ok"},
    }


def test_a_silent_worker_is_named(settings):
    settings.UNIONREC_HEALTH_WORKER_SECONDS = 60
    heartbeat.beat("worker-1", now=timezone.now() - timedelta(seconds=90))
    status, body = answer()
    assert status == 503 and body["status"] == "failing"
    assert body["checks"]["worker"].startswith("last heartbeat 9")
    assert body["checks"]["database"] == body["checks"]["migrations"] == "ok"


def test_no_worker_ever_is_named():
    status, body = answer()
    assert status == 503 and "no heartbeat" in body["checks"]["worker"]


def test_waiting_migrations_are_named(monkeypatch):
    heartbeat.beat("worker-1")
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: [("m", False)] * 2
    )
    status, body = answer()
    assert status == 503 and body["checks"]["migrations"] == "2 not applied: run manage.py migrate"


def test_a_database_that_does_not_answer_is_named(monkeypatch):
    def down():
        return health.Check("database", False, "not reachable: OperationalError")

    monkeypatch.setattr(health, "_database", down)
    status, body = answer()
    assert status == 503 and body["checks"]["database"] == "not reachable: OperationalError"
    assert body["checks"]["worker"] == "not checked: no database"


def test_no_login_and_nothing_personal(tree, client_as):
    from tests.factories import member

    member(tree.union, "Nguyễn Thị Lan", card_number="HP-0012345")
    heartbeat.beat("worker-1")
    anonymous = Client().get("/healthz")
    assert anonymous.status_code == 200 and anonymous["Cache-Control"] == "no-store"
    assert "Lan" not in anonymous.content.decode() and "HP-" not in anonymous.content.decode()
    assert client_as("member").get("/healthz").status_code == 200


def test_the_command_says_the_same_with_its_exit_status():
    heartbeat.beat("worker-1")
    out = StringIO()
    call_command("check_health", stdout=out)
    assert out.getvalue().splitlines() == ["database: ok", "migrations: ok", "worker: ok"]
    heartbeat.stop("worker-1")
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("check_health", stdout=out)
    assert error.value.returncode == 1 and "worker" in str(error.value)
    assert "worker: no heartbeat" in out.getvalue()
