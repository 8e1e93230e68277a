"""The template a secretary downloads from the upload page: the column names members.import_rows
recognises, in Vietnamese or English, a data sheet to fill in, and the example row on a sheet of
its own.

The headers are data read back by the import, not interface text, so they are written here
for each language rather than looked up in the translations (tests read the template back
through the import). The example row is members.import_rows' (EXAMPLE_*): the reader never reads
its sheet, and refuses the row as a member if it is copied onto the data sheet."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from unionrec.days import day_text

from .import_rows import EXAMPLE_BIRTH_DATE, EXAMPLE_CARD, EXAMPLE_NAME, EXAMPLE_SHEETS

HEADERS = {
    "vi": ("Họ và tên", "Giới tính", "Ngày sinh", "Số thẻ đoàn viên", "Ngày vào công đoàn",
           "Đơn vị", "Dân tộc", "Ngày đồng ý"),
    "en": ("Full name", "Gender", "Date of birth", "Union card number", "Joined the union on",
           "Sub-unit", "Ethnicity", "Consent given on"),
}  # fmt: skip # Vietnamese over English, column by column
# The sub-unit is left blank (the branch the list is uploaded to), and so is the day of consent
# (blank: the record is held on the basis of membership, members.basis).
EXAMPLES: dict[str, tuple[str | date, ...]] = {
    language: (
        *(EXAMPLE_NAME, gender, EXAMPLE_BIRTH_DATE, EXAMPLE_CARD, date(2015, 3, 1)),
        *("", "Kinh", ""),  # sub-unit, ethnicity, day of consent
    )
    for language, gender in (("vi", "Nam"), ("en", "Male"))
}
SHEETS = {"vi": ("Đoàn viên", EXAMPLE_SHEETS[0]), "en": ("Members", EXAMPLE_SHEETS[1])}
CARD_COLUMN = 4
TEXT_FORMAT = "@"
GENDERS = {"vi": "Nam,Nữ", "en": "Male,Female"}
WIDTHS = (30, 12, 14, 20, 20, 24, 14, 16)
DATE_FORMAT = "dd/mm/yyyy"
TEMPLATE_ROWS = 20_000


def _language(language: str) -> str:
    code = language.lower().split("-")[0]
    return code if code in HEADERS else "vi"


def template_workbook(language: str) -> bytes:
    """An .xlsx with the headers in `language` (Vietnamese for any language without its own),
    bold and frozen, column widths and a Nam/Nữ choice in the gender column, on two sheets:
    the data sheet (active, the one the import reads) with the card number column formatted
    as text on every row up to the row cap (so leading zeros survive typing), and the example
    sheet with a note above its headers and the example row, dates as dd/mm/yyyy."""
    language = _language(language)
    workbook = Workbook()
    data = workbook.active
    assert data is not None
    data.title, example_title = SHEETS[language]
    _headers(data, language, first_row=1)
    data.column_dimensions[get_column_letter(CARD_COLUMN)].number_format = TEXT_FORMAT
    for row in range(2, TEMPLATE_ROWS + 2):
        data.cell(row=row, column=CARD_COLUMN).number_format = TEXT_FORMAT
    example = workbook.create_sheet(example_title)
    with translation.override(language):
        note = gettext(
            "An example only: this sheet is never imported. Enter the members on the sheet "
            "“%(sheet)s”, one a row, and keep the card numbers as text."
        ) % {"sheet": data.title}
    example.cell(row=1, column=1, value=note).font = Font(italic=True)
    _headers(example, language, first_row=2)
    for index, value in enumerate(EXAMPLES[language], 1):
        cell = example.cell(row=3, column=index, value=value)
        if isinstance(value, date):
            cell.number_format = DATE_FORMAT
        elif index == CARD_COLUMN:
            cell.number_format = TEXT_FORMAT
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _headers(sheet: Worksheet, language: str, *, first_row: int) -> None:
    """The header row at `first_row`, bold and frozen, the column widths and the gender choice
    under it."""
    for index, (header, width) in enumerate(zip(HEADERS[language], WIDTHS, strict=True), 1):
        sheet.cell(row=first_row, column=index, value=header).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    choice = DataValidation(type="list", formula1=f'"{GENDERS[language]}"', allow_blank=True)
    choice.add(f"B{first_row + 1}:B{TEMPLATE_ROWS + first_row}")
    sheet.add_data_validation(choice)
    sheet.freeze_panes = f"A{first_row + 1}"


def template_csv(language: str) -> bytes:
    """The same headers and example row as CSV: UTF-8 with a byte order mark (so Excel shows
    the Vietnamese letters), commas, dates as dd/mm/yyyy. A CSV has no second sheet: the
    example row stays, and the import refuses it as a member (import_rows.is_example) with a
    message saying to delete it."""
    language = _language(language)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS[language])
    writer.writerow(day_text(v) if isinstance(v, date) else v for v in EXAMPLES[language])
    return buffer.getvalue().encode("utf-8-sig")
