"""The term summary as a PDF and a workbook (reports.formats.summary): the seed case's
figures, equal to the database's own counts, in Vietnamese and in English, page numbers and a
running head, table headers on every page, member-supplied text printed and stored as text."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from datetime import datetime

import pytest
from django.utils import translation
from openpyxl import load_workbook

from congresses import parts
from congresses.breakdown import Breakdown, UnitRow
from congresses.models import PostKind
from members.domain import Counts
from reports.datasets.representation import representation
from reports.datasets.summary import term_summary
from reports.formats.representation import representation_workbook
from reports.formats.summary import term_summary_pdf, term_summary_workbook
from tests.reports.conftest import (
    AS_OF,
    FORMULA,
    MARKUP,
    WOMEN_TARGET,
    Recorder,
    executives,
    flat,
    pct,
    pdf_pages,
    pdf_text,
    poppler,
    said,
    squeezed,
)

pytestmark = pytest.mark.django_db


def test_the_pdf_shows_the_same_figures_page_numbers_and_running_head(seed, tmp_path):
    for language in ("vi", "en"):  # one test: the seed case is loaded once
        check_pdf(seed, language, tmp_path)


def check_pdf(seed, language, tmp_path):
    summary = term_summary(seed, as_of=AS_OF)
    pdf = term_summary_pdf(summary, language=language)
    text = flat(pdf_text(pdf, tmp_path))
    label = said(
        language,
        "Members",
        "Women",
        "Women's share",
        "Sub-units",
        "Term summary",
        "Executive committee member",
        "Page %(page)s of %(pages)s",
        "Term %(label)s",
    )
    assert f"{label['Members']} 185" in text and f"{label['Women']} 91" in text
    assert f"{label["Women's share"]} {pct('49.2', language)}" in text
    assert f"{label['Sub-units']} 6" in text
    for unit in summary.sub_units:
        assert f"{unit.members} {unit.women} {pct(str(unit.women_share), language)}" in text
    for name in executives(seed):
        assert name in text
    assert text.count(label["Executive committee member"]) == 9  # one line per executive
    pages = pdf_pages(pdf, tmp_path)
    term = label["Term %(label)s"] % {"label": "2017–2022"}
    head = f"{label['Term summary']} · {summary.branch_name} · {term}"
    for number in range(1, pages + 1):
        page = flat(pdf_text(pdf, tmp_path, number))
        assert label["Page %(page)s of %(pages)s"] % {"page": number, "pages": pages} in page
        assert (head in page) is (number > 1)  # the running head, but not on the first page
    fonts = poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert fonts and all("DejaVu" in line and line.split()[-5] == "yes" for line in fonts)


def test_long_tables_repeat_their_header_row_on_every_page(congress, tmp_path):
    summary = term_summary(congress.term)
    units = tuple(
        UnitRow(f"u{i}", f"Công đoàn bộ phận số {i:02d}", Counts(10 + i, i)) for i in range(70)
    )
    total = sum((unit.counts for unit in units), Counts())
    breakdown = Breakdown(summary.breakdown.day, True, False, total, units)
    pdf = term_summary_pdf(dataclasses.replace(summary, breakdown=breakdown), language="en")
    row = re.compile(r"Công đoàn bộ phận số \d\d\s+\d+\s+\d+\s+[\d.]+\s%")
    pages_with_rows = 0
    for number in range(1, pdf_pages(pdf, tmp_path) + 1):
        page = pdf_text(pdf, tmp_path, number)
        if row.search(page):
            pages_with_rows += 1
            assert re.search(r"No\.\s+Sub-unit\s+Members\s+Women\s+Women's", page), number
    assert pages_with_rows >= 2


def test_the_workbook_holds_numbers_dates_and_percentages(seed):
    for language in ("vi", "en"):
        check_workbook(seed, language)


def check_workbook(seed, language):
    summary = term_summary(seed, as_of=AS_OF)
    book = load_workbook(io.BytesIO(term_summary_workbook(summary, language=language)))
    facts, units, committee, elections, targets, reviews = book.worksheets
    label = said(
        language,
        "Members",
        "Women",
        "Women's share",
        "Sub-units",
        "Formal session",
        "Summoned",
        "Present",
    )
    cells = {row[0].value: row[1] for row in facts.iter_rows(min_row=5, max_col=2)}
    assert cells[label["Members"]].value == 185 and cells[label["Women"]].value == 91
    assert cells[label["Sub-units"]].value == 6
    assert (cells[label["Summoned"]].value, cells[label["Present"]].value) == (185, 176)
    share = cells[label["Women's share"]]
    assert share.data_type == "n" and share.value == pytest.approx(0.492)
    assert "%" in share.number_format
    assert cells[label["Formal session"]].value == datetime(2017, 12, 23)
    assert cells[label["Formal session"]].is_date
    rows = list(units.iter_rows(min_row=2, max_row=7, values_only=True))
    assert len(rows) == 6 and sum(r[3] for r in rows) == 185 and sum(r[4] for r in rows) == 91
    assert units.freeze_panes == "A2" and units.auto_filter.ref == "A1:F7"
    assert "%" in units["F2"].number_format and units["F2"].value == pytest.approx(0.526)
    assert units.column_dimensions["C"].width >= 40
    with translation.override(language):
        executive = str(PostKind.EXECUTIVE.label)
    names = [r[1] for r in committee.iter_rows(min_row=2, values_only=True) if r[2] == executive]
    assert sorted(names) == sorted(executives(seed))
    assert committee["D2"].is_date and committee.freeze_panes == "A2"
    elected = [r for r in elections.iter_rows(min_row=2, values_only=True) if r[2] == 9]
    assert [r[6] for r in elected] == [p.name for p in summary.elections[0].elected]
    assert all(r[8] > 0 and 0 < r[9] <= 1 for r in elected)  # votes, and shares as fractions
    progress = {r[0]: r[8] for r in targets.iter_rows(min_row=2, values_only=True)}
    assert progress["Số đoàn viên công đoàn"] == pytest.approx(0.9)
    figures = {row[0].value: row[4:7] for row in targets.iter_rows(min_row=2)}
    women = figures[WOMEN_TARGET]  # a percentage target: 28,6 % of the outgoing committee,
    # a target of 50 %, 33,3 % (3 of the 9 elected): fractions Excel shows as percentages
    assert [c.value for c in women] == [pytest.approx(v) for v in (0.286, 0.5, 0.333)]
    assert all(c.number_format == "0.0%" and c.data_type == "n" for c in women)
    members = figures["Số đoàn viên công đoàn"]  # a count stays a count
    assert [c.value for c in members[:2]] == [185, 195] and "%" not in members[1].number_format
    assert "%" in targets["I2"].number_format and targets["H2"].is_date
    # three achievements and five shortcomings: the end-of-term review's verdicts are final,
    # so 194 of 195 members and 112 of 120 trained are drafted as not met
    assert reviews.max_row == 1 + 8
    running_head = said(language, "Term summary")["Term summary"]
    assert book.properties.title.startswith(running_head) and book.properties.language == language


def test_a_percentage_target_is_stored_alike_in_the_summary_and_representation_workbooks(seed):
    """One convention in every workbook: the women's target of 50 % is the fraction 0.5 with a
    percent format in the term summary as in women's representation, not 50 in one of them."""
    summary = load_workbook(io.BytesIO(term_summary_workbook(term_summary(seed), language="vi")))
    rep = representation(seed.congress)
    women = load_workbook(io.BytesIO(representation_workbook(rep, language="vi"))).worksheets[0]
    in_summary = next(r for r in summary.worksheets[4].iter_rows() if r[0].value == WOMEN_TARGET)
    in_women = next(r for r in women.iter_rows() if r[0].value == WOMEN_TARGET)
    stored = [(c.value, c.number_format) for c in (in_summary[5], in_summary[6])]
    assert stored == [(c.value, c.number_format) for c in (in_women[1], in_women[2])]
    assert stored[0] == (pytest.approx(0.5), "0.0%")


def test_member_text_prints_as_text_and_nothing_is_fetched(server, election, tmp_path):
    congress = election.congress
    parts.add_guest(
        congress=congress,
        name=MARKUP,
        title=f'<img src="{server}/x.png">',
        organisation="http://127.0.0.1/",
    )
    parts.add_guest(congress=congress, name=FORMULA)
    summary = term_summary(congress.term)
    pdf = term_summary_pdf(summary, language="vi")
    text = squeezed(pdf_text(pdf, tmp_path))  # a long line may wrap inside a URL
    for shown in (MARKUP, f'<img src="{server}/x.png">', "http://127.0.0.1/"):
        assert squeezed(shown) in text
    assert poppler("pdfdetach", pdf, tmp_path, "-list").startswith("0 embedded files")
    assert Recorder.hits == []
    data = term_summary_workbook(summary, language="en")
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            xml = archive.read(name).decode()
            assert "<f>" not in xml and "<f " not in xml, name
    cells = [c for row in load_workbook(io.BytesIO(data)).worksheets[0].iter_rows() for c in row]
    formula = next(c for c in cells if c.value == FORMULA)
    assert formula.data_type == "s" and formula.quotePrefix
