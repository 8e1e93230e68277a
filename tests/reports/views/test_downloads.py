"""What every download of reports shares (reports.views.downloads): one plain-text answer,
in the same words everywhere, for a language a file is not offered in."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_download_refuses_an_unknown_language_with_the_same_answer(
    client_as, election, english
):
    congress = election.congress
    urls = [
        reverse("reports:minutes_pdf", args=[election.pk]),
        reverse("reports:minutes_xlsx", args=[election.pk]),
        reverse("reports:term_summary_pdf", args=[congress.term.pk]),
        reverse("reports:term_summary_xlsx", args=[congress.term.pk]),
        reverse("reports:dossier_pdf", args=[congress.term.pk]),
        reverse("reports:statistics_pdf", args=["union"]),
        reverse("reports:statistics_xlsx", args=["union"]),
        reverse("reports:representation_pdf", args=[congress.pk]),
        reverse("reports:representation_xlsx", args=[congress.pk]),
        reverse("reports:roster_xlsx"),
        reverse("reports:roster_pdf"),
    ]
    client = client_as("secretary")
    answers = set()
    for url in urls:
        response = client.get(url, {"lang": "fr"})
        assert response.status_code == 400, url
        assert response["Content-Type"] == "text/plain; charset=utf-8", url
        answers.add(response.content.decode())
    assert answers == {"Unknown language: choose one of vi, en."}
