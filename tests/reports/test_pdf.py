"""The shared PDF machinery (reports.pdf) refuses every resource a document could fetch
(file, network, redirects, attachments) and keeps user text in the page frame out of the CSS
(reliability-security §4.E, tests 35-37 and 39)."""

from __future__ import annotations

import logging
import re
from urllib.request import HTTPRedirectHandler

import pytest
import weasyprint

from reports.pdf import (
    LockedFetcher,
    ResourceRefused,
    css_string,
    html_to_pdf,
    layout,
    page_stylesheet,
)
from tests.reports.conftest import Recorder, poppler


def test_the_installed_weasyprint_is_70_or_later():
    major = int(re.match(r"\d+", weasyprint.__version__).group())
    assert major >= 70, weasyprint.__version__  # 70.0: stylesheets= bypassed custom fetchers


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "{server}/",
        "{server}/redirect",
        "https://127.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "ftp://127.0.0.1/x",
        "/etc/passwd",
        "etc/passwd",
        " file:///etc/passwd",
    ],
)
def test_the_fetcher_refuses_everything_but_data_urls(server, caplog, url):
    url = url.format(server=server)
    with (
        caplog.at_level(logging.WARNING, logger="unionrec.reports.pdf"),
        pytest.raises(ResourceRefused),
    ):
        LockedFetcher().fetch(url)
    assert "PDF resource refused" in caplog.text
    assert Recorder.hits == []  # refused before any connection, so no redirect to follow


def test_the_fetcher_follows_no_redirect_and_opens_data_urls():
    fetcher = LockedFetcher()
    assert not any(isinstance(handler, HTTPRedirectHandler) for handler in fetcher.handlers)
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/passwd">',
        '<link rel="stylesheet" href="{server}/x.css">',
        '<style>@import url("{server}/x.css");</style>',
        '<p style="background: url(file:///etc/passwd)">x</p>',
        '<img src="{server}/redirect">',
        '<object data="file:///etc/passwd"></object>',
    ],
)
def test_a_document_that_asks_for_a_resource_is_not_rendered(server, markup):
    with pytest.raises(ResourceRefused):
        html_to_pdf(f"<html><body><p>x</p>{markup.format(server=server)}</body></html>")
    assert Recorder.hits == []


def test_a_relative_url_has_no_base_to_resolve_against_and_is_never_fetched(caplog):
    with caplog.at_level(logging.WARNING):  # WeasyPrint's log: the layout in this process
        pdf = layout('<p>x</p><img src="passwd"><img src="../../etc/passwd">')
    assert pdf.startswith(b"%PDF-")
    assert "Relative URI reference without a base URI" in caplog.text
    assert "PDF resource refused" not in caplog.text  # nothing reached the fetcher


def test_a_stylesheet_that_asks_for_a_resource_is_not_rendered(server):
    with pytest.raises(ResourceRefused):
        html_to_pdf("<p>x</p>", f'@import url("{server}/x.css"); p {{ color: red }}')
    assert Recorder.hits == []


def test_user_text_in_the_page_frame_cannot_change_the_css(tmp_path):
    head = 'x"; } @page { size: A3 landscape; } @page { @top-left { content: "'
    assert css_string(head).count('"') - css_string(head).count('\\"') == 2
    pdf = html_to_pdf("<p>x</p>", page_stylesheet(running_head=head, marker=head))
    assert re.search(
        r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", poppler("pdfinfo", pdf, tmp_path)
    )
