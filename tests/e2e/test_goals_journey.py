"""The goals journey (issue "Resolutions, targets and the members' goals page", item 8): the
member logs in and reaches the branch's targets with their progress in one click; the
secretary records a new actual value and the verdict changes, for the member too."""

from playwright.sync_api import Browser, Page, expect

from congresses.resolutions.models import Target
from members.statistics import today
from tests.e2e.journeys import log_in

DIGITAL = "Số hóa toàn bộ hồ sơ đoàn viên trên phần mềm của Tổng Liên đoàn"


def test_member_sees_the_goals_and_the_secretarys_figure_changes_the_verdict(
    page: Page, browser: Browser, seed_case_live
):
    base = seed_case_live.url
    digital = Target.objects.get(title=DIGITAL)
    log_in(page, base, "member")
    page.click("#goals-link")  # one click from the start page
    union = page.locator("article[data-branch='hp-skhcn']")
    expect(union).to_contain_text("2022–2027")
    line = union.locator(f"li.target[data-target='{digital.pk}']")
    expect(line).to_have_attribute("data-verdict", "at_risk")
    expect(union.locator("progress").first).to_be_visible()
    assert union.locator("li.target").count() >= 4
    expect(page.locator("body")).not_to_contain_text("Nguyễn")  # no member's name anywhere

    secretary = browser.new_context(locale="vi-VN").new_page()
    log_in(secretary, base, "secretary")
    secretary.goto(f"{base}/targets/{digital.pk}/")
    expect(secretary.locator("#verdict [data-verdict]")).to_have_attribute(
        "data-verdict", "at_risk"
    )
    secretary.fill("#id_progress-on", today().strftime("%d/%m/%Y"))
    secretary.fill("#id_progress-actual", "1")
    secretary.fill("#id_progress-note", "Đã nhập xong hồ sơ trên phần mềm")
    secretary.click("#record-progress button[type=submit]")
    expect(secretary.locator("#verdict [data-verdict]")).to_have_attribute(
        "data-verdict", "achieved"
    )

    page.reload()
    expect(line).to_have_attribute("data-verdict", "achieved")
