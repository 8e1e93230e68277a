"""The counting minutes' page and downloads (reports.views.minutes): the figures on the page,
the right people only, the downloads' headers and language, GET only, and an election with
no round yet."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from congresses.elections.models import ElectionKind
from tests.reports.conftest import (
    BALLOTS,
    BOARD,
    ELECTED,
    LINES,
    MARKUP,
    flat,
    make_election,
    page_text,
    pct,
    pdf_text,
    thresholds,
)

pytestmark = pytest.mark.django_db


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
    assert "50.6 %" in flat(pdf_text(response.content, tmp_path))
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


def test_the_page_shows_the_congress_day_and_the_day_of_certification(client_as, election):
    html = client_as("secretary").get(reverse("reports:minutes", args=[election.pk])).text
    assert '<td id="congress-day">23/12/2017</td>' in html
    assert '<td id="election-day">23/12/2017</td>' in html
    assert '<td id="certified-on">23/12/2017</td>' in html  # certified as of the congress day
