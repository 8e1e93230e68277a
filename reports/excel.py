"""Workbooks with openpyxl: numbers as numbers, dates as dates, percentages as fractions with
a percentage format, and text always as text.

`set_cell` (and `put`, its shortcut by row and column) is the one way exports write a cell.
It is what stops spreadsheet formula injection (CWE-1236, ASVS 1.2.10; reliability-security
test 33): a member named `=HYPERLINK("…")` or `@SUM(1)` is stored as a literal string with
Excel's quote prefix, never as a formula."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .datasets import CountingMinutes

# A spreadsheet may read text that begins with one of these as a formula or a command.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")
PERCENT_FORMAT = "0.0%"
INTEGER_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
WARNING = Font(bold=True, color="B00020")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

CellValue = str | int | float | Decimal | date | datetime | None


def set_cell(cell: Cell, value: CellValue, *, number_format: str | None = None) -> Cell:
    """Put `value` into `cell` (a worksheet cell or a write-only cell) as what it is.

    Guarantees: a str is stored as text, never as a formula (data type "s"); characters an
    XML sheet cannot hold (NUL and other control characters) are dropped; text that began
    with = + - @, a tab, CR, LF or NUL is also given Excel's quote prefix, so editing the
    cell later does not turn it into a formula. Numbers stay numbers, dates and times are
    date cells (aware times in the site's time zone), None leaves the cell empty."""
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = text
        cell.data_type = "s"  # set after the value: openpyxl makes "=…" a formula otherwise
        if value.startswith(FORMULA_TRIGGERS) or text.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    elif isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell.value = value
        cell.number_format = number_format or DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = number_format or DATE_FORMAT
    elif value is None or isinstance(value, int | float | Decimal):
        cell.value = value
    else:
        raise TypeError(f"set_cell takes text, numbers and dates, not {type(value).__name__}")
    if number_format and not isinstance(value, date):
        cell.number_format = number_format
    return cell


def put(
    sheet: Worksheet,
    row: int,
    column: int,
    value: CellValue,
    *,
    number_format: str | None = None,
    font: Font | None = None,
) -> Cell:
    """`set_cell` on the sheet's cell at (row, column), with an optional font."""
    cell = set_cell(sheet.cell(row=row, column=column), value, number_format=number_format)
    if font is not None:
        cell.font = font
    return cell


def fraction(percentage: Decimal | None) -> Decimal | None:
    """A percentage as the fraction a "0.0%" cell holds: 50.6 -> 0.506 (exact)."""
    return None if percentage is None else percentage / 100


def sheet_title(text: str) -> str:
    """A worksheet name Excel accepts: no []:*?/\\ and at most 31 characters."""
    return _SHEET_TITLE_FORBIDDEN.sub(" ", text).strip()[:31] or "Sheet"


def set_widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def write_table(
    sheet: Worksheet,
    top: int,
    headers: Sequence[str],
    rows: Iterable[Sequence[CellValue]],
    *,
    formats: Sequence[str | None] = (),
) -> int:
    """A header row at `top` (bold) and the rows below it; `formats[i]` is column i's number
    format. Returns the last row written."""
    for column, header in enumerate(headers, start=1):
        put(sheet, top, column, header, font=BOLD)
    row = top
    for row, values in enumerate(rows, start=top + 1):
        for column, value in enumerate(values, start=1):
            fmt = formats[column - 1] if column - 1 < len(formats) else None
            put(sheet, row, column, value, number_format=fmt)
    return row


def filtered_table(
    sheet: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[CellValue]],
    *,
    formats: Sequence[str | None] = (),
    widths: Sequence[float] = (),
) -> None:
    """A sheet that is one table: header row 1 frozen and auto-filtered, columns sized."""
    last = write_table(sheet, 1, headers, rows, formats=formats)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(last, 1)}"
    set_widths(sheet, widths)


def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- The counting minutes ------------------------------------------------------------------


