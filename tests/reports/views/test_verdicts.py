"""One verdict per target and day, on the demo case: the women's target of the finished term
2017–2022 ("Tỷ lệ nữ trong Ban Chấp hành") is judged as of its end-of-term review (20/10/2022)
and gives the same verdict and day on the target page, the resolution page, the term summary
(page, PDF, workbook), the representation page, the comparison of two terms and the API; a
target of the running term 2022–2027 is judged today everywhere, the goals page included.
Every place asks congresses.resolutions.goals, which asks domain.judging_day."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from congresses.models import Term
from congresses.resolutions import goals
from congresses.resolutions.domain import Basis, Judging
from congresses.resolutions.models import Target
from tests.reports.conftest import WOMEN_TARGET, flat, pdf_text, said

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)
REVIEW = date(2022, 10, 20)  # the demo's end-of-term review of 2017–2022
DIGITAL = "Số hóa toàn bộ hồ sơ đoàn viên trên phần mềm của Tổng Liên đoàn"  # 2022–2027


@pytest.fixture
def on_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def secretary(login, seed_union, on_today):
    """The demo's secretary of hp-skhcn on the pages."""
    return login("secretary")


def _api() -> APIClient:
    """The API as the demo's secretary."""
    api = APIClient()
    api.force_authenticate(get_user_model().objects.get(username="secretary"))
    return api


def _after(html: str, anchor: str) -> tuple[str, str]:
    """data-verdict and data-judged-on of the first verdict after `anchor`."""
    found = re.search(
        re.escape(anchor) + r'.*?data-verdict="([^"]*)" data-judged-on="([^"]*)"', html, re.S
    )
    assert found, anchor
    return found.group(1), found.group(2)


def _row(html: str, title: str) -> tuple[str, str]:
    """data-verdict and data-judged-on of the table row whose first cell starts with `title`."""
    found = re.search(
        r'<tr data-verdict="([^"]*)" data-judged-on="([^"]*)"><td>' + re.escape(title), html
    )
    assert found, title
    return found.group(1), found.group(2)


def _compare_cell(html: str, title: str, side: int) -> tuple[str, str]:
    """The outcome of `title` on the comparison page: side 0 the previous term, 1 this one."""
    row = re.search(r"<tr><td>" + re.escape(title) + r"</td>(.*?)</tr>", html, re.S)
    assert row, title
    cells = re.findall(r'data-verdict="([^"]*)" data-judged-on="([^"]*)"', row.group(1))
    return cells[side]


def _summary_pdf_line(client, term: Term, title: str, tmp_path) -> tuple[str, str]:
    """The line of `title` in the Vietnamese summary PDF, and the whole text, flattened."""
    pdf = client.get(reverse("reports:term_summary_pdf", args=[term.pk]), {"lang": "vi"})
    assert pdf.status_code == 200
    text = pdf_text(pdf.content, tmp_path)
    line = next(line for line in text.splitlines() if f"{title} (" in line)  # "(%)": its unit
    return flat(line), flat(text)


def _summary_cells(client, term: Term, title: str) -> tuple[str, object]:
    """The verdict and the judged-on cells of `title` in the Vietnamese summary workbook."""
    url = reverse("reports:term_summary_xlsx", args=[term.pk])
    book = load_workbook(io.BytesIO(client.get(url, {"lang": "vi"}).content))
    sheet = book.worksheets[4]
    headers = [cell.value for cell in sheet[1]]
    labels = said("vi", "Verdict", "Judged on")
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == title)
    return row[headers.index(labels["Verdict"])], row[headers.index(labels["Judged on"])]


def test_a_finished_terms_target_has_one_verdict_and_day_everywhere(secretary, tmp_path):
    target = Target.objects.select_related("resolution__congress__term").get(
        title=WOMEN_TARGET, resolution__congress__term__label="2017–2022"
    )
    congress = target.resolution.congress
    term = congress.term
    status = goals.status_of(target, TODAY)
    assert status.judging == Judging(REVIEW, Basis.END_OF_TERM_REVIEW)
    expected = ("not_met", "2022-10-20")
    assert (status.verdict_code, status.judged_on.isoformat()) == expected
    summary_page = secretary.get(reverse("reports:term_summary", args=[term.pk])).text
    representation = secretary.get(reverse("reports:representation", args=[congress.pk])).text
    following = Term.objects.get(branch=term.branch, label="2022–2027")
    compare = secretary.get(reverse("congresses:term_compare", args=[following.pk])).text
    answer = _api().get(f"/api/v1/targets/{target.pk}/").json()
    resolution_page = secretary.get(reverse("congresses:resolution", args=[congress.pk])).text
    shown = {
        "target page": _after(secretary.get(f"/targets/{target.pk}/").text, 'id="verdict"'),
        "resolution page": _after(resolution_page, f'data-target="{target.pk}"'),
        "summary page": _row(summary_page, WOMEN_TARGET),
        "representation page": _row(representation, WOMEN_TARGET),
        "comparison page": _compare_cell(compare, WOMEN_TARGET, 0),
        "API": (answer["verdict"], answer["judged_on"]),
    }
    assert shown == dict.fromkeys(shown, expected)
    assert answer["judged_as"] == "end_of_term_review"
    # the files say the same verdict, and the day they judge on
    with translation.override("vi"):
        label, judged = status.verdict_label, goals.judged_text(status.judging)
    assert "20/10/2022" in judged
    line, text = _summary_pdf_line(secretary, term, WOMEN_TARGET, tmp_path)
    assert line.endswith(label) and judged in text
    assert _summary_cells(secretary, term, WOMEN_TARGET) == (label, datetime(2022, 10, 20))
    # and the pages say which day they judged it on
    for page in (summary_page, representation):
        assert judged in re.sub(r"\s+", " ", page)
    assert re.search(r'id="previous-judged">' + re.escape(judged), compare)
    # the term is judged alike whatever later day the summary is asked for
    later = secretary.get(reverse("reports:term_summary", args=[term.pk]), {"as_of": "01/01/2024"})
    assert _row(later.text, WOMEN_TARGET) == expected


