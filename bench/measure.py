"""The timed operations: statistics of branches on a day, and pages of member lists."""

from __future__ import annotations

import statistics as stats
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan
from django.test.utils import CaptureQueriesContext

from members import statistics as member_statistics
from members.filters import apply_member_search
from members.models import Branch, BranchKind, Gender, Member

PAGE_SIZE = 25
STATISTICS_TARGET_ROOT = 20.0  # ms: PostgreSQL with 11 M members, SQLite with 1 M
STATISTICS_TARGET_PROVINCE = 5.0  # ms: PostgreSQL with 11 M members
LIST_TARGET = 50.0  # ms: any page, any filter, 10 M members
SEARCH = "hoang dung"  # a name search of the member list (folded, word by word)
DIRECT_COUNT_LIMIT = 2_000_000  # above this, check the federation instead of the root


@dataclass
class Timing:
    label: str
    seconds: list[float]
    target_ms: float | None = None
    target_text: str = ""

    @property
    def median_ms(self) -> float:
        return stats.median(self.seconds) * 1000

    @property
    def verdict(self) -> str:
        if self.target_ms is None:
            return ""
        return "met" if self.median_ms <= self.target_ms else "MISSED"


@dataclass
class Section:
    title: str
    notes: list[str] = field(default_factory=list)
    timings: list[Timing] = field(default_factory=list)
    mismatches: int = 0


def time_it(action: Callable[[], Any], repeat: int) -> list[float]:
    """Seconds of `repeat` runs of `action`, after one untimed run that warms the caches."""
    action()
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return seconds


def count_queries(action: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)


# --- Statistics --------------------------------------------------------------------------------


@dataclass
class Sample:
    """The branches timed: the root, its largest federation, that federation's largest upper
    union and that union's largest grassroots union (largest by today's members)."""

    root: Branch
    federation: Branch
    upper: Branch | None
    grassroots: Branch
    members: dict[int, int]  # today's subtree members by branch id
    children: dict[int, int]  # direct children by branch id


def pick_sample(today: date) -> Sample:
    root = Branch.objects.get(depth=1)
    members: dict[int, int] = {}
    children: dict[int, int] = {}

    def largest(branch: Branch, kind: str) -> Branch | None:
        figures = member_statistics.statistics(branch, today)
        members[branch.pk] = figures.members
        children[branch.pk] = len(figures.children)
        rows = [row for row in figures.children if row.branch.kind == kind]
        if not rows:
            return None
        best = max(rows, key=lambda row: row.members)
        members[best.branch.pk] = best.members
        return Branch.objects.get(pk=best.branch.pk)  # rows hold plain BranchRef values

    federation = largest(root, BranchKind.FEDERATION)
    assert federation is not None
    upper = largest(federation, BranchKind.UPPER_UNION)
    grassroots = largest(upper or federation, BranchKind.GRASSROOTS)
    if grassroots is None:  # an upper union without grassroots unions: take any
        grassroots = Branch.objects.filter(kind=BranchKind.GRASSROOTS).first()
    assert grassroots is not None
    largest(grassroots, BranchKind.SUB_UNION)
    return Sample(root, federation, upper, grassroots, members, children)


def statistics_section(
    sample: Sample, today: date, past: date, repeat: int, vendor: str
) -> Section:
    section = Section("Statistics: members.statistics.statistics(branch, day)")
    rows: list[tuple[str, Branch, float | None, str]] = [
        (
            "root",
            sample.root,
            STATISTICS_TARGET_ROOT,
            "≤ 20 ms (PG 11 M)" if vendor == "postgresql" else "≤ 20 ms (SQLite 1 M)",
        ),
        (
            "federation",
            sample.federation,
            STATISTICS_TARGET_PROVINCE if vendor == "postgresql" else None,
            "≤ 5 ms (PG 11 M)" if vendor == "postgresql" else "none for SQLite",
        ),
    ]
    if sample.upper is not None:
        rows.append(("upper union", sample.upper, None, "none (province ≤ 5 ms)"))
    rows.append(("grassroots", sample.grassroots, None, "none (province ≤ 5 ms)"))
    for label, branch, target, target_text in rows:
        queries = count_queries(lambda branch=branch: member_statistics.statistics(branch, today))
        section.notes.append(
            f"{label}: {branch.code} ({branch.name}), depth {branch.depth}, "
            f"{sample.members.get(branch.pk, 0):,} members today, "
            f"{sample.children.get(branch.pk, 0):,} direct sub-units; {queries} queries a call"
        )
        for day_label, day in (("today", today), (f"on {past.isoformat()}", past)):
            section.timings.append(
                Timing(
                    f"{label}, {day_label}",
                    time_it(
                        lambda branch=branch, day=day: member_statistics.statistics(branch, day),
                        repeat,
                    ),
                    target,
                    target_text,
                )
            )
    return section


