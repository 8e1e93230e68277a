"""Every filter and every sort the member list page offers, through HTTP (issue 14 item 5):
each combination of gender, status and age band on the root and on the largest federation,
first page and last page (read backwards by keyset), and each sort in both directions. Printed
as compact tables, one figure per combination, against the list's target of 50 ms."""

from __future__ import annotations

import itertools
import statistics as stats
import time
from urllib.parse import urlencode

from bench.measure import LIST_TARGET, Sample, Section, Timing
from bench.through_http import USERS, _get, _link, _server, _session
from members import domain
from members.models import Gender, MemberStatus
from members.tables import MEMBER_SORTS

ANY = ""


def _median_ms(base: str, cookie: str, path: str, repeat: int) -> tuple[float, int, int]:
    """The median of `repeat` GETs after a warm-up, the status and the size of the body."""
    status, body = _get(base, cookie, path)
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        _get(base, cookie, path)
        seconds.append(time.perf_counter() - started)
    return stats.median(seconds) * 1000, status, len(body)


def _first_and_last(
    base: str, cookie: str, path: str, repeat: int
) -> tuple[float, float, int, int]:
    """The medians of the list's first page and of its last (its rel="last" link; 0 when it
    has none), the first page's status and size."""
    first, status, size = _median_ms(base, cookie, path, repeat)
    _status, body = _get(base, cookie, path)
    last_link = _link(body, "last")
    last = 0.0
    if last_link:
        last, _code, _size = _median_ms(base, cookie, "/members/" + last_link, repeat)
    return first, last, status, size


def _cell(value: float) -> str:
    mark = "" if value <= LIST_TARGET else "!"
    return f"{value:6.1f}{mark:1}"


def filters_section(sample: Sample, repeat: int) -> Section:
    section = Section(
        "Through HTTP: every filter and sort of the member list page (first and last page)"
    )
    genders = [ANY, *Gender.values]
    statuses = [ANY, *MemberStatus.values]
    bands = [ANY, *(code for code, _low, _high in domain.AGE_BANDS)]
    server, base = _server()
    slowest: list[tuple[float, str]] = []
    worst = 0.0
    try:
        for role in USERS:
            cookie = _session(role, sample)
            for scope, code in (("root", ""), ("federation", sample.federation.code)):
                section.notes.append(
                    f"{role}, {scope}: ms for page 1 / last page; rows gender × status, "
                    "columns age band ('!' over 50 ms)"
                )
                section.notes.append(
                    "  " + f"{'':26}" + "".join(f"{band or 'any':>16}" for band in bands)
                )
                for gender, status in itertools.product(genders, statuses):
                    cells = []
                    for band in bands:
                        query = {
                            "branch": code,
                            "gender": gender,
                            "status": status,
                            "age_band": band,
                        }
                        path = "/members/?" + urlencode({k: v for k, v in query.items() if v})
                        first, last, code_first, _size = _first_and_last(base, cookie, path, repeat)
                        if code_first != 200:
                            section.notes.append(f"  HTTP {code_first} for {path}")
                        cells.append(f"{_cell(first)}/{_cell(last)}")
                        for value in (first, last):
                            worst = max(worst, value)
                            slowest.append((value, f"{role} {path}"))
                    label = f"{gender or 'any'} × {status or 'any'}"
                    section.notes.append(f"  {label:26}" + "".join(f"{c:>16}" for c in cells))
                for sort_name in MEMBER_SORTS:
                    for sort in (sort_name, f"-{sort_name}"):
                        query = {"branch": code, "sort": sort}
                        path = "/members/?" + urlencode({k: v for k, v in query.items() if v})
                        first, last, _status, size = _first_and_last(base, cookie, path, repeat)
                        for label, value in (("first", first), ("last", last)):
                            section.timings.append(
                                Timing(
                                    f"{role}, {scope}, sort={sort}, {label} page",
                                    [value / 1000],
                                    LIST_TARGET,
                                    f"≤ {LIST_TARGET:.0f} ms (10 M); {size / 1024:,.0f} KB",
                                )
                            )
    finally:
        server.shutdown()
    slowest.sort(reverse=True)
    section.notes.append(
        f"slowest of the filter combinations ({len(slowest)} pages): "
        + "; ".join(f"{value:.0f} ms {path}" for value, path in slowest[:5])
    )
    section.timings.insert(
        0,
        Timing(
            "the slowest filter combination (of the tables above)",
            [worst / 1000],
            LIST_TARGET,
            f"≤ {LIST_TARGET:.0f} ms (10 M)",
        ),
    )
    return section
