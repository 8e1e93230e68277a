"""The roster: the members of the member list, with its scope and its filters, as rows and
then as an Excel workbook, a CSV file or a short PDF.

Rows first, then formats (design/style.md): `roster_queryset` is the member list's own
queryset (members.filters.members_for_list and MemberListFilter, in name order), `build_roster`
turns it into a header and a generator of plain tuples read with `values_list().iterator()`
(no model instances; each branch's name is looked up once, by chunk), and the writers only
format those tuples.

What a roster shows (reliability-security test 55; never more than the list shows the same
user): card numbers are masked as on the list. A secretary (or a superuser) sees dates of
birth, as on the list and on a member's record; a reviewer (leadership) gets the age band
instead, as leadership reports do. A roster over several branches shows dates of birth only
when the user is secretary of all of them.

The Excel writer is XlsxWriter in `constant_memory` mode: each row goes to a temporary file
as soon as the next one starts, so memory stays flat however many rows (`make bench`,
bench/roster.py: 3.2 to 3.5 times openpyxl's write-only rate, in flat memory). Text is always
written with `write_string`, never `write()`, so no value can become a formula; text that
begins with = + - @, a tab, CR, LF or NUL also gets Excel's quote prefix (test 33). The PDF is
for short rosters only: past settings.UNIONREC_ROSTER_PDF_MAX_ROWS it is refused (test 38)
and the Excel file is the answer."""

from __future__ import annotations

import csv
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import batched
from typing import IO, Any

import xlsxwriter
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from members import domain
from members.filters import MemberListFilter, age_band_choices, members_for_list
from members.models import Branch, Gender, Member, MemberStatus
from members.statistics import today
from unionrec.access import Need, Scope, scope_for

from .excel import DATE_FORMAT, FORMULA_TRIGGERS

# The member list's filters: what a roster request may carry, and all an export job keeps.
FILTER_KEYS = ("branch", "gender", "status", "age_band", "search")
FIELDS = (
    "id",
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "card_number",
    "joined_union_on",
    "branch_id",
    "status",
    "left_on",
)
CHUNK_SIZE = 2000  # rows fetched from the database at a time
LOOKUP_SIZE = 900  # branch ids per lookup query (under any database's parameter limit)
PROGRESS_EVERY = 5000  # rows between two progress reports of a long export
DEFAULT_PDF_MAX_ROWS = 1000

Row = tuple[Any, ...]
# Member.masked_card_number is the one masking rule; it only reads `card_number`.
_Card = namedtuple("_Card", "card_number")
_mask: Callable[[Any], str] = vars(Member)["masked_card_number"].fget


@dataclass(frozen=True)
class Column:
    header: str
    kind: str  # "int", "text" or "date"
    width: float


@dataclass
class Roster:
    """A roster ready to format: its columns (headers in the roster's language) and its rows,
    a generator that can be read once."""

    columns: tuple[Column, ...]
    rows: Iterator[Row]
    language: str
    birth_dates: bool


class RosterTooLong(Exception):
    """A roster PDF was asked for more rows than settings.UNIONREC_ROSTER_PDF_MAX_ROWS."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} rows")
        self.limit = limit


def pdf_max_rows() -> int:
    return int(getattr(settings, "UNIONREC_ROSTER_PDF_MAX_ROWS", DEFAULT_PDF_MAX_ROWS))


# --- Which members, and what of them --------------------------------------------------------


def filters_of(data: Mapping[str, Any]) -> dict[str, str]:
    """The member list's filters found in `data` (a query string), and nothing else."""
    return {key: str(data[key]) for key in FILTER_KEYS if data.get(key) not in (None, "")}


def roster_queryset(user: Any, branch: Branch | None, filters: Mapping[str, str]) -> Any:
    """The member list's queryset for `user` with `filters`, in the list's name order; None
    when the filters are not valid (the list then shows no one). The caller has checked that
    the user may read `branch` (or, without one, some members at all)."""
    scope = scope_for(user)
    members = members_for_list(scope, branch, by_name=True)
    request = HttpRequest()
    request.user = user
    filterset = MemberListFilter(dict(filters), queryset=members, request=request)
    if not filterset.is_valid():
        return None
    return filterset.qs.order_by("sort_key", "id")


