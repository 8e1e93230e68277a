"""The congress dossier as one PDF (reports.formats.dossier): its contents with the pages the
parts start on, the counting minutes and the resolution, the mark on the pages of uncertified
minutes only, member-supplied text printed as text and nothing fetched."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from congresses import parts
from congresses.elections.models import Election, ElectionKind
from reports.datasets.dossier import dossier
from reports.formats.dossier import dossier_pdf
from tests.reports.conftest import (
    AS_OF,
    MARKUP,
    Recorder,
    enter,
    flat,
    make_election,
    pct,
    pdf_pages,
    pdf_text,
    poppler,
    said,
    squeezed,
    thresholds,
)

pytestmark = pytest.mark.django_db


def test_the_dossier_has_contents_with_page_numbers_the_minutes_and_the_resolution(seed, tmp_path):
    """The parts in order, each on the page the contents say: the first executive meeting's
    minutes follow the counting minutes (the recognition file, domain-rules §2)."""
    language = "vi"
    found = dossier(seed, as_of=AS_OF)
    pdf = dossier_pdf(found, language=language)
    pages = pdf_pages(pdf, tmp_path)
    label = said(
        language,
        "Term summary",
        "TERM SUMMARY",
        "Attendance and credentials",
        "ATTENDANCE AND CREDENTIALS",
        "The committee",
        "THE COMMITTEE",
        "The resolution",
        "RESOLUTION",
        "COUNTING MINUTES",
        "Minutes of the first meeting",
        "MINUTES OF THE FIRST MEETING OF THE EXECUTIVE COMMITTEE",
        "Page %(page)s of %(pages)s",
    )
    contents = pdf_text(pdf, tmp_path, 2)
    entries = {
        title.strip(): int(page)
        for title, page in re.findall(r"^\s*(\S.*?)\s*\.{4,}\s*(\d+)\s*$", contents, re.M)
    }
    executive, chair = Election.objects.filter(congress__term=seed).order_by("held_on", "id")
    with translation.override(language):
        minutes_titles = [
            gettext("Counting minutes: %(kind)s") % {"kind": e.get_kind_display()}
            for e in (executive, chair)
        ]
    expected = {
        label["Term summary"]: label["TERM SUMMARY"],
        label["Attendance and credentials"]: label["ATTENDANCE AND CREDENTIALS"],
        minutes_titles[0]: label["COUNTING MINUTES"],
        minutes_titles[1]: label["COUNTING MINUTES"],
        label["Minutes of the first meeting"]: label[
            "MINUTES OF THE FIRST MEETING OF THE EXECUTIVE COMMITTEE"
        ],
        label["The committee"]: label["THE COMMITTEE"],
        label["The resolution"]: label["RESOLUTION"],
    }
    assert list(entries) == list(expected)
    numbers = list(entries.values())
    assert numbers == sorted(numbers) and numbers[0] == 3 and numbers[-1] <= pages
    for title, number in entries.items():  # each part starts on the page the contents say
        starts = flat(pdf_text(pdf, tmp_path, number))
        assert expected[title] in starts, title
        assert expected[title] not in flat(pdf_text(pdf, tmp_path, number - 1)) or number == 3
    text = flat(pdf_text(pdf, tmp_path))
    assert text.count(label["COUNTING MINUTES"]) == 2
    for words in thresholds(executive, language) + thresholds(chair, language):
        assert words in text
    for _number, direction in found.summary.directions:
        assert direction in text
    assert "185" in text and pct("49.2", language) in text
    assert f"176 ({pct('95.1', language)})" in text  # those present, of those summoned
    for number in (1, pages):
        page = label["Page %(page)s of %(pages)s"] % {"page": number, "pages": pages}
        assert page in flat(pdf_text(pdf, tmp_path, number))


def test_member_text_prints_as_text_and_nothing_is_fetched(server, election, tmp_path):
    congress = election.congress
    parts.add_guest(
        congress=congress,
        name=MARKUP,
        title=f'<img src="{server}/x.png">',
        organisation="http://127.0.0.1/",
    )
    pdf = dossier_pdf(dossier(congress.term), language="en")
    text = squeezed(pdf_text(pdf, tmp_path))  # a long line may wrap inside a URL
    for shown in (MARKUP, f'<img src="{server}/x.png">', "http://127.0.0.1/"):
        assert squeezed(shown) in text
    assert poppler("pdfdetach", pdf, tmp_path, "-list").startswith("0 embedded files")
    assert Recorder.hits == []


def test_only_the_pages_of_uncertified_minutes_carry_the_mark(election, tmp_path):
    draft = make_election(
        election.congress,
        ["Lê Minh Anh", "Trần Văn Bình"],
        kind=ElectionKind.FULL_DELEGATE,
        seats=1,
    )
    enter(draft, {"Lê Minh Anh": 100, "Trần Văn Bình": 70}, issued=178, collected=178, invalid=8)
    pdf = dossier_pdf(dossier(election.congress.term), language="en")
    marked = [
        number
        for number in range(1, pdf_pages(pdf, tmp_path) + 1)
        if "NOT CERTIFIED" in pdf_text(pdf, tmp_path, number)
    ]
    starts = {}
    for number in range(1, pdf_pages(pdf, tmp_path) + 1):
        text = flat(pdf_text(pdf, tmp_path, number))
        if "COUNTING MINUTES" in text:
            starts["full" if "Full delegates" in text else "executive"] = number
        elif "THE COMMITTEE" in text:
            starts["committee"] = number
    assert starts["executive"] < starts["full"] < starts["committee"]
    assert marked == list(range(starts["full"], starts["committee"]))  # its pages, no other
