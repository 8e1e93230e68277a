"""The shared workbook machinery (reports.excel): text a spreadsheet could run as a formula
is stored as text, other values keep their type (reliability-security §4.E, test 33)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from reports.excel import put, set_cell


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        '=HYPERLINK("http://x","y")',
        "+1",
        "-1",
        "@SUM(1)",
        "\tx",
        "\rx",
        "\nx",
        "\x00=1+1",
        "=cmd|' /C calc'!A0",
    ],
)
def test_text_that_looks_like_a_formula_is_stored_as_text(text):
    book = Workbook()
    cell = put(book.active, 1, 1, text)
    assert cell.data_type == "s" and cell.quotePrefix
    data = io.BytesIO()
    book.save(data)
    sheet_xml = zipfile.ZipFile(data).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    stored = load_workbook(data).active["A1"]
    assert stored.data_type == "s" and stored.quotePrefix
    # NUL cannot be stored in XML and is dropped; XML reads a CR as a line feed
    assert stored.value == text.replace("\x00", "").replace("\r", "\n")


def test_other_values_keep_their_type():
    sheet = Workbook().active
    assert set_cell(sheet["A1"], "Nguyễn Thị Lan").quotePrefix is False
    assert set_cell(sheet["A2"], 178).data_type == "n"
    assert set_cell(sheet["A3"], Decimal("0.506"), number_format="0.0%").number_format == "0.0%"
    assert set_cell(sheet["A4"], date(2017, 12, 23)).is_date
    assert set_cell(sheet["A5"], None).value is None
    with pytest.raises(TypeError):
        set_cell(sheet["A6"], object())  # type: ignore[arg-type]
