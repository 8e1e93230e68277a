"""Existence without identity (issue 18): a card number or a branch code that another record
holds is refused with one message, through the API and the pages alike, that says it is taken
and whom to ask, never whose it is or where."""

from datetime import date

import pytest
from django.urls import reverse

from members.models import TAKEN, Branch, Member
from tests.factories import member

pytestmark = pytest.mark.django_db

CARD = "HP-0012345"


@pytest.fixture
def far_away(tree):
    """The holder of CARD: a member of another union, out of the secretary's reach."""
    return member(tree.far_union, "Hoàng Văn Xa", card_number=CARD, birth_date=date(1970, 1, 1))


def reveals_nothing(text):
    return not any(word in text for word in ("Xa", "far", "Hoàng"))


def test_a_new_member_with_a_card_held_elsewhere_is_told_only_it_is_taken(api, english, far_away):
    body = {"full_name": "Trần Thị Lan", "branch": "unit-a", "card_number": CARD.lower()}
    response = api.post("/api/v1/members/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"card_number": [TAKEN]}
    assert reveals_nothing(response.content.decode())
    assert list(Member.objects.all()) == [far_away]


def test_a_member_changed_to_a_card_held_elsewhere_is_told_only_it_is_taken(
    api, english, tree, far_away
):
    lan = member(tree.unit_a, "Trần Thị Lan")
    response = api.patch(f"/api/v1/members/{lan.pk}/", {"card_number": CARD}, format="json")
    assert response.status_code == 400
    assert response.json() == {"card_number": [TAKEN]}
    assert reveals_nothing(response.content.decode())
    lan.refresh_from_db()
    assert (lan.card_number, lan.version) == (None, 1)


def test_a_card_held_within_reach_gets_the_same_answer(api, english, tree):
    member(tree.unit_b, "Lê Văn Cường", card_number=CARD)
    body = {"full_name": "Trần Thị Lan", "branch": "unit-a", "card_number": CARD}
    response = api.post("/api/v1/members/", body, format="json")
    assert response.json() == {"card_number": [TAKEN]}


def test_a_member_keeps_their_own_card(api, tree):
    lan = member(tree.unit_a, "Trần Thị Lan", card_number=CARD)
    response = api.patch(f"/api/v1/members/{lan.pk}/", {"card_number": CARD}, format="json")
    assert response.status_code == 200


def test_the_member_form_gives_the_same_answer(client_as, english, far_away):
    form = {
        "full_name": "Trần Thị Lan",
        "gender": "female",
        "card_number": CARD,
        "started_on": "01/03/2015",
    }
    response = client_as("secretary").post(reverse("members:member_add") + "?branch=union", form)
    assert response.status_code == 200
    assert response.context["form"].errors["card_number"] == [TAKEN]
    assert reveals_nothing(response.content.decode().split("<main", 1)[-1])
    assert Member.objects.count() == 1


def test_a_branch_code_held_elsewhere_gets_the_same_answer(client_as, english, tree):
    response = client_as("secretary").post(
        reverse("members:branch_add", args=["union"]),
        {"code": "far-union", "name": "Again", "kind": "group"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [TAKEN]
    assert Branch.objects.filter(code="far-union").count() == 1
