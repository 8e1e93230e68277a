"""Reading an uploaded member list (.xlsx or .csv) without trusting it.

The file type is decided by its content; the name only decides, for content that is neither a
zip nor an old Excel file, between reading it as CSV and refusing it. A workbook's zip central
directory is checked against the limits below before openpyxl opens anything (ASVS 5.2.3;
reliability-security §2 and tests 23–25, 30, 31): Python's zipfile stops each entry at its
declared size, so checking the declared sizes bounds the decompression. openpyxl parses XML
through defusedxml (members.apps asserts it), which refuses entity bombs.

Every refusal is an ImportRefused with a message for the user; nothing here writes anything.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from defusedxml import DefusedXmlException
from django.utils.translation import gettext, gettext_noop

from . import import_rows

# Zip limits, on the sizes the central directory declares.
MAX_ZIP_ENTRIES = 200
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
RATIO_CHECKED_FROM_BYTES = 1024 * 1024  # small parts (styles.xml) legitimately compress well
MAX_COMPRESSION_RATIO = 100
HEADER_SEARCH_ROWS = 10  # the header is the first row among these naming two fields
MAX_COLUMNS = 200
CONTENT_TYPES_READ_BYTES = 1024 * 1024
SNIFF_CHARACTERS = 64 * 1024

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
XLSX_NAMES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb")
CSV_NAMES = (".csv", ".txt", ".tsv")
DELIMITERS = (",", ";", "\t")
FORMULA_TRIGGERS = ("=", "+", "-", "@")

REFUSALS = {
    "empty": gettext_noop("The file is empty."),
    "legacy": gettext_noop(
        "This is an old Excel file (.xls) or a password-protected workbook, which cannot be "
        "read safely. Open it in Excel, save it as .xlsx (Excel Workbook) without a password "
        "or as CSV, and upload again."
    ),
    "macros": gettext_noop(
        "This workbook contains macros, which are not accepted. Save it as .xlsx (Excel "
        "Workbook, without macros) or CSV and upload again."
    ),
    "not_zip": gettext_noop(
        "This file is named like an Excel workbook but is not one (it may be damaged or of "
        "another kind). Save it as .xlsx (Excel Workbook) or CSV and upload again."
    ),
    "not_workbook": gettext_noop(
        "This file is a compressed archive but not an Excel workbook. Save it as .xlsx (Excel "
        "Workbook) or CSV and upload again."
    ),
    "damaged": gettext_noop(
        "This workbook cannot be read: it may be damaged. Open it in Excel, save it again as "
        ".xlsx (Excel Workbook) or CSV, and upload again."
    ),
    "too_many_entries": gettext_noop(
        "This workbook has more than %(limit)s internal parts and is refused as unsafe. Copy "
        "the members into a new workbook and upload again."
    ),
    "too_big_unpacked": gettext_noop(
        "This workbook would take more than %(limit)s MB once unpacked and is refused as "
        "unsafe. Copy the members into a new workbook, or split the list, and upload again."
    ),
    "suspicious_ratio": gettext_noop(
        "A part of this workbook is compressed more than %(limit)s times, as in a zip bomb, "
        "and the file is refused as unsafe. Copy the members into a new workbook and upload "
        "again."
    ),
    "xml_entities": gettext_noop(
        "This workbook contains XML entity declarations, which are refused for safety. Open "
        "it in Excel, save it again as .xlsx (Excel Workbook) or CSV, and upload again."
    ),
    "too_many_rows": gettext_noop(
        "The file has more than %(limit)s rows of members. Split it into files of at most "
        "%(limit)s rows and upload them one by one."
    ),
    "no_header": gettext_noop(
        "No row of column names was found in the first 10 rows. The list needs a header row "
        "such as “Họ và tên”, “Giới tính”, “Ngày sinh”: download the template to see them."
    ),
    "unsupported": gettext_noop(
        "Only Excel workbooks (.xlsx) and CSV files can be imported. Save the list in one of "
        "these formats and upload again."
    ),
    "encoding": gettext_noop(
        "The text of this CSV file could not be read. Save it as “CSV UTF-8” and upload again."
    ),
    "bad_csv": gettext_noop(
        "This CSV file cannot be read (a cell may be far too long or a quote left open). "
        "Save it again as “CSV UTF-8” and upload again."
    ),
    "too_large": gettext_noop("The file is larger than %(limit)s MB."),
    "gone": gettext_noop(
        "The uploaded file is no longer kept (files are deleted after a while). Upload it again."
    ),
    "no_name_column": gettext_noop(
        "The file has no column for the full name (“Họ và tên” or “Full name”)."
    ),
}


class ImportRefused(Exception):
    """A file refused as a whole. `message` is in the active language when it is read, so a
    refusal raised in a background task reads right on the page that shows it."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(REFUSALS[code] % params)

    @property
    def message(self) -> str:
        return gettext(REFUSALS[self.code]) % self.params

    def __str__(self) -> str:
        return self.message


