"""`python -m bench.load`: many users at once against `make serve` (issue 17 items 5 and 6).

On a generated union of 50,000 members (`python -m bench --members 50000`, reused when it is
there), the production server (`python -m unionrec.serve`: gunicorn and the task worker) is
started on a loopback port, and simulated users, one thread each, log in and click: the start
page, a branch page, the member list (filtered, searched), the statistics, the goals page, a
term summary, the members API, a statistics PDF now and then, and 5 % writes (a member's
ethnicity through the API, a progress figure through its form). Each user is the secretary
of a grassroots union of the tree. The runs (--runs), each bounded in time (--seconds):

    1       one user, no pause          each page's server time, from the request log
    20      20 users, 1 to 3 s between clicks   the target: p95 <= 200 ms, p99 <= 1 s, no error
    50      50 users, 1 to 3 s between clicks
    stress  20 users, no pause          a stress figure: how much one machine serves
    alone   the member list page of one union asked 100 times by one user: its median server
            time, against 20 ms

With --faults, a fourth run of 20 users meets the faults of item 6: one gunicorn worker killed
with SIGKILL (only its requests in flight may fail), and on PostgreSQL the database server
restarted (`pg_ctlcluster`, when the bench's server is this machine's), with the seconds until
requests succeed again.

Only the loopback is used. Errors are answers of 500 and above, refused connections and
answers other than those the request expects; a 409 (someone changed the member meanwhile)
is counted apart, as users would meet it.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-password"  # noqa: S105 - users of the bench database only
SEARCHES = ("nguyen", "tran van", "le thi", "pham", "hoang", "vu")
TARGET_P95_MS = 200.0
TARGET_P99_MS = 1000.0
# The runs, in the order given to --runs: a title, the users, the pause between clicks.
RUNS = {
    "1": ("1 user, no pause (the server's time of each page alone)", 1, (0.0, 0.0)),
    "20": ("20 users, 1-3 s between clicks", 20, (1.0, 3.0)),
    "50": ("50 users, 1-3 s between clicks", 50, (1.0, 3.0)),
    "stress": ("20 users, no pause (stress)", 20, (0.0, 0.0)),
}


@dataclass
class Person:
    """What one simulated user works on: their union, some of its members, a target."""

    username: str
    code: str
    members: list[int]
    term: int | None = None
    target: int | None = None


@dataclass
class Tally:
    """The answers of one run."""

    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    conflicts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: float = field(default_factory=time.monotonic)
    moments: list[float] = field(default_factory=list)  # seconds into the run, one an error

    def add(self, label: str, ms: float) -> None:
        with self.lock:
            self.times.setdefault(label, []).append(ms)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)
            self.moments.append(time.monotonic() - self.started)

    def all_times(self) -> list[float]:
        return [ms for values in self.times.values() for ms in values]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- The database and its users -----------------------------------------------------------------


def prepare(args: argparse.Namespace) -> list[Person]:
    """Generate (or reuse) the bench database, then give it USERS secretaries with a term, a
    resolution and a target each, through the services."""
    command = [sys.executable, "-m", "bench", "--members", str(args.members), "--keep"]
    command += ["--sections", "statistics", "--repeat", "1"]
    if args.database == "postgres":
        command += ["--database", "postgres", "--pg-name", args.pg_name]
    else:
        command += ["--sqlite-path", str(args.sqlite_path)]
    subprocess.run(command, cwd=PROJECT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    os.environ.update(database_env(args))
    os.environ["DJANGO_SETTINGS_MODULE"] = "unionrec.settings"
    os.environ.setdefault("UNIONREC_TESTING", "1")
    import django

    django.setup()
    return _people(args.users_max)


def database_env(args: argparse.Namespace) -> dict[str, str]:
    if args.database == "postgres":
        from bench.__main__ import pg_url

        return {"DATABASE_URL": pg_url(args.server, args.pg_name)}
    return {"SQLITE_PATH": str(args.sqlite_path)}


def _people(count: int) -> list[Person]:
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.db.models import Count

    from congresses import services as congresses
    from congresses.models import Congress, Term
    from congresses.resolutions import services as resolutions
    from congresses.resolutions.models import Resolution
    from members.models import Branch, BranchKind, Grant, Member
    from unionrec.models import LoginFailure

    unions = list(
        Branch.objects.filter(kind=BranchKind.GRASSROOTS)
        .annotate(size=Count("members"))
        .filter(size__gte=20)
        .order_by("pk")[:count]
    )
    users = get_user_model()
    LoginFailure.objects.all().delete()  # an earlier run's failures would lock the loopback out
    people = []
    for n, union in enumerate(unions):
        account, created = users.objects.get_or_create(username=f"load-{n:02}")
        # the server's own hasher: this process may run with the tests' quick one
        account.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
        account.save()
        if created:
            Grant.objects.create(user=account, branch=union, role="secretary")
        term = Term.objects.filter(branch=union).order_by("-starts_on").first()
        if term is None:
            term = congresses.create_term(branch=union, starts_on=date(2022, 12, 1), ordinal=1)
        congress = Congress.objects.filter(term=term).first() or congresses.create_congress(
            term=term, held_on=term.starts_on, summoned=20, present=18, committee_size=5
        )
        resolution = Resolution.objects.filter(congress=congress).first()
        if resolution is None:
            resolution = resolutions.create_resolution(congress=congress)
        target = resolution.targets.first() or resolutions.add_target(
            resolution=resolution, title="Kết nạp đoàn viên mới", kind="count", target_value=50
        )
        members = list(
            Member.objects.in_subtree(union).values_list("pk", flat=True).order_by("pk")[:200]
        )
        people.append(
            Person(account.username, union.code, members, term.pk, getattr(target, "pk", None))
        )
    return people


# --- The server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(args: argparse.Namespace, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.pop("UNIONREC_TESTING", None)
    env.pop("DATABASE_URL", None)
    env |= database_env(args)
    env |= {
        "DJANGO_SECRET_KEY": secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "UNIONREC_STATIC_ROOT": str(Path(tempfile.gettempdir()) / "unionrec-load-static"),
    }
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            [sys.executable, "-m", "unionrec.serve", "--port", str(port)],
            cwd=PROJECT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"make serve ended: see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"make serve not healthy within 300 s: see {log}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def gunicorn_workers(server: subprocess.Popen[bytes]) -> list[int]:
    """The pids of gunicorn's worker processes (the children of its master)."""

    def children(pid: int) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == pid:
                    found.append(int(entry.name))
        return found

    for child in children(server.pid):
        command = Path(f"/proc/{child}/cmdline").read_bytes()
        if b"gunicorn" in command:
            return children(child)
    return []


