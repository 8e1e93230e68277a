"""The term summary (a page, a PDF, an Excel file) and the congress dossier (one PDF): the
seed case's figures in all of them, equal to the database's own counts, in Vietnamese and
in English, to the right people only, and member-supplied text printed as text."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from congresses import demo as congress_demo
from congresses import services
from congresses.elections.models import Election, ElectionKind
from congresses.models import Body, BodyMember, Post, PostKind, Term
from congresses.resolutions import demo as demo_resolutions
from congresses.resolutions.models import Campaign
from members.models import Branch
from members.statistics import direct_count
from reports.datasets.dossier import congress_seats, dossier
from reports.datasets.summary import SubUnit, term_summary
from reports.formats.dossier import dossier_pdf
from reports.formats.summary import term_summary_pdf, term_summary_workbook
from tests.reports.conftest import (
    FORMULA,
    MARKUP,
    enter,
    flat,
    make_election,
    pdf_pages,
    pdf_text,
    poppler,
)
from tests.reports.test_export_safety import Recorder, server  # noqa: F401 - a fixture
from tests.reports.test_minutes import page_text, pct, thresholds

pytestmark = pytest.mark.django_db

DAY = date(2017, 12, 23)
AS_OF = date(2022, 11, 1)
AS_OF_TEXT = "01/11/2022"


@pytest.fixture
def seed(demo):
    congress_demo.load()
    demo_resolutions.load()
    return Term.objects.get(branch__code="hp-skhcn", label="2017–2022")


def said(language: str, *msgids: str) -> dict[str, str]:
    """The labels as the files print them in `language` (so the tests hold after translation)."""
    with translation.override(language):
        return {msgid: gettext(msgid) for msgid in msgids}


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def executives(term: Term) -> list[str]:
    """The executive committee on AS_OF, read from the posts themselves."""
    posts = Post.objects.held_on(AS_OF).filter(term=term, kind=PostKind.EXECUTIVE)
    return list(posts.values_list("person_name", flat=True))


def test_the_dataset_carries_the_resolution_campaigns_and_the_congress_seats(seed):
    counts = direct_count(Branch.objects.get(code="hp-skhcn"), DAY)  # the files' 185 and 91
    assert (counts.members, counts.women) == (185, 91) and len(executives(seed)) == 9
    summary = term_summary(seed, as_of=AS_OF)
    campaigns = Campaign.objects.filter(resolution__congress__term=seed).order_by("order", "id")
    resolution = dossier(seed, as_of=AS_OF).resolution
    assert [c.name for c in resolution.campaigns] == [c.name for c in campaigns]
    assert resolution.adopted_on == DAY
    seats = congress_seats(seed)
    for body, found in (
        (Body.PRESIDIUM, seats.presidium),
        (Body.SECRETARIAT, seats.secretariat),
        (Body.CREDENTIALS, seats.credentials),
    ):
        stored = BodyMember.objects.filter(congress__term=seed, body=body).order_by("order", "id")
        assert [(s.name, s.role) for s in found] == [(b.name, b.role) for b in stored]
    assert [(d.kind, d.order) for d in seats.delegates] == [
        ("full", 1),
        ("full", 2),
        ("full", 3),
        ("alternate", 1),
    ]
    training = next(t for t in summary.targets if t.target_value == 120)  # 112 of 120
    assert str(training.progress_percentage) == "93.3"


def test_the_page_shows_the_seed_figures_and_links_every_download(client, seed):
    client.force_login(get_user_model().objects.get(username="secretary"))
    for language in ("vi", "en"):
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
        "share": pct("49.2", language),
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


def test_the_pdf_shows_the_same_figures_page_numbers_and_running_head(seed, tmp_path):
    for language in ("vi", "en"):
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
    units = tuple(SubUnit(f"u{i}", f"Công đoàn bộ phận số {i:02d}", 10 + i, i) for i in range(70))
    pdf = term_summary_pdf(dataclasses.replace(summary, sub_units=units), language="en")
    row = re.compile(r"Công đoàn bộ phận số \d\d\s+\d+\s+\d+\s+[\d.]+%")
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
    rows = list(units.iter_rows(min_row=2, values_only=True))
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
    assert "%" in targets["I2"].number_format and targets["H2"].is_date
    assert reviews.max_row == 1 + 6  # three achievements and three shortcomings


def test_the_dossier_has_contents_with_page_numbers_the_minutes_and_the_resolution(seed, tmp_path):
    language = "vi"
    pdf = dossier_pdf(dossier(seed, as_of=AS_OF), language=language)
    pages = pdf_pages(pdf, tmp_path)
    label = said(
        language,
        "Term summary",
        "TERM SUMMARY",
        "Attendance and credentials",
        "ATTENDANCE AND CREDENTIALS",
        "The committee",
        "THE COMMITTEE",
        "The resolution",
        "RESOLUTION",
        "COUNTING MINUTES",
        "Page %(page)s of %(pages)s",
    )
    contents = pdf_text(pdf, tmp_path, 2)
    entries = {
        title.strip(): int(page)
        for title, page in re.findall(r"^\s*(\S.*?)\s*\.{4,}\s*(\d+)\s*$", contents, re.M)
    }
    executive, chair = Election.objects.filter(congress__term=seed).order_by("held_on", "id")
    with translation.override(language):
        minutes_titles = [
            gettext("Counting minutes: %(kind)s") % {"kind": e.get_kind_display()}
            for e in (executive, chair)
        ]
    expected = {
        label["Term summary"]: label["TERM SUMMARY"],
        label["Attendance and credentials"]: label["ATTENDANCE AND CREDENTIALS"],
        minutes_titles[0]: label["COUNTING MINUTES"],
        minutes_titles[1]: label["COUNTING MINUTES"],
        label["The committee"]: label["THE COMMITTEE"],
        label["The resolution"]: label["RESOLUTION"],
    }
    assert list(entries) == list(expected)
    numbers = list(entries.values())
    assert numbers == sorted(numbers) and numbers[0] == 3 and numbers[-1] <= pages
    for title, number in entries.items():  # each part starts on the page the contents say
        starts = flat(pdf_text(pdf, tmp_path, number))
        assert expected[title] in starts, title
        assert expected[title] not in flat(pdf_text(pdf, tmp_path, number - 1)) or number == 3
    text = flat(pdf_text(pdf, tmp_path))
    assert text.count(label["COUNTING MINUTES"]) == 2
    for words in thresholds(executive, language) + thresholds(chair, language):
        assert words in text
    summary = term_summary(seed, as_of=AS_OF)
    for _number, direction in summary.directions:
        assert direction in text
    assert "185" in text and pct("49.2", language) in text
    for number in (1, pages):
        page = label["Page %(page)s of %(pages)s"] % {"page": number, "pages": pages}
        assert page in flat(pdf_text(pdf, tmp_path, number))


def test_member_text_prints_as_text_and_nothing_is_fetched(server, election, tmp_path):  # noqa: F811
    congress = election.congress
    services.add_guest(
        congress=congress,
        name=MARKUP,
        title=f'<img src="{server}/x.png">',
        organisation="http://127.0.0.1/",
    )
    services.add_guest(congress=congress, name=FORMULA)
    term = congress.term
    summary = term_summary(term)
    for pdf in (
        term_summary_pdf(summary, language="vi"),
        dossier_pdf(dossier(term), language="en"),
    ):
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


def test_only_the_pages_of_uncertified_minutes_carry_the_mark(election, tmp_path):
    draft = make_election(
        election.congress,
        ["Lê Minh Anh", "Trần Văn Bình"],
        kind=ElectionKind.FULL_DELEGATE,
        seats=1,
    )
    enter(draft, {"Lê Minh Anh": 100, "Trần Văn Bình": 70}, issued=178, collected=178, invalid=8)
    pdf = dossier_pdf(dossier(election.congress.term), language="en")
    marked = [
        number
        for number in range(1, pdf_pages(pdf, tmp_path) + 1)
        if "NOT CERTIFIED" in pdf_text(pdf, tmp_path, number)
    ]
    starts = {}
    for number in range(1, pdf_pages(pdf, tmp_path) + 1):
        text = flat(pdf_text(pdf, tmp_path, number))
        if "COUNTING MINUTES" in text:
            starts["full" if "Full delegates" in text else "executive"] = number
        elif "THE COMMITTEE" in text:
            starts["committee"] = number
    assert starts["executive"] < starts["full"] < starts["committee"]
    assert marked == list(range(starts["full"], starts["committee"]))  # its pages, no other


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
