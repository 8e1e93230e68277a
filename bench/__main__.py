"""`python -m bench`: generate a national union tree and time statistics and member lists.

Run `python -m bench --help` for the options; bench/README.md explains the figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from unionrec.days import parse_iso_day

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_MEMBERS = 1_000_000
NATIONAL_MEMBERS = 10_000_000
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DEFAULT_PG_NAME = "unionrec_bench"
DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "unionrec-bench" / "bench.sqlite3"
PROTECTED_PG_NAMES = {"postgres", "template0", "template1", "test"}
INFO_TABLE = "bench_info"
# The timed sections, in the order they run (--sections picks some of them).
SECTIONS = (
    "statistics",
    "exactness",
    "lists",
    "http",
    "pages",
    "filters",
    "search",
    "reports",
)
# "lists" times the bare queries of the member list's plans, OFFSET pages included (seconds
# each at 1 M): for study, not by default; the pages users reach are in "http" and "filters".
DEFAULT_SECTIONS = tuple(name for name in SECTIONS if name != "lists")

EPILOG = f"""\
examples:
  python -m bench                          {DEFAULT_MEMBERS:,} members on SQLite (what make bench
                                           runs)
  python -m bench --national               {NATIONAL_MEMBERS:,} members on PostgreSQL (the
                                           national target; about 15 minutes to generate)
  python -m bench --members 100000         a quicker run
  python -m bench --keep --sections http,filters
                                           time the pages again on the same data
  python -m bench --database postgres --keep
                                           time again on the same data, without regenerating
  python -m bench.documents                the counting minutes PDF and Excel file (a small
                                           database of its own; make bench runs it too)

