"""The download of the first executive meeting's minutes (reports.views.first_meeting): the
readers of the branch only, a server-set name and the download headers, the language asked
for, and no file before the meeting is recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from congresses.first_meeting import record_first_meeting
from tests.reports.conftest import DAY, flat, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(election):
    """The union's first meeting after the election: the union is small (the small tree's
    register is empty on its congress day), so it elects a chair only."""
    return record_first_meeting(
        term=election.congress.term,
        held_on=DAY,
        convenor="Trần Văn Bình",
        chair=election.posts.get(person_name="Lê Minh Anh"),
    )


def url(meeting, **query):
    return reverse("reports:first_meeting_pdf", args=[meeting.term_id])


@pytest.mark.parametrize(
    ("persona", "status"),
    [("secretary", 200), ("reviewer", 200), ("member", 403), ("stranger", 404)],
)
def test_only_readers_of_the_branch_get_the_minutes(client_as, meeting, persona, status):
    assert client_as(persona).get(url(meeting)).status_code == status


@pytest.mark.parametrize(
    ("language", "filename", "day"),
    [
        ("vi", "bien-ban-hoi-nghi-bch-lan-thu-nhat-union-{pk}.pdf", "23/12/2017"),
        ("en", "first-meeting-minutes-union-{pk}.pdf", "23 Dec 2017"),
    ],
)
def test_the_minutes_download_with_their_name_headers_and_language(
    client_as, meeting, language, filename, day, tmp_path
):
    response = client_as("secretary").get(url(meeting), {"lang": language})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    expected = filename.format(pk=meeting.term_id)
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Language"] == language
    text = flat(pdf_text(response.content, tmp_path))
    assert "Lê Minh Anh" in text and "Trần Văn Bình" in text and day in text


def test_no_minutes_before_the_meeting_is_recorded(client_as, election):
    path = reverse("reports:first_meeting_pdf", args=[election.congress.term_id])
    assert client_as("secretary").get(path).status_code == 404


def test_an_unknown_language_is_a_bad_request_and_post_is_refused(client_as, meeting):
    client = client_as("secretary")
    assert client.get(url(meeting), {"lang": "fr"}).status_code == 400
    assert client.post(url(meeting)).status_code == 405
