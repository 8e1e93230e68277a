"""`python -m bench.roster`: the roster export (reports.formats.roster) against performance.md's
"roster Excel, 1 M rows ≥ 2× openpyxl write-only's rate on the same run, peak ≤ 100 MB" and
"roster PDF memory ≤ 500 MB", beside the same rows written as CSV.

Every measurement runs in a child process of its own (`--child`), so that one writer's memory
cannot hide or inflate another's: the child reports its rows per second, its peak RSS
(ru_maxrss) before writing and after, and the file's size. The writers' rows are generated in
memory (the database is not the bottleneck: performance.md read 1 M rows in 1.45 s), and once
from a real queryset: a throwaway SQLite database of --db-rows members, read through the
member list's queryset exactly as an export job does. bench/README.md explains the figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
SIZES = (100_000, 1_000_000)
WRITERS = {
    "csv": "CSV (csv.writer, reports.formats.roster.roster_csv)",
    "openpyxl": "openpyxl write_only (+ reports.excel.set_cell)",
    "xlsxwriter": "XlsxWriter constant_memory, bare",
    "roster": "chosen: reports.formats.roster.roster_xlsx (XlsxWriter)",
}
DB_WRITERS = {
    "db-read": "queryset rows only (no file)",
    "db-csv": "CSV from the queryset",
    "db-roster": "chosen writer from the queryset",
}
RATIO_TARGET = 2.0  # × openpyxl write_only's rows/s, same run
PEAK_TARGET_MB = 100.0
PDF_TARGET_MB = 500.0
POOL = 4096  # distinct generated rows, cycled with fresh ids


def say(text: str = "") -> None:
    print(text, flush=True)


def _setup_django(sqlite: Path) -> None:
    """Django on a SQLite file of our own; never DATABASE_URL's database."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "unionrec.settings"
    os.environ.setdefault("UNIONREC_TESTING", "1")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = str(sqlite)
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    import django

    django.setup()


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- Rows ----------------------------------------------------------------------------------


def _person(rng: random.Random, labels: dict[str, str]) -> tuple[Any, ...]:
    from bench import names

    woman = rng.random() < 0.495
    family = rng.choices(names.FAMILIES, names.FAMILY_WEIGHTS)[0]
    middle = rng.choice(names.WOMEN_MIDDLE if woman else names.MEN_MIDDLE)
    given = rng.choice(names.WOMEN_GIVEN if woman else names.MEN_GIVEN)
    born = date(1965, 1, 1) + timedelta(days=rng.randrange(14_000))
    joined = born + timedelta(days=rng.randrange(6_600, 12_000))
    left = joined + timedelta(days=rng.randrange(30, 3_000)) if rng.random() < 0.15 else None
    place = f"Công đoàn {rng.choice(names.WORKPLACES)} {rng.choice(names.PROVINCES)}"
    card = "•" * 6 + f"{rng.randrange(10_000):04d}" if rng.random() < 0.97 else ""
    ethnicity = rng.choices(names.ETHNICITIES, names.ETHNICITY_WEIGHTS)[0]
    return (
        f"{family} {middle} {given}",
        labels["female" if woman else "male"],
        born,
        ethnicity,
        card,
        joined,
        place,
        labels["left" if left else "active"],
        left,
    )


def synthetic_roster(count: int, *, seed: int = 7) -> Any:
    """A roster (reports.datasets.roster.Roster) of `count` generated rows in Vietnamese, shaped as
    build_roster's: an int, six strings and three dates, some of them empty."""
    from django.utils import translation

    from members.disclosure import Disclosure
    from members.models import Gender, MemberStatus
    from reports.datasets.roster import Roster, columns

    with translation.override("vi"):
        heads = columns(Disclosure.FULL)
        labels = {value: str(label) for value, label in [*Gender.choices, *MemberStatus.choices]}
    rng = random.Random(seed)
    pool = [_person(rng, labels) for _ in range(POOL)]
    rows = ((index, *pool[index % POOL]) for index in range(1, count + 1))
    return Roster(heads, rows, "vi", Disclosure.FULL)


