"""The reports journey (issue "Reports and exports", item 12): the reviewer (leadership of the
city civil servants' union) opens the term summary of the demo congress from the congress's
page, downloads its PDF and its Excel file, and finds 185 members, 91 women and 49.2 % in
both: the PDF as Vietnamese prints it ("49,2 %"), the workbook as numbers (0.4919 shown as a
percentage)."""

import io
import subprocess
from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect

from congresses.models import Congress
from tests.e2e.journeys import log_in


def test_reviewer_downloads_the_term_summary_and_finds_its_figures(page: Page, seed_case_live):
    base = seed_case_live.url
    congress = Congress.objects.get(term__branch__code="hp-skhcn", term__label="2017–2022")
    log_in(page, base, "reviewer")

    page.goto(f"{base}/congresses/{congress.pk}/")
    page.click("#term-summary-link")
    expect(page.locator("#counted-members")).to_have_text("185")
    expect(page.locator("#counted-women")).to_have_text("91")
    expect(page.locator("#counted-share")).to_have_text("49,2\u00a0%")
    expect(page.locator("#counted-sub-units")).to_have_text("6")

    with page.expect_download() as pdf_download:
        page.click("#download-pdf-vi")
    pdf = pdf_download.value
    assert pdf.suggested_filename.endswith(".pdf")
    command = ["pdftotext", "-layout", str(pdf.path()), "-"]
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    assert "185" in text and "91" in text and "49,2 %" in text
    assert "Trang 1/" in text  # the page numbers of a Vietnamese PDF

    with page.expect_download() as xlsx_download:
        page.click("#download-xlsx-vi")
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    data = Path(xlsx_download.value.path()).read_bytes()  # saved without an extension
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [
        cell
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    values = [cell.value for cell in cells]
    assert 185 in values and 91 in values
    shares = [
        cell
        for cell in cells
        if isinstance(cell.value, float) and round(cell.value * 100, 1) == 49.2
    ]
    assert shares, "no cell holds 49.2 % as a number"
    assert all("%" in cell.number_format for cell in shares)
