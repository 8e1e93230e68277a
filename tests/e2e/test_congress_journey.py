"""The secretary's congress journey (issue "Terms, congresses and committees", item 11): open a
term for a sub-union, plan its congress, record it as held, add a committee member, and find
the frozen statistics equal to the branch's statistics on the congress day."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from members import demo
from tests.e2e.journeys import log_in

CONGRESS_DAY = "15/03/2024"


@pytest.fixture
def demo_live(transactional_db, live_server):
    demo.load()
    return live_server


def test_secretary_holds_a_congress_and_sees_the_frozen_statistics(page: Page, demo_live):
    base = demo_live.url
    log_in(page, base, "secretary")

    # the branch's statistics on the congress day, as its own page shows them
    page.goto(f"{base}/branches/hp-skhcn-vp/?as_of={CONGRESS_DAY}")
    expected = {
        name: page.locator(f"#stat-{name}").inner_text() for name in ["members", "women", "share"]
    }

    page.goto(f"{base}/branches/hp-skhcn-vp/")
    page.click("#terms-link")
    expect(page.locator("#terms")).to_have_count(0)  # no term yet
    page.click("#new-term")
    page.fill("#id_starts_on", CONGRESS_DAY)
    page.fill("#id_ordinal", "3")
    page.click("button[type=submit].primary")
    expect(page.locator("h1")).to_contain_text("2024–2029")

    page.click("#plan-congress")
    expect(page.locator("#id_held_on")).to_have_value(CONGRESS_DAY)
    page.fill("#id_venue", "Phòng họp tầng 3")
    page.fill("#id_summoned", "30")
    page.fill("#id_present", "28")
    page.fill("#id_committee_size", "5")
    page.click("button[type=submit].primary")
    expect(page.locator("#congress-status")).to_have_attribute("data-status", "planned")
    expect(page.locator("#quorum")).to_contain_text("20")

    page.click("#record-held")
    expect(page.locator("#congress-status")).to_have_attribute("data-status", "held")
    frozen = {name: page.locator(f"#counted-{name}").inner_text() for name in expected}
    assert frozen == expected

    # a committee member elected by the congress, picked from the register
    page.locator(".breadcrumb a").last.click()  # the term
    page.locator("#id_post-person").press_sequentially("ng", delay=40)
    chosen = page.locator("#add-post + form [role=option]").first
    name = chosen.locator("strong").inner_text()
    chosen.click()
    expect(page.locator("#id_post-person")).to_have_value(name)
    page.select_option("#id_post-kind", "executive")
    page.fill("#id_post-starts_on", CONGRESS_DAY)
    page.select_option("#id_post-obtained_by", "congress")
    page.click("#add-post + form button[type=submit]")
    expect(page.locator("#committee-table")).to_contain_text(name)

    page.click("#congress-link")
    expect(page.locator("#committee-table")).to_contain_text(name)
    assert {n: page.locator(f"#counted-{n}").inner_text() for n in expected} == expected
    assert date(2024, 3, 15).strftime("%d/%m/%Y") in page.locator("#statistics + p").inner_text()