def shows_birth_dates(scope: Scope, branch: Branch | None) -> bool:
    """Dates of birth for secretaries of the whole roster (and superusers); age bands for
    everyone else (reliability-security test 55)."""
    if scope.superuser:
        return True
    if branch is not None:
        return scope.covers(branch.path, Need.WRITE)
    return bool(scope.read_paths) and all(
        scope.level_for(path) == Need.WRITE for path in scope.read_paths
    )


def columns(*, birth_dates: bool) -> tuple[Column, ...]:
    """The roster's columns in the active language."""
    born = (
        Column(gettext("Date of birth"), "date", 12)
        if birth_dates
        else Column(gettext("Age"), "text", 12)
    )
    return (
        Column(gettext("Member ID"), "int", 10),
        Column(gettext("Full name"), "text", 30),
        Column(gettext("Gender"), "text", 10),
        born,
        Column(gettext("Ethnicity"), "text", 12),
        Column(gettext("Union card"), "text", 16),
        Column(gettext("Joined the union on"), "date", 14),
        Column(gettext("Branch"), "text", 40),
        Column(gettext("Status"), "text", 14),
        Column(gettext("Left on"), "date", 12),
    )


def build_roster(
    queryset: QuerySet[Member], *, language: str, birth_dates: bool, day: date | None = None
) -> Roster:
    """The roster of `queryset` in `language`; ages are taken on `day` (today)."""
    with translation.override(language):
        heads = columns(birth_dates=birth_dates)
        genders = {value: str(label) for value, label in Gender.choices}
        statuses = {value: str(label) for value, label in MemberStatus.choices}
        bands = dict(age_band_choices())
    values = queryset.values_list(*FIELDS).iterator(chunk_size=CHUNK_SIZE)
    rows = _rows(
        values,
        genders=genders,
        statuses=statuses,
        bands=None if birth_dates else bands,
        day=day or today(),
    )
    return Roster(heads, rows, language, birth_dates)


def _rows(
    values: Iterable[Row],
    *,
    genders: dict[str, str],
    statuses: dict[str, str],
    bands: dict[str, str] | None,
    day: date,
) -> Iterator[Row]:
    names: dict[int, str] = {}
    for chunk in batched(values, CHUNK_SIZE):
        _branch_names(names, {row[7] for row in chunk})
        for pk, name, gender, born, ethnicity, card, joined, branch, status, left in chunk:
            if bands is not None:
                band = domain.age_band(born, day)
                born = bands.get(band, "") if band else ""
            masked = _mask(_Card(card)) if card else ""
            yield (
                pk,
                name,
                genders.get(gender, gender),
                born,
                ethnicity,
                masked,
                joined,
                names.get(branch, ""),
                statuses.get(status, status),
                left,
            )


def _branch_names(names: dict[int, str], wanted: set[int]) -> None:
    """Add the display names of the branches in `wanted` that `names` lacks."""
    missing = sorted(wanted - names.keys())
    for part in batched(missing, LOOKUP_SIZE):
        query = Branch.objects.filter(pk__in=part).values_list("pk", "name", "short_name")
        for pk, name, short in query.order_by():
            names[pk] = short or name


# --- Excel ---------------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """Text an XML sheet can hold: control characters other than tab, CR and LF dropped."""
    return value if value.isprintable() else ILLEGAL_CHARACTERS_RE.sub("", value)


def needs_quote(original: str, cleaned: str) -> bool:
    """Whether a spreadsheet could read the text as a formula or a command."""
    return original.startswith(FORMULA_TRIGGERS) or cleaned.startswith(FORMULA_TRIGGERS)


