"""The other pages of a national officer through HTTP (issue 14 item 7): the branch tree, the
branch page, the congress calendar, the goals page, the statistics report, a union's import
page and the exports list, on the server and sessions of bench.through_http, for a superuser
and for a reviewer of the confederation. Target: 200 ms a page at 10 M members.

The calendar and the goals page read the congress records of bench.records. The import page
and the exports list read jobs this module adds once (IMPORT_JOBS finished imports of the
sample's grassroots union, each with the stored preview of a PREVIEW_ROWS-row file, and
EXPORT_JOBS exports of each bench user), since the generator makes none."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from bench.measure import Sample, Section
from bench.through_http import USERS, _get, _link, _server, _session, time_page
from congresses.filters import Situation
from congresses.tables import CALENDAR_SORTS
from congresses.tables import DEFAULT_SORT as CALENDAR_DEFAULT_SORT
from members.jobs import ImportJob, ImportStatus
from members.models import Branch
from reports.models import ExportJob, ExportKind, ExportStatus

PAGE_TARGET = 200.0  # ms; issue 14 item 7: each of these pages ≤ 200 ms at 10 M members
TREE_PAGE = 200  # members.views.branches.TREE_PAGE_SIZE
IMPORT_JOBS = 12  # the upload page lists the latest 10
PREVIEW_ROWS = 5_000
EXPORT_JOBS = 60  # the exports list shows the latest 50
JOB_NAME = "bench-import-{}.xlsx"


def _seed_jobs(sample: Sample) -> None:
    """Finished imports of the sample's grassroots union and exports of each bench user, once
    (the users exist: through_http._session made them)."""
    users = get_user_model().objects.filter(username__in=USERS.values())
    now = timezone.now()
    branch = sample.grassroots
    if not ImportJob.objects.filter(branch=branch, filename=JOB_NAME.format(1)).exists():
        row: dict[str, Any] = {
            "action": "create",
            "errors": [],
            "changes": {},
            "member_id": None,
            "values": {
                "full_name": "Nguyễn Thị Minh Anh",
                "gender": "female",
                "birth_date": "1990-04-12",
                "card_number": "VN00000000",
                "joined_union_on": "2015-06-01",
                "ethnicity": "Kinh",
            },
        }
        rows = [row | {"number": number + 2} for number in range(PREVIEW_ROWS)]
        preview = {"filename": "x.xlsx", "kind": "xlsx", "rows": rows, "errors": [], "ok": True}
        ImportJob.objects.bulk_create(
            ImportJob(
                branch=branch,
                user=users.first(),
                filename=JOB_NAME.format(number),
                stored_name=f"bench-{number}",
                size=PREVIEW_ROWS * 80,
                sha256=hashlib.sha256(str(number).encode()).hexdigest(),
                status=ImportStatus.COMMITTED,
                preview=preview,
                rows=PREVIEW_ROWS,
                created_count=PREVIEW_ROWS,
                started_at=now,
                finished_at=now,
            )
            for number in range(1, IMPORT_JOBS + 1)
        )
    for owner in users:
        if ExportJob.objects.filter(owner=owner).exists():
            continue
        ExportJob.objects.bulk_create(
            ExportJob(
                owner=owner,
                kind=ExportKind.ROSTER_XLSX,
                parameters={"branch": sample.federation.code, "language": "vi"},
                status=ExportStatus.DONE,
                rows_total=50_000,
                rows_written=50_000,
                filename=f"danh-sach-doan-vien-{number}.xlsx",
                stored_name=f"bench-{owner.pk}-{number}",
                size=4_000_000,
                created_at=now - timedelta(hours=number),
                finished_at=now - timedelta(hours=number),
                expires_at=now + timedelta(days=7),
            )
            for number in range(EXPORT_JOBS)
        )


def _tree_last_page() -> int:
    """The last page of the tree (it pages by number). The calendar and the goals page's
    subtree list page by keyset: their last page is the page's own rel="last" link."""
    branches: int = Branch.objects.count()
    return max(1, -(-branches // TREE_PAGE))


def pages_section(sample: Sample, repeat: int) -> Section:
    section = Section(
        "Through HTTP: the tree, calendar, goals, statistics, import and exports pages"
    )
    server, base = _server()
    root, fed, union = sample.root.code, sample.federation.code, sample.grassroots.code
    tree_last = _tree_last_page()
    section.notes.append(
        f"deep pages: tree {tree_last}, the calendar's and the goals page's by their rel=last "
        f"link; federation {fed}, grassroots union {union}"
    )
    cookies = {role: _session(role, sample) for role in USERS}
    _seed_jobs(sample)
    try:
        for role, cookie in cookies.items():

            def add(label: str, path: str, cookie: str = cookie, role: str = role) -> None:
                time_page(section, base, cookie, f"{role}: {label}", path, repeat, PAGE_TARGET)

            def add_last(label: str, path: str, cookie: str = cookie, role: str = role) -> None:
                """The last page of the list at `path`, reached by its rel="last" link."""
                _status, body = _get(base, cookie, path)
                last = _link(body, "last")
                if last is None:
                    section.notes.append(f"{role}, {label}: no last page at {path}")
                    return
                add(label, path.split("?")[0] + last.split("#")[0])

            add("tree, page 1", "/branches/")
            add(f"tree, page {tree_last}", f"/branches/?page={tree_last}")
            add("branch page, root", f"/branches/{root}/")
            add("branch page, federation", f"/branches/{fed}/")
            add("calendar, page 1", "/calendar/")
            add_last("calendar, last page", "/calendar/")
            for sort in (n for column in CALENDAR_SORTS for n in (column, f"-{column}")):
                if sort == CALENDAR_DEFAULT_SORT:
                    continue  # the rows above
                add(f"calendar, sort={sort}", f"/calendar/?sort={sort}")
                add_last(f"calendar, sort={sort}, last page", f"/calendar/?sort={sort}")
            for situation in Situation.values:
                add(f"calendar, {situation}", f"/calendar/?situation={situation}")
            add("calendar, federation", f"/calendar/?branch={fed}")
            add("goals, root", f"/goals/?branch={root}")
            add_last("goals, root, last page", f"/goals/?branch={root}")
            add("goals, federation", f"/goals/?branch={fed}")
            add("statistics report, root", f"/branches/{root}/statistics/")
            add("statistics report, federation", f"/branches/{fed}/statistics/")
            add("import page, grassroots union", f"/branches/{union}/import/")
            add("exports list", "/exports/")
    finally:
        server.shutdown()
    return section
