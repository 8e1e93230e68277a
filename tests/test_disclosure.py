"""Personal data by role, everywhere (issue 15, item 1; reliability-security test 55): the one
rule of members.disclosure, and what each role gets from every place that shows a member:
the list page, the member's page, the API's list and record, and every roster file. A
secretary of the branch sees everything (lists and files mask card numbers for everyone);
a reviewer sees age bands, masked card numbers and no ethnicity, cannot sort by date of
birth nor find members by card number; the member role sees nothing about others."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from members import domain
from members.disclosure import Disclosure, disclosure, list_disclosure, searches_personal
from members.filters import age_band_choices
from members.models import Member, Role
from members.statistics import today
from reports import exports
from reports.models import ExportJob
from tests.factories import member, persona, user
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db

CARD = "HP-0012345"
MASKED = "••••••2345"
BORN = date(1990, 4, 3)
ETHNICITY = "Tày"
SHOWN_BORN = "03/04/1990"  # as the pages write it in English (dd/mm/yyyy)
PREFIXES = ["HP-0", "hp-001", "HP-00123", CARD]


@pytest.fixture
def lan(tree):
    return member(
        tree.unit_a, "Nguyễn Thị Lan", card_number=CARD, birth_date=BORN, ethnicity=ETHNICITY
    )


@pytest.fixture
def trang(tree):
    """A member of the sibling union: the reviewer reads them, the secretary does not."""
    return member(tree.other, "Lê Thu Trang", card_number="OT-7777777", birth_date=BORN)


def band_label() -> str:
    with translation.override("en"):
        return dict(age_band_choices())[domain.age_band(BORN, today())]


def api_as(tree, name) -> APIClient:
    """An API client of the persona, the account `client_as` made if there is one."""
    account = get_user_model().objects.filter(username=name).first() or persona(tree, name)
    client = APIClient()
    client.force_authenticate(account)
    return client


def both_roles(tree):
    """Secretary of the union and reviewer of the level above it."""
    account = user("both", Role.SECRETARY, tree.union)
    account.grants.create(branch=tree.prov, role=Role.REVIEWER)
    return account


# --- The rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "branch", "expected"),
    [
        ("admin", "far_union", Disclosure.FULL),
        ("secretary", "union", Disclosure.FULL),
        ("secretary", "unit_a", Disclosure.FULL),  # a sub-unit of their branch
        ("secretary", "prov", Disclosure.NOTHING),  # above it: out of reach
        ("reviewer", "prov", Disclosure.SUMMARY),
        ("reviewer", "unit_a", Disclosure.SUMMARY),
        ("member", "unit_a", Disclosure.NOTHING),  # their own branch: statistics only
        ("member", "union", Disclosure.NOTHING),
        ("stranger", "unit_a", Disclosure.NOTHING),
    ],
)
def test_one_rule_says_what_each_role_sees(tree, name, branch, expected):
    if name in {"secretary", "reviewer", "member"}:
        account = persona(tree, name)
    else:
        account = user(name, is_superuser=name == "admin")
    assert disclosure(account, getattr(tree, branch)) == expected


def test_a_list_shows_what_the_rule_gives_for_every_row_of_it(tree):
    account = both_roles(tree)
    assert disclosure(account, tree.unit_a) == Disclosure.FULL
    assert disclosure(account, tree.other) == Disclosure.SUMMARY
    assert list_disclosure(account, tree.union) == Disclosure.FULL
    assert list_disclosure(account, None) == Disclosure.SUMMARY  # the union's and the other's
    assert list_disclosure(persona(tree, "secretary"), None) == Disclosure.FULL
    assert list_disclosure(persona(tree, "member"), None) == Disclosure.NOTHING
    assert (searches_personal(account, tree.union), searches_personal(account, None)) == (
        True,
        False,
    )


# --- Pages ----------------------------------------------------------------------------------


def test_the_list_page_by_role(client_as, english, lan, trang):
    page = client_as("secretary").get(reverse("members:member_list"))
    html = page.content.decode()
    assert ">Date of birth<" in html and SHOWN_BORN in html
    assert MASKED in html and CARD not in html  # lists mask cards for everyone
    page = client_as("reviewer").get(reverse("members:member_list"))
    html = page.content.decode()
    assert {row.record.pk for row in page.context["table"].paginated_rows} == {lan.pk, trang.pk}
    assert ">Date of birth<" not in html and re.search(r">\s*Age\s*<", html)
    assert SHOWN_BORN not in html and html.count(f"<td>{band_label()}</td>") == 2
    assert MASKED in html and CARD not in html and "OT-7777777" not in html
    assert "Name or card number" not in html  # the search field offers what it finds


def test_the_member_page_by_role(client_as, english, lan):
    url = reverse("members:member", args=[lan.pk])
    html = client_as("secretary").get(url).content.decode()
    assert SHOWN_BORN in html and f"<td>{CARD}</td>" in html
    assert f"<td>{ETHNICITY}</td>" in html
    html = client_as("reviewer").get(url).content.decode()
    assert ">Date of birth<" not in html and SHOWN_BORN not in html
    assert ETHNICITY not in html and ">Ethnicity<" not in html
    assert f"<td>{band_label()}</td>" in html
    assert f"<td>{MASKED}</td>" in html and CARD not in html and "0012345" not in html


def test_a_reviewer_cannot_sort_by_date_of_birth(client_as, english, tree):
    """Sorted by date of birth, a list tells the order of births within an age band: a
    reviewer's "Age" column offers no sort, and `?sort=birth_date` gives the name order."""
    older = member(tree.unit_a, "Trần Văn Bình", birth_date=date(1990, 1, 2))
    younger = member(tree.unit_a, "Đỗ Văn An", birth_date=date(1990, 12, 30))
    for sort in ("birth_date", "-birth_date"):
        page = client_as("reviewer").get(reverse("members:member_list"), {"sort": sort})
        assert page.status_code == 200
        rows = [row.record.pk for row in page.context["table"].paginated_rows]
        assert rows == [younger.pk, older.pk]  # An before Bình: names, given name first
        html = page.content.decode()
        assert 'href="?sort=birth_date"' not in html and 'href="?sort=-birth_date"' not in html
    page = client_as("secretary").get(reverse("members:member_list"), {"sort": "-birth_date"})
    assert [row.record.pk for row in page.context["table"].paginated_rows] == [younger.pk, older.pk]
    page = client_as("secretary").get(reverse("members:member_list"), {"sort": "birth_date"})
    assert [row.record.pk for row in page.context["table"].paginated_rows] == [older.pk, younger.pk]
    assert 'href="?sort=-birth_date"' in page.content.decode()  # the header reverses it


