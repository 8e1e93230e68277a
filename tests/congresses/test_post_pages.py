"""The rules of committee posts where a user reaches them: the term page (the errors beside the
fields, nothing written; deleting a post entered by mistake after a confirmation, with its
reason), the posts API (400 naming the field; DELETE with a reason) and the reports that list
the committee. The rules themselves: test_post_rules.py."""

from datetime import date

import pytest
from django.urls import reverse

from congresses import committees, services
from congresses.elections import certification, rounds
from congresses.elections import services as elections
from congresses.elections.models import ElectionKind
from congresses.models import ObtainedBy, Post, PostKind
from tests.congresses.helpers import DAY, as_user, text
from tests.factories import member, persona

pytestmark = pytest.mark.django_db

LATER = date(2019, 6, 1)


def on_the_committee(term, person):
    """`person` on the executive committee from DAY, elected by the congress."""
    return committees.add_post(
        term=term,
        kind=PostKind.EXECUTIVE,
        member=person,
        starts_on=DAY,
        obtained_by=ObtainedBy.CONGRESS,
    )


@pytest.fixture
def people(tree):
    names = ["Nguyễn Thị Lan", "Trần Văn Nam", "Lê Minh Anh"]
    return {name.split()[-1]: member(tree.union, name=name) for name in names}


@pytest.fixture
def congress(term):
    """The term's congress of DAY, held, with a committee of 3."""
    congress = services.create_congress(
        term=term, held_on=DAY, summoned=30, present=28, committee_size=3
    )
    return services.record_held(congress)


@pytest.fixture
def chair(term, congress, people):
    """Lan: on the executive committee, and its chair."""
    on_the_committee(term, people["Lan"])
    return committees.add_post(
        term=term,
        kind=PostKind.CHAIR,
        member=people["Lan"],
        starts_on=DAY,
        obtained_by=ObtainedBy.COMMITTEE,
    )


@pytest.fixture
def mistake(term):
    """An executive seat by-elected from outside (from 01/06/2019), entered by mistake."""
    return committees.add_post(
        term=term,
        kind=PostKind.EXECUTIVE,
        person_name="Người Nhập Nhầm",
        starts_on=LATER,
        obtained_by=ObtainedBy.BY_ELECTION,
    )


def _add(client, term, **fields):
    data = {"post-starts_on": "23/12/2017"} | {f"post-{k}": v for k, v in fields.items()}
    return client.post(reverse("congresses:post_add", args=[term.pk]), data)


def _delete(client, post, **data):
    return client.post(reverse("congresses:post_delete", args=[post.pk]), data)


# --- Adding: the refusal beside its field, nothing written --------------------------------------


def test_a_second_chair_is_refused_beside_the_post_field(client_as, term, chair, people, english):
    on_the_committee(term, people["Nam"])
    before = Post.objects.count()
    response = _add(
        client_as("secretary"),
        term,
        kind="chair",
        member=people["Nam"].pk,
        obtained_by="committee",
    )
    assert response.status_code == 200
    assert list(response.context["post_form"].errors) == ["kind"]
    page = text(response)
    assert (
        '<ul class="errorlist" id="id_post-kind_error"><li>Nguyễn Thị Lan holds the post Chair '
        "from 23/12/2017; a term has one at a time."
    ) in page
    assert Post.objects.count() == before


def test_a_vice_chair_off_the_committee_is_refused_beside_the_person(
    client_as, term, chair, people, english
):
    response = _add(
        client_as("secretary"),
        term,
        kind="vice_chair",
        member=people["Nam"].pk,
        obtained_by="committee",
    )
    assert response.status_code == 200
    assert 'id="id_post-person_error"><li>Trần Văn Nam does not sit on the executive' in text(
        response
    )
    assert not term.posts.filter(kind=PostKind.VICE_CHAIR).exists()


# --- Deleting a post entered by mistake ---------------------------------------------------------


def test_writers_see_a_delete_button_for_each_post_they_may_delete(client_as, term, chair, mistake):
    url = reverse("congresses:term", args=[term.pk]) + "?on=01/06/2019"
    page = client_as("secretary").get(url).text
    assert f'id="delete-post-{mistake.pk}"' in page and f'id="delete-post-{chair.pk}"' in page
    assert "delete-post-" not in client_as("reviewer").get(url).text