def test_a_running_terms_target_is_judged_today_everywhere(secretary, seed_union):
    target = Target.objects.select_related("resolution__congress__term").get(title=DIGITAL)
    term = target.resolution.congress.term
    expected = ("at_risk", TODAY.isoformat())
    goals_page = secretary.get(reverse("congresses:goals")).text
    summary_page = secretary.get(reverse("reports:term_summary", args=[term.pk])).text
    compare = secretary.get(reverse("congresses:term_compare", args=[term.pk])).text
    answer = _api().get(f"/api/v1/targets/{target.pk}/").json()
    shown = {
        "goals page": _after(goals_page, f'data-target="{target.pk}"'),
        "target page": _after(secretary.get(f"/targets/{target.pk}/").text, 'id="verdict"'),
        "summary page": _row(summary_page, DIGITAL),
        "comparison page": _compare_cell(compare, DIGITAL, 0),  # a new target: one outcome
        "API": (answer["verdict"], answer["judged_on"]),
    }
    assert shown == dict.fromkeys(shown, expected)
    assert answer["judged_as"] == "running"


def test_a_targets_progress_reads_the_same_on_the_target_page_and_the_summary(secretary):
    """One figure, one rounding: the target page and the term summary give the same
    percentage of the way (one decimal, half up), not 21 % on one and 22,0 % on the other."""
    from unionrec.templatetags.unionrec import format_share

    target = Target.objects.select_related("resolution__congress__term").get(
        title=WOMEN_TARGET, resolution__congress__term__label="2017–2022"
    )
    status = goals.status_of(target, TODAY)
    with translation.override("vi"):
        expected = format_share(status.progress_percentage)
    assert expected.endswith("\u00a0%") and "," in expected
    target_page = secretary.get(f"/targets/{target.pk}/").text
    summary_page = secretary.get(
        reverse("reports:term_summary", args=[target.resolution.congress.term.pk])
    ).text
    shown = re.search(r'id="verdict".*?<span class="percent">([^<]*)</span>', target_page, re.S)
    assert shown and shown.group(1) == expected
    row = re.search(re.escape(WOMEN_TARGET) + r".*?</tr>", summary_page, re.S)
    assert row and f'<td class="num">{expected}</td>' in row.group(0)


def test_a_yes_no_target_reads_the_same_on_the_summary_page_and_its_pdf(secretary, tmp_path):
    """Seen: the page said baseline 0, target 1, figure 1 where the PDF said —, done, done."""
    title = "Ký quy chế phối hợp giữa công đoàn và lãnh đạo Sở"
    target = Target.objects.select_related("resolution__congress__term").get(title=title)
    term = target.resolution.congress.term
    page = secretary.get(reverse("reports:term_summary", args=[term.pk]), {"lang": "vi"}).text
    row = re.search(re.escape(title) + r".*?</tr>", page, re.S)
    assert row
    cells = re.findall(r'<td class="num">(.*?)</td>', row.group(0), re.S)
    assert [re.sub(r"\s*<span.*", "", c) for c in cells[:3]] == ["—", "đã xong", "đã xong"]
    pdf = secretary.get(reverse("reports:term_summary_pdf", args=[term.pk]), {"lang": "vi"})
    assert "— đã xong đã xong" in flat(pdf_text(pdf.content, tmp_path))


def test_the_summary_page_names_the_recognition_as_its_pdf_does(secretary, tmp_path):
    term = Term.objects.get(branch__code="hp-skhcn", label="2017–2022")
    decision = term.congress.recognition_decision
    assert decision
    page = secretary.get(reverse("reports:term_summary", args=[term.pk]), {"lang": "vi"}).text
    found = re.search(r'id="recognition">([^<]*)<', page)
    assert found and decision in found.group(1)
    pdf = secretary.get(reverse("reports:term_summary_pdf", args=[term.pk]), {"lang": "vi"})
    assert decision in flat(pdf_text(pdf.content, tmp_path))
