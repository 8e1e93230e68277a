"""Women's representation through a congress as a chart, a PDF and a workbook: formats of
reports.datasets.representation.Representation, nothing else, the object the page reads, so a
page, its PDF and its Excel file show the same shares. Every document is rendered in an
explicit language (translation.override); in the workbook numbers stay numbers and shares are
fractions with a percentage format, written through reports.excel's `put`, which stores
member-supplied text as text (never a formula).

A PDF lists at most reports.pdf.PDF_ROW_LIMIT sub-units and says how many more the Excel file
holds."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from unionrec.days import day_text
from unionrec.templatetags.unionrec import count, format_share, percent, verdict_label

from ..charts import Bar, bar_chart
from ..datasets.representation import Representation, Share
from ..excel import (
    BOLD,
    INTEGER_FORMAT,
    CellValue,
    Percentage,
    filtered_table,
    put,
    set_properties,
    set_widths,
    sheet_title,
    target_figure,
    title_block,
    workbook_bytes,
    write_table,
)
from ..pdf import PDF_ROW_LIMIT, head_line, render_pdf


def representation_groups(rep: Representation) -> list[tuple[str, Share]]:
    """(label, share) of each group through the congress, in the active language. The
    members are those frozen on the congress day, or the register's of the breakdown's day
    before the congress is recorded as held; candidates and elected are people, each once."""
    if rep.breakdown.frozen:
        members = gettext("Members on the congress day")
    else:
        members = gettext("Members as of %(day)s (not frozen yet)") % {
            "day": day_text(rep.breakdown.day)
        }
    return [
        (members, rep.members),
        (gettext("Delegates to the higher congress"), rep.delegates),
        (gettext("Candidates (each person once)"), rep.candidates),
        (gettext("Elected (each person once)"), rep.elected),
    ]


def people_note() -> str:
    """Which counts are people and which are candidacies, in the active language."""
    return gettext(
        "Candidates and those elected count each person once, however many elections they "
        "stood in. Each election's row counts its own candidates and those it elected, so a "
        "person elected twice (to the executive committee, then as its chair) is in two rows."
    )


def representation_chart(rep: Representation) -> SafeString:
    """The women's share of the members, delegates, candidates and those elected as SVG."""
    groups = representation_groups(rep)
    bars = [
        Bar(label, share.total, share.women, format_share(share.share)) for label, share in groups
    ]
    svg = bar_chart(  # four bars: never capped, never empty
        bars,
        title=gettext("Share of women"),
        ident="representation-chart",
        relative=True,
        legend=(gettext("All"), gettext("Women")),
        number=count,
        tick_label=_whole_percent,
    )
    return mark_safe(svg)  # noqa: S308 - reports.charts escapes every text it draws


def _whole_percent(value: int) -> str:
    """An axis tick as a whole percentage, "25 %" (unionrec.templatetags.unionrec.percent)."""
    return percent(value)


# --- PDF -------------------------------------------------------------------------------------


def representation_pdf(rep: Representation, *, language: str) -> bytes:
    """Women's representation through a congress as an A4 PDF in `language`."""
    with translation.override(language):
        head = head_line(
            gettext("Women's representation"), branch=rep.branch_name, term=rep.term_label
        )
        context = {
            "rep": rep,
            "groups": representation_groups(rep),
            "sub_units": rep.sub_units[:PDF_ROW_LIMIT],
            "more": max(0, len(rep.sub_units) - PDF_ROW_LIMIT),
            "chart": representation_chart(rep),
            "people_note": people_note(),
            "language": language,
        }
    return render_pdf(
        "reports/pdf/representation.html", context, language=language, running_head=head
    )


# --- Excel -----------------------------------------------------------------------------------


def _share_cells(share: Share) -> list[CellValue]:
    return [share.total, share.women, Percentage(share.share)]


SHARE_FORMATS = [INTEGER_FORMAT, INTEGER_FORMAT, None]  # the share: a Percentage formats itself


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
        row = title_block(sheet, gettext("WOMEN'S REPRESENTATION"), facts)
        headers = [gettext("Group"), gettext("Total"), gettext("Women"), gettext("Women's share")]
        groups = [[label, *_share_cells(share)] for label, share in representation_groups(rep)]
        row = write_table(sheet, row, headers, groups, formats=[None, *SHARE_FORMATS]) + 1
        put(sheet, row, 1, people_note())
        row += 2
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
        title = head_line(
            gettext("Women's representation"), branch=rep.branch_name, term=rep.term_label
        )
        set_properties(book, title=title, language=language)
    return workbook_bytes(book)


def _targets(sheet: Worksheet, top: int, rep: Representation) -> None:
    """The targets that speak of women, from row `top`: a percentage target's figures as
    Percentage cells, any other's as its number beside its unit."""
    put(sheet, top, 1, gettext("Targets of the resolution about women"), font=BOLD)
    headers = [
        gettext("Target"),
        gettext("Target value"),
        gettext("Actual"),
        gettext("Unit"),
        gettext("Verdict"),
        gettext("Judged on"),
    ]
    write_table(sheet, top + 1, headers, [])
    for row, target in enumerate(rep.targets, start=top + 2):
        put(sheet, row, 1, target.title)
        for column, value in ((2, target.target_value), (3, target.actual)):
            put(sheet, row, column, target_figure(value, target.kind), number_format="#,##0.##")
        put(sheet, row, 4, target.unit)
        put(sheet, row, 5, verdict_label(target.verdict))
        put(sheet, row, 6, target.judged_on)


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
            unit.label,
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
    row = len(rows) + 3  # below the table, outside its filter: the totals, what the rows are
    put(sheet, row, 2, gettext("Total"), font=BOLD)
    for column, value in enumerate(_share_cells(rep.sub_unit_members), start=3):
        put(sheet, row, column, value, number_format=SHARE_FORMATS[column - 3])
    for column, value in enumerate([*_share_cells(rep.candidates), *_share_cells(rep.elected)], 6):
        put(sheet, row, column, value, number_format=SHARE_FORMATS[(column - 6) % 3])
    put(sheet, row + 1, 2, rep.breakdown.note)
    put(sheet, row + 2, 2, people_note())