def _summary(sheet: Worksheet, minutes: CountingMinutes) -> None:
    put(sheet, 1, 1, gettext("COUNTING MINUTES"), font=Font(bold=True, size=14))
    put(sheet, 2, 1, minutes.congress_text)
    put(sheet, 3, 1, gettext("Election: %(kind)s") % {"kind": minutes.kind_label}, font=BOLD)
    put(sheet, 4, 1, minutes.status_text, font=None if minutes.certified else WARNING)
    certified_at = minutes.certified_at if minutes.certified else None
    facts: list[tuple[str, CellValue, str | None]] = [
        (gettext("Higher union"), minutes.parent_name, None),
        (gettext("Branch"), minutes.branch_name, None),
        (gettext("Term"), minutes.term_label, None),
        (gettext("Elected by"), minutes.elected_by_label, None),
        (gettext("Date"), minutes.held_on, None),
        (gettext("Venue"), minutes.venue, None),
        (gettext("Summoned"), minutes.summoned, INTEGER_FORMAT),
        (gettext("Present"), minutes.present, INTEGER_FORMAT),
        (gettext("Seats to fill"), minutes.seats, INTEGER_FORMAT),
        (gettext("Candidates on the ballot"), len(minutes.candidates), INTEGER_FORMAT),
        (gettext("Rules"), minutes.rules_name_text, None),
        (gettext("Source of the rules"), minutes.rules_source_text, None),
        (gettext("Status"), minutes.status_label, None),
        (gettext("Revision"), minutes.revision, None),
        (gettext("Certified on"), certified_at, None),
        (gettext("Digest of the certified result (SHA-256)"), minutes.digest or None, None),
    ]
    for offset, (label, value, fmt) in enumerate(facts):
        put(sheet, 6 + offset, 1, label, font=BOLD)
        put(sheet, 6 + offset, 2, value, number_format=fmt)

    row = 6 + len(facts) + 1
    put(sheet, row, 1, gettext("The counting board"), font=BOLD)
    board = [(i, seat.name, seat.role) for i, seat in enumerate(minutes.board, start=1)]
    headers = [gettext("No."), gettext("Name"), gettext("Role")]
    row = write_table(sheet, row + 1, headers, board)

    row += 2
    put(sheet, row, 1, gettext("Those elected"), font=BOLD)
    elected = [
        (
            line.order,
            line.name + (f" ({gettext('by lot')})" if line.by_lot else ""),
            line.round_number,
            line.votes,
            fraction(line.percentage),
        )
        for line in minutes.elected
    ]
    headers = [
        gettext("No."),
        gettext("Name"),
        gettext("Round"),
        gettext("Votes"),
        gettext("Percentage"),
    ]
    formats = [None, None, None, INTEGER_FORMAT, PERCENT_FORMAT]
    row = write_table(sheet, row + 1, headers, elected, formats=formats)
    if minutes.vacant:
        row += 1
        put(sheet, row, 1, gettext("Seats left vacant"), font=BOLD)
        put(sheet, row, 2, minutes.vacant)
    if not minutes.complete:
        row += 1
        put(sheet, row, 1, minutes.next_step(), font=WARNING)

    row += 2
    put(sheet, row, 1, gettext("Signatures"), font=BOLD)
    signers = [
        (seat.role or gettext("Member of the counting board"), seat.name, "")
        for seat in minutes.board
    ]
    if not signers:
        signers = [(gettext("Head of the counting board"), "", "")]
    headers = [gettext("Role"), gettext("Name"), gettext("Signature")]
    write_table(sheet, row + 1, headers, signers)
    set_widths(sheet, [34, 44, 12, 10, 12])
    for cells in sheet.iter_rows(min_row=6, max_col=2):
        for cell in cells:
            cell.alignment = Alignment(vertical="top", wrap_text=cell.column == 2)


def _rounds(sheet: Worksheet, minutes: CountingMinutes) -> None:
    headers = [
        gettext("Round"),
        gettext("Seats"),
        gettext("Ballots issued"),
        gettext("Ballots collected"),
        gettext("Valid ballots"),
        gettext("Invalid ballots"),
        gettext("Blank ballots"),
        gettext("Counted against"),
        gettext("Fewest votes needed"),
        gettext("Threshold"),
        gettext("Decision of the congress"),
    ]
    rows = [
        (
            r.number,
            r.seats,
            r.issued,
            r.collected,
            r.valid,
            r.invalid,
            r.blank,
            r.threshold.denominator_size,
            r.threshold.votes_needed,
            r.threshold.text(),
            r.decision_label,
        )
        for r in minutes.rounds
    ]
    formats = [None, None] + [INTEGER_FORMAT] * 7
    filtered_table(
        sheet, headers, rows, formats=formats, widths=[8, 8, 12, 12, 12, 12, 12, 12, 12, 60, 30]
    )


def _votes(sheet: Worksheet, minutes: CountingMinutes) -> None:
    headers = [
        gettext("Round"),
        gettext("No."),
        gettext("Candidate"),
        gettext("Votes"),
        gettext("Percentage"),
        gettext("Result"),
    ]
    rows = [
        (r.number, i, line.name, line.votes, fraction(line.percentage), line.result_label)
        for r in minutes.rounds
        for i, line in enumerate(r.lines, start=1)
    ]
    filtered_table(
        sheet,
        headers,
        rows,
        formats=[None, None, None, INTEGER_FORMAT, PERCENT_FORMAT],
        widths=[8, 6, 40, 10, 12, 34],
    )


def counting_minutes_workbook(minutes: CountingMinutes, *, language: str) -> bytes:
    """The counting minutes as an .xlsx in `language`: a summary sheet (title block, the
    board, those elected, signature lines), then the rounds' ballots and the votes, each a
    filterable table with a frozen header row."""
    with translation.override(language):
        book = Workbook()
        summary: Any = book.active
        summary.title = sheet_title(gettext("Minutes"))
        _summary(summary, minutes)
        _rounds(book.create_sheet(sheet_title(gettext("Ballots"))), minutes)
        _votes(book.create_sheet(sheet_title(gettext("Votes"))), minutes)
        book.properties.title = gettext("Counting minutes") + " · " + minutes.branch_name
        book.properties.creator = "unionrec"
        book.properties.language = language
    return workbook_bytes(book)
