"""`python -m bench.imports`: time a member import of 20,000 rows against performance.md
("member import, 20,000 rows ≤ 15 s including validation and commit") and the memory target
of reliability-security.md §5 (RSS ≤ 300 MB).

A grassroots union with eight sub-units and its secretary are built through the services in a
database of the bench's own: a throwaway SQLite file (default), or with `--database postgres`
a throwaway PostgreSQL database, both deleted at the end. A member list of 20,000 distinct
people is written as an .xlsx (what users upload) and as a CSV of the same rows. Then, each run
once, in this order: reading each file (members.import_files.read_table), the whole preview
of each (members.imports.build_preview: reading, every row checked, nothing written), the
import as `manage.py import_members` runs it (members.importer.start: the preview kept on a
job; members.importer.commit: the file checked again inside the transaction, then every
member, period, history row and tally written), and the same file imported a second time
(every row unchanged, nothing written). Each figure has its seconds, rows per second and
the process's peak RSS while it ran. `make bench` runs this after `python -m bench.documents`;
bench/README.md explains the figures.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
ROWS = 20_000
IMPORT_TARGET_S = 15.0  # performance.md: member import, 20,000 rows ≤ 15 s with the commit
RSS_TARGET_MB = 300.0  # reliability-security.md §5: import 20,000 rows, RSS ≤ 300 MB
HEADERS = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Số thẻ đoàn viên",
    "Ngày vào công đoàn",
    "Dân tộc",
    "Đơn vị",
]
UNITS = [
    ("px-vo-tau", "Công đoàn bộ phận Phân xưởng Vỏ tàu"),
    ("px-may", "Công đoàn bộ phận Phân xưởng Máy"),
    ("px-dien", "Công đoàn bộ phận Phân xưởng Điện"),
    ("px-ong", "Công đoàn bộ phận Phân xưởng Ống"),
    ("px-son", "Công đoàn bộ phận Phân xưởng Sơn"),
    ("p-ky-thuat", "Công đoàn bộ phận Phòng Kỹ thuật"),
    ("p-kcs", "Công đoàn bộ phận Phòng KCS"),
    ("khoi-van-phong", "Công đoàn bộ phận Khối Văn phòng"),
]


def parse_args(argv: list[str]) -> argparse.Namespace:
    from bench.__main__ import DEFAULT_SERVER

    parser = argparse.ArgumentParser(
        prog="python -m bench.imports",
        description=(
            "Time a member import of --rows rows (.xlsx and CSV) in a throwaway database: "
            "reading, the preview, the import (check and commit) and the same file again, "
            "with rows per second and peak RSS, beside the targets of performance.md."
        ),
    )
    parser.add_argument(
        "--rows",
        type=int,
        default=ROWS,
        metavar="N",
        help=f"rows of the member list (default {ROWS:,}, the import's cap)",
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="a throwaway SQLite file (default) or a throwaway PostgreSQL database on --server",
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        default=os.environ.get("DATABASE_URL") or DEFAULT_SERVER,
        help="the PostgreSQL server as a postgres:// URL; only its host, port, user and "
        "password are used: the bench creates a database of its own and drops it at the end "
        f"(default: DATABASE_URL, else {DEFAULT_SERVER})",
    )
    parser.add_argument(
        "--seed", type=int, default=2024, metavar="N", help="seed of the member list (2024)"
    )
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    return args


# --- The database ------------------------------------------------------------------------------


@contextmanager
def database(args: argparse.Namespace, folder: Path) -> Iterator[str]:
    """Django set up on a database of the bench's own, removed afterwards. Yields a
    description of it."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "unionrec.settings"
    os.environ.setdefault("UNIONREC_TESTING", "1")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["UNIONREC_MEDIA_ROOT"] = str(folder / "media")  # the stored uploads
    os.environ["UNIONREC_IMPORT_MAX_ROWS"] = str(max(args.rows, ROWS))
    os.environ["UNIONREC_IMPORT_MAX_BYTES"] = str(max(args.rows * 300, 5 * 2**20))
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    if args.database == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(folder / "imports.sqlite3")
        import django

        django.setup()
        try:
            yield "SQLite file in the system's temporary directory, deleted afterwards"
        finally:
            from django.db import connections

            connections.close_all()
        return
    import psycopg
    from psycopg import sql

    from bench.__main__ import pg_url

    name = f"unionrec_bench_imports_{os.getpid()}"
    with psycopg.connect(pg_url(args.server, "postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8'").format(sql.Identifier(name)))
    try:
        os.environ["DATABASE_URL"] = pg_url(args.server, name)
        import django

        django.setup()
        yield f"PostgreSQL database {name}, dropped afterwards"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(pg_url(args.server, "postgres"), autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def build_union() -> tuple[Any, Any]:
    """A grassroots union under a federation, its eight sub-units and its secretary:
    (union, secretary)."""
    from django.contrib.auth import get_user_model

    from members import services
    from members.models import BranchKind, Grant, Role

    root = services.create_branch(
        parent=None,
        code="vgcl",
        name="Tổng Liên đoàn Lao động Việt Nam",
        kind=BranchKind.CONFEDERATION,
    )
    federation = services.create_branch(
        parent=root,
        code="ldld-hp",
        name="Liên đoàn Lao động thành phố Hải Phòng",
        kind=BranchKind.FEDERATION,
    )
    union = services.create_branch(
        parent=federation,
        code="cdcs-song-hong",
        name="Công đoàn cơ sở Công ty Cổ phần Đóng tàu Sông Hồng",
        kind=BranchKind.GRASSROOTS,
    )
    for code, name in UNITS:
        services.create_branch(parent=union, code=code, name=name, kind=BranchKind.SUB_UNION)
    secretary = get_user_model().objects.create_user(username="bench-secretary")  # no password
    Grant.objects.create(user=secretary, branch=union, role=Role.SECRETARY)
    return union, secretary


# --- The member list ---------------------------------------------------------------------------


def member_rows(count: int, rng: random.Random) -> list[list[Any]]:
    """Rows as a union office types them: distinct card numbers, Vietnamese names (some
    people share a name), the sub-unit by its name (a few by code, some blank: the union
    itself), a few genders and ethnicities left blank."""
    from bench import names

    rows = []
    earliest = date(1962, 1, 1).toordinal()
    for number in range(1, count + 1):
        woman = rng.random() < 0.55
        name = " ".join(
            (
                rng.choices(names.FAMILIES, names.FAMILY_WEIGHTS)[0],
                rng.choice(names.WOMEN_MIDDLE if woman else names.MEN_MIDDLE),
                rng.choice(names.WOMEN_GIVEN if woman else names.MEN_GIVEN),
            )
        )
        gender = "" if rng.random() < 0.01 else ("Nữ" if woman else "Nam")
        born = date.fromordinal(earliest + rng.randrange(42 * 365))
        joined = min(born + timedelta(days=rng.randrange(18 * 365, 40 * 365)), date(2024, 12, 31))
        ethnicity = rng.choices(names.ETHNICITIES, names.ETHNICITY_WEIGHTS)[0]
        code, unit = rng.choice(UNITS)
        where = rng.random()
        unit = unit if where < 0.8 else code if where < 0.9 else ""
        rows.append([number, name, gender, born, f"HP{number:07d}", joined, ethnicity, unit])
    return rows


def workbook(rows: list[list[Any]]) -> bytes:
    """The list as an .xlsx: a title row, the header, dates as date cells (dd/mm/yyyy)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách đoàn viên")
    sheet.append(["DANH SÁCH ĐOÀN VIÊN CÔNG ĐOÀN CƠ SỞ CÔNG TY CỔ PHẦN ĐÓNG TÀU SÔNG HỒNG"])
    sheet.append(HEADERS)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_file(rows: list[list[Any]]) -> bytes:
    """The same list as "CSV UTF-8" (as Excel saves it: a byte order mark, CRLF)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([f"{v:%d/%m/%Y}" if isinstance(v, date) else v for v in row])
    return out.getvalue().encode("utf-8-sig")


# --- Measuring ---------------------------------------------------------------------------------


def _rss_mb(field: str) -> float | None:
    """VmRSS or VmHWM (the peak) of this process in MB, from /proc (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Reset the process's peak RSS to its current RSS (Linux clear_refs 5)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


@dataclass
class Figure:
    label: str
    seconds: float
    rows: int
    peak_mb: float | None = None  # the process's peak RSS while it ran
    growth_mb: float | None = None  # that peak above the RSS at the start
    target_s: float | None = None
    rss_target: bool = False

    @property
    def verdict(self) -> str:
        parts = []
        if self.target_s is not None:
            met = self.seconds <= self.target_s
            parts.append(f"≤ {self.target_s:.0f} s [{'met' if met else 'MISSED'}]")
        if self.rss_target and self.peak_mb is not None:
            met = self.peak_mb <= RSS_TARGET_MB
            parts.append(f"RSS ≤ {RSS_TARGET_MB:.0f} MB [{'met' if met else 'MISSED'}]")
        return "; ".join(parts)


def timed(label: str, rows: int, action: Callable[[], Any]) -> tuple[Figure, Any]:
    """One run of `action` in this process: its seconds and the peak RSS while it ran."""
    import gc

    gc.collect()
    resettable = _reset_peak()
    start = _rss_mb("VmRSS") or 0.0
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    peak = _rss_mb("VmHWM") if resettable else None
    if peak is None:  # no /proc: the peak of the whole process so far
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Figure(label, seconds, rows, peak, peak - start), result


def _peak_of(pid: int) -> float | None:
    """VmHWM of another process in MB (its own peak RSS since it started the program)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def command(path: Path, union: Any, user: Any) -> tuple[float, float, str]:
    """`manage.py import_members` in a process of its own on the bench's database:
    (seconds, the process's peak RSS in MB, its last line of output).

    The peak is the process's VmHWM, read every 20 ms while it runs: the rusage of a child
    would not do, as Linux starts a child's ru_maxrss from its parent's RSS at the fork."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "manage.py",
                "import_members",
                str(path),
                "--branch",
                union.code,
                "--user",
                user.username,
                "--lang",
                "en",
            ],
            cwd=PROJECT,
            env=os.environ.copy(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        peak = 0.0
        while process.poll() is None:
            peak = max(peak, _peak_of(process.pid) or 0.0)
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        out.seek(0)
        lines = out.read().strip().splitlines()
    if process.returncode != 0:
        raise SystemExit(f"import_members failed ({process.returncode}): {lines[-20:]}")
    if not peak:  # no /proc: an upper bound (this process's RSS at the fork included)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak, lines[-1] if lines else ""


def job_figures(label: str, rows: int) -> list[Figure]:
    """The check and the commit of the latest job, from its own timestamps (the check's are
    in its history)."""
    from members.jobs import ImportJob, ImportStatus

    job = ImportJob.objects.latest("pk")
    assert job.status == ImportStatus.COMMITTED, (job.status, job.message)
    checked = job.history.filter(status=ImportStatus.PREVIEWED).earliest("history_id")
    check = (checked.finished_at - checked.started_at).total_seconds()
    commit = (job.finished_at - job.started_at).total_seconds()
    return [
        Figure(f"{label}: check (job)", check, rows),
        Figure(f"{label}: commit (job)", commit, rows),
        Figure(f"{label}: check + commit", check + commit, rows, target_s=IMPORT_TARGET_S),
    ]


def print_figures(title: str, notes: list[str], figures: list[Figure]) -> None:
    from bench.__main__ import say

    say()
    say(f"== {title} ==")
    for note in notes:
        say(f"  {note}")
    width = max(len(f.label) for f in figures)
    say(f"  {'':{width}}  {'seconds':>8}  {'rows/s':>8}  {'peak RSS':>9}  {'growth':>8}  target")
    for f in figures:
        peak = "" if f.peak_mb is None else f"{f.peak_mb:,.0f} MB"
        growth = "" if f.growth_mb is None else f"{f.growth_mb:,.0f} MB"
        say(
            f"  {f.label:{width}}  {f.seconds:8.2f}  {f.rows / f.seconds:8,.0f}  {peak:>9}  "
            f"{growth:>8}  {f.verdict}"
        )


def measure(
    union: Any, secretary: Any, rows: list[list[Any]], folder: Path
) -> tuple[list[Figure], list[str], bool]:
    from members.import_files import read_table
    from members.imports import build_preview, import_max_rows
    from members.jobs import ImportJob
    from members.models import Member
    from members.statistics import direct_count, statistics, today

    count = len(rows)
    files = [
        ("xlsx", folder / "danh-sach-doan-vien.xlsx", workbook(rows)),
        ("CSV", folder / "danh-sach-doan-vien.csv", csv_file(rows)),
    ]
    sizes = ", ".join(f"{kind} {len(data) / 2**20:.2f} MB" for kind, _path, data in files)
    notes = [
        f"{count:,} rows ({sizes}) into {union.code} and its {len(UNITS)} sub-units, "
        "as its secretary"
    ]
    figures: list[Figure] = []
    limit = import_max_rows()
    for kind, path, data in files:
        path.write_bytes(data)

        def read(p: Path = path, d: bytes = data) -> Any:
            return read_table(d, p.name, max_rows=limit)

        figure, table = timed(f"read {kind} (read_table)", count, read)
        assert len(table.rows) == count, (kind, len(table.rows))
        figures.append(figure)
        del table
    for kind, path, data in files:

        def preview(p: Path = path, d: bytes = data) -> dict[str, int]:
            found = build_preview(branch=union, data=d, filename=p.name, user=secretary)
            return found.counts

        figure, counts = timed(f"preview {kind} (build_preview)", count, preview)
        assert counts["new"] == count, counts
        figures.append(figure)
    runs = [
        (files[0], "import xlsx, all new"),
        (files[0], "same xlsx again"),
        (files[1], "same CSV again"),
    ]
    for (_kind, path, _data), label in runs:
        seconds, peak, last = command(path, union, secretary)
        figures += job_figures(label, count)
        figures.append(
            Figure(
                f"{label}: import_members process",
                seconds,
                count,
                peak,
                target_s=None,
                rss_target=True,
            )
        )
        notes.append(f"{label}: {last}")
    job = ImportJob.objects.latest("pk")
    notes.append(
        f"the job keeps its preview as JSON ({len(json.dumps(job.preview)) / 2**20:.1f} "
        "MB), written again at each change of its status"
    )
    day = today()
    exact = statistics(union, day).counts == direct_count(union, day)
    exact = exact and Member.objects.count() == count
    notes.append(
        f"after the imports: {Member.objects.count():,} members; tallies "
        f"{'OK' if exact else 'MISMATCH'} against the direct count"
    )
    return figures, notes, exact


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="unionrec-bench-imports-") as folder,
        database(args, Path(folder)) as where,
    ):
        import django
        import openpyxl
        from django.core.management import call_command
        from django.db import connection

        from bench.__main__ import say

        say(f"unionrec bench: member import ({where})")
        say(
            f"  Python {platform.python_version()}, Django {django.get_version()}, openpyxl "
            f"{openpyxl.__version__}, {connection.vendor}, {os.cpu_count()} CPUs"
        )
        phase = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        union, secretary = build_union()
        rows = member_rows(args.rows, random.Random(args.seed))
        say(f"migrate, build the union and the rows: {time.perf_counter() - phase:.1f} s")
        figures, notes, exact = measure(union, secretary, rows, Path(folder))
        print_figures(f"Member import: {args.rows:,} rows ({connection.vendor})", notes, figures)
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
