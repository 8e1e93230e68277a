"""Pages read by keyset as a user follows them (unionrec.keyset, templates/keyset_pages.html):
a page's `rel` link, and the walk from a start along `next` or `prev`. Shared by the member
list's and the calendar's tests."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any


def page_link(response: Any, rel: str) -> str | None:
    """The query string of the page's `rel` link (first, prev, next, last), or None."""
    found = re.search(rf'<a rel="{rel}" href="([^"]*)"', response.content.decode())
    return html.unescape(found.group(1)) if found else None


def walk_pages(
    client: Any, path: str, start: str, rel: str, rows: Callable[[Any], list[Any]]
) -> list[list[Any]]:
    """Follow `rel` links from `path` + `start` (a query string), collecting each page's
    `rows(response)`; every page answers 200."""
    url: str | None = path + start
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append(rows(response))
        following = page_link(response, rel)
        url = path + following if following else None
    return pages