def correctness_section(sample: Sample, today: date, past: date, total_members: int) -> Section:
    """statistics(...).counts against direct_count(...) (the periods counted the slow way)."""
    branch = sample.root if total_members <= DIRECT_COUNT_LIMIT else sample.federation
    section = Section(f"Exactness: statistics() against direct_count() for {branch.code}")
    if branch is not sample.root:
        section.notes.append(
            f"over {DIRECT_COUNT_LIMIT:,} members: checked on the largest federation, "
            "not the root (direct_count is a full count)"
        )
    for day in (past, today):
        fast = member_statistics.statistics(branch, day).counts
        started = time.perf_counter()
        slow = member_statistics.direct_count(branch, day)
        seconds = time.perf_counter() - started
        same = fast == slow
        if not same:
            section.mismatches += 1
        section.notes.append(
            f"{day.isoformat()}: {'OK' if same else 'MISMATCH'}  tallies {_counts(fast)}"
            + ("" if same else f", direct {_counts(slow)}")
        )
        section.timings.append(
            Timing(
                f"direct_count {branch.code} on {day.isoformat()} (1 run)",
                [seconds],
                None,
                "reference: no tallies",
            )
        )
    return section


def _counts(counts: Any) -> str:
    return f"{counts.members:,} members, {counts.women:,} women, {counts.unknown:,} unknown"


# --- Member lists ------------------------------------------------------------------------------


def member_list(path: str, **filters: Any) -> QuerySet[Member]:
    """The member list of a subtree, as the API serves it (members.api: the branch filter is
    `branch__path__subtree`, rows come with their branch, ordered by the model's ordering)."""
    return (
        Member.objects.filter(branch__path__subtree=path, **filters)
        .select_related("branch")
        .order_by("sort_key", "id")
    )


def member_list_walk(path: str, **filters: Any) -> QuerySet[Member]:
    """The same rows written so that no index on branch_id can serve the subtree filter
    (`branch_id + 0 IN (subtree ids)`): the database then walks member_sort_idx in order and
    stops after the page. Not what the application does; an alternative for large subtrees."""
    subtree = Branch.objects.filter(path__subtree=path).values("id")
    return (
        Member.objects.alias(unindexed_branch=F("branch_id") + 0)
        .filter(unindexed_branch__in=subtree, **filters)
        .select_related("branch")
        .order_by("sort_key", "id")
    )


def offset_page(queryset: QuerySet[Member], offset: int) -> list[Member]:
    return list(queryset[offset : offset + PAGE_SIZE])


def keyset_page(queryset: QuerySet[Member], after: tuple[str, int] | None) -> list[Member]:
    """The page after the row with (sort_key, id) = `after`: `(sort_key, id) > (%s, %s)`."""
    return list(_keyset_queryset(queryset, after))


def _keyset_queryset(queryset: QuerySet[Member], after: tuple[str, int] | None) -> QuerySet[Member]:
    if after is None:
        return queryset[:PAGE_SIZE]
    after_row = TupleGreaterThan(Tuple(F("sort_key"), F("id")), list(after))
    return queryset.filter(after_row)[:PAGE_SIZE]


