"""HTML templates to PDF with WeasyPrint (≥ 70), locked down: the shared machinery of every
PDF. Each report's own document is in reports.formats.<report>; this module knows no report.

WeasyPrint fetches whatever a document points at (file://, http://, attachments), which is
how a PDF export turns into a local-file read or an SSRF (reliability-security §2, test 36).
So every document is rendered here and only here: from a string (base_url=None, so nothing
is relative to a directory), with CSS passed as strings, through LockedFetcher, which
allows `data:` URLs only and stops the rendering on anything else. Member-supplied text
reaches the HTML through Django's auto-escaping templates only.

The page frame is the same for every document: A4 with margins, DejaVu Sans (installed from
Debian's fonts-dejavu-core, found through fontconfig; it has every Vietnamese glyph), the
page number in the report's language ("Page 2 of 3"), a running head, table header rows
repeated on each page, and a red marker on every page of a result that is not certified."""

from __future__ import annotations

import logging
import re
import ssl
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from weasyprint import CSS, HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

log = logging.getLogger("unionrec.reports.pdf")

FONT_FAMILY = '"DejaVu Sans", sans-serif'  # fontconfig finds it; no @font-face, no file URL
ALLOWED_SCHEMES = frozenset({"data"})
FETCH_TIMEOUT = 5  # seconds; only data: URLs are ever opened, so nothing waits on a network
# URLFetcher installs an HTTPS handler whatever the allowed schemes; given no context it
# builds one with the system's certificates on every render (~50 ms). It never connects.
_UNUSED_TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
# The most rows a report's PDF lists in one table (WeasyPrint lays out ~90 table rows a
# second, performance.md); the document then says how many more its Excel file holds.
PDF_ROW_LIMIT = 500


class ResourceRefused(Exception):
    """A document asked for a resource other than a data: URL. Our templates never do, so
    this means text got into the markup unescaped: the rendering stops."""


class LockedFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint ships no types
    """A WeasyPrint URL fetcher that opens `data:` URLs and nothing else.

    Guarantees: any other scheme (file, http, https, ftp, relative or malformed URLs) is
    refused before a connection or a file is opened, logged on "unionrec.reports.pdf", and
    stops the rendering (fail_on_errors); no redirect handler is installed, so no response
    can send the fetcher elsewhere (CVE-2025-68616)."""

    def __init__(self) -> None:
        super().__init__(
            timeout=FETCH_TIMEOUT,
            ssl_context=_UNUSED_TLS,
            allowed_protocols=set(ALLOWED_SCHEMES),
            allow_redirects=False,
            fail_on_errors=True,
        )

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme, colon, _ = url.partition(":")
        if not colon or scheme.strip().lower() not in ALLOWED_SCHEMES:
            shown = url[:120].replace("\r", "\\r").replace("\n", "\\n")
            log.warning("PDF resource refused: %s", shown)
            raise ResourceRefused(f"resource refused: {shown}")
        return super().fetch(url, headers)


def css_string(text: str) -> str:
    """`text` as a CSS string literal: quotes and backslashes escaped, line breaks as \\A,
    other control characters dropped, so user text cannot end the string or the rule."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\r\n":
            out.append("\\A ")
        elif ord(ch) < 32 or ord(ch) == 127:
            continue
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_COUNTERS = re.compile(r"%\((page|pages)\)s")


def page_number_content() -> str:
    """The CSS `content` of the page number in the active language, from one msgid:
    "Page 2 of 3" in English, "Trang 2/3" once the Vietnamese translation says so."""
    template = gettext("Page %(page)s of %(pages)s")
    parts = []
    for index, piece in enumerate(_COUNTERS.split(template)):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def page_stylesheet(*, running_head: str, marker: str) -> str:
    """The page frame in CSS (see the module's docstring). `running_head` and `marker` are
    plain text; they are escaped here."""
    marker_rule = ""
    if marker:
        marker_rule = (
            f"@top-right {{ content: {css_string(marker)}; color: #b00020; font-weight: bold;"
            " font-size: 9pt; }"
        )
    return f"""
@page {{
  size: A4;
  margin: 18mm 16mm 20mm 22mm;
  @top-left {{ content: {css_string(running_head)}; font-size: 8pt; color: #555; }}
  {marker_rule}
  @bottom-right {{ content: {page_number_content()}; font-size: 8pt; color: #555; }}
}}
@page :first {{ @top-left {{ content: none; }} }}
html {{ font-family: {FONT_FAMILY}; font-size: 10pt; line-height: 1.35; }}
@page {{ font-family: {FONT_FAMILY}; }}
thead {{ display: table-header-group; }}
tr, .keep {{ break-inside: avoid; }}
"""


def html_to_pdf(html: str, css: str = "") -> bytes:
    """`html` and the stylesheet `css` (both strings) laid out as a PDF, in a child process
    within UNIONREC_PDF_SECONDS (reports.pdf_pool: PdfTimeout past it).

    Guarantees: nothing outside the document is read or requested (LockedFetcher, no base
    URL); a refused resource raises ResourceRefused, and no partial PDF is returned."""
    from .pdf_pool import render

    status, value = render(html, css)
    if status == "refused":
        raise ResourceRefused(value)
    if status != "ok":
        raise RuntimeError(f"PDF layout failed: {value}")
    pdf: bytes = value
    return pdf


def layout(html: str, css: str = "") -> bytes:
    """html_to_pdf's work, in this process (a pool process calls it)."""
    fetcher = LockedFetcher()
    try:
        document = HTML(string=html, base_url=None, url_fetcher=fetcher)
        stylesheets = [CSS(string=css, base_url=None, url_fetcher=fetcher)] if css else []
        pdf: bytes = document.write_pdf(stylesheets=stylesheets)
    except FatalURLFetchingError as error:
        raise ResourceRefused(str(error)) from error
    return pdf


def head_line(title: str, *, branch: str, term: str = "") -> str:
    """The running head of a document, in the active language: its title, the branch and,
    for a document about a term, the term ("Biên bản kiểm phiếu · Công đoàn … · Nhiệm kỳ
    2017–2022"), so a loose page says whose it is and of which term. Every PDF's running
    head (and the title of its workbook) is written by this function."""
    parts = [title, branch]
    if term:
        parts.append(gettext("Term %(label)s") % {"label": term})
    return " · ".join(parts)


def render_pdf(
    template: str,
    context: dict[str, Any],
    *,
    language: str,
    running_head: str = "",
    marker: str = "",
) -> bytes:
    """The template rendered in `language` (auto-escaped) and laid out in the page frame,
    with `marker` (e.g. "NOT CERTIFIED") on every page when given; see html_to_pdf."""
    with translation.override(language):
        html = render_to_string(template, context)
        css = page_stylesheet(running_head=running_head, marker=marker)
    return html_to_pdf(html, css)
