"""The shared machinery of the workbooks (openpyxl): numbers as numbers, dates as dates,
percentages as fractions with a percentage format, and text always as text. Each report's own
workbook is in reports.formats.<report>; this module knows no report.

`set_cell` (and `put`, its shortcut by row and column) is the one way exports write a cell.
It is what stops spreadsheet formula injection (CWE-1236, ASVS 1.2.10; reliability-security
test 33): a member named `=HYPERLINK("…")` or `@SUM(1)` is stored as a literal string with
Excel's quote prefix, never as a formula. It is also the one home of the workbooks' percentage
convention: a cell given a `Percentage` holds the fraction (0.506) with a percent number format,
so Excel shows 50,6 % / 50.6% and sums and charts it as a share, in every workbook."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from congresses.resolutions.domain import TargetKind

# A spreadsheet may read text that begins with one of these as a formula or a command.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")
PERCENT_FORMAT = "0.0%"
INTEGER_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WARNING = Font(bold=True, color="B00020")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Percentage:
    """A percentage as the project computes and shows it (50.6 means 50,6 %), or None when
    there is none (a share of nothing). `set_cell` stores it as the exact fraction 0.506 with
    PERCENT_FORMAT: write every percentage through it, never 50.6 itself nor a bare fraction."""

    value: Decimal | int | None

    @property
    def fraction(self) -> Decimal | None:
        return None if self.value is None else Decimal(self.value) / 100


def target_figure(value: Decimal | None, kind: str) -> Percentage | Decimal | None:
    """A figure of a resolution's target (baseline, target value, actual) as a cell value:
    a percentage target's (its kind says so, whatever its unit reads) as a `Percentage`, any
    other's as its number."""
    return Percentage(value) if kind == TargetKind.PERCENTAGE else value


CellValue = str | int | float | Decimal | date | datetime | Percentage | None


def set_cell(cell: Cell, value: CellValue, *, number_format: str | None = None) -> Cell:
    """Put `value` into `cell` (a worksheet cell or a write-only cell) as what it is.

    Guarantees: a str is stored as text, never as a formula (data type "s"); characters an
    XML sheet cannot hold (NUL and other control characters) are dropped; text that began
    with = + - @, a tab, CR, LF or NUL is also given Excel's quote prefix, so editing the
    cell later does not turn it into a formula. Numbers stay numbers, dates and times are
    date cells (aware times in the site's time zone), a `Percentage` is its fraction with
    PERCENT_FORMAT, None leaves the cell empty."""
    if isinstance(value, Percentage):
        cell.value = value.fraction
        cell.number_format = PERCENT_FORMAT
        return cell
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


def title_block(sheet: Worksheet, title: str, facts: Sequence[tuple[str, CellValue]]) -> int:
    """A title and label/value lines from row 1; returns the next free row."""
    put(sheet, 1, 1, title, font=TITLE)
    for offset, (label, value) in enumerate(facts, start=2):
        put(sheet, offset, 1, label, font=BOLD)
        put(sheet, offset, 2, value)
    return len(facts) + 3


def set_properties(book: Workbook, *, title: str, language: str) -> None:
    """The file's own title, author and language, as every report's workbook carries them."""
    book.properties.title = title
    book.properties.creator = "unionrec"
    book.properties.language = language
