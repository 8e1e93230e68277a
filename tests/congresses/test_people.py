"""Picking a person (issue 13, item 5): the picker's suggestions (congresses:people) and the
person field of the post form, which the server resolves when the picker is not there. The
suggestions are the active members of the term's branch and its sub-units, found as the member
list finds them (diacritics optional, a card number, a year of birth), and tell namesakes
apart."""

from datetime import date

import pytest
from django.urls import reverse

from congresses.models import Post
from members import services as member_services
from tests.congresses.helpers import text
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def namesakes(tree):
    """Two members named Nguyễn Văn An, of two sub-units, born in different years."""
    return [
        member(tree.unit_a, "Nguyễn Văn An", card_number="UA-1", birth_date=date(1980, 5, 1)),
        member(tree.unit_b, "Nguyễn Văn An", card_number="UB-7", birth_date=date(1992, 3, 9)),
    ]


def suggest(client, term, q):
    return client.get(reverse("congresses:people", args=[term.pk]), {"q": q})


def test_part_of_a_name_without_diacritics_finds_namesakes_told_apart(client_as, term, namesakes):
    found = suggest(client_as("secretary"), term, "nguyen an").json()["results"]
    assert [p["name"] for p in found] == ["Nguyễn Văn An", "Nguyễn Văn An"]
    details = sorted(p["details"] for p in found)
    assert details[0].startswith("1980 · UA-1 · ") and details[1].startswith("1992 · UB-7 · ")
    assert details[0] != details[1]


@pytest.mark.parametrize(("q", "card"), [("ub-7", "UB-7"), ("an 1980", "UA-1"), ("1992", "UB-7")])
def test_a_card_number_or_a_year_of_birth_finds_one_member(client_as, term, namesakes, q, card):
    found = suggest(client_as("secretary"), term, q).json()["results"]
    assert [p["id"] for p in found] == [m.pk for m in namesakes if m.card_number == card]


def test_members_of_another_branch_and_former_members_are_not_suggested(
    client_as, tree, term, namesakes
):
    member(tree.other, "Nguyễn Văn Anh", card_number="OT-1")
    gone = member(tree.unit_a, "Nguyễn Văn Ân", card_number="UA-2")
    member_services.mark_left(member=gone, on=date(2020, 1, 1), reason="retired")
    client = client_as("secretary")
    assert len(suggest(client, term, "nguyen van").json()["results"]) == 2
    assert suggest(client, term, "OT-1").json()["results"] == []


@pytest.mark.parametrize(("persona", "status"), [("reviewer", 403), ("member", 403), ("x", 404)])
def test_the_suggestions_need_write_rights_on_the_term(client_as, term, namesakes, persona, status):
    assert suggest(client_as(persona), term, "nguyen").status_code == status


def test_the_post_form_offers_the_picker_not_a_list_of_every_member(client_as, term, namesakes):
    page = text(client_as("secretary").get(reverse("congresses:term", args=[term.pk])))
    assert f'data-people-url="{reverse("congresses:people", args=[term.pk])}"' in page
    assert "<select" not in page[page.index('name="post-person"') :][:600]
    assert "js/picker.js" in page and "defer" in page


POST = {"post-kind": "executive", "post-starts_on": "23/12/2017", "post-obtained_by": "congress"}


def test_typed_text_naming_one_member_gives_them_the_post(client_as, term, namesakes):
    url = reverse("congresses:post_add", args=[term.pk])
    assert client_as("secretary").post(url, POST | {"post-person": "an 1992"}).status_code == 302
    assert Post.objects.get().member == namesakes[1]


def test_namesakes_are_listed_to_choose_from_and_nothing_is_saved_before(
    client_as, term, namesakes, english
):
    client = client_as("secretary")
    url = reverse("congresses:post_add", args=[term.pk])
    response = client.post(url, POST | {"post-person": "Nguyen Van An"})
    assert response.status_code == 200
    assert not Post.objects.exists()
    page = text(response)
    assert "2 members match “Nguyen Van An”: choose one below." in page
    for person in namesakes:
        assert f'value="{person.pk}"' in page and person.card_number in page
    chosen = POST | {"post-person": "Nguyen Van An", "post-member": namesakes[0].pk}
    assert client.post(url, chosen).status_code == 302
    assert Post.objects.get().member == namesakes[0]


def test_no_match_is_a_clear_error_and_someone_from_outside_is_named(client_as, term, english):
    client = client_as("secretary")
    url = reverse("congresses:post_add", args=[term.pk])
    response = client.post(url, POST | {"post-person": "Hoàng Ngoài"})
    assert "No active member of this branch or its sub-units matches “Hoàng Ngoài”" in text(
        response
    )
    assert not Post.objects.exists()
    assert client.post(url, POST | {"post-person_name": "Hoàng Ngoài"}).status_code == 302
    assert Post.objects.get().person_name == "Hoàng Ngoài"
