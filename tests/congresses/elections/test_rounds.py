"""congresses.elections.rounds: a round's counts are refused by the one ballot check
(counting.ballot_problems) with the same translated text beside the same field, whether a
secretary types them on the page or counting software loads them through the API."""

import html

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from congresses.elections import counting
from congresses.elections.models import Round
from tests.congresses.elections.helpers import NAMES, ids
from tests.factories import persona

pytestmark = pytest.mark.django_db

COUNTS = {"issued": 28, "collected": 28, "valid": 28, "invalid": 0, "blank": 0}


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"issued": 27}, "collected", "collected_over_issued"),
        ({"issued": 29, "collected": 29, "valid": 29}, "issued", "issued_over_present"),
        ({"invalid": 3, "valid": 24}, "invalid", "not_adding_up"),
        ({"blank": 29}, "blank", "blank_over_valid"),
        ({"votes": {"Lê Minh Anh": 29}}, "vote", "votes_over_marked"),
        ({"votes": dict.fromkeys(NAMES, 28)}, "votes", "votes_over_seats"),
    ],
)
def test_a_tally_is_refused_alike_on_the_page_and_in_the_api(
    client, tree, election, change, field, code
):
    secretary = persona(tree, "secretary")
    votes = dict.fromkeys(NAMES, 10) | change.pop("votes", {})
    counts = COUNTS | change
    by_name = ids(election)

    body = counts | {"votes": [{"candidate": by_name[n], "votes": v} for n, v in votes.items()]}
    answers = {}
    for language in ("vi", "en"):
        api = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        api.force_authenticate(secretary)
        answer = api.post(f"/api/v1/elections/{election.pk}/rounds/", body, format="json")
        assert answer.status_code == 400
        errors = answer.json()
        texts = errors["votes"][str(by_name["Lê Minh Anh"])] if field == "vote" else errors[field]
        assert len(texts) == 1
        answers[language] = texts[0]
    english = counting.BALLOT_MESSAGES[code].split("%(")[0]
    assert answers["en"].startswith(english)  # the rule's own text
    text = answers["vi"]
    assert text != answers["en"]  # translated

    client.force_login(secretary)
    form = {f"round-{name}": value for name, value in counts.items()}
    form |= {f"round-vote_{by_name[n]}": v for n, v in votes.items()}
    form |= {"round-version": election.version}
    page = client.post(reverse("congresses:round_add", args=[election.pk]), form)
    assert page.status_code == 200
    assert html.escape(text) in page.content.decode()  # the page shows the very same text
    assert not Round.objects.exists()
