"""The secretary's journey: log in, add a woman to a sub-unit, see the figures change."""

import re

import pytest
from playwright.sync_api import Page, expect

from members import demo
from tests.e2e.journeys import log_in


@pytest.fixture
def demo_live(transactional_db, live_server):
    demo.load()
    return live_server


def figure(page: Page, url: str, name: str) -> int:
    page.goto(url)
    return int(re.sub(r"\D", "", page.locator(f"#stat-{name}").inner_text()))


def test_secretary_adds_a_woman_and_sees_the_statistics_change(page: Page, demo_live):
    base = demo_live.url
    log_in(page, base, "secretary")

    unit, union = f"{base}/branches/hp-skhcn-vp/", f"{base}/branches/hp-skhcn/"
    before = {
        "unit": (figure(page, unit, "members"), figure(page, unit, "women")),
        "union": (figure(page, union, "members"), figure(page, union, "women")),
    }

    page.goto(unit)
    page.click("a[href*='/members/add/']")
    page.fill("#id_full_name", "Nguyễn Thị Hồng Nhung")
    page.select_option("#id_gender", "female")
    page.fill("#id_birth_date", "14/03/1992")
    page.fill("#id_card_number", "HP2999001")
    page.click("button[type=submit].primary")
    expect(page.locator("h1")).to_contain_text("Nguyễn Thị Hồng Nhung")

    assert (figure(page, unit, "members"), figure(page, unit, "women")) == (
        before["unit"][0] + 1,
        before["unit"][1] + 1,
    )
    assert (figure(page, union, "members"), figure(page, union, "women")) == (
        before["union"][0] + 1,
        before["union"][1] + 1,
    )
    # the child row of the sub-unit on the parent's page moved too
    row = page.locator("#children tr[data-code='hp-skhcn-vp'] td").nth(1)
    assert int(re.sub(r"\D", "", row.inner_text())) == before["unit"][0] + 1
