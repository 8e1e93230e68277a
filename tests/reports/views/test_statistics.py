"""The pages and downloads of the membership statistics and of women's representation
(reports.views.statistics): the seed case's figures on the pages, in the PDF and the workbook,
equal to the database's own counts, in Vietnamese and in English, to readers only; names
escaped, unreadable dates refused for a file, the downloads' headers, GET only, and the links
from the branch and congress pages."""

from __future__ import annotations

import io
import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from congresses.models import Post, PostKind
from members import services as member_services
from members.models import Branch, BranchKind, Gender
from members.statistics import direct_count
from reports.datasets.statistics import statistics_report
from reports.formats.statistics import statistics_workbook
from tests.reports.conftest import (
    DAY,
    NBSP,
    SHARE,
    WOMEN_TARGET,
    flat,
    page_text,
    pdf_pages,
    pdf_text,
)

pytestmark = pytest.mark.django_db

LATER = date(2022, 12, 31)
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x.example","y")'


def stats_url(name: str = "statistics", code: str = "hp-skhcn") -> str:
    return reverse(f"reports:{name}", args=[code])


def cells(html: str, table_id: str) -> dict[str, list[str]]:
    """The rows of a page's table by their data-code, as the texts of their cells."""
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S).group(1)
    rows = {}
    for code, body in re.findall(r'<tr data-code="([^"]+)">(.*?)</tr>', table, re.S):
        rows[code] = [
            flat(unescape(re.sub(r"<[^>]+>", "", cell))).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        ]
    return rows


def svg_of(html: str) -> str:
    return re.search(r"<svg.*?</svg>", html, re.S).group(0)


# --- Statistics ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_page_shows_the_seed_figures_a_row_per_sub_unit_and_the_chart(
    login, seed_union, language
):
    client = login("secretary")
    client.cookies["django_language"] = language
    response = client.get(stats_url(), {"as_of": "23/12/2017"})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="total-members">185<', html)
    assert re.search(r'id="total-women">91<', html)
    assert f'id="total-share">{SHARE[language].replace(" ", NBSP)}<' in html
    rows = cells(html, "statistics-table")
    with translation.override(language):
        assert rows["total"][:4] == [
            gettext("Total"),
            "185",
            "91",
            SHARE[language],
        ]
    children = Branch.objects.filter(path__startswith=seed_union.path, depth=seed_union.depth + 1)
    assert {child.code for child in children} == set(rows) - {"total"}
    for child in children:
        counts = direct_count(child, DAY)
        assert rows[child.code][1:3] == [str(counts.members), str(counts.women)]
    svg = svg_of(html)
    assert 'role="img"' in svg
    for child in children:
        assert f">{child.display_name}<" in svg  # a bar per sub-unit, labelled
    assert "38 · " + ("52,6\u00a0%" if language == "vi" else "52.6\u00a0%") in svg
    for kind in ("pdf", "xlsx"):
        url = stats_url(f"statistics_{kind}") + f"?as_of=23%2F12%2F2017&amp;lang={language}"
        assert f'href="{url}"' in html


