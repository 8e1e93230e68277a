"""Choosing people (issue 13, item 5): the secretary types a few letters of a member's name
without diacritics into the candidate field, moves through the suggestions with the arrow keys
(each tells namesakes apart by year of birth, card number and sub-unit), picks one with Enter
and adds the candidate."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from congresses import services
from congresses.elections import services as elections
from congresses.elections.models import ElectionKind
from members import demo
from members.domain import fold
from members.models import Branch, Member
from tests.e2e.journeys import log_in

DAY = date(2024, 3, 15)


@pytest.fixture
def empty_election(transactional_db, live_server):
    demo.load()
    unit = Branch.objects.get(code="hp-skhcn-vp")
    term = services.create_term(branch=unit, starts_on=DAY, ordinal=3)
    congress = services.create_congress(
        term=term, held_on=DAY, summoned=30, present=28, committee_size=3
    )
    services.record_held(congress)
    election = elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE)
    person = (
        Member.objects.in_subtree(unit)
        .filter(status="active", card_number__isnull=False)
        .order_by("card_number")
        .first()
    )
    return live_server, election, person


def test_a_candidate_is_picked_from_suggestions_with_the_keyboard(page: Page, empty_election):
    server, election, person = empty_election
    log_in(page, server.url, "secretary")
    page.goto(f"{server.url}/elections/{election.pk}/")
    field = page.locator("#id_candidate-person")
    expect(field).to_have_attribute("role", "combobox")
    given_name = fold(person.full_name).split(" ")[-1]
    field.press_sequentially(given_name[:4], delay=40)
    options = page.locator("#add-candidate [role=option]")
    expect(options.first).to_be_visible()
    for _ in range(options.count()):
        field.press("ArrowDown")
        if person.card_number in page.locator("[role=option][aria-selected=true]").inner_text():
            break
    expect(page.locator("[role=option][aria-selected=true]")).to_contain_text(person.full_name)
    field.press("Enter")  # picks the suggestion; the form is not sent yet
    expect(field).to_have_value(person.full_name)
    expect(page.locator("#add-candidate .chosen")).to_contain_text(person.card_number)
    assert election.candidates.count() == 0
    page.click("#add-candidate button[type=submit]")
    expect(page.locator("#ballot li")).to_have_count(1)
    assert election.candidates.get().member == person
