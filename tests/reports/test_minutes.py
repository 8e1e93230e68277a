"""The counting minutes (biên bản kiểm phiếu) as a page, a PDF and an Excel file: the same
figures in all three, in Vietnamese and in English, to the right people only."""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from congresses.elections.models import ElectionKind
from reports.datasets.minutes import counting_minutes
from reports.formats.minutes import counting_minutes_pdf, counting_minutes_workbook
from tests.reports.conftest import (
    AT_SIGN,
    BOARD,
    FORMULA,
    MARKUP,
    enter,
    flat,
    make_election,
    pdf_pages,
    pdf_text,
)

pytestmark = pytest.mark.django_db

# (round, candidate, votes, percentage of the ballots collected, one decimal)
LINES = [
    (1, "Lê Minh Anh", 150, "84.3"),
    (1, "Trần Văn Bình", 120, "67.4"),
    (1, "Đỗ Quang Đức", 90, "50.6"),
    (1, "Phạm Thu Hà", 90, "50.6"),
    (1, "Nguyễn Thị Lan", 40, "22.5"),
    (1, FORMULA, 5, "2.8"),
    (1, AT_SIGN, 3, "1.7"),
    (1, MARKUP, 2, "1.1"),
    (2, "Đỗ Quang Đức", 100, "56.8"),
    (2, "Phạm Thu Hà", 73, "41.5"),
]
# (round, issued, collected, valid, invalid, blank, fewest votes needed)
BALLOTS = [(1, 178, 178, 175, 3, 0, 90), (2, 178, 176, 175, 1, 2, 89)]
ELECTED = [
    ("Lê Minh Anh", 1, 150, "84.3"),
    ("Trần Văn Bình", 1, 120, "67.4"),
    ("Đỗ Quang Đức", 2, 100, "56.8"),
]


def pct(value: str, language: str) -> str:
    """How the minutes write a percentage: 50,6 % in Vietnamese, 50.6% in English."""
    return value.replace(".", ",") + " %" if language == "vi" else value + "%"


def page_text(response) -> str:
    return flat(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def thresholds(election, language):
    with translation.override(language):
        return [r.threshold.text() for r in counting_minutes(election).rounds]


def test_the_threshold_is_said_in_words_with_its_denominator(election):
    assert thresholds(election, "en") == [
        "more than half of 178 ballots collected: at least 90 votes",
        "more than half of 176 ballots collected: at least 89 votes",
    ]


def test_the_dataset_follows_the_outcome_round_by_round(election):
    minutes = counting_minutes(election)
    assert [
        (r.number, r.issued, r.collected, r.valid, r.invalid, r.blank, r.threshold.votes_needed)
        for r in minutes.rounds
    ] == BALLOTS
    assert [
        (r.number, line.name, line.votes, str(line.percentage))
        for r in minutes.rounds
        for line in r.lines
    ] == LINES
    assert [line.result for line in minutes.rounds[0].lines[:4]] == [
        "elected",
        "elected",
        "tied",
        "tied",
    ]
    assert [(e.name, e.round_number, e.votes, str(e.percentage)) for e in minutes.elected] == (
        ELECTED
    )
    assert (minutes.summoned, minutes.present, minutes.seats, minutes.vacant) == (180, 178, 3, 0)
    assert minutes.certified and minutes.revision == 1 and len(minutes.digest) == 64
    assert minutes.candidates[:3] == ("Lê Minh Anh", "Trần Văn Bình", "Đỗ Quang Đức")
    assert [(seat.name, seat.role) for seat in minutes.board] == BOARD


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_page_shows_the_figures_and_links_both_downloads(client_as, election, language):
    client = client_as("secretary")
    client.cookies["django_language"] = language
    response = client.get(reverse("reports:minutes", args=[election.pk]))
    assert response.status_code == 200
    text = page_text(response)
    for _round, name, votes, share in LINES:
        assert f"{name} {votes} {pct(share, language)}" in text
    for _round, issued, collected, valid, invalid, blank, _needed in BALLOTS:
        assert f"{issued} {collected} {valid} {invalid} {blank}" in text
    for threshold in thresholds(election, language):
        assert threshold in text
    for order, (name, number, votes, share) in enumerate(ELECTED, start=1):
        assert f"{order} {name} {number} {votes} {pct(share, language)}" in text
    for name, role in BOARD:
        assert f"{role} {name}" in text  # the signature lines
    html = response.content.decode()
    assert MARKUP not in html  # escaped, shown as text
    for kind in ("pdf", "xlsx"):
        for code in ("vi", "en"):
            url = reverse(f"reports:minutes_{kind}", args=[election.pk]) + f"?lang={code}"
            assert f'href="{url}"' in html


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
    assert text.count(hint) == len(BOARD)
    for name, role in BOARD:
        assert name in text and role.upper() in text
    assert day in text and "Công đoàn Sở Khoa học và Công nghệ" in text
    pages = pdf_pages(pdf, tmp_path)
    for number in range(1, pages + 1):
        assert page % {"page": number, "pages": pages} in flat(pdf_text(pdf, tmp_path, number))
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
                "Date",
                "Summoned",
                "Present",
                "Seats to fill",
                "Those elected",
                "Signatures",
            )
        }
    assert facts[label["Date"]] == datetime(2017, 12, 23)
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


