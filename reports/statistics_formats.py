"""The membership statistics and women's representation as charts, PDFs and workbooks.

Formats only: the figures come from reports.datasets.statistics / .representation, the same
objects the pages read, so a page, its PDF and its Excel file show the same numbers. Every
document is rendered in an explicit language (translation.override): counts as 1.234 / 1,234
and shares as 49,2 % / 49.2% in the PDF; in the workbook numbers stay numbers and shares are
fractions with a percentage format (0.492 shown as 49.2 %), written through reports.excel's
`put`, which stores member-supplied text as text (never a formula).

A PDF lists at most PDF_ROW_LIMIT sub-units (WeasyPrint lays out ~90 table rows a second,
performance.md) and says how many more the Excel file holds; the totals are always whole."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from unionrec.templatetags.unionrec import count, format_share, verdict_label

from .charts import Bar, bar_chart
from .datasets.representation import Representation, Share
from .datasets.statistics import StatisticsReport, StatisticsRow
from .excel import (
    BOLD,
    INTEGER_FORMAT,
    PERCENT_FORMAT,
    CellValue,
    filtered_table,
    fraction,
    put,
    set_widths,
    sheet_title,
    workbook_bytes,
    write_table,
)
from .pdf import render_pdf

PDF_ROW_LIMIT = 500
CHANGE_FORMAT = "+#,##0;-#,##0;0"
TITLE = Font(bold=True, size=14)


def _number(value: int) -> str:
    return count(value)


def _share_text(value: Any) -> str:
    return format_share(value)


def _chart_texts() -> dict[str, Any]:
    return {
        "number": _number,
        "cap_note": gettext("The %(shown)s largest of %(total)s sub-units are shown."),
        "empty_text": gettext("No sub-units on this date."),
    }


def statistics_chart(report: StatisticsReport) -> SafeString:
    """The members of each direct sub-unit (women shaded) as SVG, in the active language."""
    rows = list(report.rows) + ([report.direct] if report.direct else [])
    bars = [
        Bar(_label(report, row), row.members, row.women, _share_text(row.women_share))
        for row in rows
    ]
    svg = bar_chart(
        bars,
        title=gettext("Members and women by sub-unit"),
        ident="statistics-chart",
        legend=(gettext("Members"), gettext("Women")),
        **_chart_texts(),
    )
    return mark_safe(svg)  # noqa: S308 - reports.charts escapes every text it draws


def _label(report: StatisticsReport, row: StatisticsRow) -> str:
    if report.direct is row:
        return gettext("Attached directly to this branch")
    return row.name


def representation_chart(rep: Representation) -> SafeString:
    """The women's share of the members, delegates, candidates and those elected as SVG."""
    groups = representation_groups(rep)
    bars = [
        Bar(label, share.total, share.women, _share_text(share.share)) for label, share in groups
    ]
    svg = bar_chart(
        bars,
        title=gettext("Share of women"),
        ident="representation-chart",
        relative=True,
        legend=(gettext("All"), gettext("Women")),
        tick_label=_whole_percent,
        **_chart_texts(),
    )
    return mark_safe(svg)  # noqa: S308 - reports.charts escapes every text it draws


def _whole_percent(value: int) -> str:
    """An axis tick as a whole percentage: "25 %" in Vietnamese, "25%" in English."""
    return format_share(Decimal(value)).replace(",0 %", " %").replace(".0%", "%")


def representation_groups(rep: Representation) -> list[tuple[str, Share]]:
    """(label, share) of each group through the congress, in the active language."""
    return [
        (gettext("Members on the congress day"), rep.members),
        (gettext("Delegates to the higher congress"), rep.delegates),
        (gettext("Candidates"), rep.candidates),
        (gettext("Elected"), rep.elected),
    ]