@dataclass
class Table:
    """The header and data rows of a list. `rows` holds (row number as the user sees it in
    the sheet or CSV, 1-based; the cells), without empty rows, each trimmed to the header's
    width."""

    headers: list[str]
    header_row: int
    rows: list[tuple[int, list[object]]]
    kind: Literal["xlsx", "csv"]


def read_table(data: bytes, filename: str, *, max_rows: int) -> Table:
    """Read the list in `data`. Guarantees: the result has a header row naming at least two
    fields and at most `max_rows` data rows; anything else (an empty, legacy, macro-enabled,
    damaged, bomb-like or oversized file, an unknown kind of file) raises ImportRefused."""
    if not data.strip():
        raise ImportRefused("empty")
    name = filename.lower()
    if data.startswith(OLE2_SIGNATURE):
        raise ImportRefused("legacy")
    if data.startswith(ZIP_SIGNATURES):
        return _read_workbook(data, max_rows=max_rows)
    if name.endswith(XLSX_NAMES):
        raise ImportRefused("legacy" if name.endswith(".xls") else "not_zip")
    if name.endswith(CSV_NAMES) or "." not in name.rsplit("/", 1)[-1]:
        return _read_csv(data, max_rows=max_rows)
    raise ImportRefused("unsupported")


# --- Workbooks -------------------------------------------------------------------------------


def check_zip(data: bytes) -> None:
    """Refuse a zip that is not a plain workbook or whose declared sizes exceed the limits,
    reading only the central directory and [Content_Types].xml (at most 1 MB of it)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportRefused("not_zip") from error
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise ImportRefused("too_many_entries", limit=MAX_ZIP_ENTRIES)
        if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
            raise ImportRefused("too_big_unpacked", limit=MAX_UNCOMPRESSED_BYTES // 2**20)
        for entry in entries:
            ratio = entry.file_size / max(entry.compress_size, 1)
            if entry.file_size > RATIO_CHECKED_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
                raise ImportRefused("suspicious_ratio", limit=MAX_COMPRESSION_RATIO)
        names = {entry.filename.lower() for entry in entries}
        if any(n.endswith("vbaproject.bin") for n in names):
            raise ImportRefused("macros")
        if "[content_types].xml" not in names or any(e.flag_bits & 0x1 for e in entries):
            raise ImportRefused("not_workbook")
        try:
            with archive.open("[Content_Types].xml") as part:
                content_types = part.read(CONTENT_TYPES_READ_BYTES).lower()
        except (KeyError, zipfile.BadZipFile, NotImplementedError, OSError) as error:
            raise ImportRefused("damaged") from error
    if b"macroenabled" in content_types:
        raise ImportRefused("macros")
    if b"spreadsheetml.sheet.main" not in content_types and (
        b"spreadsheetml.template.main" not in content_types
    ):
        raise ImportRefused("not_workbook")


def _read_workbook(data: bytes, *, max_rows: int) -> Table:
    check_zip(data)
    from openpyxl import load_workbook

    workbook: Any = None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = data_sheet(workbook)
        sheet.reset_dimensions()  # do not trust the declared dimension (A1:XFD1048576)
        found = _find_header(
            enumerate(
                sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, max_col=MAX_COLUMNS, values_only=True),
                1,
            )
        )
        headers, header_row = found
        cells = sheet.iter_rows(min_row=header_row + 1, max_col=len(headers), values_only=True)
        rows = data_rows(enumerate(cells, header_row + 1), len(headers), max_rows)
        return Table(headers, header_row, rows, "xlsx")
    except ImportRefused:
        raise
    except Exception as error:  # untrusted input: any failure to parse is a damaged file
        code = "xml_entities" if _caused_by_defusedxml(error) else "damaged"
        raise ImportRefused(code) from error
    finally:
        if workbook is not None:
            workbook.close()


def data_sheet(workbook: Any) -> Any:
    """The sheet holding the list: the active one, unless that is the template's example sheet
    (saved as the active one after a look at it), then the first other sheet."""
    sheet = workbook.active or workbook.worksheets[0]
    if import_rows.is_example_sheet(sheet.title):
        others = (s for s in workbook.worksheets if not import_rows.is_example_sheet(s.title))
        sheet = next(others, sheet)
    return sheet


def _caused_by_defusedxml(error: BaseException | None) -> bool:
    """Whether defusedxml refused the XML behind `error` (openpyxl sometimes wraps it)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DefusedXmlException):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


