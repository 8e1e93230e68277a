"""Crash safety of member imports (issue 6 item 7, reliability-security test 60).

SLOW: 25 s (SQLite) to 40 s (PostgreSQL) on 2 cores: three killed runs and one complete run
of a 20,000-row import in a separate process. UNIONREC_CRASH_KILLS=20 kills
20 runs as test 60 describes (the writing is then shared among 19 kills); UNIONREC_CRASH_SEED=N
repeats the kill times of a failed run (the seed is printed; pytest -s shows each kill).

`manage.py import_members` runs in a subprocess on the test database; once it has printed its
preview it is SIGKILLed after a random delay, either while the commit checks the file again
inside its transaction or while it writes. After each kill the register holds none or all of
the file's rows (members, membership periods and history rows alike), the tallies agree with
the members, SQLite's integrity_check is ok, and the job, once older than STALE_AFTER, is
marked failed instead of being left running. A last run imports the whole file.

The file is a CSV ("CSV UTF-8", as Excel saves it): the commit does not depend on the file's
kind, and reading the same rows from an xlsx would triple the time of every run (bench.imports
times both).
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import time_machine
from django.db import connection
from django.utils import timezone, translation

from members import importer
from members.jobs import ImportJob, ImportStatus
from members.models import Gender, Member, Membership, MemberStatus
from members.statistics import direct_count, statistics, today
from tests.factories import member
from tests.member_lists import HEADERS
from unionrec.jobs import STALE_AFTER

ROOT = Path(__file__).resolve().parents[2]  # the project: manage.py is here
ROWS = 20_000
FAMILIES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Phan",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
FAMILY_WEIGHTS = [38, 11, 9.5, 7, 4, 4.5, 4, 2, 2, 1.4, 1.3, 1.3, 1, 0.5]
WOMEN = (
    ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Kim", "Phương"],
    [
        "Lan",
        "Hương",
        "Hoa",
        "Mai",
        "Linh",
        "Trang",
        "Thảo",
        "Hà",
        "Huyền",
        "Hằng",
        "Nga",
        "Dung",
        "Yến",
        "Vân",
        "Hạnh",
        "Nhung",
        "Thư",
        "Quyên",
        "Giang",
        "Ánh",
    ],
)
MEN = (
    ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Xuân", "Quang", "Đình", "Tiến"],
    [
        "Hùng",
        "Dũng",
        "Tuấn",
        "Nam",
        "Hải",
        "Long",
        "Sơn",
        "Thắng",
        "Cường",
        "Hiếu",
        "Trung",
        "Phong",
        "Khoa",
        "Bình",
        "Tùng",
        "Việt",
        "Huy",
        "Phúc",
        "Thành",
        "Kiên",
    ],
)
SUMMARY_TIMEOUT = 120.0  # s: the preview of 20,000 rows takes a few seconds
RUN_TIMEOUT = 300.0  # s: a whole import
# The commit's phases, in lengths of the preview after the summary line, as measured on 2 cores
# (pg_stat_activity polled every 20 ms; the size of SQLite's WAL file): (checking ends,
# writing starts, writing ends). PostgreSQL checks the rows until about 1.1, then writes the
# members, their history, the periods and the tallies until about 5.9 and commits; SQLite
# writes into its page cache from about 0.5 and commits at about 2.0.
PHASES = {"postgresql": (1.1, 1.3, 5.9), "sqlite": (0.45, 0.5, 2.0)}
APPLICATION_NAME = "unionrec-crash-test"  # the command's PostgreSQL sessions (libpq's PGAPPNAME)
GRACE = 15.0  # s a killed command's session may stay open before the test ends it
RUNNING = {ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.COMMITTING}


def member_list(path: Path, rows: int, rng: random.Random) -> None:
    """A member list of `rows` distinct people (distinct card numbers) in the union and its two
    sub-units, as a union office would type it."""
    lines = [",".join(HEADERS)]
    earliest = date(1965, 1, 1).toordinal()
    for number in range(1, rows + 1):
        woman = rng.random() < 0.5
        middles, givens = WOMEN if woman else MEN
        name = (
            f"{rng.choices(FAMILIES, FAMILY_WEIGHTS)[0]} {rng.choice(middles)} {rng.choice(givens)}"
        )
        born = date.fromordinal(earliest + rng.randrange(40 * 365))
        joined = min(born + timedelta(days=rng.randrange(18 * 365, 35 * 365)), date(2024, 12, 31))
        unit = rng.choice(["unit-a", "unit-b", ""])
        lines.append(
            f"{name},{'Nữ' if woman else 'Nam'},{born:%d/%m/%Y},HP-{number:06d},"
            f"{joined:%d/%m/%Y},{unit}"
        )
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")


def subprocess_env(media: Path) -> dict[str, str]:
    """The environment of the command: this one, on this test's database."""
    env = dict(
        os.environ,
        UNIONREC_TESTING="1",
        PYTHONUNBUFFERED="1",
        UNIONREC_MEDIA_ROOT=str(media),
        PGAPPNAME=APPLICATION_NAME,
    )
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(name)
    else:
        parts = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + quote(name)))
    return env


