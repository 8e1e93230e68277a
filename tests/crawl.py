"""Following the links of the pages as a user would, from the start page: for the tests that
hold every reachable page to "no dead ends" (issue 13, item 3) and "no sideways scroll on a
phone" (item 4).

Pages only: the admin site, static files, downloads (PDF, JSON, workbooks, evidence files) and the
`?sort=` / `?page=` variants of a list are left out, as are links to other sites."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from django.urls import Resolver404, resolve

DEMO_LOGINS = ("secretary", "reviewer", "member", "admin")

SKIPPED_PATHS = re.compile(
    r"^/(admin|static|media|api/v1|api/schema)/|^/accounts/logout/|^/i18n/"
    r"|\.(pdf|xlsx|csv|json)$|^/documents/\d+/$|/evidence/$|^/imports/template/$|/file/$"
)
SKIPPED_QUERY = {"sort", "page", "format"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def hrefs_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def page_url(href: str) -> str | None:
    """The link as a path with its query, if it leads to a page of this site worth opening."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if SKIPPED_PATHS.search(parts.path):
        return None
    if any(key in SKIPPED_QUERY for key, _ in parse_qsl(parts.query, keep_blank_values=True)):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def route_of(url: str) -> str:
    """The URL pattern a page comes from, with the names of its query's keys."""
    parts = urlsplit(url)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = parts.path
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return route + ("?" + "&".join(keys) if keys else "")


@dataclass
class Visit:
    url: str
    status: int
    came_from: str | None
    width: int | None = None  # the page's scroll width, where a browser measured it


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)

    def failures(self, *, bad: Iterable[int] = (403, 404, 405, 500)) -> list[Visit]:
        refused = set(bad)
        return [visit for visit in self.visits if visit.status in refused]

    def routes(self) -> set[str]:
        return {route_of(visit.url) for visit in self.visits}


# open(url) -> (status, html, width or None)
Opener = Callable[[str], tuple[int, str, int | None]]


def crawl(open_page: Opener, *, start: str = "/", per_route: int | None = None) -> Crawl:
    """Every page reachable from `start` by following links, breadth first; with `per_route`,
    at most that many pages of each URL pattern (a browser opens one page of a kind, not all
    185 members' pages)."""
    result = Crawl()
    queued: dict[str, str | None] = {start: None}
    taken: dict[str, int] = {}
    queue = [start]
    while queue:
        url = queue.pop(0)
        status, html, width = open_page(url)
        result.visits.append(Visit(url, status, queued[url], width))
        if status != 200 or not html:
            continue
        for href in hrefs_in(html):
            found = page_url(href)
            if found is None or found in queued:
                continue
            if per_route is not None:
                route = route_of(found)
                if taken.get(route, 0) >= per_route:
                    continue
                taken[route] = taken.get(route, 0) + 1
            queued[found] = url
            queue.append(found)
    return result


def report(visits: Iterable[Visit]) -> str:
    return "\n".join(f"{v.status} {v.url} (linked from {v.came_from})" for v in visits)
