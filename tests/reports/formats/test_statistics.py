"""The statistics as a workbook and a PDF (reports.formats.statistics): numbers as numbers,
shares as fractions, a frozen and filtered table equal to a direct count; member-supplied
names printed as text, and a long list cut at UNIONREC_STATISTICS_PDF_MAX_ROWS with the totals
whole, the number left out named on the PDF and every row in the Excel file."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from members import services as member_services
from members.models import Branch, BranchKind
from members.statistics import direct_count
from reports.datasets.statistics import statistics_report
from reports.formats import statistics
from reports.formats.statistics import statistics_workbook
from tests.reports.conftest import DAY, MARKUP, SHARE, flat, pdf_text

pytestmark = pytest.mark.django_db


def sheet_table(sheet):
    """(header row number, {code or label: row values}) of the statistics sheet."""
    top = int(sheet.freeze_panes[1:]) - 1
    rows = {}
    for row in sheet.iter_rows(min_row=top + 1, values_only=True):
        if any(value is not None for value in row):
            rows[row[0] or row[1]] = row
    return top, rows


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_workbook_holds_numbers_percentages_dates_and_a_frozen_filtered_table(
    seed_union, language
):
    report = statistics_report(seed_union, as_of=DAY, compare_on=date(2017, 1, 1))
    sheet = load_workbook(io.BytesIO(statistics_workbook(report, language=language))).active
    top, rows = sheet_table(sheet)
    with translation.override(language):
        assert sheet.cell(top, 1).value == gettext("Code")
        assert sheet.cell(top, 5).value == gettext("Women's share")
        total = rows[gettext("Total")]
    assert sheet.auto_filter.ref == f"A{top}:K{top + len(report.rows)}"
    assert sheet.column_dimensions["B"].width >= 40
    assert total[2:5] == (185, 91, pytest.approx(0.492))
    share = next(c for c in sheet[top + len(report.rows) + 2] if c.column == 5)
    assert share.data_type == "n" and share.number_format == "0.0%"
    for row in report.rows:
        counts = direct_count(Branch.objects.get(code=row.code), DAY)
        assert rows[row.code][2:4] == (counts.members, counts.women)
        assert rows[row.code][9] == row.members - row.members_before
    assert datetime(2017, 12, 23) in [sheet.cell(r, 2).value for r in range(2, top)]


def test_markup_in_a_name_prints_as_text_and_a_long_list_points_to_the_excel_file(
    seed_union, settings, tmp_path
):
    member_services.create_branch(
        parent=seed_union, code="odd-img", name=MARKUP, kind=BranchKind.SUB_UNION
    )
    settings.UNIONREC_STATISTICS_PDF_MAX_ROWS = 3
    report = statistics_report(seed_union, as_of=DAY)
    pdf = statistics.statistics_pdf(report, language="en")
    text = flat(pdf_text(pdf, tmp_path))
    assert b"/EmbeddedFiles" not in pdf
    assert MARKUP in text  # the chart's label: not fetched, not markup
    table = [f"{n} {row.name} {row.members} {row.women}" for n, row in enumerate(report.rows, 1)]
    assert len(table) == 7
    assert all(line in text for line in table[:3])
    assert not any(line in text for line in table[3:])
    assert (
        "This PDF lists the first 3 of 7 sub-units: 4 sub-units are left out. "
        "The Excel file of these statistics lists them all." in text
    )
    assert f"Total 185 91 {SHARE['en']}" in text  # the totals count every sub-unit
    sheet = load_workbook(io.BytesIO(statistics_workbook(report, language="en"))).active
    _top, rows = sheet_table(sheet)
    assert [code for code in rows if code in {r.code for r in report.rows}] == [
        row.code for row in report.rows
    ]  # the Excel file lists every sub-unit, those the PDF leaves out too


def test_a_report_within_the_cap_lists_every_sub_unit_and_no_notice(seed_union, tmp_path):
    report = statistics_report(seed_union, as_of=DAY)
    text = flat(pdf_text(statistics.statistics_pdf(report, language="en"), tmp_path))
    assert "left out" not in text
    assert all(f"{n} {row.name} " in text for n, row in enumerate(report.rows, 1))