@pytest.mark.parametrize(
    ("persona", "status"),
    [("secretary", 200), ("reviewer", 200), ("member", 403), ("stranger", 404)],
)
@pytest.mark.parametrize("name", ["minutes", "minutes_pdf", "minutes_xlsx"])
def test_only_readers_of_the_branch_see_the_minutes(client_as, election, persona, status, name):
    response = client_as(persona).get(reverse(f"reports:{name}", args=[election.pk]))
    assert response.status_code == status


def test_another_unions_election_is_not_found(client_as, election):
    assert client_as("secretary").get(reverse("reports:minutes", args=[99999])).status_code == 404


@pytest.mark.parametrize(
    ("name", "language", "filename", "content_type", "magic"),
    [
        ("minutes_pdf", "vi", "bien-ban-kiem-phieu-{pk}.pdf", "application/pdf", b"%PDF-"),
        ("minutes_pdf", "en", "counting-minutes-{pk}.pdf", "application/pdf", b"%PDF-"),
        (
            "minutes_xlsx",
            "vi",
            "bien-ban-kiem-phieu-{pk}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            b"PK",
        ),
    ],
)
def test_downloads_carry_a_server_set_name_type_nosniff_and_no_store(
    client_as, election, name, language, filename, content_type, magic
):
    url = reverse(f"reports:{name}", args=[election.pk])
    response = client_as("secretary").get(url, {"lang": language})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    expected = filename.format(pk=election.pk)
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Language"] == language
    assert response.content.startswith(magic)


def test_the_file_language_follows_the_request_unless_asked(client_as, election, tmp_path):
    client = client_as("secretary")
    url = reverse("reports:minutes_pdf", args=[election.pk])
    response = client.get(url, headers={"accept-language": "en"})
    assert response["Content-Language"] == "en"
    assert "50.6%" in flat(pdf_text(response.content, tmp_path))
    response = client.get(url, {"lang": "vi"}, headers={"accept-language": "en"})
    assert "50,6 %" in flat(pdf_text(response.content, tmp_path))


@pytest.mark.parametrize("lang", ["fr", "EN", "", "vi;drop"])
def test_an_unknown_language_is_a_bad_request(client_as, election, lang):
    for name in ("minutes_pdf", "minutes_xlsx"):
        url = reverse(f"reports:{name}", args=[election.pk])
        response = client_as("secretary").get(url, {"lang": lang})
        assert response.status_code == 400
        assert "vi, en" in response.content.decode()


def test_the_minutes_answer_get_only(client_as, election):
    client = client_as("secretary")
    for name in ("minutes", "minutes_pdf", "minutes_xlsx"):
        assert client.post(reverse(f"reports:{name}", args=[election.pk])).status_code == 405


def test_an_election_without_rounds_says_so_everywhere(client_as, congress, tmp_path):
    election = make_election(
        congress, ["Lê Minh Anh", "Trần Văn Bình"], kind=ElectionKind.FULL_DELEGATE, seats=1
    )
    client = client_as("secretary")
    page = client.get(reverse("reports:minutes", args=[election.pk]))
    html = page.content.decode()
    assert 'id="no-round"' in html and 'data-status="draft"' in html
    pdf = client.get(reverse("reports:minutes_pdf", args=[election.pk]), {"lang": "en"})
    assert pdf.status_code == 200
    text = flat(pdf_text(pdf.content, tmp_path))
    assert "No round entered yet." in text and "NOT CERTIFIED" in text
    assert "Not certified: the count is not complete." in text
    xlsx = client.get(reverse("reports:minutes_xlsx", args=[election.pk]), {"lang": "en"})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.worksheets[2].max_row == 1  # the votes table: its header only
    assert book.worksheets[0]["A4"].value == "Not certified: the count is not complete."


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
    vote_row = re.compile(r"Đoàn Viên \d\d\s+\d+\s+[\d.]+%")
    pages_with_votes = 0
    for number in range(1, pages + 1):
        text = pdf_text(pdf, tmp_path, number)
        assert "NOT CERTIFIED" in text
        if vote_row.search(text):
            pages_with_votes += 1
            assert re.search(r"Candidate\s+Votes\s+Percentage\s+Result", text), number
    assert pages_with_votes >= 2  # the votes table ran over a page and its header came along