# --- Writers (each returns the rows written) ------------------------------------------------


def write_csv(roster: Any, path: Path) -> int:
    from reports.formats.roster import roster_csv

    with open(path, "w", newline="", encoding="utf-8") as out:
        return roster_csv(roster, out=out)


def write_openpyxl(roster: Any, path: Path) -> int:
    """The same sheet with openpyxl's write-only mode and the project's safe cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    from reports.excel import BOLD, set_cell

    book = Workbook(write_only=True)
    sheet: Any = book.create_sheet("Đoàn viên")
    for index, column in enumerate(roster.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header = []
    for column in roster.columns:
        cell = set_cell(WriteOnlyCell(sheet), column.header)
        cell.font = BOLD
        header.append(cell)
    sheet.append(header)
    count = 0
    for values in roster.rows:
        sheet.append(
            [set_cell(WriteOnlyCell(sheet), value if value != "" else None) for value in values]
        )
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(roster.columns))}{count + 1}"
    book.save(path)
    return count


def write_xlsxwriter(roster: Any, path: Path) -> int:
    """XlsxWriter constant_memory with typed calls and nothing else: the library's own rate."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Đoàn viên")
    dated = book.add_format({"num_format": "dd/mm/yyyy"})
    for index, column in enumerate(roster.columns):
        sheet.write_string(0, index, column.header)
    count = 0
    for count, values in enumerate(roster.rows, start=1):
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(count, index, value)
            elif isinstance(value, date):
                sheet.write_datetime(count, index, value, dated)
            else:
                sheet.write_number(count, index, value)
    book.close()
    return count


def write_roster(roster: Any, path: Path) -> int:
    from reports.formats.roster import roster_xlsx

    return roster_xlsx(roster, language="vi", out=str(path))


def read_rows(roster: Any, path: Path) -> int:
    return sum(1 for _ in roster.rows)


# --- The child process ----------------------------------------------------------------------


def _database_roster(user_pk: int, code: str) -> Any:
    from django.contrib.auth import get_user_model

    from members.disclosure import Disclosure
    from members.models import Branch
    from reports.datasets.roster import build_roster, roster_queryset

    user = get_user_model().objects.get(pk=user_pk)
    branch = Branch.objects.get(code=code)
    queryset = roster_queryset(user, branch, {"branch": code})
    return build_roster(queryset, language="vi", sight=Disclosure.FULL)


