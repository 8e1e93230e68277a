"""`make serve` (issue 17 item 1; unionrec.serve): it refuses an environment unfit for
production, saying what to set; it starts gunicorn and the task worker after `migrate` and
`collectstatic`, on the database the settings name (a fresh SQLite file, or a fresh PostgreSQL
database in the PostgreSQL run), serves static files with hashed names and a long cache, knows
HTTPS from a trusted proxy only, adds up its processes' figures at /metrics, and stops both
processes on SIGTERM. A second server on the same database serves the same user's session
alternately with the first, page for page (issue 17 item 2: nothing a request needs lives in
one process)."""

from __future__ import annotations

import http.cookiejar
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
import urllib.parse
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http://127.0.0.1 only
    opener = urllib.request.build_opener(_NoRedirect)
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


HTTPS = {"X-Forwarded-Proto": "https"}  # as nginx says it; the test's env trusts 127.0.0.1


def _start(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:  # a file, not a pipe that a long log would fill
        return subprocess.Popen(  # noqa: S603 - our own module with fixed arguments
            [sys.executable, "-m", "unionrec.serve", "--host", "127.0.0.1", *args],
            env=env,
            cwd=BASE_DIR,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_healthy(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline, health = time.monotonic() + 120, (0, {}, "")
    while time.monotonic() < deadline and process.poll() is None:
        try:
            health = _get(f"{base}/healthz", **HTTPS)
        except OSError:
            health = (0, {}, "")
        if health[0] == 200:
            return
        time.sleep(0.5)
    raise AssertionError((health, process.poll(), log.read_text()[-3000:]))


def _stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise


class Browser:
    """One user's cookies, sent to whichever server is asked."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def open(self, url: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        referer = url.replace("http://", "https://", 1)  # what the browser behind nginx sends
        headers = {**HTTPS, "Referer": referer}
        request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode(errors="replace")

    def cookie(self, name: str) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == name)


def _page(html: str) -> str:
    """A page without what differs on every answer: the CSRF token, the script nonce and the
    time a page link's cursor was signed (unionrec.keyset; the same second or the next)."""
    html = re.sub(r"(cursor=[^\"&#]+?%3A)[^%\"&#]+%3A[^\"&#]+", r"\1", html)
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", html)
    html = re.sub(r'(csrf[-_]token" content=")[^"]+', r"\1", html)
    return re.sub(r'nonce="[^"]+"', 'nonce=""', html)


def test_it_migrates_collects_and_serves_with_the_worker_then_stops(tmp_path, database):
    port, other_port = _free_port(), _free_port()
    env = _clean_environ() | database
    env |= {
        "DJANGO_SECRET_KEY": secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "UNIONREC_TRUSTED_PROXIES": "127.0.0.1",
        "DJANGO_SECURE_COOKIES": "0",  # the test's client speaks plain HTTP to the port
        "UNIONREC_STATIC_ROOT": str(tmp_path / "static"),
        "UNIONREC_WEB_WORKERS": "1",
        "UNIONREC_WEB_THREADS": "2",
        "UNIONREC_WORKER_BEAT_SECONDS": "1",
        "UNIONREC_METRICS": secrets.token_hex(16),
    }
    if "SQLITE_PATH" in database:
        env.pop("DATABASE_URL", None)
    log = tmp_path / "serve.log"
    server = _start(env, log, "--port", str(port))
    base, other = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{other_port}"
    second = None
    try:
        _wait_healthy(base, server, log)  # migrated, and the worker beats

        # plain HTTP from a client that is no proxy: sent to HTTPS (DEBUG is off)
        status, headers, _ = _get(f"{base}/accounts/login/")
        assert status == 301 and headers["Location"].startswith("https://")
        status, _, page = _get(f"{base}/accounts/login/", **HTTPS)
        assert status == 200
        hashed = re.search(r"/static/[\w/.-]+\.[0-9a-f]{12}\.css", page)
        assert hashed, "the page links a stylesheet with a hashed name"
        status, headers, _ = _get(base + hashed.group(0), **HTTPS)
        assert status == 200 and "immutable" in headers["Cache-Control"]
        assert "max-age=315360000" in headers["Cache-Control"]
        assert (tmp_path / "static" / "staticfiles.json").exists()
        # /metrics adds up gunicorn's processes: make serve gave them a directory to share
        scraper = {"Authorization": f"Bearer {env['UNIONREC_METRICS']}"}
        status, _, text = _get(f"{base}/metrics", **scraper, **HTTPS)
        assert status == 200 and "all of the server's processes" in text
        assert 'unionrec_http_requests_total{status="2xx",view="login"} 1.0' in text

        # a second web server on the same database: one session, served by either
        demo = [sys.executable, str(BASE_DIR / "manage.py"), "load_demo"]
        subprocess.run(demo, env=env, cwd=BASE_DIR, check=True, capture_output=True)  # noqa: S603
        second = _start(env, log, "--part", "web", "--port", str(other_port))
        _wait_healthy(other, second, log)
        user = Browser()
        assert user.open(f"{base}/accounts/login/")[0] == 200
        login = {"username": "secretary", "password": "demo"}
        login["csrfmiddlewaretoken"] = user.cookie("csrftoken")
        status, _ = user.open(f"{other}/accounts/login/", login)
        assert status == 302  # logged in on the second
        for path in ("/", "/branches/hp-skhcn/", "/members/?branch=hp-skhcn"):
            first_status, first = user.open(base + path)
            second_status, again = user.open(other + path)
            assert first_status == second_status == 200, path
            assert _page(first) == _page(again), path
            assert "hp-skhcn" in first
        out = {"csrfmiddlewaretoken": user.cookie("csrftoken")}
        assert user.open(f"{base}/accounts/logout/", out)[0] == 302  # out on the first ...
        assert user.open(f"{other}/")[0] == 302  # ... is out on the second
    finally:
        status = _stop(server)
        if second is not None:
            _stop(second)
    output = log.read_text(errors="replace")
    assert status == 0, output[-3000:]
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    # nothing of the worker or gunicorn is left in the process group
    assert _in_group(server.pid) == [], output[-3000:]


class _Exec(Exception):
    """os.execve, caught: the command a part would have become."""


@pytest.mark.parametrize("part", ["web", "worker"])
def test_a_part_alone_becomes_its_process_after_the_same_steps(monkeypatch, part):
    from unionrec import serve

    ran: list[list[str]] = []

    def fake_execve(path, argv, env):
        raise _Exec(argv, env)

    def fake_run(command, **kwargs):
        ran.append(command[2:])
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(serve.os, "execve", fake_execve)
    monkeypatch.setattr(serve.os, "chdir", lambda path: None)
    monkeypatch.setattr(serve.subprocess, "run", fake_run)
    for key, value in GOOD.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DJANGO_DEBUG", raising=False)
    monkeypatch.delenv("UNIONREC_TESTING", raising=False)
    with pytest.raises(_Exec) as became:
        serve.main(["--part", part, "--port", "8123"])
    argv, env = became.value.args
    assert env["UNIONREC_STATIC_MANIFEST"] == "1"
    if part == "web":  # migrate once, collect, then gunicorn on the port
        assert [step[0] for step in ran] == ["migrate", "collectstatic"]
        assert argv[1:3] == ["-m", "gunicorn"] and "127.0.0.1:8123" in argv
    else:  # the worker alone: no migration of its own (the web part's)
        assert ran == [] and argv[2:] == ["db_worker", "--no-startup-delay"]


def test_a_part_is_refused_like_the_whole(monkeypatch, capsys):
    from unionrec import serve

    for key, value in GOOD.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("UNIONREC_TESTING", raising=False)
    monkeypatch.setenv("DJANGO_DEBUG", "1")
    assert serve.main(["--part", "worker"]) == 2
    assert "DJANGO_DEBUG is on" in capsys.readouterr().err
