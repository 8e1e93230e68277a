"""The template a secretary downloads from the upload page: the column names members.import_rows
recognises, in Vietnamese or English, and one example row to overwrite.

The headers are data read back by the import, not interface text, so they are written here
for each language rather than looked up in the translations (tests read the template back
through the import)."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from unionrec.days import day_text

HEADERS = {
    "vi": ("Họ và tên", "Giới tính", "Ngày sinh", "Số thẻ đoàn viên", "Ngày vào công đoàn",
           "Đơn vị", "Dân tộc"),
    "en": ("Full name", "Gender", "Date of birth", "Union card number", "Joined the union on",
           "Sub-unit", "Ethnicity"),
}  # fmt: skip # Vietnamese over English, column by column
# "Nguyễn Văn A" is the Vietnamese placeholder name; the sub-unit is left blank (the branch
# the list is uploaded to).
EXAMPLES: dict[str, tuple[str | date, ...]] = {
    "vi": ("Nguyễn Văn A", "Nam", date(1990, 4, 25), "012345", date(2015, 3, 1), "", "Kinh"),
    "en": ("Nguyễn Văn A", "Male", date(1990, 4, 25), "012345", date(2015, 3, 1), "", "Kinh"),
}
GENDERS = {"vi": "Nam,Nữ", "en": "Male,Female"}
WIDTHS = (30, 12, 14, 20, 20, 24, 14)
DATE_FORMAT = "dd/mm/yyyy"
TEMPLATE_ROWS = 20_000


def _language(language: str) -> str:
    code = language.lower().split("-")[0]
    return code if code in HEADERS else "vi"


def template_workbook(language: str) -> bytes:
    """An .xlsx with the headers in `language` (Vietnamese for any language without its own),
    bold and frozen, one example row, column widths, dates as dd/mm/yyyy, the card number as
    text (so leading zeros survive) and a Nam/Nữ choice in the gender column."""
    language = _language(language)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Đoàn viên" if language == "vi" else "Members"
    sheet.append(HEADERS[language])
    for index, value in enumerate(EXAMPLES[language], 1):
        cell = sheet.cell(row=2, column=index, value=value)
        if isinstance(value, date):
            cell.number_format = DATE_FORMAT
        elif index == 4:
            cell.number_format = "@"
    for index, width in enumerate(WIDTHS, 1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    choice = DataValidation(type="list", formula1=f'"{GENDERS[language]}"', allow_blank=True)
    choice.add(f"B2:B{TEMPLATE_ROWS + 1}")
    sheet.add_data_validation(choice)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv(language: str) -> bytes:
    """The same headers and example row as CSV: UTF-8 with a byte order mark (so Excel shows
    the Vietnamese letters), commas, dates as dd/mm/yyyy."""
    language = _language(language)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS[language])
    writer.writerow(day_text(v) if isinstance(v, date) else v for v in EXAMPLES[language])
    return buffer.getvalue().encode("utf-8-sig")