def test_the_member_role_sees_nothing_about_others(client_as, tree, lan):
    client = client_as("member")
    for url in [
        reverse("members:member_list"),
        reverse("members:member_list") + "?branch=unit-a",
        reverse("members:member", args=[lan.pk]),
        reverse("reports:roster_xlsx"),
        reverse("reports:roster_pdf"),
    ]:
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert (
            CARD not in response.content.decode()
            and "Nguyễn Thị Lan" not in response.content.decode()
        )
    api = api_as(tree, "member")
    for url in ["/api/v1/members/", f"/api/v1/members/{lan.pk}/"]:
        response = api.get(url)
        assert response.status_code == 403 and CARD.encode() not in response.content


# --- The API --------------------------------------------------------------------------------


def test_the_api_by_role(tree, lan):
    band = domain.age_band(BORN, today())
    secretary = api_as(tree, "secretary")
    record = secretary.get(f"/api/v1/members/{lan.pk}/").json()
    listed = secretary.get("/api/v1/members/", {"page_size": 1000}).json()["results"]
    for body in (record, listed[0]):
        assert (body["birth_date"], body["age_band"], body["card_number"]) == (
            "1990-04-03",
            band,
            CARD,
        )
        assert body["ethnicity"] == ETHNICITY
    reviewer = api_as(tree, "reviewer")
    responses = [
        reviewer.get(f"/api/v1/members/{lan.pk}/"),
        reviewer.get("/api/v1/members/", {"page_size": 1000}),
    ]
    record, listed = responses[0].json(), responses[1].json()["results"]
    for body in (record, listed[0]):
        assert "birth_date" not in body and "ethnicity" not in body
        assert (body["age_band"], body["card_number"]) == (band, MASKED)
    for response in responses:
        assert CARD.encode() not in response.content and b"1990-04-03" not in response.content
        assert ETHNICITY not in response.content.decode()


