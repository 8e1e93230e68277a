"""The term summary's "sub-units on the congress day" (page, PDF, workbook), the dossier and
women's representation show the members per sub-unit frozen with the totals when the congress
was recorded as held: members imported afterwards with earlier join dates move the register,
not these rows, and the rows add up to the frozen totals."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from members.jobs import ImportJob
from members.models import Gender
from members.statistics import statistics
from reports.datasets.representation import representation
from reports.datasets.summary import term_summary
from tests.factories import member
from tests.member_lists import workbook
from tests.reports.conftest import DAY, flat, make_congress, pdf_text

pytestmark = pytest.mark.django_db

# Joined before the congress, imported after it was recorded as held.
LATE = [
    ["Nguyễn Thị Hoa", "Nữ", "12/03/1988", "HP-101", "01/02/2015", "unit-a"],
    ["Trần Văn Khoa", "Nam", "05/11/1979", "HP-102", "01/02/2015", "unit-b"],
    ["Lê Thu Hằng", "Nữ", "30/06/1992", "HP-103", "15/08/2016", ""],
]
# (sub-unit, members, women) frozen on the congress day: 4 members, 2 women.
FROZEN = [("Branch unit-a", 2, 1), ("Branch unit-b", 1, 1)]


@pytest.fixture
def held(tree, client_as, media):
    """A congress held with 4 members (one attached to the union itself), then a member
    list imported with join dates before it."""
    member(tree.unit_a, "Phạm Thị Lan")
    member(tree.unit_a, "Đỗ Quang Đức", Gender.MALE)
    member(tree.unit_b, "Vũ Thị Mai")
    member(tree.union, "Hoàng Văn Nam", Gender.MALE)
    congress = make_congress(tree)
    client = client_as("secretary")
    file = SimpleUploadedFile("danh-sach.xlsx", workbook(LATE))
    client.post(reverse("members:import", args=["union"]), {"file": file})
    client.post(reverse("members:import_commit", args=[ImportJob.objects.get().pk]))
    assert statistics(tree.union, DAY).members == 7  # the register moved
    return congress


def sub_unit_rows(html: str) -> list[list[str]]:
    table = re.search(r'<table id="sub-unit-table">(.*?)</table>', html, re.S).group(1)
    return [
        [
            flat(unescape(re.sub(r"<[^>]+>", "", c))).strip()
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    ]


def test_the_summary_keeps_the_frozen_rows_and_they_add_up(held):
    summary = term_summary(held.term)
    rows = [(u.name, u.members, u.women) for u in summary.sub_units]
    assert rows == [*FROZEN, ("Công đoàn Sở Khoa học và Công nghệ", 1, 0)]
    assert (summary.figures.members, summary.figures.women) == (4, 2)
    assert sum(u.members for u in summary.sub_units) == 4
    assert sum(u.women for u in summary.sub_units) == 2
    found = representation(held)  # the same rows beside the candidates
    assert [(u.members.total, u.members.women) for u in found.sub_units] == [(2, 1), (1, 1), (1, 0)]


def test_the_page_pdf_and_workbook_show_the_frozen_rows_and_their_total(
    held, client_as, english, tmp_path
):
    client = client_as("secretary")
    term = held.term.pk
    html = client.get(reverse("reports:term_summary", args=[term])).text
    rows = sub_unit_rows(html)
    assert [r[:3] for r in rows[1:3]] == [[n, str(m), str(w)] for n, m, w in FROZEN]
    assert rows[3][0] == (
        "Members directly in Công đoàn Sở Khoa học và Công nghệ, not in a sub-unit"
    )
    assert rows[4] == ["Total", "4", "2", "50.0 %"] and len(rows) == 5  # no differing total
    assert "Counted from the register on 23/12/2017 and frozen with the totals" in html

    for name in ("term_summary_pdf", "dossier_pdf"):
        pdf = client.get(reverse(f"reports:{name}", args=[term]), {"lang": "en"}).content
        text = flat(pdf_text(pdf, tmp_path))
        for unit, members, women in FROZEN:
            assert f"{unit} {members} {women} " in text
        assert "Total 4 2 50.0 %" in text and "Totals frozen" not in text

    data = client.get(reverse("reports:term_summary_xlsx", args=[term]), {"lang": "en"}).content
    sheet = load_workbook(io.BytesIO(data))["Sub-units"]
    table = list(sheet.iter_rows(min_row=2, max_row=4, values_only=True))
    assert [r[3] for r in table] == [2, 1, 1] and [r[4] for r in table] == [1, 1, 0]
    total = next(r for r in sheet.iter_rows(min_row=5, values_only=True) if r[2] == "Total")
    assert total[3:5] == (4, 2)