The database is left in place after the run so that --keep can reuse it; remove the SQLite
file or `DROP DATABASE {DEFAULT_PG_NAME}` to reclaim the space. The run sets
UNIONREC_TESTING=1 (no secret key needed) and DJANGO_DEBUG=0 (no query logging).
"""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=(
            "Generate a union tree shaped like the Vietnamese confederation with members and "
            "membership periods (bulk inserts: COPY on PostgreSQL, executemany on SQLite; no "
            "history rows), rebuild the tallies, then time members.statistics.statistics() "
            "for the root, a federation, an upper union and a grassroots union (today and a "
            "past day) and pages of member lists (OFFSET and keyset), each against its target "
            "in performance.md, and check the tallies against a direct count."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--members",
        type=int,
        default=DEFAULT_MEMBERS,
        metavar="N",
        help=f"members to generate (default {DEFAULT_MEMBERS:,})",
    )
    parser.add_argument(
        "--branches",
        type=int,
        metavar="N",
        help="branches in the tree, split in the full-scale proportions 80 federations : 800 "
        "upper unions : 100,000 grassroots unions : 45,000 sub-units (default: 145,881 per "
        "10 M members, i.e. the full-scale ratio; at least 10)",
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres"],
        default="postgres" if os.environ.get("DATABASE_URL") else "sqlite",
        help="where to generate: a SQLite file (--sqlite-path) or a database of its own "
        "(--pg-name) on a PostgreSQL server (--server). Default: postgres when DATABASE_URL "
        "is set, else sqlite",
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        default=os.environ.get("DATABASE_URL") or DEFAULT_SERVER,
        help="the PostgreSQL server as a postgres:// URL; only its host, port, user and "
        "password are used, the database is always --pg-name (default: DATABASE_URL, else "
        f"{DEFAULT_SERVER})",
    )
    parser.add_argument(
        "--pg-name",
        default=DEFAULT_PG_NAME,
        metavar="NAME",
        help="the PostgreSQL database the bench creates, drops and recreates; its name must "
        f"contain 'bench' (default {DEFAULT_PG_NAME})",
    )
    parser.add_argument(
        "--sqlite-path",
        type=Path,
        default=DEFAULT_SQLITE,
        metavar="PATH",
        help=f"the SQLite file the bench creates, deletes and recreates (default {DEFAULT_SQLITE})",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse the database left by an earlier complete run with the same --members, "
        "--branches and --seed instead of regenerating it (regenerates when it differs)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        metavar="N",
        help="timed runs of each operation after one untimed warm-up; the median is reported "
        "(default 5)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=2017,
        metavar="N",
        help="seed of the generator: the same seed and sizes give the same data (default 2017)",
    )
    parser.add_argument(
        "--past-day",
        type=parse_iso_day,
        default=date(2017, 12, 23),
        metavar="YYYY-MM-DD",
        help="the past day of the statistics timings and checks (default 2017-12-23)",
    )
    parser.add_argument(
        "--deep-page",
        type=int,
        default=2000,
        metavar="N",
        help="the deep page of the member lists, or the last page when there are fewer "
        "(default 2000, i.e. OFFSET 49,975)",
    )
    parser.add_argument(
        "--national",
        action="store_true",
        help=f"the national size: {NATIONAL_MEMBERS:,} members on PostgreSQL (the same as "
        f"--database postgres --members {NATIONAL_MEMBERS})",
    )
    parser.add_argument(
        "--sections",
        default=",".join(DEFAULT_SECTIONS),
        metavar="NAMES",
        help="the sections to time, comma-separated, in their order: "
        f"{', '.join(SECTIONS)} (default: all but lists)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="also print the query plans of the deep member-list pages and of the search",
    )
    args = parser.parse_args(argv)
    if args.national:
        args.database, args.members = "postgres", NATIONAL_MEMBERS
    if args.members < 1 or args.repeat < 1 or args.deep_page < 1:
        parser.error("--members, --repeat and --deep-page must be at least 1")
    args.sections = [name.strip() for name in args.sections.split(",") if name.strip()]
    unknown = sorted(set(args.sections) - set(SECTIONS))
    if unknown:
        parser.error(
            f"--sections: unknown {', '.join(unknown)}; choose among {', '.join(SECTIONS)}"
        )
    if args.branches is not None and args.branches < 10:
        parser.error("--branches must be at least 10")
    if args.database == "postgres":
        problem = _check_pg_name(args.pg_name)
        if problem:
            parser.error(problem)
    elif args.sqlite_path.resolve() == (PROJECT / "db.sqlite3").resolve():
        parser.error("--sqlite-path must not be the project's own db.sqlite3")
    return args


def _check_pg_name(name: str) -> str:
    in_url = urlsplit(os.environ.get("DATABASE_URL", "")).path.lstrip("/")
    if "bench" not in name or name in PROTECTED_PG_NAMES or name == in_url:
        return f"--pg-name {name!r}: use a database of the bench's own (a name with 'bench')"
    return ""


def pg_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise SystemExit(f"--server must be a postgres:// URL, not {parts.scheme}://")
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


# --- The database: reuse, or start afresh --------------------------------------------------------


def _wanted_info(args: argparse.Namespace, branches: int) -> dict[str, str]:
    from bench.shape import GENERATOR_VERSION

    return {
        "members": str(args.members),
        "branches": str(branches),
        "seed": str(args.seed),
        "generator": GENERATOR_VERSION,
        "complete": "1",
    }


def _read_info(args: argparse.Namespace) -> dict[str, str] | None:
    """The bench_info rows of the existing bench database; None when there is no database,
    {} when it exists but was not made by the bench (then it is never dropped)."""
    query = f"SELECT name, value FROM {INFO_TABLE}"
    if args.database == "postgres":
        import psycopg

        try:
            with psycopg.connect(pg_url(args.server, args.pg_name), connect_timeout=10) as db:
                try:
                    return dict(db.execute(query).fetchall())
                except psycopg.errors.UndefinedTable:
                    return {}
        except psycopg.OperationalError as error:
            if "does not exist" in str(error):
                return None
            raise SystemExit(f"Cannot reach PostgreSQL at {args.server}: {error}") from error
    if not args.sqlite_path.exists():
        return None
    with closing(sqlite3.connect(args.sqlite_path)) as db:
        try:
            return dict(db.execute(query).fetchall())
        except sqlite3.DatabaseError:
            return {}


def _start_afresh(args: argparse.Namespace, info: dict[str, str] | None) -> None:
    where = args.pg_name if args.database == "postgres" else str(args.sqlite_path)
    if info == {}:
        raise SystemExit(
            f"{where} exists and was not made by the bench (no {INFO_TABLE} table): "
            "not touching it. Choose another --pg-name / --sqlite-path."
        )
    if args.database == "postgres":
        import psycopg
        from psycopg import sql

        with psycopg.connect(pg_url(args.server, "postgres"), autocommit=True) as db:
            name = sql.Identifier(args.pg_name)
            db.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
            db.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8'").format(name))
    else:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{args.sqlite_path}{suffix}").unlink(missing_ok=True)
        args.sqlite_path.parent.mkdir(parents=True, exist_ok=True)


def _setup_django(args: argparse.Namespace) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "unionrec.settings"
    os.environ.setdefault("UNIONREC_TESTING", "1")
    os.environ["DJANGO_DEBUG"] = "0"
    if args.database == "postgres":
        os.environ["DATABASE_URL"] = pg_url(args.server, args.pg_name)
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(args.sqlite_path)
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    import django

    django.setup()


# --- Output ------------------------------------------------------------------------------------


def say(text: str = "") -> None:
    print(text, flush=True)


def machine_facts(args: argparse.Namespace) -> list[str]:
    import django
    from django.db import connection

    facts = [
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs" + _memory(),
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
            settings = []
            for name in ("shared_buffers", "work_mem", "jit"):
                cursor.execute(f"SHOW {name}")
                settings.append(f"{name}={cursor.fetchone()[0]}")
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = cursor.fetchone()[0]
            facts.append(f"{version} ({', '.join(settings)}); database {args.pg_name}, {size}")
        else:
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            size = args.sqlite_path.stat().st_size / 2**20
            facts.append(
                f"SQLite {sqlite3.sqlite_version} (journal_mode={journal}); "
                f"{args.sqlite_path}, {size:,.0f} MiB"
            )
    return facts


def _memory() -> str:
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return ""
    return f", {pages * size / 2**30:.0f} GiB RAM"


def print_section(section: object) -> None:
    from bench.measure import Section

    assert isinstance(section, Section)
    say()
    say(f"== {section.title} ==")
    for note in section.notes:
        say(f"  {note}")
    if not section.timings:
        return
    width = max(len(timing.label) for timing in section.timings)
    say(f"  {'':{width}}  {'median':>10}  {'min':>10}  {'max':>10}  target")
    for timing in section.timings:
        low, high = min(timing.seconds) * 1000, max(timing.seconds) * 1000
        verdict = f"  [{timing.verdict}]" if timing.verdict else ""
        say(
            f"  {timing.label:{width}}  {_ms(timing.median_ms)}  {_ms(low)}  {_ms(high)}  "
            f"{timing.target_text}{verdict}"
        )


def _ms(value: float) -> str:
    text = f"{value:,.2f} ms" if value < 100 else f"{value:,.0f} ms"
    return f"{text:>10}"


# --- Main --------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    args = parse_args(argv)
    from bench.shape import default_branches

    branches = args.branches or default_branches(args.members)
    wanted = _wanted_info(args, branches)
    info = _read_info(args)
    reuse = bool(args.keep and info and info == wanted)
    if args.keep and not reuse:
        say(
            "--keep: no complete bench database of this size and seed"
            + ("" if info is None else f" (found {info or 'a database not made by the bench'})")
            + "; generating"
        )
    if not reuse:
        _start_afresh(args, info)
    _setup_django(args)

    from django.core.management import call_command
    from django.db import connection

    from bench import filters as filter_timings
    from bench import generate, measure, pages, through_http
    from bench import search as search_timings
    from members.statistics import today as union_today

    say(f"unionrec bench: {args.members:,} members, {branches:,} branches, {connection.vendor}")
    phase = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    say(f"migrate: {time.perf_counter() - phase:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {INFO_TABLE} "
            "(name VARCHAR(40) PRIMARY KEY, value VARCHAR(200) NOT NULL)"
        )
    today = union_today()
    if reuse:
        say("Reusing the database of an earlier run (--keep): no generation.")
    else:
        say("Generating (bulk inserts; no django-simple-history rows for the bulk load)")
        report = generate.load(
            members=args.members, branches=branches, seed=args.seed, today=today, say=say
        )
        with connection.cursor() as cursor:
            for name, value in wanted.items():
                cursor.execute(
                    f"INSERT INTO {INFO_TABLE} (name, value) VALUES (%s, %s)", [name, value]
                )
        say()
        say("== Generation ==")
        for label, seconds in report.phases:
            say(f"  {label:58} {seconds:8.1f} s")
        load_seconds = sum(s for label, s in report.phases if "tallies" not in label)
        say(f"  {'total':58} {report.total:8.1f} s")
        say(
            f"  throughput: {args.members / report.total:,.0f} members/s overall, "
            f"{args.members / load_seconds:,.0f} members/s without the tally rebuild "
            f"({report.periods:,} periods)"
        )

    say()
    say("== Machine ==")
    for fact in machine_facts(args):
        say(f"  {fact}")
    say(f"  today = {today.isoformat()} (UNIONREC_TIME_ZONE); past day = {args.past_day}")
    say(
        f"  timings: median of {args.repeat} runs after one untimed warm-up (caches warm); "
        "targets from performance.md, stated for 11 M members on PostgreSQL and 1 M on SQLite"
    )

    sample = measure.pick_sample(today)
    runs = {
        "statistics": lambda: measure.statistics_section(
            sample, today, args.past_day, args.repeat, connection.vendor
        ),
        "exactness": lambda: measure.correctness_section(
            sample, today, args.past_day, args.members
        ),
        "lists": lambda: measure.list_section(sample, args.deep_page, args.repeat, args.explain),
        "http": lambda: through_http.http_section(sample, args.repeat),
        "pages": lambda: pages.pages_section(sample, args.repeat),
        "filters": lambda: filter_timings.filters_section(sample, args.repeat),
        "search": lambda: search_timings.search_section(sample, args.repeat),
        "reports": lambda: measure.reports_section(sample, today, args.past_day, args.repeat),
    }
    mismatches = 0
    for name in args.sections:
        section = runs[name]()
        print_section(section)
        mismatches += section.mismatches
    say()
    say(f"Total time: {time.perf_counter() - started:.1f} s")
    if mismatches:
        say(f"{mismatches} MISMATCH(ES) between the tallies and the direct count")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