def test_the_api_schema_says_what_a_reviewer_gets(client):
    schema = client.get("/api/schema/", {"format": "json", "lang": "en"}).json()
    component = schema["components"]["schemas"]["Member"]
    assert "birth_date" not in component["required"] and "age_band" in component["required"]
    assert "reviewer" in component["properties"]["birth_date"]["description"]
    assert "masked" in component["properties"]["card_number"]["description"]
    assert "reviewer" in component["properties"]["ethnicity"]["description"]


def test_a_reviewer_token_on_the_demo_reads_no_birth_date_nor_card(demo):
    """The finding of the issue, as it was probed: a reviewer's token, 1,000 members a page."""
    client = APIClient()
    token = client.post("/api/v1/auth/token/", {"username": "reviewer", "password": "demo"})
    client.credentials(HTTP_AUTHORIZATION="Token " + token.json()["token"])
    response = client.get("/api/v1/members/", {"page_size": 1000})
    rows = response.json()["results"]
    assert len(rows) == Member.objects.count() >= 185
    assert all("birth_date" not in row and "age_band" in row for row in rows)
    cards = Member.objects.exclude(card_number=None).values_list("card_number", flat=True)
    assert all(card.encode() not in response.content for card in cards)
    assert all(row["card_number"].startswith("•") for row in rows if row["card_number"])


# --- Searching by card number -----------------------------------------------------------------


def _found_on_page(client, **params) -> list[int]:
    page = client.get(reverse("members:member_list"), params)
    return [row.record.pk for row in page.context["table"].paginated_rows]


def _found_in_api(client, **params) -> list[int]:
    return [row["id"] for row in client.get("/api/v1/members/", params).json()["results"]]


def _found_in_roster(client, **params) -> list[int]:
    content = client.get(reverse("reports:roster_xlsx"), {"lang": "en", **params}).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize("text", PREFIXES)
def test_a_reviewer_cannot_find_members_by_card_number(client_as, tree, lan, text):
    """Masked numbers cannot be recovered by probing prefixes: a reviewer's search matches no
    card number, on the page, in the API or in a roster; a secretary's does."""
    reviewer, reviewer_api = client_as("reviewer"), api_as(tree, "reviewer")
    assert _found_on_page(reviewer, search=text) == []
    assert _found_on_page(reviewer, search=text, branch="unit-a") == []
    assert _found_in_roster(reviewer, search=text) == []
    assert _found_in_api(reviewer_api, search=text) == []
    assert _found_in_api(reviewer_api, search=text, branch="union") == []
    assert _found_on_page(reviewer, search="lan") == [lan.pk]  # names are still found
    assert _found_on_page(client_as("secretary"), search=text) == [lan.pk]
    assert _found_in_api(api_as(tree, "secretary"), search=text) == [lan.pk]


