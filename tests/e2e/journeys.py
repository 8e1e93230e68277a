"""Steps the browser journeys share."""

from playwright.sync_api import Page, expect


def log_in(page: Page, base: str, username: str) -> None:
    """Log in with a demo login (password "demo") and land on the start page."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("button[type=submit].primary")
    expect(page).to_have_url(f"{base}/")
