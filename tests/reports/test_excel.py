"""The shared workbook machinery (reports.excel): text a spreadsheet could run as a formula
is stored as text, other values keep their type (reliability-security §4.E, test 33)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from congresses.resolutions.domain import TargetKind
from reports.excel import Percentage, put, set_cell, target_figure


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


def test_a_percentage_is_stored_as_a_fraction_with_a_percent_format():
    """50,6 % is the number 0.506 shown as a percentage, whatever format the caller passed;
    Excel then shows 50,6 % (or 50.6%) and adds and charts it as a share."""
    book = Workbook()
    sheet = book.active
    put(sheet, 1, 1, Percentage(Decimal("50.6")))
    put(sheet, 2, 1, Percentage(Decimal("33.3")), number_format="#,##0")
    put(sheet, 3, 1, Percentage(None))  # a share of nothing: an empty cell
    data = io.BytesIO()
    book.save(data)
    stored = load_workbook(data).active
    assert stored["A1"].value == pytest.approx(0.506) and stored["A1"].number_format == "0.0%"
    assert stored["A2"].value == pytest.approx(0.333) and stored["A2"].number_format == "0.0%"
    assert stored["A3"].value is None


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        (TargetKind.PERCENTAGE, Decimal(50), Percentage(Decimal(50))),
        (TargetKind.PERCENTAGE, None, Percentage(None)),
        (TargetKind.COUNT, Decimal(195), Decimal(195)),
        (TargetKind.YES_NO, Decimal(1), Decimal(1)),
    ],
)
def test_a_percentage_targets_figures_are_percentages_and_others_numbers(kind, value, stored):
    assert target_figure(value, kind) == stored