def child(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    _setup_django(Path(args.sqlite) if args.sqlite else folder / "unused.sqlite3")
    if args.child == "make-db":
        return make_database(args.count)
    writer = {
        "csv": write_csv,
        "openpyxl": write_openpyxl,
        "xlsxwriter": write_xlsxwriter,
        "roster": write_roster,
        "db-read": read_rows,
        "db-csv": write_csv,
        "db-roster": write_roster,
    }.get(args.child)
    if args.child == "pdf":
        return pdf_child(args.count)
    assert writer is not None, args.child
    import reports.formats.roster  # noqa: F401 - imported (with its dataset) before the baseline

    if args.child.startswith("db-"):
        roster = _database_roster(args.user, args.branch)
    else:
        roster = synthetic_roster(args.count)
    path = folder / f"{args.child}.{'csv' if 'csv' in args.child else 'xlsx'}"
    gc.collect()
    before = _maxrss_mb()
    started = time.perf_counter()
    rows = writer(roster, path)
    seconds = time.perf_counter() - started
    size = path.stat().st_size if path.exists() else 0
    print(
        json.dumps(
            {
                "rows": rows,
                "seconds": seconds,
                "before_mb": before,
                "peak_mb": _maxrss_mb(),
                "bytes": size,
            }
        )
    )
    return 0


def pdf_child(count: int) -> int:
    from reports.formats.roster import roster_pdf

    roster = synthetic_roster(count)
    gc.collect()
    before = _maxrss_mb()
    started = time.perf_counter()
    pdf = roster_pdf(roster, title="Công đoàn cơ sở (bench)", limit=count)
    seconds = time.perf_counter() - started
    from bench.documents import page_count

    figures = {"rows": count, "seconds": seconds, "before_mb": before, "peak_mb": _maxrss_mb()}
    print(json.dumps(figures | {"bytes": len(pdf), "pages": page_count(pdf)}))
    return 0


def make_database(count: int) -> int:
    """A migrated throwaway database: a union with 20 sub-units, `count` members spread over
    them (bulk inserts, names and sort keys as the services make them), and its secretary."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from members import domain, services
    from members.models import BranchKind, Gender, Grant, Member, MemberStatus, Role

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    add = services.create_branch
    root = add(
        parent=None,
        code="ldld-hp",
        kind=BranchKind.FEDERATION,
        name="Liên đoàn Lao động thành phố Hải Phòng",
    )
    union = add(
        parent=root,
        code="cdcs-bench",
        kind=BranchKind.GRASSROOTS,
        name="Công đoàn cơ sở Công ty Cổ phần Đóng tàu Sông Hồng",
    )
    units = [
        add(
            parent=union, code=f"to-{i}", kind=BranchKind.GROUP, name=f"Tổ công đoàn Phân xưởng {i}"
        )
        for i in range(1, 21)
    ]
    account = get_user_model().objects.create_user(username="bench-secretary")
    Grant.objects.create(user=account, branch=union, role=Role.SECRETARY)
    rng = random.Random(11)
    labels = {"female": "female", "male": "male", "active": "active", "left": "left"}
    pool = [_person(rng, labels) for _ in range(POOL)]
    with transaction.atomic():
        for first in range(0, count, 5000):
            batch = []
            for index in range(first, min(first + 5000, count)):
                name, gender, born, ethnicity, _card, joined, _place, status, left = pool[
                    index % POOL
                ]
                name = f"{name} {index // POOL}" if index >= POOL else name
                batch.append(
                    Member(
                        full_name=name,
                        gender=gender or Gender.UNKNOWN,
                        birth_date=born,
                        ethnicity=ethnicity,
                        card_number=f"HP{index:08d}",
                        joined_union_on=joined,
                        branch=units[index % len(units)],
                        status=status,
                        left_on=left,
                        search_key=domain.fold(name),
                        sort_key=domain.name_sort_key(name),
                    )
                )
            Member.objects.bulk_create(batch)
    assert status in (MemberStatus.ACTIVE, MemberStatus.LEFT)
    print(
        json.dumps(
            {"user": account.pk, "branch": union.code, "seconds": time.perf_counter() - started}
        )
    )
    return 0


# --- The parent -----------------------------------------------------------------------------


def run_child(kind: str, count: int, folder: Path, *extra: str) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "bench.roster",
        "--child",
        kind,
        "--count",
        str(count),
        "--dir",
        str(folder),
        *extra,
    ]
    done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the {kind} run failed (exit {done.returncode})")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _line(label: str, result: dict[str, Any], target: str = "") -> str:
    rate = result["rows"] / result["seconds"] if result["seconds"] else 0
    growth = max(result["peak_mb"] - result["before_mb"], 0)
    return (
        f"  {label:50} {rate:>9,.0f} {result['seconds']:>8.1f} s {result['peak_mb']:>7.0f} "
        f"{growth:>7.0f} {result['bytes'] / 1e6:>8.1f}  {target}"
    )


def _header() -> str:
    return (
        f"  {'':50} {'rows/s':>9} {'time':>10} {'RSS MB':>7} {'growth':>7} {'file MB':>8}  target"
    )


def writers_section(size: int, writers: list[str], folder: Path) -> None:
    say()
    say(f"== Roster export, {size:,} generated rows (10 columns: an int, 6 strings, 3 dates) ==")
    say(_header())
    results = {}
    for kind in writers:
        results[kind] = run_child(kind, size, folder)
        target = ""
        if kind == "csv":
            target = "the floor for text output (reference)"
        elif kind == "roster":
            target = _verdicts(results, size)
        say(_line(WRITERS[kind], results[kind], target))


def _verdicts(results: dict[str, dict[str, Any]], size: int) -> str:
    chosen = results["roster"]
    growth = max(chosen["peak_mb"] - chosen["before_mb"], 0)
    parts = []
    if "openpyxl" in results:
        ratio = (chosen["rows"] / chosen["seconds"]) / (
            results["openpyxl"]["rows"] / results["openpyxl"]["seconds"]
        )
        parts.append(
            f"{ratio:.1f}× openpyxl (≥ {RATIO_TARGET:.0f}×: "
            f"{'met' if ratio >= RATIO_TARGET else 'MISSED'})"
        )
    parts.append(
        f"growth ≤ {PEAK_TARGET_MB:.0f} MB: {'met' if growth <= PEAK_TARGET_MB else 'MISSED'}"
    )
    note = "" if size >= 1_000_000 else " (targets stated for 1 M)"
    return "; ".join(parts) + note


def database_section(count: int, folder: Path) -> None:
    say()
    say(f"== Roster export from a real queryset: {count:,} members in a throwaway SQLite ==")
    sqlite = folder / "roster.sqlite3"
    made = run_child("make-db", count, folder, "--sqlite", str(sqlite))
    say(f"  migrate and insert {count:,} members: {made['seconds']:.1f} s (not timed below)")
    say(_header())
    extra = ("--sqlite", str(sqlite), "--user", str(made["user"]), "--branch", made["branch"])
    for kind, label in DB_WRITERS.items():
        say(_line(label, run_child(kind, count, folder, *extra)))


def pdf_section(count: int, folder: Path) -> None:
    say()
    say(f"== Roster PDF at its cap: {count:,} rows (UNIONREC_ROSTER_PDF_MAX_ROWS) ==")
    result = run_child("pdf", count, folder)
    verdict = "met" if result["peak_mb"] <= PDF_TARGET_MB else "MISSED"
    say(_header())
    say(
        _line(
            f"reports.formats.roster.roster_pdf, {result['pages']} pages",
            result,
            f"peak RSS ≤ {PDF_TARGET_MB:.0f} MB: {verdict}",
        )
    )


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.roster",
        description=__doc__.split("\n\n")[0].replace("`python -m bench.roster`: ", ""),
    )
    parser.add_argument(
        "--rows",
        default=",".join(str(s) for s in SIZES),
        help="comma-separated roster sizes (default 100000,1000000)",
    )
    parser.add_argument(
        "--writers",
        default=",".join(WRITERS),
        help=f"comma-separated, of {', '.join(WRITERS)} (default all)",
    )
    parser.add_argument(
        "--db-rows",
        type=int,
        default=100_000,
        help="members of the real-queryset run (0 skips it; 100000)",
    )
    parser.add_argument(
        "--pdf-rows",
        type=int,
        default=None,
        help="rows of the PDF run (the setting's cap; 0 skips it)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    for name in ("--dir", "--sqlite", "--branch"):
        parser.add_argument(name, help=argparse.SUPPRESS)
    parser.add_argument("--user", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.child:
        return child(args)
    writers = [w for w in args.writers.split(",") if w]
    unknown = set(writers) - WRITERS.keys()
    if unknown:
        raise SystemExit(f"unknown writers: {', '.join(sorted(unknown))}")
    pdf_rows = args.pdf_rows
    if pdf_rows is None:
        pdf_rows = int(os.environ.get("UNIONREC_ROSTER_PDF_MAX_ROWS", 1000))
    started = time.perf_counter()
    say("unionrec bench: roster exports (each run in a child process; files in a temporary")
    say("folder, deleted afterwards). RSS MB: the child's peak resident memory, Django")
    say("included; growth: its peak while writing over its peak before.")
    with tempfile.TemporaryDirectory(prefix="unionrec-bench-roster-") as name:
        folder = Path(name)
        for size in (int(s) for s in args.rows.split(",") if s):
            writers_section(size, writers, folder)
        if args.db_rows:
            database_section(args.db_rows, folder)
        if pdf_rows:
            pdf_section(pdf_rows, folder)
    say()
    say(f"Total time: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