# --- One user -----------------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer of its own: a page that sends the user to the login counts."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class User:
    def __init__(self, base: str, person: Person, tally: Tally, rng: random.Random) -> None:
        self.base, self.person, self.tally, self.rng = base, person, tally, rng
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )
        self.table = self.actions()
        self.weights = [weight for _label, weight in self.ACTIONS]

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def send(
        self,
        path: str,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        method: str | None = None,
    ) -> tuple[int, bytes]:
        request = urllib.request.Request(  # noqa: S310 - the loopback
            self.base + path, data=data, headers=headers or {}, method=method
        )
        try:
            with self.opener.open(request, timeout=120) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read()

    def log_in(self) -> None:
        self.send("/accounts/login/")
        form = {"username": self.person.username, "password": PASSWORD}
        form["csrfmiddlewaretoken"] = self.csrf()
        self.send("/accounts/login/", urllib.parse.urlencode(form).encode())
        if self.send("/api/v1/auth/tokens/")[0] != 200:  # answers a logged-in user only
            raise SystemExit(f"{self.person.username} could not log in")

    def click(self) -> None:
        label, action = self.rng.choices(self.table, weights=self.weights)[0]
        started = time.perf_counter()
        try:
            ok, conflict = action()
        except OSError as error:
            self.tally.error(f"{label}: {error}")
            return
        ms = (time.perf_counter() - started) * 1000
        if conflict:
            with self.tally.lock:
                self.tally.conflicts += 1
        elif not ok:
            self.tally.error(label)
        self.tally.add(label, ms)

    ACTIONS = (
        ("start page", 10),
        ("branch page", 14),
        ("member list", 12),
        ("member list, filtered", 10),
        ("member list, searched", 10),
        ("statistics", 10),
        ("goals", 8),
        ("term summary", 8),
        ("members API", 6),
        ("statistics PDF", 2),
        ("member edit (API)", 3),
        ("progress figure", 2),
    )

    def actions(self) -> list[tuple[str, object]]:
        code = self.person.code
        read = self._read
        table = {
            "start page": lambda: read("/"),
            "branch page": lambda: read(f"/branches/{code}/"),
            "member list": lambda: read(f"/members/?branch={code}"),
            "member list, filtered": lambda: read(
                f"/members/?branch={code}&gender={self.rng.choice(['female', 'male'])}"
                f"&status={self.rng.choice(['active', 'left'])}"
            ),
            "member list, searched": lambda: read(
                "/members/?"
                + urllib.parse.urlencode({"branch": code, "search": self.rng.choice(SEARCHES)})
            ),
            "statistics": lambda: read(f"/branches/{code}/statistics/"),
            "goals": lambda: read("/goals/"),
            "term summary": lambda: read(f"/terms/{self.person.term}/summary/"),
            "members API": lambda: read(f"/api/v1/members/?branch={code}"),
            "statistics PDF": lambda: read(f"/branches/{code}/statistics.pdf"),
            "member edit (API)": self._edit_member,
            "progress figure": self._progress,
        }
        return [(label, table[label]) for label, _weight in self.ACTIONS]

    def _read(self, path: str) -> tuple[bool, bool]:
        status, _body = self.send(path)
        return status == 200, False

    def _edit_member(self) -> tuple[bool, bool]:
        pk = self.rng.choice(self.person.members)
        status, body = self.send(f"/api/v1/members/{pk}/", headers={"Accept": "application/json"})
        if status != 200:
            return False, False
        version = json.loads(body)["version"]
        change = {"version": version, "ethnicity": self.rng.choice(["Kinh", "Tày", "Mường", ""])}
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.csrf()}
        headers["Referer"] = self.base + "/"
        status, _ = self.send(
            f"/api/v1/members/{pk}/", json.dumps(change).encode(), headers, method="PATCH"
        )
        return status == 200, status == 409

    def _progress(self) -> tuple[bool, bool]:
        if self.person.target is None:
            return self._read("/")
        day = f"{self.rng.randint(1, 28):02}/{self.rng.randint(1, 12):02}/2023"
        form = {"progress-on": day, "progress-actual": str(self.rng.randint(0, 60))}
        form["csrfmiddlewaretoken"] = self.csrf()
        status, _ = self.send(
            f"/targets/{self.person.target}/progress/add/",
            urllib.parse.urlencode(form).encode(),
            {"Referer": self.base + "/"},
        )
        return status in {200, 302}, False  # to the target's page, or the form again