def roster_xlsx(
    roster: Roster,
    *,
    language: str,
    out: str | IO[bytes],
    progress: Callable[[int], None] | None = None,
    every: int | None = None,
) -> int:
    """Write the roster as an .xlsx to `out` (a path or a binary file), one sheet, header row
    frozen and filtered, columns sized; numbers as numbers, dates as date cells, text as text
    (never a formula). `progress(rows)` is called every `every` rows (PROGRESS_EVERY) and at
    the end. Returns the rows written. Memory stays flat: XlsxWriter's constant_memory mode."""
    book = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "default_date_format": DATE_FORMAT,
        },
    )
    with translation.override(language):
        sheet = book.add_worksheet(gettext("Members")[:31])
        book.set_properties(
            {"title": gettext("Member roster"), "author": "unionrec", "comments": language}
        )
    bold = book.add_format({"bold": True})
    dated = book.add_format({"num_format": DATE_FORMAT})
    quoted = book.add_format({"quote_prefix": True})
    for index, column in enumerate(roster.columns):
        sheet.set_column(index, index, column.width)
        sheet.write_string(0, index, column.header, bold)
    sheet.freeze_panes(1, 0)
    kinds = [column.kind for column in roster.columns]
    every = every or PROGRESS_EVERY
    write_string, write_number, write_date = (
        sheet.write_string,
        sheet.write_number,
        sheet.write_datetime,
    )
    row_number = 0
    for row_number, values in enumerate(roster.rows, start=1):
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            kind = kinds[index]
            if kind == "text":
                text = clean_text(value)
                fmt = quoted if needs_quote(value, text) else None
                write_string(row_number, index, text, fmt)
            elif kind == "date":
                write_date(row_number, index, value, dated)
            else:
                write_number(row_number, index, value)
        if progress is not None and row_number % every == 0:
            progress(row_number)
    sheet.autofilter(0, 0, max(row_number, 1), len(kinds) - 1)
    book.close()
    if progress is not None:
        progress(row_number)
    return row_number


# --- CSV (for comparison in the bench, and for anyone who needs plain text) ----------------


def csv_cell(value: Any) -> str:
    """A CSV cell: dates as YYYY-MM-DD; text a spreadsheet could run as a formula (= + - @,
    tab, CR, LF, NUL first) behind a leading ' (reliability-security test 34)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def roster_csv(roster: Roster, *, out: IO[str]) -> int:
    """Write the roster as CSV (the caller opens `out` with newline=""); returns the rows."""
    writer = csv.writer(out)
    writer.writerow([column.header for column in roster.columns])
    count = 0
    for row in roster.rows:
        writer.writerow([csv_cell(value) for value in row])
        count += 1
    return count


# --- PDF (short rosters only) -------------------------------------------------------------


def roster_pdf(roster: Roster, *, title: str, limit: int | None = None) -> bytes:
    """A printable roster; RosterTooLong past `limit` rows (settings.UNIONREC_ROSTER_PDF_MAX_
    ROWS, 1,000 by default), before anything is laid out. WeasyPrint's time and memory grow
    with the document: `make bench` measured 1,000 rows (35 pages) in 6.2 s at a peak RSS of
    270 MB (28 s on two busy cores) and 2,000 rows at 438 MB; performance.md has 490-910 MB
    for 5,000. So a PDF stays within a request's time and 500 MB, and long rosters are Excel
    files."""
    limit = pdf_max_rows() if limit is None else limit
    rows: list[Row] = []
    for row in roster.rows:
        if len(rows) == limit:
            raise RosterTooLong(limit)
        rows.append(row)
    shown = (1, 2, 3, 5, 6, 7, 8)  # name, gender, birth, card, joined, branch, status
    with translation.override(roster.language):
        head = gettext("Member roster") + " · " + title
        lines = [[_shown(row[i]) for i in shown] for row in rows]
    context = {
        "title": title,
        "headers": [roster.columns[i].header for i in shown],
        "rows": lines,
        "count": len(rows),
        "day": today(),
        "language": roster.language,
    }
    from .pdf import render_pdf  # WeasyPrint only where a PDF is made (not in Excel exports)

    return render_pdf(
        "reports/pdf/roster.html", context, language=roster.language, running_head=head
    )


def _shown(value: Any) -> Any:
    """A PDF cell: dates in the active language's short format, nothing as a dash."""
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return "—" if value in (None, "") else value
