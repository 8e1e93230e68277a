"""The JSON API of terms, congresses, posts and delegates: the register's scope rules, the
services' refusals as 400s, the lifecycle through actions and the frozen statistics."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from congresses import committees, parts, services
from congresses.models import Congress, CongressStatus, Delegate, Post, Term
from members.models import Role
from tests.congresses.helpers import as_user
from tests.factories import member, persona, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def plain_api():
    """An API client that sends no Accept-Language: it is answered in the site's language
    (unlike the shared `api`, which asks for English)."""
    return APIClient()


def stranger(tree):
    return user("stranger", Role.SECRETARY, tree.far)


# --- The demo congress --------------------------------------------------------------------


def test_demo_congress_gives_the_seed_figures(plain_api, demo):
    from congresses import demo as congress_demo

    congress_demo.load()
    plain_api.login(username="secretary", password="demo")
    found = plain_api.get("/api/v1/congresses/", {"branch": "hp-skhcn"}).json()["results"]
    seed = next(c for c in found if c["held_on"] == "2017-12-23")
    figures = seed["statistics"]
    assert (figures["members"], figures["women"], figures["women_share"], figures["sub_units"]) == (
        185,
        91,
        49.2,
        6,
    )
    assert isinstance(figures["women_share"], float)
    assert figures["counted_on"] == "2017-12-23" and sum(figures["age_bands"].values()) == 185
    assert (seed["status"], seed["branch"], seed["committee_size"]) == ("recognised", "hp-skhcn", 9)
    assert seed["quorum"] == {"required": 124, "met": True}
    assert seed["reported"]["members"] is None and seed["reported"]["women_share"] is None
    assert seed["guests"][0]["name"].startswith("Chủ tịch Công đoàn Viên chức")
    assert {seat["body"] for seat in seed["bodies"]} == {
        "presidium",
        "secretariat",
        "counting_board",
    }
    posts = plain_api.get("/api/v1/posts/", {"term": seed["term"], "on": "2018-06-01"}).json()
    assert posts["count"] == 9 + 3 + 2 and posts["results"][0]["kind"] == "chair"
    delegates = plain_api.get("/api/v1/delegates/", {"congress": seed["id"]}).json()["results"]
    assert [d["kind"] for d in delegates] == ["full", "full", "full", "alternate"]
    terms = plain_api.get("/api/v1/terms/", {"branch": "hp-skhcn"}).json()["results"]
    assert [t["label"] for t in terms] == ["2012–2017", "2017–2022", "2022–2027"]
    assert (terms[1]["previous"], terms[1]["next"]) == (terms[0]["id"], terms[2]["id"])
    assert terms[0]["previous"] is None and terms[2]["next"] is None


def test_reviewer_of_the_city_union_reads_the_demo_congresses(plain_api, demo):
    from congresses import demo as congress_demo

    congress_demo.load()
    plain_api.login(username="reviewer", password="demo")
    assert plain_api.get("/api/v1/congresses/").json()["count"] == 3
    plain_api.login(username="member", password="demo")
    assert plain_api.get("/api/v1/congresses/").status_code == 403


# --- Personas --------------------------------------------------------------------------------


def test_secretary_creates_and_edits_a_term_of_their_branch(plain_api, tree):
    as_user(plain_api, persona(tree, "secretary"))
    response = plain_api.post(
        "/api/v1/terms/", {"branch": "unit-a", "starts_on": "2018-01-01"}, format="json"
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["label"], created["ends_on"], created["effective_end"]) == (
        "2018–2023",
        "2023-01-01",
        "2023-01-01",
    )
    assert (created["branch"], created["previous"], created["next"]) == ("unit-a", None, None)
    response = plain_api.patch(
        f"/api/v1/terms/{created['id']}/", {"label": "Khóa V", "ordinal": 5}, format="json"
    )
    assert response.status_code == 200
    assert Term.objects.get().label == "Khóa V"


def test_reviewer_reads_but_cannot_write(plain_api, tree, term):
    congress = services.create_congress(
        term=term, held_on=date(2017, 12, 23), summoned=9, present=9, committee_size=3
    )
    as_user(plain_api, persona(tree, "reviewer"))
    assert plain_api.get("/api/v1/terms/").json()["count"] == 1
    assert plain_api.get(f"/api/v1/terms/{term.pk}/").status_code == 200
    assert plain_api.get(f"/api/v1/congresses/{congress.pk}/").json()["status"] == "planned"
    writes = [
        plain_api.post(
            "/api/v1/terms/", {"branch": "union", "starts_on": "2023-01-01"}, format="json"
        ),
        plain_api.patch(f"/api/v1/terms/{term.pk}/", {"label": "X"}, format="json"),
        plain_api.patch(f"/api/v1/congresses/{congress.pk}/", {"venue": "X"}, format="json"),
        plain_api.post(f"/api/v1/congresses/{congress.pk}/held/"),
        plain_api.post(
            "/api/v1/posts/",
            {
                "term": term.pk,
                "kind": "chair",
                "person_name": "A B",
                "starts_on": "2018-01-01",
                "obtained_by": "committee",
            },
            format="json",
        ),
        plain_api.post(
            "/api/v1/delegates/",
            {"congress": congress.pk, "kind": "full", "person_name": "A B"},
            format="json",
        ),
    ]
    assert [response.status_code for response in writes] == [403] * len(writes)
    assert Term.objects.count() == 1 and not Post.objects.exists()
    assert Congress.objects.get().status == CongressStatus.PLANNED and not Delegate.objects.exists()


def test_member_role_cannot_list(plain_api, tree, term):
    as_user(plain_api, persona(tree, "member"))
    for url in ["/api/v1/terms/", "/api/v1/congresses/", "/api/v1/posts/", "/api/v1/delegates/"]:
        assert plain_api.get(url).status_code == 403, url


def test_stranger_gets_404_and_lists_nothing(plain_api, tree, term):
    congress = services.create_congress(term=term, held_on=date(2017, 12, 23))
    post = committees.add_post(
        term=term,
        kind="chair",
        person_name="Lê Văn A",
        starts_on=date(2018, 1, 1),
        obtained_by="committee",
    )
    as_user(plain_api, stranger(tree))
    assert plain_api.get("/api/v1/terms/").json()["count"] == 0
    assert plain_api.get("/api/v1/congresses/").json()["count"] == 0
    for url in [
        f"/api/v1/terms/{term.pk}/",
        f"/api/v1/congresses/{congress.pk}/",
        f"/api/v1/posts/{post.pk}/",
        "/api/v1/terms/?branch=union",
    ]:
        assert plain_api.get(url).status_code == 404, url
    assert (
        plain_api.patch(f"/api/v1/terms/{term.pk}/", {"label": "X"}, format="json").status_code
        == 404
    )
    response = plain_api.post(
        "/api/v1/terms/", {"branch": "union", "starts_on": "2023-01-01"}, format="json"
    )
    assert response.status_code == 404
    assert plain_api.post(f"/api/v1/congresses/{congress.pk}/held/").status_code == 404
    assert Term.objects.count() == 1


# --- Refusals from the services -------------------------------------------------------------


def test_overlapping_term_is_refused_and_nothing_is_written(plain_api, tree, term):
    as_user(plain_api, persona(tree, "secretary"))
    response = plain_api.post(
        "/api/v1/terms/", {"branch": "union", "starts_on": "2020-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "23/12/2017" in response.json()["starts_on"][0]
    assert Term.objects.count() == 1
    response = plain_api.post(
        "/api/v1/terms/",
        {"branch": "union", "starts_on": "2030-01-01", "label": "2017-2022"},
        format="json",
    )
    assert response.status_code == 400 and "label" in response.json()
    assert Term.objects.count() == 1


def test_fields_the_services_do_not_take_are_ignored(plain_api, tree, term):
    congress = services.create_congress(term=term, held_on=date(2017, 12, 23))
    as_user(plain_api, persona(tree, "secretary"))
    response = plain_api.patch(
        f"/api/v1/congresses/{congress.pk}/",
        {
            "status": "recognised",
            "counted_members": 999,
            "statistics": {"members": 999},
            "recognition_decision": "1/QĐ",
            "venue": "Hội trường",
        },
        format="json",
    )
    assert response.status_code == 200
    congress.refresh_from_db()
    assert (
        congress.status,
        congress.counted_members,
        congress.recognition_decision,
        congress.venue,
    ) == ("planned", None, "", "Hội trường")
    response = plain_api.patch(
        f"/api/v1/terms/{term.pk}/",
        {"extended_until": "2024-01-01", "effective_end": "2030-01-01"},
        format="json",
    )
    assert response.status_code == 200
    term.refresh_from_db()
    assert (term.extended_until, term.end) == (None, date(2022, 12, 23))


def test_a_term_or_congress_cannot_move(plain_api, tree, term):
    congress = services.create_congress(term=term, held_on=date(2017, 12, 23))
    other = services.create_term(branch=tree.unit_a, starts_on=date(2017, 12, 23))
    as_user(plain_api, persona(tree, "secretary"))
    response = plain_api.patch(f"/api/v1/terms/{term.pk}/", {"branch": "unit-a"}, format="json")
    assert response.status_code == 400 and "branch" in response.json()
    response = plain_api.patch(
        f"/api/v1/congresses/{congress.pk}/", {"term": other.pk}, format="json"
    )
    assert response.status_code == 400 and "term" in response.json()
    assert Congress.objects.get().term == term


def test_reported_figures_need_a_reason(plain_api, tree, term):
    congress = services.create_congress(term=term, held_on=date(2017, 12, 23))
    as_user(plain_api, persona(tree, "secretary"))
    url = f"/api/v1/congresses/{congress.pk}/"
    response = plain_api.patch(url, {"reported": {"members": 190}}, format="json")
    assert response.status_code == 400 and "reported_reason" in response.json()
    response = plain_api.patch(
        url,
        {"reported": {"members": 190, "women": 95, "reason": "Hai đoàn viên chưa vào sổ"}},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["reported"] == {
        "members": 190,
        "women": 95,
        "women_share": 50.0,
        "sub_units": None,
        "reason": "Hai đoàn viên chưa vào sổ",
    }


# --- The lifecycle ----------------------------------------------------------------------------


def test_lifecycle_through_the_actions(plain_api, tree, term):
    member(tree.unit_a, started_on=date(2015, 1, 1))
    member(tree.unit_b, "Trần Văn Nam", "male", date(2016, 1, 1))
    secretary = persona(tree, "secretary")
    as_user(plain_api, secretary)
    response = plain_api.post(
        "/api/v1/congresses/",
        {
            "term": term.pk,
            "held_on": "2017-12-23",
            "kind": "all_member",
            "summoned": 2,
            "present": 2,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    congress = response.json()
    assert (congress["status"], congress["statistics"]["members"]) == ("planned", None)
    url = f"/api/v1/congresses/{congress['id']}/"
    again = plain_api.post(
        "/api/v1/congresses/", {"term": term.pk, "held_on": "2017-12-23"}, format="json"
    )
    assert again.status_code == 400 and "non_field_errors" in again.json()

    held = plain_api.post(url + "held/")
    assert held.status_code == 200
    assert held.json()["status"] == "held"
    assert held.json()["statistics"] | {"age_bands": None} == {
        "members": 2,
        "women": 1,
        "women_share": 50.0,
        "unknown": 0,
        "sub_units": 2,
        "sub_unit_rows": [  # frozen with the totals, and adding up to them
            {
                "code": "unit-a",
                "name": "Branch unit-a",
                "members": 1,
                "women": 1,
                "unknown": 0,
                "women_share": 100.0,
                "direct": False,
            },
            {
                "code": "unit-b",
                "name": "Branch unit-b",
                "members": 1,
                "women": 0,
                "unknown": 0,
                "women_share": 0.0,
                "direct": False,
            },
        ],
        "sub_unit_rows_reconstructed": False,
        "age_bands": None,
        "counted_on": "2017-12-23",
    }
    refused = plain_api.post(url + "submit/")  # no committee size yet: a state refusal
    assert refused.status_code == 409 and "số lượng ủy viên" in refused.json()["detail"]
    plain_api.patch(url, {"committee_size": 3}, format="json")
    assert plain_api.post(url + "submit/").json()["status"] == "awaiting"

    decision = {"decision": "12/QĐ-CĐ", "decided_on": "2018-01-05"}
    assert (
        plain_api.post(url + "recognise/", decision, format="json").status_code == 403
    )  # own level
    higher = user("higher", Role.SECRETARY, tree.prov)
    as_user(plain_api, higher)
    early = plain_api.post(
        url + "recognise/", {"decision": "12/QĐ-CĐ", "decided_on": "2017-01-01"}, format="json"
    )
    assert early.status_code == 400 and "decided_on" in early.json()
    recognised = plain_api.post(url + "recognise/", decision, format="json")
    assert recognised.status_code == 200
    assert (recognised.json()["status"], recognised.json()["recognition_decision"]) == (
        "recognised",
        "12/QĐ-CĐ",
    )

    as_user(plain_api, secretary)
    locked = plain_api.patch(url, {"venue": "Khác"}, format="json")
    assert locked.status_code == 409 and "đã được công nhận" in locked.json()["detail"]
    assert (
        plain_api.post(url + "reopen/", {"reason": "Sửa số liệu"}, format="json").status_code == 403
    )
    as_user(plain_api, get_user_model().objects.create_superuser("root", password="pw"))
    assert plain_api.post(url + "reopen/", {}, format="json").status_code == 400
    reopened = plain_api.post(url + "reopen/", {"reason": "Sửa số liệu"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["status"] == "awaiting"


def test_term_extension_through_its_action(plain_api, tree, term):
    as_user(plain_api, persona(tree, "secretary"))
    url = f"/api/v1/terms/{term.pk}/extend/"
    too_far = plain_api.post(
        url, {"until": "2026-01-01", "decision": "1/QĐ", "decided_on": "2022-10-01"}, format="json"
    )
    assert too_far.status_code == 400 and "until" in too_far.json()
    done = plain_api.post(
        url, {"until": "2023-06-30", "decision": "1/QĐ", "decided_on": "2022-10-01"}, format="json"
    )
    assert done.status_code == 200
    assert (done.json()["effective_end"], done.json()["extension_decision"]) == (
        "2023-06-30",
        "1/QĐ",
    )
    current = plain_api.get("/api/v1/terms/", {"current": "true"}).json()["results"]
    assert current == []  # the term ended on 30/06/2023


# --- Posts and delegates ----------------------------------------------------------------------


def test_committee_of_a_day_and_ending_a_post(plain_api, tree, term):
    lan = member(tree.unit_a)
    as_user(plain_api, persona(tree, "secretary"))
    created = plain_api.post(
        "/api/v1/posts/",
        {
            "term": term.pk,
            "kind": "chair",
            "member": lan.pk,
            "starts_on": "2017-12-23",
            "obtained_by": "committee",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    post = created.json()
    assert (post["person_name"], post["branch"], post["ends_on"]) == (
        "Nguyễn Thị Lan",
        "union",
        None,
    )
    outside = plain_api.post(
        "/api/v1/posts/",
        {
            "term": term.pk,
            "kind": "vice_chair",
            "person_name": "A",
            "starts_on": "2010-01-01",
            "obtained_by": "committee",
        },
        format="json",
    )
    assert outside.status_code == 400 and "starts_on" in outside.json()
    ended = plain_api.post(
        f"/api/v1/posts/{post['id']}/end/",
        {"on": "2020-05-01", "end_reason": "resigned"},
        format="json",
    )
    assert ended.status_code == 200
    assert (ended.json()["ends_on"], ended.json()["end_reason"]) == ("2020-05-01", "resigned")
    twice = plain_api.post(
        f"/api/v1/posts/{post['id']}/end/",
        {"on": "2021-01-01", "end_reason": "died"},
        format="json",
    )
    assert twice.status_code == 400
    assert (
        plain_api.get("/api/v1/posts/", {"term": term.pk, "on": "2019-01-01"}).json()["count"] == 1
    )
    assert (
        plain_api.get("/api/v1/posts/", {"term": term.pk, "on": "2020-05-01"}).json()["count"] == 0
    )
    assert plain_api.get("/api/v1/posts/", {"on": "01/05/2020"}).status_code == 400


def test_delegates_of_a_congress(plain_api, tree, term):
    congress = services.create_congress(term=term, held_on=date(2017, 12, 23))
    lan = member(tree.unit_a)
    far = member(tree.far_union, "Người Ngoài")
    as_user(plain_api, persona(tree, "secretary"))
    first = plain_api.post(
        "/api/v1/delegates/",
        {"congress": congress.pk, "kind": "full", "member": lan.pk},
        format="json",
    )
    assert first.status_code == 201, first.content
    assert (first.json()["person_name"], first.json()["order"]) == ("Nguyễn Thị Lan", 1)
    clash = plain_api.post(
        "/api/v1/delegates/",
        {"congress": congress.pk, "kind": "full", "person_name": "B C", "order": 1},
        format="json",
    )
    assert clash.status_code == 400 and "order" in clash.json()
    hidden = plain_api.post(
        "/api/v1/delegates/",
        {"congress": congress.pk, "kind": "full", "member": far.pk},
        format="json",
    )
    assert hidden.status_code == 400 and "member" in hidden.json()
    listed = plain_api.get("/api/v1/delegates/", {"congress": congress.pk}).json()
    assert [d["person_name"] for d in listed["results"]] == ["Nguyễn Thị Lan"]
    assert Delegate.objects.count() == 1


def test_lists_are_filtered_by_subtree(plain_api, tree, term):
    services.create_term(branch=tree.other, starts_on=date(2019, 1, 1))
    as_user(plain_api, persona(tree, "reviewer"))
    assert plain_api.get("/api/v1/terms/").json()["count"] == 2
    assert [
        t["branch"] for t in plain_api.get("/api/v1/terms/?branch=union").json()["results"]
    ] == ["union"]
    assert plain_api.get("/api/v1/terms/?branch=far").status_code == 404


def test_lists_read_a_fixed_number_of_queries(plain_api, tree, django_assert_max_num_queries):
    """No query per row: branches, neighbours, guests and bodies come with the page."""
    for code, start in [("union", 2012), ("union", 2017), ("other", 2017), ("unit-a", 2017)]:
        branch = getattr(tree, code.replace("-", "_"))
        term = services.create_term(branch=branch, starts_on=date(start, 1, 1))
        congress = services.create_congress(term=term, held_on=date(start, 1, 1))
        parts.add_guest(congress=congress, name="Khách Mời")
        parts.add_body_member(congress=congress, body="presidium", name="Chủ Trì")
        committees.add_post(
            term=term,
            kind="chair",
            person_name="Chủ Tịch",
            starts_on=date(start, 1, 1),
            obtained_by="committee",
        )
    as_user(plain_api, persona(tree, "reviewer"))
    for url, queries in [
        ("/api/v1/terms/", 4),
        ("/api/v1/congresses/", 6),
        ("/api/v1/posts/", 4),
        ("/api/v1/delegates/", 4),
    ]:
        with django_assert_max_num_queries(queries):
            assert plain_api.get(url).status_code == 200, url


def test_a_non_numeric_id_is_not_found(plain_api, tree):
    as_user(plain_api, persona(tree, "reviewer"))
    assert plain_api.get("/api/v1/terms/abc/").status_code == 404


def test_browsable_forms_list_no_records_of_other_unions(client, tree, term):
    services.create_term(branch=tree.far_union, starts_on=date(2019, 1, 1))
    client.force_login(persona(tree, "secretary"))
    for url in ["/api/v1/terms/", "/api/v1/congresses/", "/api/v1/posts/", "/api/v1/delegates/"]:
        html = client.get(url, HTTP_ACCEPT="text/html").content.decode()
        assert "Branch far-union" not in html and "Branch far" not in html, url
