"""The minutes of the first executive meeting as a PDF (reports.formats.first_meeting): the
day, the convenor, the elected with their attendance and the results in Vietnamese and in
English, the signature places, and member-supplied text printed as text with nothing
fetched."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from congresses.first_meeting import record_first_meeting
from congresses.models import PostKind, Term
from reports.datasets.first_meeting import first_meeting_minutes
from reports.formats.first_meeting import first_meeting_pdf
from tests.reports.conftest import (
    DAY,
    MARKUP,
    Recorder,
    flat,
    pdf_pages,
    pdf_text,
    poppler,
    said,
    squeezed,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_pdf_names_the_day_the_chair_the_results_and_has_signature_places(
    seed, language, tmp_path
):
    minutes = first_meeting_minutes(seed)
    pdf = first_meeting_pdf(minutes, language=language)
    assert pdf.startswith(b"%PDF-")
    text = flat(pdf_text(pdf, tmp_path))
    chair = seed.posts.get(kind=PostKind.CHAIR).person_name
    day = "23/12/2017" if language == "vi" else "23 Dec 2017"
    label = said(
        language,
        "MINUTES OF THE FIRST MEETING OF THE EXECUTIVE COMMITTEE",
        "Day of the meeting",
        "Chair",
        "Vice-chairs",
        "Head of the inspection committee",
        "Members of the inspection committee",
        "(signature and full name)",
        "Secretary of the meeting",
        "Convenor",
        "Page %(page)s of %(pages)s",
    )
    assert label["MINUTES OF THE FIRST MEETING OF THE EXECUTIVE COMMITTEE"] in text
    assert f"{label['Day of the meeting']} {day}" in text
    assert f"{label['Chair']} {chair}" in text
    rows = flat(poppler("pdftotext", pdf, tmp_path))  # in reading order, cell by cell
    for body in minutes.results:
        with translation.override(language):
            title = body.label
        names = [person.name for person in body.elected]
        numbered = names if len(names) == 1 else [f"{n}. {name}" for n, name in enumerate(names, 1)]
        assert f"{title} {' '.join(numbered)}" in rows
    for number, person in enumerate(minutes.executive, start=1):
        assert f"{number} {person.name}" in text
    assert text.count(label["(signature and full name)"]) == 2
    with translation.override(language):
        assert gettext("Secretary of the meeting").upper() in text
        assert gettext("Convenor").upper() in text
    assert minutes.convenor in text and minutes.minutes_by in text
    pages = pdf_pages(pdf, tmp_path)
    page = label["Page %(page)s of %(pages)s"] % {"page": pages, "pages": pages}
    assert page in flat(pdf_text(pdf, tmp_path, pages))
    with translation.override(language):
        term = gettext("Term %(label)s") % {"label": "2017–2022"}  # "Nhiệm kỳ 2017–2022"
        head = f"{gettext('Minutes of the first meeting')} · {minutes.branch_name} · {term}"
    assert pages >= 2
    for number in range(
        2, pages + 1
    ):  # the running head: branch and term on every page after the first
        assert head in flat(pdf_text(pdf, tmp_path, number))


def test_member_text_prints_as_text_and_nothing_is_fetched(server, election, tmp_path):
    chair = election.posts.get(person_name="Lê Minh Anh")
    convenor = f'<img src="{server}/x.png">'
    record_first_meeting(
        term=election.congress.term,
        held_on=DAY,
        convenor=convenor,
        minutes_by=MARKUP,
        chair=chair,
    )
    term = Term.objects.get(pk=election.congress.term_id)
    pdf = first_meeting_pdf(first_meeting_minutes(term), language="en")
    text = squeezed(pdf_text(pdf, tmp_path))
    assert squeezed(convenor) in text and squeezed(MARKUP) in text
    assert poppler("pdfdetach", pdf, tmp_path, "-list").startswith("0 embedded files")
    assert Recorder.hits == []