def test_the_change_column_counts_against_the_comparison_day(login, seed_union):
    response = login("reviewer").get(stats_url(), {"as_of": "31/12/2022", "compare": "23/12/2017"})
    rows = cells(response.content.decode(), "statistics-table")
    for code, values in rows.items():
        if code == "total":
            continue
        unit = Branch.objects.get(code=code)
        now, before = direct_count(unit, LATER), direct_count(unit, DAY)
        change = now.members - before.members
        assert values[5] == str(before.members)
        assert values[6] == (f"+{change}" if change > 0 else str(change))
    total_change = direct_count(seed_union, LATER).members - 185
    assert rows["total"][5:7] == ["185", f"{total_change:+d}" if total_change else "0"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_pdf_shows_the_same_figures_the_chart_and_page_numbers(
    login, seed_union, language, tmp_path
):
    response = login("secretary").get(
        stats_url("statistics_pdf"),
        {"as_of": "23/12/2017", "compare": "01/01/2017", "lang": language},
    )
    assert response.status_code == 200
    text = flat(pdf_text(response.content, tmp_path))
    before = direct_count(seed_union, date(2017, 1, 1))
    with translation.override(language):
        total, title = gettext("Total"), gettext("Members and women by sub-unit")
        page = gettext("Page %(page)s of %(pages)s")
    assert f"{total} 185 91 {SHARE[language]} 6 {before.members} +{185 - before.members}" in text
    assert "Công đoàn Sở Khoa học và Công nghệ Hải Phòng" in text and "23/12/2017" in text
    for child in Branch.objects.filter(
        path__startswith=seed_union.path, depth=seed_union.depth + 1
    ):
        counts = direct_count(child, DAY)
        assert f"{child.display_name} {counts.members} {counts.women}" in text  # the table
        assert text.count(child.display_name) >= 2  # and the chart's label
    assert title in text and ("38 · 52,6 %" if language == "vi" else "38 · 52.6 %") in text
    assert "<svg" not in text and "<rect" not in text  # drawn, not printed as markup
    assert page % {"page": 1, "pages": pdf_pages(response.content, tmp_path)} in text


def test_a_branch_named_like_markup_or_a_formula_is_escaped_and_stays_text(login, seed_union):
    for index, name in enumerate([SCRIPT, FORMULA]):
        member_services.create_branch(
            parent=seed_union, code=f"odd-{index}", name=name, kind=BranchKind.SUB_UNION
        )
    html = login("secretary").get(stats_url()).content.decode()
    assert SCRIPT not in html
    svg = svg_of(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "=HYPERLINK(&quot;http://x.example&quot;,&quot;y&quot;)" in svg
    sheet = load_workbook(
        io.BytesIO(statistics_workbook(statistics_report(seed_union), language="en"))
    ).active
    cell = next(c for c in sheet["B"] if c.value == FORMULA)
    assert cell.data_type == "s" and cell.quotePrefix
    assert next(c for c in sheet["B"] if c.value == SCRIPT).data_type == "s"


def test_a_date_that_cannot_be_read_is_shown_on_the_page_and_refused_for_a_file(login, seed_union):
    client = login("secretary")
    page = client.get(stats_url(), {"as_of": "31/02/2017"})
    assert page.status_code == 200 and 'class="errorlist' in page.content.decode()
    assert client.get(stats_url("statistics_pdf"), {"as_of": "2017-13-01"}).status_code == 400
    assert client.get(stats_url("statistics_xlsx"), {"compare": "x"}).status_code == 400


# --- Women's representation ------------------------------------------------------------------


def test_the_representation_page_shows_the_records_of_the_congress(login, seed_congress):
    response = login("secretary").get(reverse("reports:representation", args=[seed_congress.pk]))
    text = page_text(response)
    posts = Post.objects.filter(
        term=seed_congress.term, starts_on=DAY, kind__in=[PostKind.EXECUTIVE, PostKind.CHAIR]
    )
    people = {post.member_id: post.member.gender for post in posts.select_related("member")}
    genders = list(people.values())  # the chair holds two posts and is one person
    assert "185 91 49,2 %" in text  # the members on the congress day
    assert f"{len(genders)} {genders.count(Gender.FEMALE)}" in text  # those elected
    assert WOMEN_TARGET in text


# --- Access and downloads --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("secretary", 200), ("reviewer", 200), ("member", 403), ("stranger", 404)],
)
@pytest.mark.parametrize(
    "name",
    [
        "statistics",
        "statistics_xlsx",
        "representation",
        "representation_xlsx",
        "representation_pdf",
    ],
)
def test_only_readers_of_the_branch_get_the_reports(login, seed_congress, persona, status, name):
    arg = "hp-skhcn" if name.startswith("statistics") else seed_congress.pk
    assert login(persona).get(reverse(f"reports:{name}", args=[arg])).status_code == status


@pytest.mark.parametrize(
    ("name", "language", "filename", "content_type", "magic"),
    [
        ("statistics_pdf", "vi", "thong-ke-hp-skhcn-2017-12-23.pdf", "application/pdf", b"%PDF-"),
        (
            "statistics_xlsx",
            "en",
            "statistics-hp-skhcn-2017-12-23.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            b"PK",
        ),
        ("representation_pdf", "en", "womens-representation-{pk}.pdf", "application/pdf", b"%PDF-"),
        (
            "representation_xlsx",
            "vi",
            "dai-dien-nu-{pk}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            b"PK",
        ),
    ],
)
def test_downloads_carry_a_server_set_name_type_nosniff_and_no_store(
    login, seed_congress, name, language, filename, content_type, magic
):
    arg = "hp-skhcn" if name.startswith("statistics") else seed_congress.pk
    url = reverse(f"reports:{name}", args=[arg])
    response = login("secretary").get(url, {"lang": language, "as_of": "23/12/2017"})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    expected = filename.format(pk=seed_congress.pk)
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Language"] == language
    assert response.content.startswith(magic)


@pytest.mark.parametrize("lang", ["fr", "EN", ""])
def test_an_unknown_language_is_a_bad_request(login, seed_congress, lang):
    client = login("secretary")
    for name, arg in [("statistics_pdf", "hp-skhcn"), ("representation_xlsx", seed_congress.pk)]:
        assert client.get(reverse(f"reports:{name}", args=[arg]), {"lang": lang}).status_code == 400


def test_the_reports_answer_get_only(login, seed_congress):
    client = login("secretary")
    assert client.post(stats_url("statistics_xlsx")).status_code == 405
    url = reverse("reports:representation", args=[seed_congress.pk])
    assert client.post(url).status_code == 405


def test_the_branch_and_congress_pages_link_the_reports(login, seed_congress):
    client = login("secretary")
    branch_page = client.get(reverse("members:branch", args=["hp-skhcn"])).content.decode()
    assert f'href="{stats_url()}?as_of=' in branch_page
    congress_url = reverse("congresses:congress", args=[seed_congress.pk])
    congress_page = client.get(congress_url).content.decode()
    representation_url = reverse("reports:representation", args=[seed_congress.pk])
    assert f'href="{representation_url}"' in congress_page
    member_page = login("member").get(reverse("members:branch", args=["hp-skhcn"]))
    assert 'id="statistics-link"' not in member_page.content.decode()  # it would answer 403