def _day(value: date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


# --- PDF -------------------------------------------------------------------------------------


def statistics_pdf(report: StatisticsReport, *, language: str) -> bytes:
    """The statistics as an A4 PDF in `language`: title block, totals, the chart, and a table
    of the sub-units (header repeated on each page) ending with the totals row."""
    with translation.override(language):
        head = gettext("Membership statistics") + " · " + report.branch_name
        context = {
            "report": report,
            "rows": report.rows[:PDF_ROW_LIMIT],
            "more": max(0, len(report.rows) - PDF_ROW_LIMIT),
            "chart": statistics_chart(report),
            "language": language,
        }
    return render_pdf("reports/pdf/statistics.html", context, language=language, running_head=head)


def representation_pdf(rep: Representation, *, language: str) -> bytes:
    """Women's representation through a congress as an A4 PDF in `language`."""
    with translation.override(language):
        head = " · ".join(
            [
                gettext("Women's representation"),
                rep.branch_name,
                gettext("Term %(label)s") % {"label": rep.term_label},
            ]
        )
        context = {
            "rep": rep,
            "groups": representation_groups(rep),
            "sub_units": rep.sub_units[:PDF_ROW_LIMIT],
            "more": max(0, len(rep.sub_units) - PDF_ROW_LIMIT),
            "chart": representation_chart(rep),
            "language": language,
        }
    return render_pdf(
        "reports/pdf/representation.html", context, language=language, running_head=head
    )


# --- Excel -----------------------------------------------------------------------------------


def _title_block(sheet: Worksheet, title: str, facts: Sequence[tuple[str, CellValue]]) -> int:
    """A title and label/value lines from row 1; returns the next free row."""
    put(sheet, 1, 1, title, font=TITLE)
    for offset, (label, value) in enumerate(facts, start=2):
        put(sheet, offset, 1, label, font=BOLD)
        put(sheet, offset, 2, value)
    return len(facts) + 3


def _statistics_line(
    report: StatisticsReport, row: StatisticsRow, code: str, name: str
) -> list[CellValue]:
    line: list[CellValue] = [
        code,
        name,
        row.members,
        row.women,
        fraction(row.women_share),
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
        top = _title_block(sheet, gettext("MEMBERSHIP AND GENDER STATISTICS"), facts)
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
            PERCENT_FORMAT,
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
        _properties(book, gettext("Membership statistics") + " · " + report.branch_name, language)
    return workbook_bytes(book)


def _share_cells(share: Share) -> list[CellValue]:
    return [share.total, share.women, fraction(share.share)]


SHARE_FORMATS = [INTEGER_FORMAT, INTEGER_FORMAT, PERCENT_FORMAT]


def _target_cells(value: Any, unit: str) -> CellValue:
    """A target's figure: a percentage target as a fraction (formatted by the caller), any
    other as its number."""
    if value is None:
        return None
    return fraction(value) if unit.strip() == "%" else value


def representation_workbook(rep: Representation, *, language: str) -> bytes:
    """Women's representation as an .xlsx in `language`: a summary sheet (the groups, each
    election, the targets about women) and a filterable sheet of the sub-units."""
    with translation.override(language):
        book = Workbook()
        sheet: Any = book.active
        sheet.title = sheet_title(gettext("Representation"))
        facts: list[tuple[str, CellValue]] = [
            (gettext("Branch"), rep.branch_name),
            (gettext("Term"), rep.term_label),
            (gettext("Congress day"), rep.held_on),
        ]
        row = _title_block(sheet, gettext("WOMEN'S REPRESENTATION"), facts)
        headers = [gettext("Group"), gettext("Total"), gettext("Women"), gettext("Women's share")]
        groups = [[label, *_share_cells(share)] for label, share in representation_groups(rep)]
        row = write_table(sheet, row, headers, groups, formats=[None, *SHARE_FORMATS]) + 2
        put(sheet, row, 1, gettext("Each election"), font=BOLD)
        headers = [
            gettext("What is elected"),
            gettext("Candidates"),
            gettext("Women"),
            gettext("Women's share"),
            gettext("Elected"),
            gettext("Women"),
            gettext("Women's share"),
        ]
        elections = [
            [e.kind_label, *_share_cells(e.candidates), *_share_cells(e.elected)]
            for e in rep.elections
        ]
        row = (
            write_table(
                sheet, row + 1, headers, elections, formats=[None, *SHARE_FORMATS, *SHARE_FORMATS]
            )
            + 2
        )
        _targets(sheet, row, rep)
        set_widths(sheet, [44, 12, 12, 14, 12, 12, 14])
        _sub_units(book.create_sheet(sheet_title(gettext("Sub-units"))), rep)
        title = gettext("Women's representation") + " · " + rep.branch_name
        _properties(book, title, language)
    return workbook_bytes(book)


def _targets(sheet: Worksheet, top: int, rep: Representation) -> None:
    """The targets that speak of women, from row `top`: a percentage target as a fraction
    with a percentage format, any other as its number beside its unit."""
    put(sheet, top, 1, gettext("Targets of the resolution about women"), font=BOLD)
    headers = [
        gettext("Target"),
        gettext("Target value"),
        gettext("Actual"),
        gettext("Unit"),
        gettext("Verdict"),
    ]
    write_table(sheet, top + 1, headers, [])
    for row, target in enumerate(rep.targets, start=top + 2):
        fmt = PERCENT_FORMAT if target.unit.strip() == "%" else "#,##0.##"
        put(sheet, row, 1, target.title)
        put(sheet, row, 2, _target_cells(target.target_value, target.unit), number_format=fmt)
        put(sheet, row, 3, _target_cells(target.actual, target.unit), number_format=fmt)
        put(sheet, row, 4, target.unit)
        put(sheet, row, 5, verdict_label(target.verdict))


def _sub_units(sheet: Worksheet, rep: Representation) -> None:
    headers = [
        gettext("Code"),
        gettext("Sub-unit"),
        gettext("Members"),
        gettext("Women members"),
        gettext("Women's share of members"),
        gettext("Candidates"),
        gettext("Women candidates"),
        gettext("Women's share of candidates"),
        gettext("Elected"),
        gettext("Women elected"),
        gettext("Women's share of those elected"),
    ]
    rows = [
        [
            unit.code,
            unit.name,
            *_share_cells(unit.members),
            *_share_cells(unit.candidates),
            *_share_cells(unit.elected),
        ]
        for unit in rep.sub_units
    ]
    filtered_table(
        sheet,
        headers,
        rows,
        formats=[None, None, *SHARE_FORMATS * 3],
        widths=[18, 44, 10, 10, 12, 11, 11, 12, 10, 10, 12],
    )


def _properties(book: Workbook, title: str, language: str) -> None:
    book.properties.title = title
    book.properties.creator = "unionrec"
    book.properties.language = language
