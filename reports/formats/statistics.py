"""The membership statistics of a subtree as a chart, a PDF and a workbook: formats of
reports.datasets.statistics.StatisticsReport, nothing else, the object the page reads, so a
page, its PDF and its Excel file show the same numbers. Every document is rendered in an
explicit language (translation.override): counts as 1.234 / 1,234 and shares as 49,2 % / 49.2%
in the PDF; in the workbook numbers stay numbers and shares are fractions with a percentage
format (0.492 shown as 49.2 %), written through reports.excel's `put`, which stores
member-supplied text as text (never a formula).

A PDF lists at most settings.UNIONREC_STATISTICS_PDF_MAX_ROWS sub-units (WeasyPrint lays out
about 90 table rows a second, so a federation's 515 would take 6 s): past it, the PDF says above
its table how many sub-units it leaves out and that the Excel file lists them all; the totals
are always whole."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from unionrec.templatetags.unionrec import count, format_share

from ..charts import Bar, bar_chart
from ..datasets.statistics import StatisticsReport, StatisticsRow
from ..excel import (
    BOLD,
    INTEGER_FORMAT,
    CellValue,
    Percentage,
    put,
    set_properties,
    set_widths,
    sheet_title,
    title_block,
    workbook_bytes,
    write_table,
)
from ..pdf import head_line, render_pdf

CHANGE_FORMAT = "+#,##0;-#,##0;0"


def statistics_chart(report: StatisticsReport) -> SafeString:
    """The members of each direct sub-unit (women shaded) as SVG, in the active language."""
    rows = list(report.rows) + ([report.direct] if report.direct else [])
    bars = [
        Bar(_label(report, row), row.members, row.women, format_share(row.women_share))
        for row in rows
    ]
    svg = bar_chart(
        bars,
        title=gettext("Members and women by sub-unit"),
        ident="statistics-chart",
        legend=(gettext("Members"), gettext("Women")),
        number=count,
        cap_note=gettext("The %(shown)s largest of %(total)s sub-units are shown."),
        empty_text=gettext("No sub-units on this date."),
    )
    return mark_safe(svg)  # noqa: S308 - reports.charts escapes every text it draws


def _label(report: StatisticsReport, row: StatisticsRow) -> str:
    if report.direct is row:
        return gettext("Attached directly to this branch")
    return row.name


def _day(value: date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


# --- PDF -------------------------------------------------------------------------------------


def pdf_max_rows() -> int:
    """The most sub-units a statistics PDF lists (settings.UNIONREC_STATISTICS_PDF_MAX_ROWS)."""
    return max(1, int(settings.UNIONREC_STATISTICS_PDF_MAX_ROWS))


def statistics_pdf(report: StatisticsReport, *, language: str) -> bytes:
    """The statistics as an A4 PDF in `language`: title block, totals, the chart, and a table
    of the first pdf_max_rows() sub-units (header repeated on each page) ending with the totals
    row; past the cap a notice above the table says how many are left out."""
    cap = pdf_max_rows()
    with translation.override(language):
        head = head_line(gettext("Membership statistics"), branch=report.branch_name)
        context = {
            "report": report,
            "rows": report.rows[:cap],
            "more": max(0, len(report.rows) - cap),
            "chart": statistics_chart(report),
            "language": language,
        }
    return render_pdf("reports/pdf/statistics.html", context, language=language, running_head=head)


# --- Excel -----------------------------------------------------------------------------------


def _statistics_line(
    report: StatisticsReport, row: StatisticsRow, code: str, name: str
) -> list[CellValue]:
    line: list[CellValue] = [
        code,
        name,
        row.members,
        row.women,
        Percentage(row.women_share),
        row.unknown,
        row.sub_units,
    ]
    if report.compare_on:
        line += [row.members_before, row.women_before, row.change, row.women_change]
    return line


def statistics_workbook(report: StatisticsReport, *, language: str) -> bytes:
    """The statistics as an .xlsx in `language`: a title block (branch, as-of day, comparison
    day), then the table of sub-units with its header row frozen and filtered, the members
    attached to the branch itself as a row of the table, and the totals below it."""
    with translation.override(language):
        book = Workbook()
        sheet: Any = book.active
        sheet.title = sheet_title(gettext("Statistics"))
        facts: list[tuple[str, CellValue]] = [
            (gettext("Branch"), report.branch_name),
            (gettext("Code"), report.branch_code),
            (gettext("As of"), report.as_of),
        ]
        if report.compare_on:
            facts.append((gettext("Compared with"), report.compare_on))
        top = title_block(sheet, gettext("MEMBERSHIP AND GENDER STATISTICS"), facts)
        headers = [
            gettext("Code"),
            gettext("Branch"),
            gettext("Members"),
            gettext("Women"),
            gettext("Women's share"),
            gettext("Gender not recorded"),
            gettext("Sub-units"),
        ]
        formats: list[str | None] = [
            None,
            None,
            INTEGER_FORMAT,
            INTEGER_FORMAT,
            None,  # the share: a Percentage formats itself
            INTEGER_FORMAT,
            INTEGER_FORMAT,
        ]
        widths = [18, 48, 11, 11, 12, 12, 10]
        if report.compare_on:
            on = _day(report.compare_on)
            headers += [
                gettext("Members on %(day)s") % {"day": on},
                gettext("Women on %(day)s") % {"day": on},
                gettext("Change in members"),
                gettext("Change in women"),
            ]
            formats += [INTEGER_FORMAT, INTEGER_FORMAT, CHANGE_FORMAT, CHANGE_FORMAT]
            widths += [14, 14, 12, 12]
        rows = [_statistics_line(report, row, row.code, row.name) for row in report.rows]
        if report.direct:
            rows.append(
                _statistics_line(
                    report,
                    report.direct,
                    report.direct.code,
                    gettext("Attached directly to this branch"),
                )
            )
        last = write_table(sheet, top, headers, rows, formats=formats)
        sheet.freeze_panes = f"A{top + 1}"
        sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{max(last, top)}"
        total = _statistics_line(report, report.total, "", gettext("Total"))
        for column, value in enumerate(total, start=1):
            put(sheet, last + 2, column, value, number_format=formats[column - 1], font=BOLD)
        set_widths(sheet, widths)
        title = head_line(gettext("Membership statistics"), branch=report.branch_name)
        set_properties(book, title=title, language=language)
    return workbook_bytes(book)
