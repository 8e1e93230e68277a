"""The import journey (issue "Member import from Excel and CSV", item 8): a secretary uploads
a file with two bad rows, reads the errors, uploads the corrected file and commits; the
branch's member count goes up by the file's row count."""

import pytest
from playwright.sync_api import Page, expect

from members import demo
from tests.e2e.journeys import log_in
from tests.member_lists import workbook

GOOD = [
    ["Vũ Thị Thanh Tâm", "Nữ", "14/02/1991", "HPX-9001", "01/03/2024", "hp-skhcn-vp"],
    ["Đinh Công Hậu", "Nam", "09/09/1985", "HPX-9002", "01/03/2024", "hp-skhcn-ql"],
    ["Lò Thị Mai", "Nữ", "20/10/1996", "HPX-9003", "01/03/2024", "hp-skhcn-tt"],
    ["Hà Văn Sơn", "Nam", "02/01/1980", "HPX-9004", "01/03/2024", ""],
    ["Mai Anh Thư", "Nữ", "17/07/1999", "HPX-9005", "01/03/2024", "hp-skhcn-ud"],
]
BAD = [
    GOOD[0],
    ["Đinh Công Hậu", "Nam", "09/09/2085", "HPX-9002", "01/03/2024", "hp-skhcn-ql"],
    *GOOD[2:4],
    ["Mai Anh Thư", "Nữ", "17/07/1999", "HPX-9005", "01/03/2024", "khong-co"],
]


@pytest.fixture
def demo_live(transactional_db, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo.load()
    return live_server


def upload(page: Page, rows, name):
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": name,
                "buffer": workbook(rows),
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ],
    )
    page.click("#import-form button[type=submit]")


def test_secretary_corrects_two_bad_rows_and_imports_the_list(page: Page, demo_live):
    base = demo_live.url
    log_in(page, base, "secretary")
    page.goto(f"{base}/branches/hp-skhcn/")
    before = int(page.locator("#stat-members").inner_text().replace(".", ""))

    page.click("#import-link")
    upload(page, BAD, "danh-sach-loi.xlsx")
    expect(page.locator("#import-status")).to_have_attribute("data-status", "previewed")
    errors = page.locator("#error-table tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("3")  # the header is row 1: the second member, row 3
    expect(errors.nth(1)).to_contain_text("khong-co")
    expect(page.locator("#commit")).to_have_count(0)  # nothing can be written

    page.locator(".breadcrumb a").last.click()
    upload(page, GOOD, "danh-sach.xlsx")
    expect(page.locator("#count-new")).to_have_text("5")
    expect(page.locator("#count-error")).to_have_text("0")
    page.click("#commit")
    expect(page.locator("#import-status")).to_have_attribute("data-status", "committed")

    page.goto(f"{base}/branches/hp-skhcn/")
    after = int(page.locator("#stat-members").inner_text().replace(".", ""))
    assert after == before + len(GOOD)
