"""`make serve` (issue 17 item 1; unionrec.serve): it refuses an environment unfit for
production, saying what to set; it starts gunicorn and the task worker after `migrate` and
`collectstatic`, on the database the settings name (a fresh SQLite file, or a fresh PostgreSQL
database in the PostgreSQL run), serves static files with hashed names and a long cache, knows
HTTPS from a trusted proxy only, adds up its processes' figures at /metrics, and stops both
processes on SIGTERM."""

from __future__ import annotations

import os
import re
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from unionrec.environment import DEVELOPMENT_SECRET_KEY, production_refusals

BASE_DIR = Path(__file__).resolve().parent.parent
GOOD = {"DJANGO_SECRET_KEY": "k" * 50, "DJANGO_ALLOWED_HOSTS": "unionrec.example.org"}


def _clean_environ() -> dict[str, str]:
    """The test run's environment without what makes Django think it is under test."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.pop("UNIONREC_TESTING", None)
    return env


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG"),
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY is not set"),
        ({"DJANGO_SECRET_KEY": DEVELOPMENT_SECRET_KEY}, "DJANGO_SECRET_KEY is the development"),
        ({"DJANGO_ALLOWED_HOSTS": " , "}, "DJANGO_ALLOWED_HOSTS"),
        ({"UNIONREC_TESTING": "yes"}, "UNIONREC_TESTING"),
    ],
    ids=["debug", "no-key", "development-key", "no-hosts", "testing"],
)
def test_an_unfit_environment_is_refused_with_what_to_set(change, named):
    env = _clean_environ() | GOOD | change
    done = subprocess.run(
        [sys.executable, "-m", "unionrec.serve", "--port", "1"],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "not started" in done.stderr and named in done.stderr
    assert "Set " in done.stderr or "Unset " in done.stderr
    assert production_refusals(GOOD) == []


def test_each_reason_is_said_at_once():
    reasons = production_refusals({"DJANGO_DEBUG": "on"})
    assert [r.split()[0] for r in reasons] == [
        "DJANGO_DEBUG",
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
    ]


def test_the_request_timeout_sits_above_the_pdf_limit(monkeypatch, settings):
    settings.UNIONREC_PDF_SECONDS = 75
    conf = runpy.run_path(str(BASE_DIR / "unionrec/gunicorn_conf.py"))
    assert conf["timeout"] == 105 > settings.UNIONREC_PDF_SECONDS
    assert conf["graceful_timeout"] >= conf["timeout"]
    monkeypatch.setenv("UNIONREC_WEB_WORKERS", "3")
    monkeypatch.setenv("UNIONREC_WEB_THREADS", "8")
    conf = runpy.run_path(str(BASE_DIR / "unionrec/gunicorn_conf.py"))
    assert (conf["workers"], conf["threads"]) == (3, 8)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database(tmp_path) -> Iterator[dict[str, str]]:
    """A database of its own: a new SQLite file, or a new PostgreSQL database beside the
    test database when the run is on PostgreSQL."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield {"SQLITE_PATH": str(tmp_path / "serve.sqlite3")}
        return
    import psycopg

    name = f"{os.environ.get('TEST_DATABASE_NAME', 'test_unionrec')}_serve"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield {"DATABASE_URL": urlunsplit(urlsplit(url)._replace(path=f"/{name}"))}
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http://127.0.0.1 only

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read().decode(errors="replace")


def _in_group(group: int) -> list[int]:
    """The processes still alive in a process group."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == group:
                    found.append(int(entry.name))
            except ProcessLookupError:
                continue
    return found


def test_it_migrates_collects_and_serves_with_the_worker_then_stops(tmp_path, database):
    port = _free_port()
    env = _clean_environ() | database
    env |= {
        "DJANGO_SECRET_KEY": secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "UNIONREC_TRUSTED_PROXIES": "127.0.0.1",
        "UNIONREC_STATIC_ROOT": str(tmp_path / "static"),
        "UNIONREC_WEB_WORKERS": "1",
        "UNIONREC_WEB_THREADS": "2",
        "UNIONREC_WORKER_BEAT_SECONDS": "1",
        "UNIONREC_METRICS": secrets.token_hex(16),
    }
    if "SQLITE_PATH" in database:
        env.pop("DATABASE_URL", None)
    server = subprocess.Popen(  # noqa: S603 - our own module with fixed arguments
        [sys.executable, "-m", "unionrec.serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline, health = time.monotonic() + 120, (0, {}, "")
        while time.monotonic() < deadline and server.poll() is None:
            try:
                health = _get(f"{base}/healthz", **{"X-Forwarded-Proto": "https"})
            except OSError:
                health = (0, {}, "")
            if health[0] == 200:
                break
            time.sleep(0.5)
        assert health[0] == 200, (health, server.poll())  # migrated, and the worker beats

        # plain HTTP from a client that is no proxy: sent to HTTPS (DEBUG is off)
        status, headers, _ = _get(f"{base}/accounts/login/")
        assert status == 301 and headers["Location"].startswith("https://")
        status, _, page = _get(f"{base}/accounts/login/", **{"X-Forwarded-Proto": "https"})
        assert status == 200
        hashed = re.search(r"/static/[\w/.-]+\.[0-9a-f]{12}\.css", page)
        assert hashed, "the page links a stylesheet with a hashed name"
        status, headers, _ = _get(base + hashed.group(0), **{"X-Forwarded-Proto": "https"})
        assert status == 200 and "immutable" in headers["Cache-Control"]
        assert "max-age=315360000" in headers["Cache-Control"]
        assert (tmp_path / "static" / "staticfiles.json").exists()
        # /metrics adds up gunicorn's processes: make serve gave them a directory to share
        scraper = {"Authorization": f"Bearer {env['UNIONREC_METRICS']}"}
        status, _, text = _get(f"{base}/metrics", **scraper, **{"X-Forwarded-Proto": "https"})
        assert status == 200 and "all of the server's processes" in text
        assert 'unionrec_http_requests_total{status="2xx",view="login"} 1.0' in text
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            output = server.communicate(timeout=120)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            raise
    assert server.returncode == 0, output[-3000:]
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    # nothing of the worker or gunicorn is left in the process group
    assert _in_group(server.pid) == [], output[-3000:]
