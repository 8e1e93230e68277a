"""What the export formats refuse: resources a PDF could fetch (file, network, redirects,
attachments), text a spreadsheet could run as a formula, markup in member-supplied names
(reliability-security §4.E, tests 33, 35-37 and 39)."""

from __future__ import annotations

import io
import logging
import re
import threading
import zipfile
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.request import HTTPRedirectHandler

import pytest
import weasyprint
from openpyxl import Workbook, load_workbook

from reports.datasets.minutes import counting_minutes
from reports.excel import put, set_cell
from reports.formats.minutes import counting_minutes_pdf, counting_minutes_workbook
from reports.pdf import LockedFetcher, ResourceRefused, css_string, html_to_pdf, page_stylesheet
from tests.reports.conftest import AT_SIGN, FORMULA, MARKUP, flat, pdf_text, poppler


class Recorder(BaseHTTPRequestHandler):
    """Answers every request with a redirect and remembers that it was asked."""

    hits: list[str] = []

    def do_GET(self) -> None:
        Recorder.hits.append(self.path)
        self.send_response(302)
        self.send_header("Location", "data:text/plain,redirected")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    """A local HTTP server that redirects everything; yields its base URL."""
    Recorder.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


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
    with caplog.at_level(logging.WARNING):
        pdf = html_to_pdf('<p>x</p><img src="passwd"><img src="../../etc/passwd">')
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


@pytest.mark.django_db
def test_member_markup_prints_as_text_in_dejavu_and_nothing_is_attached(election, tmp_path):
    pdf = counting_minutes_pdf(counting_minutes(election), language="vi")
    assert MARKUP in flat(pdf_text(pdf, tmp_path))
    assert poppler("pdfdetach", pdf, tmp_path, "-list").startswith("0 embedded files")
    fonts = poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert fonts and any("DejaVu-Sans" in line for line in fonts)
    for line in fonts:  # every font DejaVu, embedded (emb = yes)
        name, *_kind, emb, _sub, _uni, _obj, _gen = line.split()
        assert "DejaVu" in name and emb == "yes", line


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        '=HYPERLINK("http://x","y")',
        "+1",
        "-1",
        "@SUM(1)",
        "\tx",
        "\rx",
        "\nx",
        "\x00=1+1",
        "=cmd|' /C calc'!A0",
    ],
)
def test_text_that_looks_like_a_formula_is_stored_as_text(text):
    book = Workbook()
    cell = put(book.active, 1, 1, text)
    assert cell.data_type == "s" and cell.quotePrefix
    data = io.BytesIO()
    book.save(data)
    sheet_xml = zipfile.ZipFile(data).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    stored = load_workbook(data).active["A1"]
    assert stored.data_type == "s" and stored.quotePrefix
    # NUL cannot be stored in XML and is dropped; XML reads a CR as a line feed
    assert stored.value == text.replace("\x00", "").replace("\r", "\n")


def test_other_values_keep_their_type():
    sheet = Workbook().active
    assert set_cell(sheet["A1"], "Nguyễn Thị Lan").quotePrefix is False
    assert set_cell(sheet["A2"], 178).data_type == "n"
    assert set_cell(sheet["A3"], Decimal("0.506"), number_format="0.0%").number_format == "0.0%"
    assert set_cell(sheet["A4"], date(2017, 12, 23)).is_date
    assert set_cell(sheet["A5"], None).value is None
    with pytest.raises(TypeError):
        set_cell(sheet["A6"], object())  # type: ignore[arg-type]


@pytest.mark.django_db
def test_no_formula_reaches_the_minutes_workbook(election):
    data = counting_minutes_workbook(counting_minutes(election), language="en")
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            xml = archive.read(name).decode()
            assert "<f>" not in xml and "<f " not in xml, name
    values = [
        c.value for row in load_workbook(io.BytesIO(data)).worksheets[2].iter_rows() for c in row
    ]
    assert FORMULA in values and AT_SIGN in values and MARKUP in values