def test_a_reviewer_cannot_find_members_by_year_of_birth(client_as, tree, lan):
    """A reviewer sees age bands, not dates: searching years would tell a member's year."""
    year = str(BORN.year)
    reviewer, reviewer_api = client_as("reviewer"), api_as(tree, "reviewer")
    texts = (year, f"lan {year}")
    for text in texts:
        assert _found_on_page(reviewer, search=text) == []
        assert _found_in_api(reviewer_api, search=text) == []
        assert _found_in_roster(reviewer, search=text) == []
    assert _found_on_page(reviewer, search="lan") == [lan.pk]
    secretary, secretary_api = client_as("secretary"), api_as(tree, "secretary")
    for text in texts:
        assert _found_on_page(secretary, search=text) == [lan.pk]
        assert _found_in_api(secretary_api, search=text) == [lan.pk]


def test_a_search_matches_cards_only_where_the_whole_list_is_the_searchers(client, tree, lan):
    client.force_login(both_roles(tree))
    assert _found_on_page(client, search="HP-001") == []  # the list spans the reviewer's reach
    assert _found_on_page(client, search="HP-001", branch="union") == [lan.pk]


# --- Every export file ------------------------------------------------------------------------


def _sheet_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(
            archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml")
        )


def _roster_rows(content: bytes) -> tuple[tuple, dict[str, tuple]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], {row[1]: row for row in rows[1:]}


def test_every_roster_file_by_role(client_as, english, settings, tmp_path, lan, trang):
    """The workbook answered at once, the one written in the background, and the PDF."""
    settings.MEDIA_ROOT = tmp_path / "media"
    files = {}
    for name in ("secretary", "reviewer"):
        client = client_as(name)
        direct = client.get(reverse("reports:roster_xlsx"), {"lang": "en"}).content
        settings.UNIONREC_EXPORT_DIRECT_MAX_ROWS = 0
        assert client.get(reverse("reports:roster_xlsx"), {"lang": "en"}).status_code == 302
        job = exports.run(ExportJob.objects.latest("pk").pk)
        with job.file.open("rb") as stored:
            queued = stored.read()
        settings.UNIONREC_EXPORT_DIRECT_MAX_ROWS = 5000
        pdf = pdf_text(client.get(reverse("reports:roster_pdf"), {"lang": "en"}).content, tmp_path)
        files[name] = (direct, queued, pdf)
    for workbook in files["secretary"][:2]:
        head, rows = _roster_rows(workbook)
        assert head[3] == "Date of birth" and rows["Nguyễn Thị Lan"][3].date() == BORN
        assert head[4] == "Ethnicity" and rows["Nguyễn Thị Lan"][4] == ETHNICITY
        assert rows["Nguyễn Thị Lan"][5] == MASKED and CARD not in _sheet_text(workbook)
    for workbook in files["reviewer"][:2]:
        head, rows = _roster_rows(workbook)
        assert head[3] == "Age" and "Date of birth" not in head and "Ethnicity" not in head
        assert rows["Nguyễn Thị Lan"][3] == band_label() == rows["Lê Thu Trang"][3]
        assert head[4] == "Union card" and rows["Nguyễn Thị Lan"][4] == MASKED
        text = _sheet_text(workbook)
        assert CARD not in text and "OT-7777777" not in text and ETHNICITY not in text
        assert all(isinstance(row[3], str) for row in rows.values())  # no date cells
    secretary_pdf, reviewer_pdf = files["secretary"][2], files["reviewer"][2]
    assert SHOWN_BORN in secretary_pdf and MASKED in secretary_pdf and CARD not in secretary_pdf
    assert SHOWN_BORN not in reviewer_pdf and band_label() in reviewer_pdf
    assert MASKED in reviewer_pdf and CARD not in reviewer_pdf


def test_the_browsable_api_shows_a_reviewer_no_more_than_the_json(tree, lan):
    client = api_as(tree, "reviewer")
    page = client.get(f"/api/v1/members/{lan.pk}/", HTTP_ACCEPT="text/html").content.decode()
    assert CARD not in page and "1990-04-03" not in page
    body = json.loads(client.get(f"/api/v1/members/{lan.pk}/").content)
    assert body["card_number"] == MASKED
