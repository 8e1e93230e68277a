"""The representation page and its downloads say which counts are people and which are each
election's candidacies: the seed case's chair, elected to the executive by the congress and
again as chair by the executive, counts once in the headline (11 candidates, 9 elected, 3
women: 33.3 %) and once in each election's row."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from tests.reports.conftest import flat, pct, pdf_text

pytestmark = pytest.mark.django_db

NOTE = (
    "Candidates and those elected count each person once, however many elections they stood "
    "in. Each election's row counts its own candidates and those it elected, so a person "
    "elected twice (to the executive committee, then as its chair) is in two rows."
)


def table_rows(html: str, table_id: str) -> list[list[str]]:
    """The texts of the cells (th and td) of each row of a page's table."""
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S).group(1)
    return [
        [flat(unescape(re.sub(r"<[^>]+>", "", cell))).strip() for cell in cells]
        for cells in (
            re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
        )
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_page_counts_people_in_the_headline_and_candidacies_per_election(
    login, seed_congress, language
):
    client = login("secretary")
    client.cookies["django_language"] = language
    html = client.get(reverse("reports:representation", args=[seed_congress.pk])).text
    with translation.override(language):
        people, elected = (
            gettext("Candidates (each person once)"),
            gettext("Elected (each person once)"),
        )
        executive, chair, note = gettext("Executive committee"), gettext("Chair"), gettext(NOTE)
    groups = {row[0]: row[1:] for row in table_rows(html, "groups")[1:]}
    assert groups[people][0] == "11"
    assert groups[elected] == ["9", "3", pct("33.3", language)]
    assert note in flat(unescape(html))
    by_election = {row[0]: row[1:] for row in table_rows(html, "elections")[1:]}
    assert by_election[executive][0] == "11" and by_election[executive][3:5] == ["9", "3"]
    assert by_election[chair][0] == "1" and by_election[chair][3] == "1"
    totals = table_rows(html, "sub-units")[-1]  # the sub-units add up to the headline
    assert totals[4] == "11" and totals[7:9] == ["9", "3"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_pdf_and_workbook_label_the_headline_as_people(
    login, seed_congress, language, tmp_path
):
    client = login("secretary")
    url = reverse("reports:representation_pdf", args=[seed_congress.pk])
    text = flat(pdf_text(client.get(url, {"lang": language}).content, tmp_path))
    with translation.override(language):
        elected = gettext("Elected (each person once)")
        note = gettext(NOTE)
    assert f"{elected} 9 3 {pct('33.3', language)}" in text
    assert note[:40] in text
    url = reverse("reports:representation_xlsx", args=[seed_congress.pk])
    book = load_workbook(io.BytesIO(client.get(url, {"lang": language}).content))
    summary = book.worksheets[0]
    groups = {row[0]: row[1:4] for row in summary.iter_rows(values_only=True) if row[0]}
    assert groups[elected] == (9, 3, pytest.approx(0.333))
    assert note in groups
