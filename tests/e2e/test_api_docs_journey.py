"""The API documentation journey (issue 13, item 2): a developer logged in opens /api/docs/
and finds the operations listed, e.g. GET /api/v1/members/, while the Content-Security-Policy
(settings.SECURE_CSP: scripts and styles from this site only, none inline) stays as it is and
the browser refuses nothing on the page."""

from playwright.sync_api import Page, expect

from tests.e2e.journeys import log_in

# Recorded by the browser before any script of the page runs (Playwright's init scripts are
# not subject to the page's CSP), so a refused script or style cannot hide its own refusal.
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_developer_reads_the_operations_on_the_api_documentation(page: Page, seed_case_live):
    base = seed_case_live.url
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    log_in(page, base, "reviewer")

    response = page.goto(f"{base}/api/docs/")
    assert response is not None and "script-src" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]

    members = page.locator(".opblock-get", has=page.locator("[data-path='/api/v1/members/']"))
    expect(members.first).to_be_visible()
    expect(page.locator(".opblock-post [data-path='/api/v1/elections/']")).to_be_visible()
    members.first.locator(".opblock-summary-control").click()
    expect(members.first.locator(".opblock-body")).to_contain_text("page_size")

    assert page.evaluate("window.cspViolations") == []
    assert not [line for line in console if "Content Security Policy" in line], console
