"""`make serve`: unionrec as it runs in production (issue 17 item 1).

    python -m unionrec.serve [--host 127.0.0.1] [--port 8000] [--part all|web|worker]

1. Refuses to start, before anything else, when the environment is unfit for real users
   (unionrec.environment.production_refusals: DJANGO_DEBUG on, no or the development secret
   key, DJANGO_ALLOWED_HOSTS unset), saying what to set; exit status 2.
2. Applies the migrations once, then collects the static files with hashed names (WhiteNoise
   serves those with a year-long cache), against DATABASE_URL or SQLite as settings choose.
3. With UNIONREC_METRICS set, empties PROMETHEUS_MULTIPROC_DIR (or makes a temporary one),
   where gunicorn's processes keep the request figures that /metrics adds up.
4. Starts the task worker (`manage.py db_worker`) and gunicorn (unionrec/gunicorn_conf.py:
   workers and threads from the cores) side by side. SIGTERM or Ctrl-C stops both; when one
   of them ends, the other is stopped too and the exit status is the one that ended first.

`--part web` and `--part worker` run one side alone, in place of this process, for a service
manager that keeps each running (deploy/: systemd units): the web part migrates and collects
first, the worker part starts the worker after the refusals only."""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from unionrec.environment import production_refusals

BASE_DIR = Path(__file__).resolve().parent.parent
# Names the metrics directory this module made, for gunicorn's master to remove as it ends.
TEMPORARY_METRICS_DIR = "UNIONREC_TEMPORARY_METRICS_DIR"
STOP_SECONDS = 100  # gunicorn's graceful timeout (90 with the default PDF limit) and some


def _manage(*args: str) -> list[str]:
    return [sys.executable, str(BASE_DIR / "manage.py"), *args]


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def prepare_metrics_dir(env: dict[str, str]) -> None:
    """With UNIONREC_METRICS set, the directory whose files gunicorn's processes keep their
    request figures in, for /metrics to add up (unionrec.observability): PROMETHEUS_MULTIPROC_DIR
    emptied, as prometheus_client needs at each start, or a temporary one removed at exit: by
    this process, or, when it has become gunicorn (`--part web`), by gunicorn's master as it
    ends (unionrec.gunicorn_conf.on_exit, told by TEMPORARY_METRICS_DIR)."""
    if not env.get("UNIONREC_METRICS"):
        return
    if env.get("PROMETHEUS_MULTIPROC_DIR"):
        named = Path(env["PROMETHEUS_MULTIPROC_DIR"])
        named.mkdir(parents=True, exist_ok=True)
        for old in named.glob("*.db"):
            old.unlink()
    else:
        env["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="unionrec-metrics-")
        env[TEMPORARY_METRICS_DIR] = env["PROMETHEUS_MULTIPROC_DIR"]
        atexit.register(shutil.rmtree, env["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make serve", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--part", choices=("all", "web", "worker"), default="all")
    args = parser.parse_args(argv)

    refusals = production_refusals(os.environ)
    if refusals:
        print("make serve: not started.", file=sys.stderr)
        for reason in refusals:
            print(f"  - {reason}", file=sys.stderr)
        print("For development, `make run` serves with DJANGO_DEBUG=1.", file=sys.stderr)
        return 2

    env = dict(os.environ, DJANGO_SETTINGS_MODULE="unionrec.settings")
    env["UNIONREC_STATIC_MANIFEST"] = "1"  # settings: hashed static names
    cwd = str(BASE_DIR)
    # our own interpreter and modules, with fixed arguments: no untrusted input (S603)
    worker_command = _manage("db_worker", "--no-startup-delay")
    if args.part == "worker":
        os.chdir(cwd)
        os.execve(sys.executable, worker_command, env)  # noqa: S606
    prepare_metrics_dir(env)  # the web side's alone: the worker keeps no request figures
    for step in (("migrate", "--no-input"), ("collectstatic", "--no-input", "-v", "0")):
        done = subprocess.run(_manage(*step), env=env, cwd=cwd, check=False)  # noqa: S603
        if done.returncode:
            print(f"make serve: `manage.py {step[0]}` failed; not started.", file=sys.stderr)
            return done.returncode
    config = str(BASE_DIR / "unionrec" / "gunicorn_conf.py")
    bind = ["--bind", _bind(args.host, args.port)]
    web_command = [sys.executable, "-m", "gunicorn", "--config", config, *bind]
    web_command.append("unionrec.wsgi:application")
    print(f"make serve: serving on http://{_bind(args.host, args.port)}/", file=sys.stderr)
    if args.part == "web":
        os.chdir(cwd)
        os.execve(sys.executable, web_command, env)  # noqa: S606

    stopping = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    worker = subprocess.Popen(worker_command, env=env, cwd=cwd)  # noqa: S603
    web = subprocess.Popen(web_command, env=env, cwd=cwd)  # noqa: S603
    processes = [web, worker]
    while not stopping and all(process.poll() is None for process in processes):
        time.sleep(0.5)
    ended = next((process for process in processes if process.poll() is not None), None)
    _stop(processes)
    if ended is not None and not stopping:
        name = "gunicorn" if ended is web else "the task worker"
        print(f"make serve: {name} ended (status {ended.returncode}); stopped.", file=sys.stderr)
        return ended.returncode or 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
