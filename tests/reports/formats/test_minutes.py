"""The counting minutes as a PDF and a workbook (reports.formats.minutes): the dataset's
figures in Vietnamese and in English, signature lines, page numbers and table headers on
every page, member-supplied text printed and stored as text."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from congresses.elections.models import ElectionKind
from reports.datasets.minutes import counting_minutes
from reports.formats.minutes import counting_minutes_pdf, counting_minutes_workbook
from tests.reports.conftest import (
    AT_SIGN,
    BALLOTS,
    BOARD,
    ELECTED,
    FORMULA,
    LINES,
    MARKUP,
    enter,
    flat,
    make_election,
    pct,
    pdf_pages,
    pdf_text,
    poppler,
    thresholds,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_pdf_shows_the_same_figures_signature_lines_and_page_numbers(
    election, language, tmp_path
):
    pdf = counting_minutes_pdf(counting_minutes(election), language=language)
    assert pdf.startswith(b"%PDF-")
    text = flat(pdf_text(pdf, tmp_path))
    for _round, name, votes, share in LINES:
        assert f"{name} {votes} {pct(share, language)}" in text
    for _round, issued, collected, valid, invalid, blank, _needed in BALLOTS:
        assert f"{issued} {collected} {valid} {invalid} {blank}" in text
    for threshold in thresholds(election, language):
        assert threshold in text
    for order, (name, number, votes, share) in enumerate(ELECTED, start=1):
        assert f"{order} {name} {number} {votes} {pct(share, language)}" in text
    with translation.override(language):
        hint = gettext("(signature and full name)")
        page = gettext("Page %(page)s of %(pages)s")
        day = "23/12/2017" if language == "vi" else "23 Dec 2017"
        not_certified = gettext("NOT CERTIFIED")
        head = " · ".join(
            [
                gettext("Counting minutes"),
                "Công đoàn Sở Khoa học và Công nghệ",
                gettext("Term %(label)s") % {"label": "2017–2022"},
            ]
        )
        congress_day = f"{gettext('Day of the congress')} {day}"
        certified_on = gettext("Certified on %(day)s.") % {"day": day}
    assert text.count(hint) == len(BOARD)
    for name, role in BOARD:
        assert name in text and role.upper() in text
    assert day in text and "Công đoàn Sở Khoa học và Công nghệ" in text
    assert congress_day in text and certified_on in text  # certified as of the congress day
    pages = pdf_pages(pdf, tmp_path)
    assert pages >= 2
    for number in range(1, pages + 1):
        on_page = flat(pdf_text(pdf, tmp_path, number))
        assert page % {"page": number, "pages": pages} in on_page
        # the running head names the branch and the term, as every PDF's does (not on page 1)
        assert (head in on_page) is (number > 1)
    assert not_certified not in text


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_workbook_holds_numbers_percentages_dates_and_text(election, language):
    book = load_workbook(
        io.BytesIO(counting_minutes_workbook(counting_minutes(election), language=language))
    )
    summary, ballots, votes = book.worksheets
    rows = list(votes.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[3], round(r[4], 3)) for r in rows] == [
        (number, name, count, float(Decimal(share) / 100)) for number, name, count, share in LINES
    ]
    tied = votes.cell(row=4, column=5)  # round 1, Đỗ Quang Đức, 90 of 178
    assert (
        tied.data_type == "n" and tied.value == pytest.approx(0.506) and "%" in tied.number_format
    )
    assert votes.freeze_panes == "A2" and votes.auto_filter.ref == f"A1:F{len(LINES) + 1}"
    assert ballots.freeze_panes == "A2" and ballots.auto_filter.ref == "A1:K3"
    assert votes.column_dimensions["C"].width >= 30
    ballot_rows = list(ballots.iter_rows(min_row=2, values_only=True))
    assert [row[0:1] + row[2:7] + row[8:9] for row in ballot_rows] == BALLOTS
    assert [row[9] for row in ballot_rows] == thresholds(election, language)

    for name in (FORMULA, AT_SIGN):
        cell = next(c for c in votes["C"] if c.value == name)
        assert cell.data_type == "s" and cell.quotePrefix

    facts = {row[0]: row[1] for row in summary.iter_rows(min_row=6, max_col=2, values_only=True)}
    with translation.override(language):
        label = {
            key: gettext(key)
            for key in (
                "Day of the congress",
                "Date",
                "Certified on",
                "Summoned",
                "Present",
                "Seats to fill",
                "Those elected",
                "Signatures",
            )
        }
    assert facts[label["Date"]] == datetime(2017, 12, 23)
    assert facts[label["Day of the congress"]] == datetime(2017, 12, 23)
    assert facts[label["Certified on"]] == datetime(2017, 12, 23)
    assert (facts[label["Summoned"]], facts[label["Present"]], facts[label["Seats to fill"]]) == (
        180,
        178,
        3,
    )
    column_a = [c.value for c in summary["A"]]
    start = column_a.index(label["Those elected"]) + 3  # label, header, rows
    elected = [
        tuple(c.value for c in row[:5])
        for row in summary.iter_rows(min_row=start, max_row=start + 2)
    ]
    assert [
        (name, number, count, round(share, 3)) for _o, name, number, count, share in elected
    ] == [
        (name, number, count, float(Decimal(share) / 100)) for name, number, count, share in ELECTED
    ]
    signers = column_a.index(label["Signatures"]) + 3
    assert [
        (summary.cell(signers + i, 2).value, summary.cell(signers + i, 1).value)
        for i in range(len(BOARD))
    ] == BOARD  # role, name, an empty signature cell


def test_long_minutes_repeat_table_headers_and_the_not_certified_mark_on_every_page(
    congress, tmp_path
):
    names = [f"Đoàn Viên {i:02d}" for i in range(1, 46)]
    election = make_election(congress, names, kind=ElectionKind.FULL_DELEGATE, seats=2)
    votes = dict.fromkeys(names, 1) | {names[0]: 60, names[1]: 55}
    enter(election, votes, issued=100, collected=100, invalid=0)
    minutes = counting_minutes(election)
    assert minutes.complete and not minutes.certified
    pdf = counting_minutes_pdf(minutes, language="en")
    pages = pdf_pages(pdf, tmp_path)
    assert pages >= 3
    vote_row = re.compile(r"Đoàn Viên \d\d\s+\d+\s+[\d.]+\s%")
    pages_with_votes = 0
    for number in range(1, pages + 1):
        text = pdf_text(pdf, tmp_path, number)
        assert "NOT CERTIFIED" in text
        if vote_row.search(text):
            pages_with_votes += 1
            assert re.search(r"Candidate\s+Votes\s+Percentage\s+Result", text), number
    assert pages_with_votes >= 2  # the votes table ran over a page and its header came along


def test_member_markup_prints_as_text_in_dejavu_and_nothing_is_attached(election, tmp_path):
    pdf = counting_minutes_pdf(counting_minutes(election), language="vi")
    assert MARKUP in flat(pdf_text(pdf, tmp_path))
    assert poppler("pdfdetach", pdf, tmp_path, "-list").startswith("0 embedded files")
    fonts = poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert fonts and any("DejaVu-Sans" in line for line in fonts)
    for line in fonts:  # every font DejaVu, embedded (emb = yes)
        name, *_kind, emb, _sub, _uni, _obj, _gen = line.split()
        assert "DejaVu" in name and emb == "yes", line


def test_no_formula_reaches_the_minutes_workbook(election):
    data = counting_minutes_workbook(counting_minutes(election), language="en")
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            xml = archive.read(name).decode()
            assert "<f>" not in xml and "<f " not in xml, name
    values = [
        c.value for row in load_workbook(io.BytesIO(data)).worksheets[2].iter_rows() for c in row
    ]
    assert FORMULA in values and AT_SIGN in values and MARKUP in values