# --- Rows ------------------------------------------------------------------------------------


def _find_header(rows: Iterable[tuple[int, Sequence[object]]]) -> tuple[list[str], int]:
    """The first of the rows naming at least two fields, as (header texts trimmed of
    trailing blanks, row number)."""
    for number, cells in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        columns = import_rows.recognise(list(cells)[:MAX_COLUMNS])
        if len(columns.fields) + len(columns.duplicated) >= 2:
            headers = list(columns.headers)
            while headers and not headers[-1]:
                headers.pop()
            return headers, number
    raise ImportRefused("no_header")


def data_rows(
    rows: Iterable[tuple[int, Sequence[object]]], width: int, max_rows: int
) -> list[tuple[int, list[object]]]:
    """Non-empty rows trimmed to `width`; refuses as soon as there are more than max_rows."""
    kept: list[tuple[int, list[object]]] = []
    for number, cells in rows:
        values = list(cells[:width])
        if import_rows.is_blank(values):
            continue
        if len(kept) >= max_rows:
            raise ImportRefused("too_many_rows", limit=max_rows)
        kept.append((number, values))
    return kept


# --- CSV -------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """The text of a CSV file in NFC: UTF-16 with a byte order mark (Excel's "Unicode text"),
    else UTF-8 with or without a BOM, else cp1258 (Vietnamese Windows), else cp1252. Refuses
    binary content (NUL characters) and bytes none of these can decode."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates: tuple[str, ...] = ("utf-16",)
    else:
        candidates = ("utf-8-sig", "cp1258", "cp1252")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise ImportRefused("unsupported")
        return unicodedata.normalize("NFC", text)
    raise ImportRefused("encoding")


def _records(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def sniff_delimiter(text: str) -> str:
    """The delimiter among , ; and tab under which the first rows name the most fields
    (ties: the one giving the most columns, then in that order)."""

    sample = text[:SNIFF_CHARACTERS]

    def score(delimiter: str) -> tuple[int, int]:
        best = (0, 0)
        try:
            for number, cells in enumerate(_records(sample, delimiter), 1):
                if number > HEADER_SEARCH_ROWS:
                    break
                best = max(
                    best, (len(import_rows.recognise(cells[:MAX_COLUMNS]).fields), len(cells))
                )
        except csv.Error:
            pass
        return best

    return max(DELIMITERS, key=score)


def _unquote(cell: str) -> str:
    """A cell as typed: our exports put a ' before text that a spreadsheet would read as a
    formula (reliability-security test 34); reading such a file back drops it."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS):
        return cell[1:]
    return cell


def _read_csv(data: bytes, *, max_rows: int) -> Table:
    text = decode_text(data)
    if not text.strip():
        raise ImportRefused("empty")
    delimiter = sniff_delimiter(text)
    try:
        records = (
            [_unquote(c) for c in cells[:MAX_COLUMNS]] for cells in _records(text, delimiter)
        )
        numbered = enumerate(records, 1)
        headers, header_row = _find_header(numbered)
        rows = data_rows(numbered, len(headers), max_rows)
    except csv.Error as error:
        raise ImportRefused("bad_csv") from error
    return Table(headers, header_row, rows, "csv")
