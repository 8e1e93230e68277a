"""The elections API: a tally loaded from counting software, the same refusals as the forms
(400 beside the field, 409 for a state that takes no change), the result as the pages read
it, and the scope rules of the rest of the API."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from congresses import services
from congresses.elections import certification
from congresses.elections import services as elections
from congresses.elections.models import Candidate, Election, ElectionStatus, Round, RoundVote
from congresses.models import Post
from members.models import Role
from tests.congresses.elections.helpers import CLEAR, NAMES, SHORT, TIE, enter, ids
from tests.congresses.helpers import DAY, as_user
from tests.factories import member, persona, user

pytestmark = pytest.mark.django_db

BALLOT = ["Lê Minh Anh", "Trần Văn Bình", "Đỗ Quang Đức", "Phạm Thu Hà", "Nguyễn Thị Lan"]
URL = "/api/v1/elections/"


def counts(election, votes, **ballots):
    """A round's body: 28 ballots issued and collected, all valid, unless `ballots` says."""
    by_name = ids(election)
    body = {"issued": 28, "collected": 28, "valid": 28, "invalid": 0} | ballots
    return body | {"votes": [{"candidate": by_name[n], "votes": v} for n, v in votes.items()]}


# --- A whole tally ----------------------------------------------------------------------------


def test_the_secretary_loads_a_tally_with_a_tie_for_the_last_seat_and_certifies_it(
    api, tree, congress, people
):
    as_user(api, persona(tree, "secretary"))
    created = api.post(
        URL,
        {
            "congress": congress.pk,
            "kind": "executive",
            "candidates": [{"member": p.pk} for p in people],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    setup = created.json()
    assert (
        setup["seats"],
        setup["summoned"],
        setup["present"],
        setup["elected_by"],
        setup["held_on"],
        setup["branch"],
        setup["status"],
    ) == (
        3,
        30,
        28,
        "congress",
        "2017-12-23",
        "union",
        "draft",
    )
    assert setup["rule_set"] | {"source": ""} == {
        "code": "vgcl_2018",
        "name": "Vietnam Trade Union Charter (2018)",
        "source": "",
        "denominator": "collected",
        "threshold": "majority",
        "tie_break": "further_round",
        "vacancy_allowed": True,
        "max_rounds": None,
    }
    assert setup["rule_set"]["source"].startswith("ĐL2018 Art. 10.3")
    assert [c["person_name"] for c in setup["candidates"]] == BALLOT
    by_name = {c["person_name"]: c["id"] for c in setup["candidates"]}
    url = f"{URL}{setup['id']}/"

    body = counts(Election.objects.get(), TIE) | {"version": setup["version"]}
    first = api.post(url + "rounds/", body, format="json")
    assert first.status_code == 201, first.content
    result = first.json()
    assert (result["complete"], result["awaiting"], result["status"]) == (False, "round", "draft")
    assert result["next"] == {
        "seats": 1,
        "candidates": [
            {"id": by_name["Đỗ Quang Đức"], "name": "Đỗ Quang Đức"},
            {"id": by_name["Phạm Thu Hà"], "name": "Phạm Thu Hà"},
        ],
    }
    assert result["next_step"] == (
        "Tie for the last seat: a further round among Đỗ Quang Đức, Phạm Thu Hà."
    )
    count = result["rounds"][0]
    assert (
        count["number"],
        count["seats"],
        count["collected"],
        count["denominator"],
        count["threshold_votes"],
        count["decision"],
    ) == (1, 3, 28, 28, 15, "")
    assert [
        (
            line["name"],
            line["votes"],
            line["percentage"],
            line["passed"],
            line["elected"],
            line["tied"],
        )
        for line in count["lines"]
    ] == [
        ("Lê Minh Anh", 25, 89.3, True, True, False),
        ("Trần Văn Bình", 20, 71.4, True, True, False),
        ("Đỗ Quang Đức", 16, 57.1, True, False, True),
        ("Phạm Thu Hà", 16, 57.1, True, False, True),
        ("Nguyễn Thị Lan", 3, 10.7, False, False, False),
    ]
    assert [e["name"] for e in result["elected"]] == ["Lê Minh Anh", "Trần Văn Bình"]
    assert result["open_seats"] == 1 and result["vacant"] == 0

    # the counting software knows names, not ids
    second = api.post(
        url + "rounds/",
        {
            "issued": 28,
            "collected": 28,
            "valid": 27,
            "invalid": 1,
            "version": result["version"],
            "votes": [{"name": "Đỗ Quang Đức", "votes": 17}, {"name": "Phạm Thu Hà", "votes": 10}],
        },
        format="json",
    )
    assert second.status_code == 201, second.content
    result = second.json()
    assert (result["complete"], result["awaiting"], result["status"]) == (
        True,
        "nothing",
        "entered",
    )
    assert result["next"] == {"seats": 0, "candidates": []}
    assert [
        (e["candidate"], e["name"], e["round"], e["votes"], e["percentage"], e["by_lot"])
        for e in result["elected"]
    ] == [
        (by_name["Lê Minh Anh"], "Lê Minh Anh", 1, 25, 89.3, False),
        (by_name["Trần Văn Bình"], "Trần Văn Bình", 1, 20, 71.4, False),
        (by_name["Đỗ Quang Đức"], "Đỗ Quang Đức", 2, 17, 60.7, False),
    ]
    assert isinstance(result["elected"][0]["percentage"], float)
    assert result["rounds"][1]["invalid"] == 1 and result["rounds"][1]["seats"] == 1

    certified = api.post(url + "certify/", {"version": result["version"]}, format="json")
    assert certified.status_code == 200, certified.content
    done = certified.json()
    assert (done["status"], done["revision"], len(done["digest"])) == ("certified", 1, 64)
    assert done["certified_at"] is not None
    posts = Post.objects.filter(election_id=setup["id"]).order_by("order")
    assert [(p.person_name, p.kind, p.starts_on) for p in posts] == [
        ("Lê Minh Anh", "executive", DAY),
        ("Trần Văn Bình", "executive", DAY),
        ("Đỗ Quang Đức", "executive", DAY),
    ]
    assert api.get(url + "result/").json()["status"] == "certified"


def test_a_refused_candidate_leaves_no_election_behind(api, tree, congress, people):
    as_user(api, persona(tree, "secretary"))
    response = api.post(
        URL,
        {
            "congress": congress.pk,
            "kind": "executive",
            "candidates": [
                {"member": people[0].pk},
                {"member": people[0].pk},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "candidates": {"1": {"member": ["Trần Văn Bình is a candidate already."]}}
    }
    assert not Election.objects.exists() and not Candidate.objects.exists()


def test_fields_the_services_do_not_take_are_not_stored(api, tree, congress):
    as_user(api, persona(tree, "secretary"))
    response = api.post(
        URL,
        {
            "congress": congress.pk,
            "kind": "chair",
            "status": "certified",
            "digest": "f" * 64,
            "revision": 4,
            "votes": 99,
            "certified_at": "2018-01-01T00:00:00Z",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    election = Election.objects.get()
    assert (election.status, election.digest, election.revision, election.certified_at) == (
        ElectionStatus.DRAFT,
        "",
        0,
        None,
    )
    patched = api.patch(
        f"{URL}{election.pk}/", {"status": "certified", "digest": "x", "present": 3}, format="json"
    )
    assert patched.status_code == 200, patched.content
    election.refresh_from_db()
    assert (election.status, election.digest, election.present) == ("draft", "", 3)


def test_the_unions_own_rules_need_their_fields_and_keep_them_on_a_patch(api, tree, congress):
    as_user(api, persona(tree, "secretary"))
    body = {
        "congress": congress.pk,
        "kind": "full_delegate",
        "seats": 2,
        "rules": "custom",
        "denominator": "valid",
    }
    refused = api.post(URL, body, format="json")
    assert refused.status_code == 400
    assert set(refused.json()) == {"threshold", "tie_break", "vacancy_allowed", "rules_note"}
    body |= {
        "threshold": "majority",
        "tie_break": "lot",
        "vacancy_allowed": False,
        "max_rounds": 3,
        "rules_note": "Thể lệ do đại hội thông qua",
    }
    created = api.post(URL, body, format="json")
    assert created.status_code == 201, created.content
    url = f"{URL}{created.json()['id']}/"
    patched = api.patch(url, {"rules_note": "Thể lệ ngày 23/12/2017"}, format="json")
    assert patched.status_code == 200, patched.content
    rule_set = patched.json()["rule_set"]
    assert (
        rule_set["name"],
        rule_set["source"],
        rule_set["denominator"],
        rule_set["tie_break"],
        rule_set["vacancy_allowed"],
        rule_set["max_rounds"],
    ) == (
        "The union's own rules",
        "Thể lệ ngày 23/12/2017",
        "valid",
        "lot",
        False,
        3,
    )


# --- The forms' refusals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"issued": 27}, "collected", "More ballots collected (28) than issued (27)."),
        ({"issued": 29, "collected": 29, "valid": 29}, "issued", "than present (28)."),
        ({"invalid": 3, "valid": 24}, "invalid", "must add up to the 28 collected."),
        ({"blank": 29}, "blank", "More blank ballots (29) than valid ones (28)."),
        (
            {"votes": {"Lê Minh Anh": 29}},
            "votes.Lê Minh Anh",
            "Lê Minh Anh has more votes (29) than valid ballots that mark anyone (28).",
        ),
        (
            {"votes": dict.fromkeys(NAMES, 28)},
            "votes",
            "More votes in all (140) than seats (3) × valid ballots that mark anyone (28)",
        ),
    ],
)
def test_impossible_counts_are_refused_beside_their_field_and_nothing_is_written(
    api, tree, election, change, field, text
):
    as_user(api, persona(tree, "secretary"))
    votes = dict.fromkeys(NAMES, 10) | change.pop("votes", {})
    response = api.post(
        f"{URL}{election.pk}/rounds/", counts(election, votes, **change), format="json"
    )
    assert response.status_code == 400
    errors = response.json()
    name, _, candidate = field.partition(".")
    messages = errors[name][str(ids(election)[candidate])] if candidate else errors[name]
    assert any(text in message for message in messages), errors
    assert not Round.objects.exists() and not RoundVote.objects.exists()
    assert Election.objects.get().version == election.version


def test_a_candidate_over_the_valid_ballots_and_a_total_over_the_seats_both_show(
    api, tree, election
):
    as_user(api, persona(tree, "secretary"))
    votes = dict.fromkeys(NAMES, 28) | {"Lê Minh Anh": 29}
    response = api.post(f"{URL}{election.pk}/rounds/", counts(election, votes), format="json")
    assert response.status_code == 400
    errors = response.json()["votes"]
    assert errors[str(ids(election)["Lê Minh Anh"])] == [
        "Lê Minh Anh has more votes (29) than valid ballots that mark anyone (28)."
    ]
    assert errors["non_field_errors"][0].startswith("More votes in all (141)")


def test_votes_for_someone_not_on_this_rounds_ballot_are_refused(api, tree, election):
    enter(election, TIE)
    as_user(api, persona(tree, "secretary"))
    url = f"{URL}{election.pk}/rounds/"
    votes = {"Đỗ Quang Đức": 10, "Phạm Thu Hà": 10, "Nguyễn Thị Lan": 8}
    response = api.post(url, counts(election, votes), format="json")
    assert response.status_code == 400
    assert response.json()["votes"] == [
        "Enter the votes of every candidate on this round's ballot, and of no one else."
    ]
    by_name = ids(election)
    missing = api.post(url, counts(election, {"Đỗ Quang Đức": 10}), format="json")
    assert missing.status_code == 400 and "every candidate" in missing.json()["votes"][0]
    foreign = counts(election, {"Đỗ Quang Đức": 10, "Phạm Thu Hà": 10})
    foreign["votes"].append({"candidate": by_name["Lê Minh Anh"] + 1000, "votes": 1})
    assert api.post(url, foreign, format="json").status_code == 400
    assert Round.objects.count() == 1


def test_names_must_match_exactly_one_candidate(api, tree, election):
    namesake = elections.add_candidate(election=election, person_name="Trần  Văn Bình")
    as_user(api, persona(tree, "secretary"))
    url = f"{URL}{election.pk}/rounds/"
    body = {
        "issued": 28,
        "collected": 28,
        "valid": 28,
        "invalid": 0,
        "votes": [
            {"name": "Lê Minh Ánh", "votes": 1},
            {"name": "Trần Văn Bình", "votes": 1},
            {"name": "Lê Minh Anh", "votes": 1},
            {"name": " Lê  Minh Anh", "votes": 1},
        ],
    }
    response = api.post(url, body, format="json")
    assert response.status_code == 400
    assert response.json()["votes"] == {
        "0": {"name": ["No candidate of this election is named “Lê Minh Ánh”."]},
        "1": {"name": ["2 candidates are named “Trần Văn Bình”: give the id."]},
        "3": {"candidate": ["This candidate is listed twice."]},
    }
    both = body | {"votes": [{"candidate": namesake.pk, "name": "Lê Minh Anh", "votes": 1}]}
    assert api.post(url, both, format="json").json()["votes"] == {
        "0": {"non_field_errors": ["Give the candidate's id or name, one of them."]}
    }
    binh = Candidate.objects.get(
        election=election, member__isnull=False, person_name="Trần Văn Bình"
    )
    votes = [{"name": n, "votes": v} for n, v in CLEAR.items() if n != "Trần Văn Bình"]
    votes += [{"candidate": binh.pk, "votes": 20}, {"candidate": namesake.pk, "votes": 1}]
    entered = api.post(url, body | {"votes": votes}, format="json")
    assert entered.status_code == 201, entered.content
    assert {line["name"] for line in entered.json()["rounds"][0]["lines"]} == set(BALLOT)


# --- States that take no change: 409 -----------------------------------------------------------


def test_the_congress_decides_before_a_further_round_and_none_follows_completion(
    api, tree, election
):
    enter(election, SHORT)  # 14 of 28 is not more than half
    as_user(api, persona(tree, "secretary"))
    url = f"{URL}{election.pk}/"
    result = api.get(url + "result/").json()
    assert (result["awaiting"], result["decisions"]) == ("decision", ["vote_again", "leave_vacant"])
    further = counts(election, {"Đỗ Quang Đức": 10, "Phạm Thu Hà": 10, "Nguyễn Thị Lan": 8})
    early = api.post(url + "rounds/", further, format="json")
    assert early.status_code == 409 and "decides first" in early.json()["detail"]
    lot = api.post(url + "decide/", {"decision": "lot"}, format="json")
    assert lot.status_code == 400 and "not open" in lot.json()["decision"][0]
    decided = api.post(url + "decide/", {"decision": "leave_vacant"}, format="json")
    assert decided.status_code == 200, decided.content
    assert (decided.json()["complete"], decided.json()["vacant"]) == (True, 1)
    assert decided.json()["rounds"][0]["decision"] == "leave_vacant"
    late = api.post(url + "rounds/", further, format="json")
    assert late.status_code == 409 and "complete" in late.json()["detail"]


def test_a_certified_result_answers_409_to_every_change(api, tree, election):
    enter(election, CLEAR)
    certification.certify(election=election)
    as_user(api, persona(tree, "secretary"))
    url = f"{URL}{election.pk}/"
    candidate = Candidate.objects.filter(election=election).first().pk
    writes = [
        api.post(url + "rounds/", counts(election, CLEAR), format="json"),
        api.put(url + "rounds/1/", counts(election, CLEAR), format="json"),
        api.delete(url + "rounds/1/"),
        api.post(url + "candidates/", {"person_name": "Ai Đó"}, format="json"),
        api.delete(url + f"candidates/{candidate}/"),
        api.patch(url, {"present": 27}, format="json"),
        api.delete(url),
        api.post(url + "decide/", {"decision": "leave_vacant"}, format="json"),
        api.post(url + "certify/", {}, format="json"),
    ]
    assert [w.status_code for w in writes] == [409] * len(writes)
    assert "certified" in writes[0].json()["detail"]
    assert RoundVote.objects.filter(votes=17).exists() and Election.objects.get().revision == 1


def test_a_stale_version_is_a_conflict_and_writes_nothing(api, tree, election):
    as_user(api, persona(tree, "secretary"))
    url = f"{URL}{election.pk}/"
    stale = election.version
    assert api.patch(url, {"present": 27, "version": stale}, format="json").status_code == 200
    again = api.patch(url, {"present": 26, "version": stale}, format="json")
    assert again.status_code == 409 and "Someone else changed" in again.json()["detail"]
    entered = api.post(
        url + "rounds/",
        counts(election, TIE, issued=27, collected=27, valid=27) | {"version": stale},
        format="json",
    )
    assert entered.status_code == 409 and not Round.objects.exists()
    assert (
        api.delete(url + f"candidates/{ids(election)['Lê Minh Anh']}/?version={stale}").status_code
        == 409
    )
    assert Election.objects.get().present == 27 and Candidate.objects.count() == 5


# --- Correcting rounds and the ballot -------------------------------------------------------


def test_only_the_last_round_changes_and_a_patch_keeps_what_it_leaves_out(api, tree, election):
    enter(election, TIE)
    enter(election, {"Đỗ Quang Đức": 15, "Phạm Thu Hà": 11})
    as_user(api, persona(tree, "secretary"))
    url = f"{URL}{election.pk}/rounds/"
    first = api.patch(url + "1/", {"invalid": 1, "valid": 27}, format="json")
    assert first.status_code == 409 and "Only the last round" in first.json()["detail"]
    assert api.patch(url + "3/", {"invalid": 0}, format="json").status_code == 404
    corrected = api.patch(
        url + "2/", {"votes": [{"name": "Phạm Thu Hà", "votes": 13}]}, format="json"
    )
    assert corrected.status_code == 200, corrected.content
    lines = corrected.json()["rounds"][1]["lines"]
    assert [(line["name"], line["votes"]) for line in lines] == [
        ("Đỗ Quang Đức", 15),
        ("Phạm Thu Hà", 13),
    ]
    assert corrected.json()["rounds"][1]["collected"] == 28
    # a recount: 14 of 28 collected is not more than half, so the congress decides
    recount = api.put(
        url + "2/",
        counts(election, {"Đỗ Quang Đức": 14, "Phạm Thu Hà": 13}, invalid=1, valid=27),
        format="json",
    )
    assert recount.status_code == 200, recount.content
    assert (recount.json()["awaiting"], recount.json()["decisions"]) == (
        "decision",
        ["vote_again", "leave_vacant"],
    )
    assert api.delete(url + "2/").status_code == 204
    result = api.get(f"{URL}{election.pk}/result/").json()
    assert (result["awaiting"], len(result["rounds"])) == ("round", 1)


def test_candidates_join_and_leave_the_ballot_until_the_first_round(api, tree, election):
    as_user(api, persona(tree, "secretary"))
    url = f"{URL}{election.pk}/candidates/"
    added = api.post(url, {"person_name": "Vũ Thị Khách", "gender": "female"}, format="json")
    assert added.status_code == 201, added.content
    assert (added.json()["person_name"], added.json()["member"]) == ("Vũ Thị Khách", None)
    far = member(tree.far_union, name="Người Ngoài")
    hidden = api.post(url, {"member": far.pk}, format="json")
    assert hidden.status_code == 400 and "does not exist" in hidden.json()["member"][0]
    assert api.delete(f"{url}{added.json()['id']}/").status_code == 204
    other = elections.create_election(congress=election.congress, kind="chair")
    stray = elections.add_candidate(election=other, person_name="Người Khác")
    assert api.delete(f"{url}{stray.pk}/").status_code == 404
    assert api.delete(f"{url}abc/").status_code == 404
    enter(election, TIE)
    late = api.post(url, {"person_name": "Đến Muộn"}, format="json")
    assert late.status_code == 409 and "ballot can no longer change" in late.json()["detail"]
    assert Candidate.objects.filter(election=election).count() == 5


# --- Scope ------------------------------------------------------------------------------------


def test_reviewer_reads_but_every_write_is_403(api, tree, congress, election):
    enter(election, CLEAR)
    as_user(api, persona(tree, "reviewer"))
    url = f"{URL}{election.pk}/"
    assert api.get(URL).json()["count"] == 1
    assert api.get(url).status_code == 200 and api.get(url + "result/").status_code == 200
    candidate = Candidate.objects.filter(election=election).first().pk
    writes = [
        api.post(URL, {"congress": congress.pk, "kind": "chair"}, format="json"),
        api.patch(url, {"present": 27}, format="json"),
        api.put(url, {"congress": congress.pk, "kind": "executive"}, format="json"),
        api.delete(url),
        api.post(url + "candidates/", {"person_name": "Ai Đó"}, format="json"),
        api.delete(url + f"candidates/{candidate}/"),
        api.post(url + "rounds/", counts(election, CLEAR), format="json"),
        api.patch(url + "rounds/1/", {"invalid": 0}, format="json"),
        api.delete(url + "rounds/1/"),
        api.post(url + "decide/", {"decision": "leave_vacant"}, format="json"),
        api.post(url + "certify/", {}, format="json"),
        api.post(url + "reopen/", {"reason": "Sửa"}, format="json"),
    ]
    assert [w.status_code for w in writes] == [403] * len(writes)
    assert Election.objects.count() == 1 and Round.objects.count() == 1
    assert Election.objects.get().status == ElectionStatus.ENTERED


def test_a_stranger_sees_nothing_and_their_congress_does_not_exist(api, tree, congress, election):
    as_user(api, user("stranger", Role.SECRETARY, tree.far))
    url = f"{URL}{election.pk}/"
    assert api.get(URL).json()["count"] == 0
    for response in [
        api.get(url),
        api.get(url + "result/"),
        api.get(URL, {"branch": "union"}),
        api.patch(url, {"present": 1}, format="json"),
        api.delete(url),
        api.post(url + "rounds/", counts(election, CLEAR), format="json"),
        api.post(url + "certify/", {}, format="json"),
    ]:
        assert response.status_code == 404
    created = api.post(URL, {"congress": congress.pk, "kind": "chair"}, format="json")
    assert created.status_code == 400
    assert created.json()["congress"] == [f'Invalid pk "{congress.pk}" - object does not exist.']
    assert Election.objects.count() == 1 and not Round.objects.exists()


def test_the_member_role_lists_nothing(api, tree, election):
    as_user(api, persona(tree, "member"))
    assert api.get(URL).status_code == 403
    assert api.get(f"{URL}{election.pk}/").status_code == 403


def test_lists_filter_by_congress_branch_kind_and_status(api, tree, congress, election):
    other_term = services.create_term(branch=tree.other, starts_on=DAY)
    other = services.create_congress(term=other_term, held_on=DAY, committee_size=3)
    elections.create_election(congress=other, kind="executive")
    enter(election, CLEAR)
    as_user(api, persona(tree, "reviewer"))

    def listed(**filters):
        return [e["id"] for e in api.get(URL, filters).json()["results"]]

    assert len(listed()) == 2
    assert listed(branch="union") == listed(congress=congress.pk) == [election.pk]
    assert listed(status="entered") == [election.pk] and len(listed(kind="executive")) == 2
    assert listed(kind="chair") == []
    assert api.get(URL, {"branch": "far"}).status_code == 404


def test_reopening_needs_an_administrator_and_a_reason(api, tree, election):
    enter(election, CLEAR)
    certification.certify(election=election)
    url = f"{URL}{election.pk}/reopen/"
    as_user(api, persona(tree, "secretary"))
    refused = api.post(url, {"reason": "Sai số"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only an administrator can reopen a certified result."
    as_user(api, get_user_model().objects.create_superuser("root", password="pw"))
    blank = api.post(url, {"reason": "  "}, format="json")
    assert blank.status_code == 400
    assert blank.json() == {"reason": ["Give the reason for reopening."]}
    reopened = api.post(url, {"reason": "Phiếu của Hà đếm sai"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["status"] == "entered"
    again = api.post(url, {"reason": "Lần nữa"}, format="json")
    assert again.status_code == 409


def test_messages_follow_the_language_of_the_request(tree, election):
    api = as_user(APIClient(HTTP_ACCEPT_LANGUAGE="vi"), persona(tree, "secretary"))
    response = api.post(f"{URL}{election.pk}/rounds/", {"issued": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["issued"] == ["Cần nhập một số nguyên hợp lệ."]


def test_the_schema_lists_the_election_endpoints(api, tree):
    as_user(api, persona(tree, "secretary"))
    paths = api.get("/api/schema/", {"format": "json"}).json()["paths"]
    for path, methods in [
        ("/api/v1/elections/", {"get", "post"}),
        ("/api/v1/elections/{id}/", {"get", "put", "patch", "delete"}),
        ("/api/v1/elections/{id}/candidates/", {"post"}),
        ("/api/v1/elections/{id}/candidates/{candidate}/", {"delete"}),
        ("/api/v1/elections/{id}/rounds/", {"post"}),
        ("/api/v1/elections/{id}/rounds/{number}/", {"put", "patch", "delete"}),
        ("/api/v1/elections/{id}/result/", {"get"}),
        ("/api/v1/elections/{id}/decide/", {"post"}),
        ("/api/v1/elections/{id}/certify/", {"post"}),
        ("/api/v1/elections/{id}/reopen/", {"post"}),
    ]:
        assert set(paths[path]) - {"parameters"} == methods, path


def test_lots_settle_a_tie_under_rules_that_say_so(api, tree, congress, people):
    as_user(api, persona(tree, "secretary"))
    created = api.post(
        URL,
        {
            "congress": congress.pk,
            "kind": "full_delegate",
            "seats": 2,
            "rules": "custom",
            "denominator": "collected",
            "threshold": "majority",
            "tie_break": "lot",
            "vacancy_allowed": True,
            "rules_note": "Thể lệ của đại hội",
            "candidates": [{"member": p.pk} for p in people[:3]],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    election = Election.objects.get()
    url = f"{URL}{election.pk}/"
    votes = {"Lê Minh Anh": 20, "Trần Văn Bình": 15, "Nguyễn Thị Lan": 15}
    result = api.post(url + "rounds/", counts(election, votes), format="json").json()
    assert (result["awaiting"], result["decisions"]) == ("lot", ["lot"])
    lan = ids(election)["Nguyễn Thị Lan"]
    wrong = api.post(url + "decide/", {"decision": "lot", "lot_winners": []}, format="json")
    assert wrong.status_code == 400 and wrong.json()["lot_winners"][0].startswith("Choose 1")
    drawn = api.post(url + "decide/", {"decision": "lot", "lot_winners": [lan]}, format="json")
    assert drawn.status_code == 200, drawn.content
    result = drawn.json()
    assert result["complete"]
    assert [(e["name"], e["by_lot"]) for e in result["elected"]] == [
        ("Lê Minh Anh", False),
        ("Nguyễn Thị Lan", True),
    ]
    assert [line["won_by_lot"] for line in result["rounds"][0]["lines"]] == [False, False, True]


def test_a_draft_election_is_deleted_with_its_ballot(api, tree, election):
    as_user(api, persona(tree, "secretary"))
    assert api.delete(f"{URL}{election.pk}/").status_code == 204
    assert not Election.objects.exists() and not Candidate.objects.exists()


def test_the_list_reads_a_fixed_number_of_queries(
    api, tree, congress, election, django_assert_max_num_queries
):
    for kind in ("chair", "inspection"):
        other = elections.create_election(congress=congress, kind=kind, seats=1)
        elections.add_candidate(election=other, person_name="Ứng Cử Viên")
    as_user(api, persona(tree, "reviewer"))
    with django_assert_max_num_queries(4):
        listed = api.get(URL).json()
    assert listed["count"] == 3 and len(listed["results"][0]["candidates"]) == 5