class Run:
    """One `manage.py import_members` in a process of its own, its output read by a thread."""

    def __init__(self, path: Path, env: dict[str, str], log: Path) -> None:
        self.log = log
        self.errors = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "manage.py",
                "import_members",
                str(path),
                "--branch",
                "union",
                "--lang",
                "en",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, text: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                pytest.fail(f"no line with {text!r} after {timeout:.0f} s: {self.output}")
            if line is None:
                self.process.wait()
                pytest.fail(
                    f"the import ended (status {self.process.returncode}) before "
                    f"printing {text!r}: {self.output} {self.stderr()}"
                )
            self.output.append(line)
            if text in line:
                return line

    def finish(self, timeout: float) -> int:
        code = self.process.wait(timeout=timeout)
        while (line := self.lines.get(timeout=10)) is not None:
            self.output.append(line)
        return code

    def stderr(self) -> str:
        if not self.errors.closed:
            self.errors.flush()
        return self.log.read_text(encoding="utf-8")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.errors.close()


@dataclass(frozen=True)
class Register:
    members: int
    periods: int
    history: int
    period_history: int

    @classmethod
    def now(cls) -> Register:
        return cls(
            Member.objects.count(),
            Membership.objects.count(),
            Member.history.count(),
            Membership.history.count(),
        )

    def plus(self, rows: int) -> Register:
        return Register(*(value + rows for value in vars(self).values()))


def wait_for_other_sessions() -> None:
    """On PostgreSQL, until the killed command's session is gone: the server rolls its
    transaction back when it sees the connection close. A backend busy with a statement only
    notices the closed socket when the statement ends; after GRACE seconds the test ends the
    session itself (pg_terminate_backend, as an administrator would: a dead client's
    transaction can only be rolled back). Sessions of other tests' threads are not counted:
    the command's session is known by its application_name."""
    if connection.vendor != "postgresql":
        return
    started = time.monotonic()
    terminated = False
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND application_name = %s",
                [APPLICATION_NAME],
            )
            pids = [pid for (pid,) in cursor.fetchall()]
            if not pids:
                return
            waited = time.monotonic() - started
            if waited > GRACE and not terminated:
                print(f"the killed import's session was still open after {GRACE:.0f} s: ended")
                for pid in pids:
                    cursor.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])
                terminated = True
            assert waited < GRACE + 30, "the killed import's session is still open"
            time.sleep(0.05)


def activity() -> str:
    """On PostgreSQL, what the command's session is doing at the kill: "before any write" or
    the statement it is writing with (a session has a transaction id once it has written)."""
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT backend_xid IS NOT NULL, left(query, 40) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [APPLICATION_NAME],
        )
        found = cursor.fetchall()
    if not found:
        return " (no session)"
    written, query = found[0]
    return f" (writing: {query}…)" if written else " (before any write)"


def assert_sound(tree, before: Register, label: str) -> bool:
    """None or all of the file's rows, tallies equal to the members, a sound database file.
    Returns whether the rows are there."""
    register = Register.now()
    assert register in (before, before.plus(ROWS)), f"{label}: partial import {register}"
    day = today()
    for branch in (tree.root, tree.prov, tree.union, tree.unit_a, tree.unit_b):
        for when in (day, date(2015, 1, 1)):
            tallied = statistics(branch, when).counts
            assert tallied == direct_count(branch, when), f"{label}: tallies of {branch.code}"
        active = Member.objects.filter(
            status=MemberStatus.ACTIVE, branch__path__subtree=branch.path
        )
        assert statistics(branch, day).members == active.count(), f"{label}: {branch.code}"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchall() == [("ok",)], label
            cursor.execute("PRAGMA foreign_key_check")
            assert cursor.fetchall() == [], label
    return register != before


def mark_stale_later(job: ImportJob) -> ImportJob:
    """The job as mark_stale leaves it once STALE_AFTER has passed without a heartbeat."""
    later = timezone.now() + STALE_AFTER + timedelta(minutes=1)
    with time_machine.travel(later, tick=False), translation.override("en"):
        importer.mark_stale(ImportJob.objects.filter(pk=job.pk))
    job.refresh_from_db()
    return job


