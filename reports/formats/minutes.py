"""The counting minutes of an election as a PDF and an Excel file: formats of
reports.datasets.minutes.CountingMinutes, nothing else, so the page, the PDF and the workbook
show the same figures. The PDF goes through reports.pdf (the locked-down fetcher, the A4 page
frame, the page numbers in the report's language); every cell through reports.excel.put (no
formula from user text)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from ..datasets.minutes import CountingMinutes
from ..excel import (
    BOLD,
    INTEGER_FORMAT,
    TITLE,
    WARNING,
    CellValue,
    Percentage,
    filtered_table,
    put,
    set_properties,
    set_widths,
    sheet_title,
    workbook_bytes,
    write_table,
)
from ..pdf import head_line, render_pdf


def counting_minutes_pdf(minutes: CountingMinutes, *, language: str) -> bytes:
    """The counting minutes as a printable PDF in `language` (templates/reports/pdf/)."""
    with translation.override(language):
        head = head_line(
            gettext("Counting minutes"), branch=minutes.branch_name, term=minutes.term_label
        )
        marker = "" if minutes.certified else gettext("NOT CERTIFIED")
    return render_pdf(
        "reports/pdf/counting_minutes.html",
        {"minutes": minutes, "language": language},
        language=language,
        running_head=head,
        marker=marker,
    )


# --- The workbook ---------------------------------------------------------------------------


def _summary(sheet: Worksheet, minutes: CountingMinutes) -> None:
    put(sheet, 1, 1, gettext("COUNTING MINUTES"), font=TITLE)
    put(sheet, 2, 1, minutes.congress_text)
    put(sheet, 3, 1, gettext("Election: %(kind)s") % {"kind": minutes.kind_label}, font=BOLD)
    put(sheet, 4, 1, minutes.status_text, font=None if minutes.certified else WARNING)
    facts: list[tuple[str, CellValue, str | None]] = [
        (gettext("Higher union"), minutes.parent_name, None),
        (gettext("Branch"), minutes.branch_name, None),
        (gettext("Term"), minutes.term_label, None),
        (gettext("Day of the congress"), minutes.congress_held_on, None),
        (gettext("Elected by"), minutes.elected_by_label, None),
        (gettext("Date"), minutes.held_on, None),
        (gettext("Venue"), minutes.venue, None),
        (gettext("Summoned"), minutes.summoned, INTEGER_FORMAT),
        (gettext("Present"), minutes.present, INTEGER_FORMAT),
        (gettext("Seats to fill"), minutes.seats, INTEGER_FORMAT),
        (gettext("Candidates on the ballot"), len(minutes.candidates), INTEGER_FORMAT),
        (gettext("Rules"), minutes.rules_name_text, None),
        (gettext("Source of the rules"), minutes.rules_source_text, None),
        (gettext("Status"), minutes.status_label, None),
        (gettext("Revision"), minutes.revision, None),
        (gettext("Certified on"), minutes.certified_day, None),
        (gettext("Digest of the certified result (SHA-256)"), minutes.digest or None, None),
    ]
    for offset, (label, value, fmt) in enumerate(facts):
        put(sheet, 6 + offset, 1, label, font=BOLD)
        put(sheet, 6 + offset, 2, value, number_format=fmt)

    row = 6 + len(facts) + 1
    put(sheet, row, 1, gettext("The counting board"), font=BOLD)
    board = [(i, seat.name, seat.role) for i, seat in enumerate(minutes.board, start=1)]
    headers = [gettext("No."), gettext("Name"), gettext("Role")]
    row = write_table(sheet, row + 1, headers, board)

    row += 2
    put(sheet, row, 1, gettext("Those elected"), font=BOLD)
    elected = [
        (
            line.order,
            line.name + (f" ({gettext('by lot')})" if line.by_lot else ""),
            line.round_number,
            line.votes,
            Percentage(line.percentage),
        )
        for line in minutes.elected
    ]
    headers = [
        gettext("No."),
        gettext("Name"),
        gettext("Round"),
        gettext("Votes"),
        gettext("Percentage"),
    ]
    formats = [None, None, None, INTEGER_FORMAT]
    row = write_table(sheet, row + 1, headers, elected, formats=formats)
    if minutes.vacant:
        row += 1
        put(sheet, row, 1, gettext("Seats left vacant"), font=BOLD)
        put(sheet, row, 2, minutes.vacant)
    if not minutes.complete:
        row += 1
        put(sheet, row, 1, minutes.next_step(), font=WARNING)

    row += 2
    put(sheet, row, 1, gettext("Signatures"), font=BOLD)
    signers = [
        (seat.role or gettext("Member of the counting board"), seat.name, "")
        for seat in minutes.board
    ]
    if not signers:
        signers = [(gettext("Head of the counting board"), "", "")]
    headers = [gettext("Role"), gettext("Name"), gettext("Signature")]
    write_table(sheet, row + 1, headers, signers)
    set_widths(sheet, [34, 44, 12, 10, 12])
    for cells in sheet.iter_rows(min_row=6, max_col=2):
        for cell in cells:
            cell.alignment = Alignment(vertical="top", wrap_text=cell.column == 2)


def _rounds(sheet: Worksheet, minutes: CountingMinutes) -> None:
    headers = [
        gettext("Round"),
        gettext("Seats"),
        gettext("Ballots issued"),
        gettext("Ballots collected"),
        gettext("Valid ballots"),
        gettext("Invalid ballots"),
        gettext("Blank ballots"),
        gettext("Counted against"),
        gettext("Fewest votes needed"),
        gettext("Threshold"),
        gettext("Decision of the congress"),
    ]
    rows = [
        (
            r.number,
            r.seats,
            r.issued,
            r.collected,
            r.valid,
            r.invalid,
            r.blank,
            r.threshold.denominator_size,
            r.threshold.votes_needed,
            r.threshold.text(),
            r.decision_label,
        )
        for r in minutes.rounds
    ]
    formats = [None, None] + [INTEGER_FORMAT] * 7
    filtered_table(
        sheet, headers, rows, formats=formats, widths=[8, 8, 12, 12, 12, 12, 12, 12, 12, 60, 30]
    )


def _votes(sheet: Worksheet, minutes: CountingMinutes) -> None:
    headers = [
        gettext("Round"),
        gettext("No."),
        gettext("Candidate"),
        gettext("Votes"),
        gettext("Percentage"),
        gettext("Result"),
    ]
    rows = [
        (r.number, i, line.name, line.votes, Percentage(line.percentage), line.result_label)
        for r in minutes.rounds
        for i, line in enumerate(r.lines, start=1)
    ]
    filtered_table(
        sheet,
        headers,
        rows,
        formats=[None, None, None, INTEGER_FORMAT],
        widths=[8, 6, 40, 10, 12, 34],
    )


def counting_minutes_workbook(minutes: CountingMinutes, *, language: str) -> bytes:
    """The counting minutes as an .xlsx in `language`: a summary sheet (title block, the
    board, those elected, signature lines), then the rounds' ballots and the votes, each a
    filterable table with a frozen header row."""
    with translation.override(language):
        book = Workbook()
        summary: Any = book.active
        summary.title = sheet_title(gettext("Minutes"))
        _summary(summary, minutes)
        _rounds(book.create_sheet(sheet_title(gettext("Ballots"))), minutes)
        _votes(book.create_sheet(sheet_title(gettext("Votes"))), minutes)
        title = head_line(
            gettext("Counting minutes"), branch=minutes.branch_name, term=minutes.term_label
        )
        set_properties(book, title=title, language=language)
    return workbook_bytes(book)
