"""The term summary's page and downloads and the congress dossier's download
(reports.views.summary): the seed case's figures on the page with every download, the right
people only, the downloads' headers, 400 for an unknown language or day, GET only, and the
links from the term and congress pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reports.datasets.summary import term_summary
from tests.reports.conftest import (
    AS_OF,
    AS_OF_TEXT,
    executives,
    flat,
    page_text,
    pct,
    pdf_pages,
    pdf_text,
    said,
)

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_seed_figures_and_links_every_download(client, seed):
    client.force_login(get_user_model().objects.get(username="secretary"))
    for language in ("vi", "en"):  # one test: the seed case is loaded once
        check_page(client, seed, language)


def check_page(client, seed, language):
    client.cookies["django_language"] = language
    response = client.get(reverse("reports:term_summary", args=[seed.pk]), {"as_of": AS_OF_TEXT})
    assert response.status_code == 200
    html = response.text
    figures = {
        code: re.search(rf'id="counted-{code}">([^<]*)<', html).group(1)
        for code in ("members", "women", "share", "sub-units")
    }
    assert figures == {
        "members": "185",
        "women": "91",
        "share": pct("49.2", language).replace(" ", "\u00a0"),  # as the page writes it
        "sub-units": "6",
    }
    text = page_text(response)
    summary = term_summary(seed, as_of=AS_OF)
    for unit in summary.sub_units:
        assert f"{unit.name} {unit.members} {unit.women} " in text
    shown = re.findall(r'<tr data-post="executive"><td>[^<]*</td><td>([^<]*)</td>', html)
    assert sorted(shown) == sorted(executives(seed))
    for name in ("term_summary_pdf", "term_summary_xlsx", "dossier_pdf"):
        for code in ("vi", "en"):
            url = reverse(f"reports:{name}", args=[seed.pk])
            assert f'href="{url}?lang={code}&amp;as_of=01%2F11%2F2022"' in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [("secretary", 200), ("reviewer", 200), ("member", 403), ("stranger", 404)],
)
@pytest.mark.parametrize(
    "name", ["term_summary", "term_summary_pdf", "term_summary_xlsx", "dossier_pdf"]
)
def test_only_readers_of_the_branch_get_the_summary_and_the_dossier(
    client_as, congress, persona, status, name
):
    response = client_as(persona).get(reverse(f"reports:{name}", args=[congress.term.pk]))
    assert response.status_code == status


def test_another_unions_term_is_not_found(client_as, congress):
    assert (
        client_as("secretary").get(reverse("reports:term_summary", args=[99999])).status_code == 404
    )


@pytest.mark.parametrize(
    ("name", "language", "filename", "content_type", "magic"),
    [
        ("term_summary_pdf", "vi", "tong-ket-nhiem-ky-union-{pk}.pdf", "application/pdf", b"%PDF-"),
        (
            "term_summary_xlsx",
            "en",
            "term-summary-union-{pk}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            b"PK",
        ),
        ("dossier_pdf", "en", "congress-dossier-union-{pk}.pdf", "application/pdf", b"%PDF-"),
    ],
)
def test_downloads_carry_a_server_set_name_type_nosniff_and_no_store(
    client_as, congress, name, language, filename, content_type, magic, tmp_path
):
    pk = congress.term.pk
    response = client_as("secretary").get(
        reverse(f"reports:{name}", args=[pk]), {"lang": language, "as_of": "23/12/2017"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename.format(pk=pk)}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Language"] == language
    assert response.content.startswith(magic)
    if magic == b"%PDF-":
        page = said(language, "Page %(page)s of %(pages)s")["Page %(page)s of %(pages)s"]
        pages = pdf_pages(response.content, tmp_path)
        assert page % {"page": 1, "pages": pages} in flat(pdf_text(response.content, tmp_path, 1))


@pytest.mark.parametrize(
    "query", [{"lang": "fr"}, {"lang": "EN"}, {"as_of": "2017-12-23"}, {"as_of": "31/02/2022"}]
)
def test_an_unknown_language_or_day_is_a_bad_request(client_as, congress, query):
    for name in ("term_summary_pdf", "term_summary_xlsx", "dossier_pdf"):
        url = reverse(f"reports:{name}", args=[congress.term.pk])
        assert client_as("secretary").get(url, query).status_code == 400


def test_the_summary_answers_get_only(client_as, congress):
    client = client_as("secretary")
    for name in ("term_summary", "term_summary_pdf", "term_summary_xlsx", "dossier_pdf"):
        assert client.post(reverse(f"reports:{name}", args=[congress.term.pk])).status_code == 405


def test_the_term_and_congress_pages_link_the_summary_and_the_dossier(client_as, congress):
    client = client_as("secretary")
    term = congress.term
    summary = reverse("reports:term_summary", args=[term.pk])
    dossier = reverse("reports:dossier_pdf", args=[term.pk])
    for page in (
        reverse("congresses:term", args=[term.pk]),
        reverse("congresses:congress", args=[congress.pk]),
    ):
        html = client.get(page).text
        assert f'href="{summary}"' in html and f'href="{dossier}"' in html