def preview_seconds(job: ImportJob) -> float:
    """How long the job's preview took (its history keeps the check's start and end)."""
    checked = job.history.filter(status=ImportStatus.PREVIEWED).order_by("history_id").first()
    assert checked is not None and checked.started_at and checked.finished_at
    return (checked.finished_at - checked.started_at).total_seconds()


@pytest.mark.django_db(transaction=True)  # committed data, visible to the command's process
def test_a_killed_import_leaves_none_or_all_of_its_rows(tree, tmp_path):
    seed = int(os.environ.get("UNIONREC_CRASH_SEED") or random.SystemRandom().randrange(10**6))
    kills = max(int(os.environ.get("UNIONREC_CRASH_KILLS", "3")), 2)
    print(f"crash test: seed {seed} (UNIONREC_CRASH_SEED), {kills} kills, {connection.vendor}")
    rng = random.Random(seed)
    member(tree.unit_a, "Đỗ Thị Mai", Gender.FEMALE, card_number="HP-900001")
    member(tree.union, "Ngô Văn Bình", Gender.MALE, card_number="HP-900002")
    path = tmp_path / "danh-sach-doan-vien.csv"
    member_list(path, ROWS, rng)
    env = subprocess_env(tmp_path / "media")
    before = Register.now()
    done = False
    for number in range(1, kills + 1):
        if done:  # a run finished before its kill: the next ones would have nothing to write
            break
        jobs = ImportJob.objects.count()
        run = Run(path, env, tmp_path / f"run-{number}.log")
        try:
            summary = run.wait_for("row(s)", SUMMARY_TIMEOUT)
            heard = time.monotonic()
            assert f"{ROWS} row(s); new {ROWS}," in summary, summary
            job = ImportJob.objects.order_by("-pk").first()
            took = preview_seconds(job)
            # The commit checks the preview's rows again inside its transaction, then writes
            # (PHASES). The first kill falls in that check; the others share the writing among
            # them, each at a random moment of its own slice of it.
            checked, writing_starts, writing_ends = PHASES[connection.vendor]
            if number == 1:
                phase, low, high = "checking", 0.0, checked
            else:
                phase = "writing"
                step = (writing_ends - writing_starts) / (kills - 1)
                low = writing_starts + (number - 2) * step
                high = low + step
            delay = rng.uniform(low, high) * took
            time.sleep(max(heard + delay - time.monotonic(), 0))
            finished = run.process.poll() is not None
            written = activity()
            if not finished:
                os.kill(run.process.pid, signal.SIGKILL)
            code = run.finish(RUN_TIMEOUT)
        finally:
            run.stop()
        label = (
            f"seed {seed}, run {number}: kill {delay:.2f} s after the preview "
            f"({phase}; the preview took {took:.2f} s)"
        )
        print(f"{label}: {'finished first' if finished else 'killed'}{written}")
        if finished:
            assert code == 0, f"{label}: {run.output} {run.stderr()}"
        else:
            assert code == -signal.SIGKILL, label
        assert ImportJob.objects.count() == jobs + 1, label
        wait_for_other_sessions()
        done = assert_sound(tree, before, label)
        job = mark_stale_later(ImportJob.objects.order_by("-pk").first())
        assert job.status not in RUNNING, f"{label}: {job.status}"
        if done:
            # Committed: importer.commit saves COMMITTED inside the transaction, so FAILED here
            # would mean a job that says nothing was written when everything was.
            assert job.status == ImportStatus.COMMITTED, (label, job.status, job.message)
        else:
            # PREVIEWED only if the kill came before the commit marked the job.
            assert job.status in (ImportStatus.FAILED, ImportStatus.PREVIEWED), label
            if job.status == ImportStatus.FAILED:
                assert "stopped before it finished" in job.message, (label, job.message)
    # A whole run after the kills: every row is written (or, if a run above finished, the
    # same file again changes nothing).
    started = time.monotonic()
    run = Run(path, env, tmp_path / "run-last.log")
    try:
        code = run.finish(RUN_TIMEOUT)
    finally:
        run.stop()
    print(f"seed {seed}, last run: {time.monotonic() - started:.1f} s, {run.output[-1:]}")
    assert code == 0, f"seed {seed}, last run: {run.output} {run.stderr()}"
    wait_for_other_sessions()
    assert assert_sound(tree, before, f"seed {seed}, last run")
    job = ImportJob.objects.order_by("-pk").first()
    assert job.status == ImportStatus.COMMITTED
    assert job.created_count == (0 if done else ROWS), run.output
    assert Member.objects.filter(card_number__startswith="HP-0").count() == ROWS