# --- A run --------------------------------------------------------------------------------------


def run(
    base: str,
    people: list[Person],
    users: int,
    seconds: float,
    pause: tuple[float, float],
    seed: int,
    during: list[tuple[float, object]] | None = None,
) -> Tally:
    """`users` threads click for `seconds`, each pausing between `pause` seconds; `during`
    lists (second, action) to take while they click."""
    tally = Tally()
    stop = threading.Event()
    ready = threading.Barrier(users + 1)

    def one(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        user = User(base, people[n % len(people)], tally, rng)
        user.log_in()
        ready.wait()
        time.sleep(rng.uniform(*pause))  # do not all start on the same tick
        while not stop.is_set():
            user.click()
            if pause[1]:
                stop.wait(rng.uniform(*pause))

    threads = [threading.Thread(target=one, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = tally.started = time.monotonic()
    for at, action in sorted(during or [], key=lambda pair: pair[0]):
        time.sleep(max(0.0, started + at - time.monotonic()))
        action()  # type: ignore[operator]
    time.sleep(max(0.0, started + seconds - time.monotonic()))
    stop.set()
    for thread in threads:
        thread.join(timeout=180)
    return tally


def report(title: str, tally: Tally, seconds: float) -> dict[str, object]:
    every = tally.all_times()
    p95 = percentile(every, 0.95)
    line = {
        "run": title,
        "requests": len(every),
        "per_second": round(len(every) / seconds, 1),
        "p50_ms": round(percentile(every, 0.50), 1),
        "p95_ms": round(p95, 1),
        "p99_ms": round(percentile(every, 0.99), 1),
        "max_ms": round(max(every, default=0.0), 1),
        "errors": len(tally.errors),
        "conflicts": tally.conflicts,
    }
    print(f"\n== {title} ==")
    print(
        f"  {line['requests']} requests, {line['per_second']}/s; p50 {line['p50_ms']} ms, "
        f"p95 {line['p95_ms']} ms, p99 {line['p99_ms']} ms, max {line['max_ms']} ms; "
        f"{line['errors']} errors, {line['conflicts']} conflicts (409)"
    )
    for label, values in sorted(tally.times.items()):
        print(
            f"    {label:24} {len(values):6} x  p50 {percentile(values, 0.5):7.1f} ms"
            f"  p95 {percentile(values, 0.95):7.1f} ms"
        )
    for text in sorted(set(tally.errors))[:10]:
        print(f"    error: {text} ({tally.errors.count(text)} x)")
    if tally.moments:
        print("    errors at " + ", ".join(f"{at:.1f} s" for at in sorted(tally.moments)[:20]))
    return line


def server_times(log: Path, since: int) -> dict[str, float]:
    """The median server time of each view since byte `since` of the server's log, from its
    request lines (unionrec.observability): what the application spent, without HTTP."""
    with log.open("rb") as lines:
        lines.seek(since)
        text = lines.read().decode(errors="replace")
    times: dict[str, list[float]] = {}
    for view, ms in re.findall(
        r"^request method=GET view=(\S+) status=200 ms=([\d.]+)", text, re.M
    ):
        times.setdefault(view, []).append(float(ms))
    medians = {view: round(statistics.median(values), 1) for view, values in times.items()}
    print(
        "    server time (median, request log): "
        + ", ".join(f"{view} {ms} ms" for view, ms in sorted(medians.items()))
    )
    return medians


LIST_ALONE_TARGET_MS = 20.0
LIST_ALONE_REQUESTS = 100


def member_list_alone(base: str, person: Person, log: Path) -> float:
    """Item 5's figure: the server time of the member list page of one union, 25 rows, no
    filter, asked LIST_ALONE_REQUESTS times by one user (the median of the request log's
    lines; each gunicorn worker has served some before)."""
    user = User(base, person, Tally(), random.Random(0))
    user.log_in()
    path = f"/members/?branch={person.code}"
    for _ in range(10):  # every worker's first answers (templates read, connections opened)
        user.send(path)
    logged = log.stat().st_size
    for _ in range(LIST_ALONE_REQUESTS):
        status, _body = user.send(path)
        if status != 200:
            raise SystemExit(f"the member list answered {status}")
    print(f"\n== the member list alone: {LIST_ALONE_REQUESTS} requests, one user ==")
    ms = server_times(log, logged).get("members:member_list", 0.0)
    verdict = "met" if ms <= LIST_ALONE_TARGET_MS else "NOT met"
    print(f"    target: <= {LIST_ALONE_TARGET_MS:.0f} ms of server time at 25 rows: {verdict}")
    return ms


# --- Faults -------------------------------------------------------------------------------------


def restart_postgres(args: argparse.Namespace) -> str:
    """Restart this machine's PostgreSQL cluster that serves the bench database; '' when it
    is not this machine's or the tools are missing."""
    host = urllib.parse.urlsplit(args.server).hostname or ""
    if args.database != "postgres" or host not in {"127.0.0.1", "localhost", "::1"}:
        return ""
    if not shutil.which("pg_lsclusters") or not shutil.which("pg_ctlcluster"):
        return ""
    port = str(urllib.parse.urlsplit(args.server).port or 5432)
    for line in subprocess.run(  # noqa: S603
        [shutil.which("pg_lsclusters"), "--no-header"], capture_output=True, text=True, check=True
    ).stdout.splitlines():
        version, cluster, cluster_port = line.split()[:3]
        if cluster_port == port:
            subprocess.run(  # noqa: S603
                [shutil.which("pg_ctlcluster"), version, cluster, "restart"], check=True
            )
            return f"{version}/{cluster}"
    return ""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=60.0, help="each run's length (60)")
    parser.add_argument("--users-max", type=int, default=50)
    parser.add_argument(
        "--runs",
        type=run_names,
        default=["1", "20", "50", "stress", "alone"],
        help="which runs, in order (1,20,50,stress,alone: all); `alone` is the member list "
        "page asked 100 times by one user, its server time against 20 ms",
    )
    parser.add_argument(
        "--faults",
        action="store_true",
        help="a run with a worker killed and, on PostgreSQL, the database server restarted",
    )
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--pg-name", default="unionrec_bench_load")
    parser.add_argument(
        "--sqlite-path",
        type=Path,
        default=Path(tempfile.gettempdir()) / "unionrec-bench" / "load.sqlite3",
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    people = prepare(args)
    port = free_port()
    log = Path(tempfile.gettempdir()) / f"unionrec-load-{args.database}.log"
    server = start_server(args, port, log)
    base = f"http://127.0.0.1:{port}"
    workers = len(gunicorn_workers(server))
    print(
        f"unionrec load: {args.members:,} members on {args.database}, make serve on {base} "
        f"({workers} gunicorn workers; server log {log})"
    )
    lines: dict[str, dict[str, object]] = {}
    try:
        for name in args.runs:
            if name == "alone":
                lines[name] = {"member_list_ms": member_list_alone(base, people[0], log)}
                continue
            title, users, pause = RUNS[name]
            logged = log.stat().st_size
            tally = run(base, people, users, args.seconds, pause, args.seed)
            lines[name] = report(title, tally, args.seconds)
            if users == 1:
                lines[name]["server_ms"] = server_times(log, logged)
        if args.faults:
            lines["faults"] = fault_run(args, base, people, server)
    finally:
        stop_server(server)
    if "20" in lines:
        first = lines["20"]
        verdict = (
            first["p95_ms"] <= TARGET_P95_MS  # type: ignore[operator]
            and first["p99_ms"] <= TARGET_P99_MS  # type: ignore[operator]
            and first["errors"] == 0
        )
        print(
            f"\nTarget (20 users, p95 <= {TARGET_P95_MS:.0f} ms, p99 <= {TARGET_P99_MS:.0f} ms, "
            "no error): " + ("met" if verdict else "NOT met")
        )
    return 0


def run_names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in RUNS and name != "alone"]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown run {', '.join(unknown) or '(none)'}; choose among 1, 20, 50, stress, alone"
        )
    return names


def fault_run(
    args: argparse.Namespace, base: str, people: list[Person], server: subprocess.Popen[bytes]
) -> dict[str, object]:
    notes: list[str] = []
    recovered: list[float] = []

    seconds = max(args.seconds, 40.0)
    kill_at, restart_at = seconds / 4, seconds / 2

    def kill_a_worker() -> None:
        pids = gunicorn_workers(server)
        if pids:
            os.kill(pids[0], signal.SIGKILL)
            notes.append(f"at {kill_at:.1f} s killed gunicorn worker {pids[0]} with SIGKILL")

    def restart_database() -> None:
        started = time.monotonic()
        cluster = restart_postgres(args)
        if not cluster:
            notes.append("no PostgreSQL restart (not this machine's, or SQLite)")
            return
        while time.monotonic() < started + 120:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            notes.append("NOT answering 120 s after the restart of PostgreSQL")
            return
        recovered.append(time.monotonic() - started)
        notes.append(
            f"at {restart_at:.1f} s restarted PostgreSQL {cluster}: answering again "
            f"{recovered[0]:.1f} s after the restart began"
        )

    tally = run(
        base,
        people,
        20,
        seconds,
        (1.0, 3.0),
        args.seed + 1,
        during=[(kill_at, kill_a_worker), (restart_at, restart_database)],
    )
    line = report("20 users with faults", tally, seconds)
    for note in notes:
        print(f"    {note}")
    line["notes"] = notes
    return line


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
