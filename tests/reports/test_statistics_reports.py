"""Membership statistics and women's representation as pages, PDFs and Excel files: the same
figures in all three, equal to the database's own counts (a direct count of the membership
periods, the records of the congress), in Vietnamese and in English, to readers only."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from congresses import demo as congress_demo
from congresses.models import Congress, Post, PostKind
from congresses.resolutions import demo as demo_resolutions
from members import demo as members_demo
from members import services as member_services
from members.models import Branch, BranchKind, Gender
from members.statistics import direct_count
from reports.datasets.representation import representation
from reports.datasets.statistics import statistics_report
from reports.formats import statistics as statistics_formats
from reports.formats.representation import representation_workbook
from reports.formats.statistics import statistics_workbook
from tests.reports.conftest import flat, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

DAY = date(2017, 12, 23)
LATER = date(2022, 12, 31)
SHARE = {"vi": "49,2 %", "en": "49.2%"}
WOMEN_TARGET = "Tỷ lệ nữ trong Ban Chấp hành"
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x.example","y")'
MARKUP = '<img src="file:///etc/passwd">'


@pytest.fixture(scope="module")
def _seeded(django_db_setup, django_db_blocker):
    """The demo data (members, terms and congresses, resolutions), loaded once for the module
    in a transaction rolled back at its end; each test runs in a savepoint inside it
    (pytest-django's db fixture nests its atomic block), so a test's own changes go too."""
    with django_db_blocker.unblock(), transaction.atomic():
        members_demo.load()
        congress_demo.load()
        demo_resolutions.load()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seed(_seeded, db):
    return Branch.objects.get(code="hp-skhcn")


@pytest.fixture
def congress(seed):
    return Congress.objects.get(term__branch=seed, held_on=DAY)


@pytest.fixture
def login(client):
    """The demo's logins: secretary of hp-skhcn, reviewer of the city union above it, the
    member role in a sub-unit; any other name is a stranger with no grant."""

    def as_(name: str):
        users = get_user_model().objects
        user = users.filter(username=name).first() or users.create_user(name, password="pw")
        client.force_login(user)
        return client

    return as_


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


def sheet_table(sheet):
    """(header row number, {code or label: row values}) of the statistics sheet."""
    top = int(sheet.freeze_panes[1:]) - 1
    rows = {}
    for row in sheet.iter_rows(min_row=top + 1, values_only=True):
        if any(value is not None for value in row):
            rows[row[0] or row[1]] = row
    return top, rows


# --- Statistics ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_page_shows_the_seed_figures_a_row_per_sub_unit_and_the_chart(login, seed, language):
    client = login("secretary")
    client.cookies["django_language"] = language
    response = client.get(stats_url(), {"as_of": "23/12/2017"})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="total-members">185<', html)
    assert re.search(r'id="total-women">91<', html)
    assert f'id="total-share">{SHARE[language]}<' in html
    rows = cells(html, "statistics-table")
    with translation.override(language):
        assert rows["total"][:4] == [gettext("Total"), "185", "91", SHARE[language]]
    children = Branch.objects.filter(path__startswith=seed.path, depth=seed.depth + 1)
    assert {child.code for child in children} == set(rows) - {"total"}
    for child in children:
        counts = direct_count(child, DAY)
        assert rows[child.code][1:3] == [str(counts.members), str(counts.women)]
    svg = svg_of(html)
    assert 'role="img"' in svg
    for child in children:
        assert f">{child.display_name}<" in svg  # a bar per sub-unit, labelled
    assert "38 · " + ("52,6 %" if language == "vi" else "52.6%") in svg
    for kind in ("pdf", "xlsx"):
        url = stats_url(f"statistics_{kind}") + f"?as_of=23%2F12%2F2017&amp;lang={language}"
        assert f'href="{url}"' in html


def test_the_change_column_counts_against_the_comparison_day(login, seed):
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
    total_change = direct_count(seed, LATER).members - 185
    assert rows["total"][5:7] == ["185", f"{total_change:+d}" if total_change else "0"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_pdf_shows_the_same_figures_the_chart_and_page_numbers(login, seed, language, tmp_path):
    response = login("secretary").get(
        stats_url("statistics_pdf"),
        {"as_of": "23/12/2017", "compare": "01/01/2017", "lang": language},
    )
    assert response.status_code == 200
    text = flat(pdf_text(response.content, tmp_path))
    before = direct_count(seed, date(2017, 1, 1))
    with translation.override(language):
        total, title = gettext("Total"), gettext("Members and women by sub-unit")
        page = gettext("Page %(page)s of %(pages)s")
    assert f"{total} 185 91 {SHARE[language]} 6 {before.members} +{185 - before.members}" in text
    assert "Công đoàn Sở Khoa học và Công nghệ Hải Phòng" in text and "23/12/2017" in text
    for child in Branch.objects.filter(path__startswith=seed.path, depth=seed.depth + 1):
        counts = direct_count(child, DAY)
        assert f"{child.display_name} {counts.members} {counts.women}" in text  # the table
        assert text.count(child.display_name) >= 2  # and the chart's label
    assert title in text and ("38 · 52,6 %" if language == "vi" else "38 · 52.6%") in text
    assert "<svg" not in text and "<rect" not in text  # drawn, not printed as markup
    assert page % {"page": 1, "pages": pdf_pages(response.content, tmp_path)} in text


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_workbook_holds_numbers_percentages_dates_and_a_frozen_filtered_table(seed, language):
    report = statistics_report(seed, as_of=DAY, compare_on=date(2017, 1, 1))
    sheet = load_workbook(io.BytesIO(statistics_workbook(report, language=language))).active
    top, rows = sheet_table(sheet)
    with translation.override(language):
        assert sheet.cell(top, 1).value == gettext("Code")
        assert sheet.cell(top, 5).value == gettext("Women's share")
        total = rows[gettext("Total")]
    assert sheet.auto_filter.ref == f"A{top}:K{top + len(report.rows)}"
    assert sheet.column_dimensions["B"].width >= 40
    assert total[2:5] == (185, 91, pytest.approx(0.492))
    share = next(c for c in sheet[top + len(report.rows) + 2] if c.column == 5)
    assert share.data_type == "n" and share.number_format == "0.0%"
    for row in report.rows:
        counts = direct_count(Branch.objects.get(code=row.code), DAY)
        assert rows[row.code][2:4] == (counts.members, counts.women)
        assert rows[row.code][9] == row.members - row.members_before
    assert datetime(2017, 12, 23) in [sheet.cell(r, 2).value for r in range(2, top)]


def test_a_branch_named_like_markup_or_a_formula_is_escaped_and_stays_text(login, seed):
    for index, name in enumerate([SCRIPT, FORMULA]):
        member_services.create_branch(
            parent=seed, code=f"odd-{index}", name=name, kind=BranchKind.SUB_UNION
        )
    html = login("secretary").get(stats_url()).content.decode()
    assert SCRIPT not in html
    svg = svg_of(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "=HYPERLINK(&quot;http://x.example&quot;,&quot;y&quot;)" in svg
    sheet = load_workbook(
        io.BytesIO(statistics_workbook(statistics_report(seed), language="en"))
    ).active
    cell = next(c for c in sheet["B"] if c.value == FORMULA)
    assert cell.data_type == "s" and cell.quotePrefix
    assert next(c for c in sheet["B"] if c.value == SCRIPT).data_type == "s"


def test_markup_in_a_name_prints_as_text_and_a_long_list_points_to_the_excel_file(
    seed, monkeypatch, tmp_path
):
    member_services.create_branch(
        parent=seed, code="odd-img", name=MARKUP, kind=BranchKind.SUB_UNION
    )
    monkeypatch.setattr(statistics_formats, "PDF_ROW_LIMIT", 3)
    report = statistics_report(seed, as_of=DAY)
    pdf = statistics_formats.statistics_pdf(report, language="en")
    text = flat(pdf_text(pdf, tmp_path))
    assert b"/EmbeddedFiles" not in pdf
    assert MARKUP in text  # the chart's label: not fetched, not markup
    table = [f"{n} {row.name} {row.members} {row.women}" for n, row in enumerate(report.rows, 1)]
    assert all(line in text for line in table[:3])
    assert not any(line in text for line in table[3:])
    assert f"{len(table) - 3} more are in the Excel file" in text
    assert f"Total 185 91 {SHARE['en']}" in text  # the totals count every sub-unit


def test_a_date_that_cannot_be_read_is_shown_on_the_page_and_refused_for_a_file(login, seed):
    client = login("secretary")
    page = client.get(stats_url(), {"as_of": "31/02/2017"})
    assert page.status_code == 200 and 'class="errorlist' in page.content.decode()
    assert client.get(stats_url("statistics_pdf"), {"as_of": "2017-13-01"}).status_code == 400
    assert client.get(stats_url("statistics_xlsx"), {"compare": "x"}).status_code == 400


# --- Women's representation ------------------------------------------------------------------


def test_the_representation_counts_the_records_of_the_congress(login, congress):
    html = login("secretary").get(reverse("reports:representation", args=[congress.pk]))
    html = flat(unescape(re.sub(r"<[^>]+>", " ", html.content.decode())))
    candidates = [c for e in congress.elections.all() for c in e.candidates.all()]
    delegates = [d.member.gender for d in congress.delegates.select_related("member")]
    posts = Post.objects.filter(
        term=congress.term, starts_on=DAY, kind__in=[PostKind.EXECUTIVE, PostKind.CHAIR]
    )
    genders = [post.member.gender for post in posts.select_related("member")]
    found = representation(congress)
    expected = {
        "members": (185, 91),
        "delegates": (len(delegates), delegates.count(Gender.FEMALE)),
        "candidates": (len(candidates), sum(c.gender == Gender.FEMALE for c in candidates)),
        "elected": (len(genders), genders.count(Gender.FEMALE)),
    }
    for group, (total, women) in expected.items():
        share = getattr(found, group)
        assert (share.total, share.women) == (total, women), group
    assert "185 91 49,2 %" in html
    assert f"{len(genders)} {genders.count(Gender.FEMALE)}" in html
    assert WOMEN_TARGET in html


def test_each_sub_unit_row_counts_its_members_candidates_and_those_elected(congress):
    found = representation(congress)
    candidates = [
        c for e in congress.elections.all() for c in e.candidates.select_related("member__branch")
    ]
    for unit in found.sub_units:
        branch = Branch.objects.get(code=unit.code)
        counts = direct_count(branch, DAY)
        assert (unit.members.total, unit.members.women) == (counts.members, counts.women)
        mine = [c for c in candidates if c.member and c.member.branch.path.startswith(branch.path)]
        assert unit.candidates.total == len(mine)
        assert unit.candidates.women == sum(c.gender == Gender.FEMALE for c in mine)
    assert sum(u.elected.total for u in found.sub_units) == found.elected.total
    assert [t.title for t in found.targets] == [WOMEN_TARGET]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_representation_pdf_and_workbook_show_the_same_shares(
    login, congress, language, tmp_path
):
    found = representation(congress)
    url = reverse("reports:representation_pdf", args=[congress.pk])
    text = flat(pdf_text(login("reviewer").get(url, {"lang": language}).content, tmp_path))
    assert f"185 91 {SHARE[language]}" in text
    assert "2017–2022" in text and WOMEN_TARGET in text
    for unit in found.sub_units:
        assert f"{unit.name} {unit.members.total} {unit.members.women}" in text
    with translation.override(language):
        assert gettext("Share of women") in text  # the chart's title
    assert "<svg" not in text
    book = load_workbook(io.BytesIO(representation_workbook(found, language=language)))
    summary, units = book.worksheets
    groups = {row[0]: row[1:4] for row in summary.iter_rows(values_only=True) if row[0]}
    with translation.override(language):
        assert groups[gettext("Members on the congress day")] == (185, 91, pytest.approx(0.492))
        elected = groups[gettext("Elected")]
    assert elected[:2] == (found.elected.total, found.elected.women)
    target = next(row for row in summary.iter_rows() if row[0].value == WOMEN_TARGET)
    assert target[1].value == pytest.approx(0.5) and "%" in target[1].number_format
    assert units.freeze_panes == "A2" and units.auto_filter.ref == f"A1:K{len(found.sub_units) + 1}"
    first = next(units.iter_rows(min_row=2, max_row=2))
    assert first[4].data_type == "n" and first[4].number_format == "0.0%"


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
def test_only_readers_of_the_branch_get_the_reports(login, congress, persona, status, name):
    arg = "hp-skhcn" if name.startswith("statistics") else congress.pk
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
    login, congress, name, language, filename, content_type, magic
):
    arg = "hp-skhcn" if name.startswith("statistics") else congress.pk
    url = reverse(f"reports:{name}", args=[arg])
    response = login("secretary").get(url, {"lang": language, "as_of": "23/12/2017"})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    expected = filename.format(pk=congress.pk)
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Language"] == language
    assert response.content.startswith(magic)


@pytest.mark.parametrize("lang", ["fr", "EN", ""])
def test_an_unknown_language_is_a_bad_request(login, congress, lang):
    client = login("secretary")
    for name, arg in [("statistics_pdf", "hp-skhcn"), ("representation_xlsx", congress.pk)]:
        assert client.get(reverse(f"reports:{name}", args=[arg]), {"lang": lang}).status_code == 400


def test_the_reports_answer_get_only(login, congress):
    client = login("secretary")
    assert client.post(stats_url("statistics_xlsx")).status_code == 405
    assert client.post(reverse("reports:representation", args=[congress.pk])).status_code == 405


def test_the_branch_and_congress_pages_link_the_reports(login, congress):
    client = login("secretary")
    branch_page = client.get(reverse("members:branch", args=["hp-skhcn"])).content.decode()
    assert f'href="{stats_url()}?as_of=' in branch_page
    congress_page = client.get(reverse("congresses:congress", args=[congress.pk])).content.decode()
    assert f'href="{reverse("reports:representation", args=[congress.pk])}"' in congress_page
    member_page = login("member").get(reverse("members:branch", args=["hp-skhcn"]))
    assert 'id="statistics-link"' not in member_page.content.decode()  # it would answer 403
