"""The secretary's election journey (issue "Elections", item 9): enter a round in which two
candidates tie for the last seat, see the tie flagged, enter the further round among the tied,
certify, and download the counting minutes as a PDF and an Excel file."""

import io
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from congresses import services
from congresses.elections import services as elections
from congresses.elections.models import ElectionKind
from congresses.models import Post
from members import demo
from members.models import Branch, Member
from tests.e2e.journeys import log_in

DAY = date(2024, 3, 15)


@pytest.fixture
def election_live(transactional_db, live_server):
    """A sub-union of the demo holds its congress; its executive of 3 has 4 candidates."""
    demo.load()
    unit = Branch.objects.get(code="hp-skhcn-vp")
    term = services.create_term(branch=unit, starts_on=DAY, ordinal=3)
    congress = services.create_congress(
        term=term, held_on=DAY, summoned=30, present=28, committee_size=3
    )
    services.record_held(congress)
    election = elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE)
    people = Member.objects.in_subtree(unit).filter(status="active").order_by("card_number")[:4]
    for person in people:
        elections.add_candidate(election=election, member=person)
    return live_server, congress, election


def fill_votes(page: Page, votes: list[int]) -> list[str]:
    """Type the votes into the round form in ballot order; the candidates' names in order."""
    inputs = page.locator("#enter-round input[name^='round-vote_']")
    names = []
    for index, count in enumerate(votes):
        field = inputs.nth(index)
        names.append(page.locator(f"label[for='{field.get_attribute('id')}']").inner_text())
        field.fill(str(count))
    expect(inputs).to_have_count(len(votes))
    return [name.rstrip(":") for name in names]


def test_secretary_settles_a_tie_certifies_and_downloads_the_minutes(page: Page, election_live):
    server, congress, election = election_live
    base = server.url
    log_in(page, base, "secretary")

    page.goto(f"{base}/congresses/{congress.pk}/")
    page.click("#election-list a")
    expect(page.locator("#next-step")).to_have_attribute("data-awaiting", "round")

    # round 1: 28 ballots, more than half is 15; the third and fourth both have 15
    for name, value in [("issued", 28), ("collected", 28), ("valid", 27), ("invalid", 1)]:
        page.fill(f"#id_round-{name}", str(value))
    names = fill_votes(page, [20, 18, 15, 15])
    page.click("#enter-round button[type=submit]")
    flag = page.locator("#tie-1")
    expect(flag).to_be_visible()
    expect(flag).to_contain_text(names[2])
    expect(flag).to_contain_text(names[3])
    expect(page.locator("#next-step")).to_have_attribute("data-awaiting", "round")

    # the further round offers the tied candidates only, for the one seat left
    expect(page.locator("#enter-round input[name^='round-vote_']")).to_have_count(2)
    for name, value in [("issued", 28), ("collected", 28), ("valid", 28), ("invalid", 0)]:
        page.fill(f"#id_round-{name}", str(value))
    assert sorted(fill_votes(page, [17, 11])) == sorted(names[2:])
    page.click("#enter-round button[type=submit]")
    expect(page.locator("#election-status")).to_have_attribute("data-status", "entered")
    expect(page.locator("#elected-list li")).to_have_count(3)

    page.click("#certify")
    page.click("#confirm")
    expect(page.locator("#election-status")).to_have_attribute("data-status", "certified")
    assert Post.objects.filter(election=election).count() == 3

    page.click("#minutes-link")
    with page.expect_download() as pdf_download:
        page.locator("a[href$='minutes.pdf?lang=vi']").first.click()
    pdf = pdf_download.value
    assert pdf.suggested_filename.endswith(".pdf")
    command = ["pdftotext", "-layout", str(pdf.path()), "-"]
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    elected_names = page.locator("body").inner_text()
    for name in names[:2]:
        assert name in text and name in elected_names
    assert "BIÊN BẢN KIỂM PHIẾU" in text.upper()

    with page.expect_download() as xlsx_download:
        page.locator("a[href$='minutes.xlsx?lang=vi']").first.click()
    data = Path(xlsx_download.value.path()).read_bytes()  # saved without an extension
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    cells = [
        cell
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    assert names[0] in cells and 20 in cells and 28 in cells
