"""The term summary as a PDF and an Excel file: formats of
reports.datasets.summary.TermSummary, nothing else, so the page, the workbook and the PDF
cannot disagree. The PDF goes through reports.pdf (the locked-down fetcher, the A4 page frame,
the page numbers in the report's language); every cell through reports.excel.put (no formula
from user text)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from congresses.resolutions.models import ItemKind

from ..datasets.summary import TermSummary
from ..excel import (
    BOLD,
    INTEGER_FORMAT,
    TITLE,
    CellValue,
    Percentage,
    filtered_table,
    put,
    set_properties,
    set_widths,
    sheet_title,
    target_figure,
    workbook_bytes,
    write_table,
)
from ..pdf import head_line, render_pdf


def term_summary_pdf(summary: TermSummary, *, language: str) -> bytes:
    """The term summary as a printable PDF in `language` (templates/reports/pdf/)."""
    with translation.override(language):
        head = head_line(
            gettext("Term summary"), branch=summary.branch_name, term=summary.term_label
        )
    return render_pdf(
        "reports/pdf/term_summary.html",
        {"summary": summary, "language": language},
        language=language,
        running_head=head,
    )


# --- The workbook ---------------------------------------------------------------------------


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else (gettext("Yes") if value else gettext("No"))


def _facts(sheet: Worksheet, summary: TermSummary) -> None:
    put(sheet, 1, 1, gettext("TERM SUMMARY"), font=TITLE)
    put(sheet, 2, 1, summary.branch_name, font=BOLD)
    put(sheet, 3, 1, gettext("Term %(label)s") % {"label": summary.term_label})
    congress, figures = summary.congress, summary.figures
    facts: list[tuple[str, CellValue, str | None]] = [
        (gettext("Higher union"), summary.parent_name or None, None),
        (gettext("Branch"), summary.branch_name, None),
        (gettext("Term"), summary.term_label, None),
        (gettext("Starts on"), summary.starts_on, None),
        (gettext("Ends on"), summary.ends_on, None),
        (gettext("As of"), summary.as_of, None),
        (gettext("Congress number"), summary.term_ordinal, None),
    ]
    if congress is not None:
        facts += [
            (gettext("Kind"), congress.kind_label, None),
            (gettext("Formal session"), congress.held_on, None),
            (gettext("Venue"), congress.venue or None, None),
            (gettext("Summoned"), congress.summoned, INTEGER_FORMAT),
            (gettext("Present"), congress.present, INTEGER_FORMAT),
            (
                gettext("Present needed for the quorum (two thirds)"),
                congress.quorum_required,
                INTEGER_FORMAT,
            ),
            (gettext("Quorum met"), _yes_no(congress.quorum_met), None),
            (gettext("Status"), congress.status_label, None),
            (gettext("Recognition"), congress.recognition_decision or None, None),
            (gettext("Recognised on"), congress.recognised_on, None),
        ]
    for offset, (label, value, fmt) in enumerate(facts):
        put(sheet, 5 + offset, 1, label, font=BOLD)
        put(sheet, 5 + offset, 2, value, number_format=fmt)
    row = 5 + len(facts) + 1
    if figures is not None and figures.counted_on is not None:
        put(sheet, row, 1, gettext("Statistics on the congress day"), font=BOLD)
        headers = ["", gettext("Counted"), gettext("Reported")]
        rows: list[tuple[CellValue, ...]] = [
            (gettext("Members"), figures.members, figures.reported_members),
            (gettext("Women"), figures.women, figures.reported_women),
            (
                gettext("Women's share"),
                Percentage(figures.women_share),
                Percentage(figures.reported_share),
            ),
            (gettext("Sub-units"), figures.sub_units, figures.reported_sub_units),
            (gettext("Gender not recorded"), figures.unknown, None),
        ]
        top = row + 1
        row = write_table(sheet, top, headers, rows, formats=[None, INTEGER_FORMAT, INTEGER_FORMAT])
        if figures.reported_reason:
            row += 1
            put(sheet, row, 1, gettext("Why the reported figures differ"), font=BOLD)
            put(sheet, row, 2, figures.reported_reason)
        row += 2
    if congress is not None:
        put(sheet, row, 1, gettext("Guests"), font=BOLD)
        guests = [
            (i, g.name, g.title, g.organisation) for i, g in enumerate(congress.guests, start=1)
        ]
        headers = [gettext("No."), gettext("Name"), gettext("Title"), gettext("Organisation")]
        write_table(sheet, row + 1, headers, guests)
    set_widths(sheet, [44, 48, 30, 44])
    for cells in sheet.iter_rows(min_row=5, max_col=2):
        for cell in cells:
            cell.alignment = Alignment(vertical="top", wrap_text=cell.column == 2)


def _sub_units(sheet: Worksheet, summary: TermSummary) -> None:
    """The members per sub-unit on the congress day as a filterable table; below it (outside
    the filter) the rows' total, the frozen totals where the rows do not add up to them, and
    what the rows are (congresses.breakdown.Breakdown.note)."""
    headers = [
        gettext("No."),
        gettext("Code"),
        gettext("Sub-unit"),
        gettext("Members"),
        gettext("Women"),
        gettext("Women's share"),
    ]
    rows = [
        (i, u.code, u.label, u.members, u.women, Percentage(u.women_share))
        for i, u in enumerate(summary.sub_units, start=1)
    ]
    formats = [None, None, None, INTEGER_FORMAT, INTEGER_FORMAT]
    filtered_table(sheet, headers, rows, formats=formats, widths=[6, 16, 60, 12, 12, 14])
    breakdown = summary.breakdown
    if breakdown is None:
        return
    totals = [(gettext("Total"), breakdown.sums)]
    if not breakdown.adds_up:
        totals.append((gettext("Totals frozen on the congress day"), breakdown.total))
    row = len(rows) + 3
    for label, counts in totals:
        put(sheet, row, 3, label, font=BOLD)
        put(sheet, row, 4, counts.members, number_format=INTEGER_FORMAT)
        put(sheet, row, 5, counts.women, number_format=INTEGER_FORMAT)
        put(sheet, row, 6, Percentage(counts.women_share))
        row += 1
    put(sheet, row, 3, breakdown.note)


def _committee(sheet: Worksheet, summary: TermSummary) -> None:
    headers = [
        gettext("No."),
        gettext("Name"),
        gettext("Post"),
        gettext("From"),
        gettext("Obtained by"),
    ]
    rows = [
        (i, line.name, line.post_label, line.since, line.obtained_by_label)
        for i, line in enumerate(summary.committee, start=1)
    ]
    filtered_table(sheet, headers, rows, widths=[6, 32, 34, 12, 50])


def _elections(sheet: Worksheet, summary: TermSummary) -> None:
    headers = [
        gettext("Election"),
        gettext("Status"),
        gettext("Seats"),
        gettext("Candidates"),
        gettext("Left vacant"),
        gettext("No."),
        gettext("Name"),
        gettext("Round"),
        gettext("Votes"),
        gettext("Percentage"),
    ]
    rows: list[tuple[CellValue, ...]] = []
    for election in summary.elections:
        facts = (
            election.kind_label,
            election.status_label,
            election.seats,
            election.candidates,
            election.vacant,
        )
        rows += [
            (
                *facts,
                i,
                p.name + (f" ({gettext('by lot')})" if p.by_lot else ""),
                p.round_number,
                p.votes,
                Percentage(p.percentage),
            )
            for i, p in enumerate(election.elected, start=1)
        ]
        if not election.elected:
            rows.append(facts + (None,) * 5)
    formats = [None, None, None, None, None, None, None, None, INTEGER_FORMAT]
    filtered_table(
        sheet, headers, rows, formats=formats, widths=[34, 16, 8, 10, 10, 6, 32, 8, 10, 12]
    )


def _targets(sheet: Worksheet, summary: TermSummary) -> None:
    headers = [
        gettext("Target"),
        gettext("Part of a split target"),
        gettext("Responsible branch"),
        gettext("Unit"),
        gettext("Baseline"),
        gettext("Target value"),
        gettext("Actual"),
        gettext("As of"),
        gettext("Progress"),
        gettext("Verdict"),
        gettext("Judged on"),
        gettext("Deadline"),
    ]
    rows = [
        (
            t.title,
            _yes_no(t.is_part),
            t.branch,
            t.unit or None,
            target_figure(t.baseline, t.kind),
            target_figure(t.target_value, t.kind),
            target_figure(t.actual, t.kind),
            t.as_of,
            Percentage(t.progress_percentage),
            t.verdict_label,
            t.judged_on,
            t.deadline,
        )
        for t in summary.targets
    ]
    filtered_table(
        sheet,
        headers,
        rows,
        widths=[50, 12, 26, 12, 10, 10, 10, 12, 10, 16, 12, 12],
    )


def _reviews(sheet: Worksheet, summary: TermSummary) -> None:
    headers = [gettext("Review"), gettext("Date"), gettext("Kind"), gettext("Text")]
    rows = [
        (review.kind_label, review.held_on, str(ItemKind(kind).label), text)
        for review in summary.reviews
        for kind, texts in (
            (ItemKind.ACHIEVEMENT, review.achievements),
            (ItemKind.SHORTCOMING, review.shortcomings),
        )
        for text in texts
    ]
    filtered_table(sheet, headers, rows, widths=[26, 12, 20, 90])
    for cells in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        for cell in cells:
            cell.alignment = Alignment(vertical="top", wrap_text=True)


def term_summary_workbook(summary: TermSummary, *, language: str) -> bytes:
    """The term summary as an .xlsx in `language`: a sheet of facts and figures (the congress,
    the frozen statistics beside the reported ones, the guests), then the sub-units, the
    committee, the elections, the targets and the reviews, each a filterable table with a
    frozen header row. Numbers are numbers, dates are dates, shares, progress and the
    figures of percentage targets are reports.excel.Percentage cells (0.492 with a percent
    format: Excel shows 49,2 %)."""
    with translation.override(language):
        book = Workbook()
        first: Any = book.active
        first.title = sheet_title(gettext("Summary"))
        _facts(first, summary)
        for title, writer in (
            (gettext("Sub-units"), _sub_units),
            (gettext("Committee"), _committee),
            (gettext("Elections"), _elections),
            (gettext("Targets"), _targets),
            (gettext("Reviews"), _reviews),
        ):
            writer(book.create_sheet(sheet_title(title)), summary)
        title = head_line(
            gettext("Term summary"), branch=summary.branch_name, term=summary.term_label
        )
        set_properties(book, title=title, language=language)
    return workbook_bytes(book)
