"""The roster as an Excel workbook, a CSV file or a short PDF: formats of the rows that
reports.datasets.roster builds, nothing else.

The Excel writer is XlsxWriter in `constant_memory` mode: each row goes to a temporary file
as soon as the next one starts, so memory stays flat however many rows (`make bench`,
bench/roster.py: 3.2 to 3.5 times openpyxl's write-only rate, in flat memory). Text is always
written with `write_string`, never `write()`, so no value can become a formula; text that
begins with = + - @, a tab, CR, LF or NUL also gets Excel's quote prefix (test 33). The PDF is
for short rosters only: past settings.UNIONREC_ROSTER_PDF_MAX_ROWS it is refused (test 38)
and the Excel file is the answer."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from typing import IO, Any

import xlsxwriter
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from members.statistics import today

from ..datasets.roster import Roster, Row
from ..excel import DATE_FORMAT, FORMULA_TRIGGERS

PROGRESS_EVERY = 5000  # rows between two progress reports of a long export
DEFAULT_PDF_MAX_ROWS = 1000
# The columns of the short PDF (its page is narrower than a sheet): no id, ethnicity, leaving day.
PDF_COLUMNS = frozenset(
    ("full_name", "gender", "birth_date", "card_number", "joined_union_on", "branch", "status")
)


class RosterTooLong(Exception):
    """A roster PDF was asked for more rows than settings.UNIONREC_ROSTER_PDF_MAX_ROWS."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} rows")
        self.limit = limit


def pdf_max_rows() -> int:
    return int(getattr(settings, "UNIONREC_ROSTER_PDF_MAX_ROWS", DEFAULT_PDF_MAX_ROWS))


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
    shown = [i for i, column in enumerate(roster.columns) if column.key in PDF_COLUMNS]
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
    from ..pdf import render_pdf  # WeasyPrint only where a PDF is made (not in Excel exports)

    return render_pdf(
        "reports/pdf/roster.html", context, language=roster.language, running_head=head
    )


def _shown(value: Any) -> Any:
    """A PDF cell: dates in the active language's short format, nothing as a dash."""
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return "—" if value in (None, "") else value
