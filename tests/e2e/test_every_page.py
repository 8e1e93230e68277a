"""Every kind of page each demo login reaches from the start page, in Chromium at a phone's
width (issue 13, items 3 and 4): none answers 403, 404, 405 or 500, and none scrolls
sideways (a wide table scrolls inside its own box).

One page of each URL pattern is opened (tests/crawl.py); tests/test_every_link.py follows
every link through the test client."""

import pytest
from playwright.sync_api import Browser

from tests.crawl import DEMO_LOGINS, Crawl, crawl, report
from tests.e2e.journeys import log_in

PHONE = {"width": 390, "height": 844}


def crawl_as(browser: Browser, base: str, username: str) -> Crawl:
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    log_in(page, base, username)

    def open_page(url: str) -> tuple[int, str, int | None]:
        response = page.goto(base + url)
        assert response is not None, url
        width = page.evaluate("document.documentElement.scrollWidth")
        return response.status, page.content(), width

    try:
        return crawl(open_page, per_route=1)
    finally:
        context.close()


@pytest.fixture
def crawls(browser: Browser, seed_case_live) -> dict[str, Crawl]:
    return {name: crawl_as(browser, seed_case_live.url, name) for name in DEMO_LOGINS}


def test_every_kind_of_page_opens_and_fits_a_phone(crawls):
    for username, found in crawls.items():
        assert found.failures() == [], f"{username}:\n{report(found.failures())}"
        wide = [v for v in found.visits if v.width and v.width > PHONE["width"]]
        assert wide == [], f"{username}: wider than {PHONE['width']} px:\n" + "\n".join(
            f"{v.width} px {v.url}" for v in wide
        )
    assert "branches/<slug:code>/" in crawls["member"].routes()
