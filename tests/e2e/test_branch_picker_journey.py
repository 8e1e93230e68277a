"""Choosing a branch by typing (issue 14, item 1): on the member list the reviewer types part
of a branch's name without diacritics, moves to the suggestion with the arrow keys (each shows
its code and the branches above it), picks it with Enter and the list shows only that
branch's members."""

import pytest
from playwright.sync_api import Page, expect

from members import demo
from members.models import Branch, Member
from tests.e2e.journeys import log_in


@pytest.fixture
def register(transactional_db, live_server):
    demo.load()
    return live_server


def test_a_branch_is_picked_on_the_member_list_with_the_keyboard(page: Page, register):
    log_in(page, register.url, "reviewer")
    page.goto(f"{register.url}/members/")
    field = page.locator("#id_branch")
    expect(field).to_have_attribute("role", "combobox")
    assert page.locator("#member-filters option[value=hp-skhcn-vp]").count() == 0
    field.press_sequentially("van phong", delay=40)
    options = page.locator("#member-filters [role=option]")
    expect(options.first).to_be_visible()
    expect(options.first).to_contain_text("Công đoàn bộ phận Văn phòng Sở")
    expect(options.first).to_contain_text("hp-skhcn-vp")
    expect(options.first).to_contain_text("Công đoàn Sở Khoa học")  # an ancestor's name
    field.press("ArrowDown")
    field.press("Enter")  # picks the suggestion; the form is not sent yet
    expect(field).to_have_value("hp-skhcn-vp")
    expect(page.locator("#member-filters .chosen")).to_contain_text("Văn phòng")
    field.press("Enter")  # sends the filter
    page.wait_for_url("**branch=hp-skhcn-vp**")
    unit = Branch.objects.get(code="hp-skhcn-vp")
    first = Member.objects.filter(branch=unit, status="active").order_by("sort_key").first()
    expect(page.locator("h1")).to_contain_text("Văn phòng")
    expect(page.locator("table")).to_contain_text(first.full_name)
    other = Member.objects.filter(branch__code="hp-skhcn-ql").order_by("sort_key").first()
    expect(page.locator("table")).not_to_contain_text(other.full_name)