def test_a_post_from_an_election_offers_no_delete_button(client_as, term, congress, people):
    election = elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE)
    ids = [elections.add_candidate(election=election, member=p).pk for p in people.values()]
    rounds.enter_round(
        election=election,
        issued=28,
        collected=28,
        valid=28,
        invalid=0,
        votes=dict.fromkeys(ids, 20),
    )
    certification.certify(election=election)
    page = client_as("secretary").get(reverse("congresses:term", args=[term.pk])).text
    assert "Lê Minh Anh" in page and "delete-post-" not in page
    post = term.posts.first()
    response = _delete(client_as("secretary"), post, confirmed="yes", **{"delete-reason": "Nhầm"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Post.objects.filter(pk=post.pk).exists()


def test_deleting_asks_first_then_needs_the_reason(client_as, term, mistake, english):
    client = client_as("secretary")
    asked = _delete(client, mistake)
    assert asked.status_code == 200
    page = text(asked)
    assert (
        "Delete the post Executive committee member of Người Nhập Nhầm (from 01/06/2019) as "
        "entered by mistake?"
    ) in page
    assert 'name="delete-reason"' in page
    without = _delete(client, mistake, confirmed="yes", **{"delete-reason": " "})
    assert without.status_code == 200
    assert (
        '<ul class="errorlist" id="id_delete-reason_error"><li>Give the reason for deleting the '
        "post.</li></ul>"
    ) in text(without)
    assert Post.objects.filter(pk=mistake.pk).exists()


def test_a_deleted_post_leaves_the_committee_and_stays_in_the_history(
    client_as, term, mistake, english
):
    client = client_as("secretary")
    response = _delete(client, mistake, confirmed="yes", **{"delete-reason": "Nhập hai lần"})
    assert response.status_code == 302
    assert response.url == reverse("congresses:term", args=[term.pk]) + "#committee"
    assert not Post.objects.filter(pk=mistake.pk).exists()
    last = Post.history.filter(id=mistake.pk).first()
    assert (last.history_type, last.history_change_reason, last.history_user.username) == (
        "-",
        "Nhập hai lần",
        "secretary",
    )
    page = text(client.get(reverse("congresses:term", args=[term.pk]) + "?on=01/06/2019"))
    assert 'id="committee-table"' not in page  # it was the only post of the day
    deleted = page.split('id="deleted-posts-table"')[1].split("</table>")[0]
    assert "Người Nhập Nhầm" in deleted and "Nhập hai lần" in deleted and "secretary" in deleted
    summary = client.get(reverse("reports:term_summary", args=[term.pk]), {"as_of": "01/06/2019"})
    assert summary.status_code == 200 and "Người Nhập Nhầm" not in summary.text


@pytest.mark.parametrize(("persona_name", "status"), [("reviewer", 403), ("stranger", 404)])
def test_deleting_needs_write_rights_over_the_term(client_as, mistake, persona_name, status):
    response = _delete(client_as(persona_name), mistake, confirmed="yes", **{"delete-reason": "X"})
    assert response.status_code == status
    assert Post.objects.filter(pk=mistake.pk).exists()


def test_the_term_page_flags_a_stored_breach(client_as, term, english):
    for name in ("Chủ Tịch Một", "Chủ Tịch Hai"):
        Post.objects.create(
            term=term, kind=PostKind.CHAIR, person_name=name, starts_on=DAY, obtained_by="committee"
        )
    page = text(client_as("secretary").get(reverse("congresses:term", args=[term.pk])))
    problems = page.split('id="record-problems"')[1].split("</section>")[0]
    assert "Chair: Chủ Tịch Hai, from 23/12/2017" in problems
    assert "Held on 23/12/2017 together with Chair: Chủ Tịch Một" in problems
    assert f'href="/terms/{term.pk}/?on=23/12/2017#committee"' in problems


# --- The API --------------------------------------------------------------------------------------


def test_the_api_refuses_a_second_chair_naming_the_field(api, tree, term, chair, people):
    on_the_committee(term, people["Nam"])
    as_user(api, persona(tree, "secretary"))
    response = api.post(
        "/api/v1/posts/",
        {
            "term": term.pk,
            "kind": "chair",
            "member": people["Nam"].pk,
            "starts_on": "2018-01-01",
            "obtained_by": "by_election",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["kind"]
    assert "Nguyễn Thị Lan holds the post Chair" in response.json()["kind"][0]


def test_the_api_refuses_a_loser_of_the_certified_election(api, tree, term, congress, people):
    election = elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE, seats=2)
    votes = {}
    for person, count in zip(people.values(), [25, 20, 5], strict=True):
        votes[elections.add_candidate(election=election, member=person).pk] = count
    rounds.enter_round(election=election, issued=28, collected=28, valid=28, invalid=0, votes=votes)
    certification.certify(election=election)
    as_user(api, persona(tree, "secretary"))
    response = api.post(
        "/api/v1/posts/",
        {
            "term": term.pk,
            "kind": "executive",
            "member": people["Anh"].pk,
            "starts_on": "2017-12-23",
            "obtained_by": "congress",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "member": [
            "Lê Minh Anh was not elected in the certified election (Executive committee, "
            "23/12/2017)."
        ]
    }


def test_the_api_deletes_a_post_with_a_reason_only(api, tree, mistake):
    as_user(api, persona(tree, "secretary"))
    url = f"/api/v1/posts/{mistake.pk}/"
    without = api.delete(url, {}, format="json")
    assert without.status_code == 400
    assert without.json() == {"reason": ["Give the reason for deleting the post."]}
    assert api.delete(url, {"reason": "Nhập hai lần"}, format="json").status_code == 204
    assert api.get(url).status_code == 404
    assert Post.history.filter(id=mistake.pk).first().history_change_reason == "Nhập hai lần"


def test_the_api_refuses_deleting_for_a_reviewer(api, tree, mistake):
    as_user(api, persona(tree, "reviewer"))
    response = api.delete(f"/api/v1/posts/{mistake.pk}/", {"reason": "X"}, format="json")
    assert response.status_code == 403
    assert Post.objects.filter(pk=mistake.pk).exists()


def test_the_api_refuses_deleting_the_chairs_seat(api, tree, term, chair):
    seat = term.posts.get(kind=PostKind.EXECUTIVE)
    as_user(api, persona(tree, "secretary"))
    response = api.delete(f"/api/v1/posts/{seat.pk}/", {"reason": "Nhầm"}, format="json")
    assert response.status_code == 400
    assert "Nguyễn Thị Lan, Chair, would then not sit" in response.json()["non_field_errors"][0]