def list_section(sample: Sample, deep_page: int, repeat: int, explain: bool) -> Section:
    section = Section(f"Member lists: {PAGE_SIZE} rows a page, ORDER BY sort_key, id")
    section.notes.append(
        "rows marked 'walk' are an alternative query, not the application's: "
        "`branch_id + 0 IN (subtree)` makes the database walk member_sort_idx (see README)"
    )
    target = "≤ 50 ms (10 M)"
    plans: list[tuple[str, QuerySet[Member]]] = []

    def add(label: str, action: Callable[[], Any]) -> None:
        section.timings.append(Timing(label, time_it(action, repeat), LIST_TARGET, target))

    cases = [
        ("federation", sample.federation.path, {}),
        ("federation, women", sample.federation.path, {"gender": Gender.FEMALE}),
        ("root", sample.root.path, {}),
    ]
    for label, path, filters in cases:
        queryset = member_list(path, **filters)
        walk = member_list_walk(path, **filters)
        started = time.perf_counter()
        rows = queryset.count()
        counted = time.perf_counter() - started
        last = max(0, (rows - 1) // PAGE_SIZE)
        deep = min(deep_page - 1, last)
        section.notes.append(
            f"{label}: {rows:,} rows, {last + 1:,} pages; deep page = page {deep + 1:,}"
        )
        add(f"{label}, page 1", lambda q=queryset: offset_page(q, 0))
        add(f"{label}, page 1, walk", lambda q=walk: offset_page(q, 0))
        pages = [(f"page {deep + 1:,}", deep)] if deep > 0 else []
        if last > deep:
            pages.append(("last page", last))
        for page_label, page in pages:
            offset = page * PAGE_SIZE
            after = queryset.values_list("sort_key", "id")[offset - 1]
            expected = [member.pk for member in offset_page(queryset, offset)]
            for variant in (queryset, walk):
                if [member.pk for member in keyset_page(variant, after)] != expected:
                    section.notes.append(f"KEYSET MISMATCH on {label}, {page_label}")
            add(
                f"{label}, {page_label}, OFFSET {offset:,}",
                lambda q=queryset, o=offset: offset_page(q, o),
            )
            add(f"{label}, {page_label}, keyset", lambda q=queryset, a=after: keyset_page(q, a))
            add(f"{label}, {page_label}, keyset, walk", lambda q=walk, a=after: keyset_page(q, a))
            if explain:
                plans.append(
                    (f"{label}, {page_label}, OFFSET", queryset[offset : offset + PAGE_SIZE])
                )
                plans.append((f"{label}, {page_label}, keyset", _keyset_queryset(queryset, after)))
                plans.append(
                    (f"{label}, {page_label}, keyset, walk", _keyset_queryset(walk, after))
                )
        section.timings.append(
            Timing(f"{label}, COUNT(*) (1 run)", [counted], None, "no full COUNT per page")
        )
    grassroots = member_list(sample.grassroots.path)
    grassroots_walk = member_list_walk(sample.grassroots.path)
    code = sample.grassroots.code
    add(f"grassroots {code}, page 1", lambda: offset_page(grassroots, 0))
    add(f"grassroots {code}, page 1, walk", lambda: offset_page(grassroots_walk, 0))
    path = sample.federation.path
    found = apply_member_search(member_list(path), SEARCH)
    found_walk = apply_member_search(member_list_walk(path), SEARCH)
    section.notes.append(
        f"federation, search: members.filters.apply_member_search(list, {SEARCH!r}), "
        f"{found.count():,} rows"
    )
    add(f"federation, search {SEARCH!r}, page 1", lambda: offset_page(found, 0))
    add(f"federation, search {SEARCH!r}, page 1, walk", lambda: offset_page(found_walk, 0))
    if explain:
        plans.append((f"federation, search {SEARCH!r}, page 1", found[:PAGE_SIZE]))
    for label, planned in plans:
        section.notes.append(f"plan of {label}:")
        section.notes.extend(f"  {line}" for line in planned.explain().splitlines())
    return section


# --- Statistics reports (reports.datasets.statistics and its PDF and Excel file) -------------

REPORT_PDF_TARGET = 1000.0  # ms: performance.md's document target (term summary PDF ≤ 1 s)
FULL_SCALE_CHILDREN = 80  # the root of the full-scale tree has 80 federations
FULL_SCALE_FEDERATION = 515  # the sub-units of the largest federation at 10 M (issue 14)


def _synthetic_report(children: int) -> Any:
    """A statistics report with `children` rows of plausible figures, no database: the root
    of the full-scale tree when the generated one is smaller."""
    from reports.datasets.statistics import StatisticsReport, StatisticsRow

    rows = tuple(
        StatisticsRow(
            f"f{i:02d}",
            f"Liên đoàn Lao động tỉnh {i:02d}",
            100_000 + 1_513 * i,
            49_000 + 751 * i,
            0,
            10 + i,
            95_000 + 1_400 * i,
            47_000 + 700 * i,
        )
        for i in range(1, children + 1)
    )
    total = StatisticsRow(
        "vgcl",
        "Tổng Liên đoàn",
        sum(r.members for r in rows),
        sum(r.women for r in rows),
        0,
        children,
        sum(r.members_before or 0 for r in rows),
        sum(r.women_before or 0 for r in rows),
    )
    return StatisticsReport(
        "vgcl",
        "Tổng Liên đoàn Lao động Việt Nam",
        date(2026, 1, 1),
        date(2017, 12, 23),
        rows,
        None,
        total,
    )


def reports_section(sample: Sample, today: date, past: date, repeat: int) -> Section:
    """statistics_report() of the root (today, and today against the past day), and its PDF
    and Excel file; the same for the largest federation and for an 80-row report shaped like
    the full-scale root, so the documents are timed at the size the confederation sees."""
    from reports.datasets.statistics import statistics_report
    from reports.formats.statistics import statistics_pdf, statistics_workbook

    section = Section("Statistics report: reports.datasets.statistics_report and its documents")
    target = "≤ 20 ms (one statistics() call)"
    for label, branch in (("root", sample.root), ("federation", sample.federation)):
        plain = statistics_report(branch, as_of=today)
        compared = statistics_report(branch, as_of=today, compare_on=past)
        queries = count_queries(lambda b=branch: statistics_report(b, as_of=today, compare_on=past))
        whole = sum(r.members for r in plain.rows) + (plain.direct.members if plain.direct else 0)
        if whole != plain.total.members:
            section.mismatches += 1
            section.notes.append(f"MISMATCH: rows sum to {whole:,}, total {plain.total.members:,}")
        section.notes.append(
            f"{label}: {branch.code}, {len(plain.rows):,} rows (direct sub-units), "
            f"{plain.total.members:,} members; {queries} queries with a comparison day"
        )
        section.timings.append(
            Timing(
                f"{label}, statistics_report today",
                time_it(lambda b=branch: statistics_report(b, as_of=today), repeat),
                STATISTICS_TARGET_ROOT,
                target,
            )
        )
        section.timings.append(
            Timing(
                f"{label}, statistics_report against {past}",
                time_it(
                    lambda b=branch: statistics_report(b, as_of=today, compare_on=past), repeat
                ),
                None,
                "none (two statistics() calls)",
            )
        )
        _document_timings(section, label, compared, repeat, statistics_pdf, statistics_workbook)
    from reports.formats.statistics import pdf_max_rows

    section.notes.append(
        f"full-scale root and federation: synthetic reports of {FULL_SCALE_CHILDREN} and "
        f"{FULL_SCALE_FEDERATION} rows; the PDF lists at most {pdf_max_rows()} "
        "(UNIONREC_STATISTICS_PDF_MAX_ROWS) and names the rest, the workbook lists all"
    )
    for children in (FULL_SCALE_CHILDREN, FULL_SCALE_FEDERATION):
        _document_timings(
            section,
            f"{children} rows",
            _synthetic_report(children),
            repeat,
            statistics_pdf,
            statistics_workbook,
        )
    return section


def _document_timings(
    section: Section, label: str, report: Any, repeat: int, pdf: Any, workbook: Any
) -> None:
    size = len(pdf(report, language="vi"))
    section.notes.append(f"{label}: PDF {size / 1024:,.0f} KiB with its chart")
    section.timings.append(
        Timing(
            f"{label}, PDF vi",
            time_it(lambda: pdf(report, language="vi"), repeat),
            REPORT_PDF_TARGET,
            "≤ 1 s",
        )
    )
    section.timings.append(
        Timing(
            f"{label}, XLSX vi",
            time_it(lambda: workbook(report, language="vi"), repeat),
            None,
            "none",
        )
    )
