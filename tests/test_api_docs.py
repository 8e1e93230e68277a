"""The API documentation (/api/docs/) works under the site's Content-Security-Policy: the page
holds no inline script or style, and every script it names is served by this site as
JavaScript (issue 13, item 2). The browser side is tests/e2e/test_api_docs_journey.py."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


class Tags(HTMLParser):
    """The page's <script> and <style> elements, and any style="" attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.script_srcs: list[str] = []
        self.inline: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if "style" in named:
            self.inline.append(f"style attribute on <{tag}>")
        if tag == "script" and named.get("src"):
            self.script_srcs.append(named["src"] or "")
        elif tag in {"script", "style"}:
            self._open = tag

    def handle_data(self, data: str) -> None:
        if self._open and data.strip():
            self.inline.append(f"<{self._open}> {data.strip()[:60]}")

    def handle_endtag(self, tag: str) -> None:
        self._open = None


@pytest.fixture
def static_served(settings):
    """WhiteNoise serving the static files from the apps, as `make run` does; production
    serves them from `collectstatic`'s folder."""
    settings.WHITENOISE_USE_FINDERS = True


def test_docs_page_has_no_inline_script_and_serves_each_script_as_javascript(
    client_as, static_served
):
    client = client_as("reviewer")
    page = client.get("/api/docs/")
    assert page.status_code == 200
    csp = page["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self';" in csp
    assert "unsafe-inline" not in csp

    tags = Tags()
    tags.feed(page.content.decode())
    assert tags.inline == []
    assert len(tags.script_srcs) == 3  # Swagger UI's bundle, its preset, and the page's own
    for src in tags.script_srcs:
        assert src.startswith("/") and not src.startswith("//"), src  # this site only
        script = client.get(src)
        assert script.status_code == 200, src
        assert "javascript" in script["Content-Type"], src

    own = [src for src in tags.script_srcs if src.startswith("/api/docs/")]
    assert own == ["/api/docs/?script="]
    init = client.get(own[0]).content.decode()
    assert 'url: "/api/schema/"' in init and "SwaggerUIBundle(" in init
