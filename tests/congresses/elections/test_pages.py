"""Election pages: persona tests, then the secretary's journey through the forms (setup,
candidates, a round with a tie, the further round, certification), their refusals, the
decision forms, corrections with history and the administrator's reopening."""

import pytest
from django.urls import reverse

from congresses.elections import certification, rounds
from congresses.elections import services as elections
from congresses.elections.models import Election, ElectionKind, ElectionStatus, Round, RoundVote
from congresses.models import Congress, Post
from tests.congresses.helpers import text
from tests.factories import member

pytestmark = pytest.mark.django_db

PEOPLE = ["Lê Minh Anh", "Trần Văn Bình", "Đỗ Quang Đức", "Phạm Thu Hà"]


@pytest.fixture
def election_of_four(tree, congress):
    """The executive election of the congress with four candidates, the members of PEOPLE, all
    of unit-a (the shared `election` has five, of the union and unit-a)."""
    election = elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE)
    for name in PEOPLE:
        elections.add_candidate(election=election, member=member(tree.unit_a, name))
    return Election.objects.get(pk=election.pk)


def votes_of(election, **by_given_name):
    """{"vote_<pk>": n} for candidates named by their given name (Anh=25)."""
    return {
        f"round-vote_{c.pk}": by_given_name[c.person_name.split()[-1]]
        for c in election.candidates.all()
        if c.person_name.split()[-1] in by_given_name
    }


def ballots(issued=28, collected=28, valid=28, invalid=0):
    return {
        "round-issued": issued,
        "round-collected": collected,
        "round-valid": valid,
        "round-invalid": invalid,
        "round-blank": 0,
    }


# --- Who may do what ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("secretary", 200), ("reviewer", 200), ("member", 403), ("stranger", 404), ("admin", 200)],
)
def test_the_election_page_follows_the_branch_scope(client_as, election_of_four, persona, status):
    response = client_as(persona).get(reverse("congresses:election", args=[election_of_four.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    "name",
    [
        "election_edit",
        "election_delete",
        "candidate_add",
        "round_add",
        "election_decide",
        "election_certify",
    ],
)
def test_reviewers_may_not_write_and_strangers_see_nothing(client_as, election_of_four, name):
    url = reverse(f"congresses:{name}", args=[election_of_four.pk])
    assert client_as("reviewer").post(url, {}).status_code == 403
    assert client_as("stranger").post(url, {}).status_code == 404
    assert Election.objects.get(pk=election_of_four.pk).version == election_of_four.version


@pytest.mark.parametrize(
    "name",
    [
        "election_delete",
        "candidate_add",
        "round_add",
        "election_decide",
        "election_certify",
        "election_reopen",
    ],
)
def test_state_changing_urls_refuse_get(client_as, election_of_four, name):
    assert (
        client_as("secretary")
        .get(reverse(f"congresses:{name}", args=[election_of_four.pk]))
        .status_code
        == 405
    )


# --- The secretary's journey through the forms --------------------------------------------------


def test_setting_up_an_election_from_the_congress_page(client_as, congress, english):
    client = client_as("secretary")
    page = client.get(reverse("congresses:congress", args=[congress.pk]))
    assert reverse("congresses:election_add", args=[congress.pk]) in page.content.decode()
    response = client.post(
        reverse("congresses:election_add", args=[congress.pk]),
        {"kind": "executive", "rules": "vgcl_2018"},
    )
    election = Election.objects.get()
    assert response.status_code == 302
    assert (election.seats, election.present, election.denominator) == (3, 28, "collected")
    page = text(client.get(reverse("congresses:election", args=[election.pk])))
    assert "Vietnam Trade Union Charter (2018)" in page and "Art. 10.3" in page


def test_a_candidate_from_the_register_joins_the_ballot_in_vietnamese_order(
    client_as, tree, congress, english
):
    election = elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE)
    lan = member(tree.unit_b, "Nguyễn Thị Lan")
    member(tree.unit_b, "Trần Văn Bình")
    client = client_as("secretary")
    url = reverse("congresses:candidate_add", args=[election.pk])
    client.post(url, {"candidate-member": lan.pk, "candidate-version": election.version})
    election.refresh_from_db()
    client.post(
        url,
        {
            "candidate-card_number": "",
            "candidate-person_name": "Lê Minh Anh",
            "candidate-gender": "female",
            "candidate-version": election.version,
        },
    )
    page = text(client.get(reverse("congresses:election", args=[election.pk])))
    ballot = page[page.index('id="ballot"') : page.index("</ol>", page.index('id="ballot"'))]
    assert ballot.index("Lê Minh Anh") < ballot.index("Nguyễn Thị Lan")
    assert election.candidates.get(person_name="Nguyễn Thị Lan").gender == "female"


def test_a_tie_is_flagged_and_the_further_round_offers_only_the_tied(
    client_as, election_of_four, english
):
    client = client_as("secretary")
    url = reverse("congresses:round_add", args=[election_of_four.pk])
    data = (
        ballots()
        | votes_of(election_of_four, Anh=25, Bình=20, Đức=16, Hà=16)
        | {"round-version": election_of_four.version}
    )
    assert client.post(url, data).status_code == 302
    page = text(client.get(reverse("congresses:election", args=[election_of_four.pk])))
    flag = page[page.index('id="tie-1"') :]
    assert "Tie for the last seat: Đỗ Quang Đức, Phạm Thu Hà" in flag
    assert "more than half of 28 ballots collected: at least 15 votes" in page
    form = page[
        page.index('id="enter-round"') : page.index("</form>", page.index('id="enter-round"'))
    ]
    assert "Đỗ Quang Đức" in form and "Phạm Thu Hà" in form
    assert "Lê Minh Anh" not in form and "Trần Văn Bình" not in form
    election_of_four.refresh_from_db()
    second = (
        ballots()
        | votes_of(election_of_four, Đức=17, Hà=11)
        | {"round-version": election_of_four.version}
    )
    assert client.post(url, second).status_code == 302
    election_of_four.refresh_from_db()
    assert election_of_four.status == ElectionStatus.ENTERED

    certify = reverse("congresses:election_certify", args=[election_of_four.pk])
    ask = client.post(certify, {"version": election_of_four.version})
    assert "Certify the result?" in text(ask)
    assert Election.objects.get(pk=election_of_four.pk).status == ElectionStatus.ENTERED
    client.post(certify, {"version": election_of_four.version, "confirmed": "yes"})
    election_of_four.refresh_from_db()
    assert election_of_four.status == ElectionStatus.CERTIFIED
    names = list(
        Post.objects.filter(election=election_of_four)
        .order_by("order")
        .values_list("person_name", flat=True)
    )
    assert names == ["Lê Minh Anh", "Trần Văn Bình", "Đỗ Quang Đức"]
    term_page = text(
        client.get(
            reverse("congresses:term", args=[election_of_four.congress.term.pk]),
            {"on": "23/12/2017"},
        )
    )
    assert "Đỗ Quang Đức" in term_page


def test_impossible_counts_are_shown_beside_their_field_and_nothing_is_written(
    client_as, election_of_four, english
):
    client = client_as("secretary")
    data = (
        ballots(issued=27)
        | votes_of(election_of_four, Anh=25, Bình=20, Đức=16, Hà=16)
        | {"round-version": election_of_four.version}
    )
    response = client.post(reverse("congresses:round_add", args=[election_of_four.pk]), data)
    assert response.status_code == 200
    assert "More ballots collected (28) than issued (27)." in text(response)
    data = (
        ballots()
        | votes_of(election_of_four, Anh=29, Bình=20, Đức=16, Hà=16)
        | {"round-version": election_of_four.version}
    )
    response = client.post(reverse("congresses:round_add", args=[election_of_four.pk]), data)
    assert "Lê Minh Anh has more votes (29) than valid ballots that mark anyone (28)." in (
        text(response)
    )
    assert not Round.objects.exists()


def test_a_certified_result_refuses_every_change_with_409(client_as, election_of_four, english):
    rounds.enter_round(
        election=election_of_four,
        issued=28,
        collected=28,
        valid=28,
        invalid=0,
        votes={
            c.pk: v
            for c, v in zip(
                election_of_four.candidates.order_by("sort_key"), [25, 20, 17, 16], strict=True
            )
        },
    )
    certification.certify(election=election_of_four)
    election_of_four.refresh_from_db()
    client = client_as("secretary")
    last = Round.objects.get()
    before = list(RoundVote.objects.order_by("pk").values_list("votes", flat=True))
    for url, data in [
        (reverse("congresses:round_remove", args=[last.pk]), {"confirmed": "yes"}),
        (reverse("congresses:round_edit", args=[last.pk]), {}),
        (reverse("congresses:election_delete", args=[election_of_four.pk]), {"confirmed": "yes"}),
        (reverse("congresses:election_certify", args=[election_of_four.pk]), {"confirmed": "yes"}),
        (
            reverse("congresses:election_decide", args=[election_of_four.pk]),
            {"decision-decision": "lot"},
        ),
    ]:
        response = client.post(url, data)
        assert response.status_code == 409, url
        assert (
            "read-only" in text(response)
            or "complete" in text(response)
            or "not open" in text(response)
        )
    assert list(RoundVote.objects.order_by("pk").values_list("votes", flat=True)) == before


def test_two_secretaries_entering_the_same_round_cannot_overwrite_each_other(
    client_as, election_of_four, english
):
    client = client_as("secretary")
    url = reverse("congresses:round_add", args=[election_of_four.pk])
    data = (
        ballots()
        | votes_of(election_of_four, Anh=25, Bình=20, Đức=17, Hà=16)
        | {"round-version": election_of_four.version}
    )
    assert client.post(url, data).status_code == 302
    stale = client.post(url, data | votes_of(election_of_four, Anh=24))
    assert stale.status_code == 409
    assert "Someone else changed this election meanwhile" in text(stale)
    assert Round.objects.count() == 1


def test_the_congress_leaves_a_seat_vacant(client_as, election_of_four, english):
    client = client_as("secretary")
    data = (
        ballots()
        | votes_of(election_of_four, Anh=25, Bình=20, Đức=14, Hà=13)
        | {"round-version": election_of_four.version}
    )
    client.post(reverse("congresses:round_add", args=[election_of_four.pk]), data)
    page = text(client.get(reverse("congresses:election", args=[election_of_four.pk])))
    assert 'data-awaiting="decision"' in page and "Leave the open seats vacant" in page
    election_of_four.refresh_from_db()
    client.post(
        reverse("congresses:election_decide", args=[election_of_four.pk]),
        {"decision-decision": "leave_vacant", "decision-version": election_of_four.version},
    )
    page = text(client.get(reverse("congresses:election", args=[election_of_four.pk])))
    assert "1 seat left vacant." in page
    assert Election.objects.get(pk=election_of_four.pk).status == ElectionStatus.ENTERED


def test_a_correction_after_reopening_keeps_old_and_new_values_in_the_history(
    client_as, election_of_four, english
):
    ordered = list(election_of_four.candidates.order_by("sort_key"))  # Anh, Bình, Đức, Hà
    rounds.enter_round(
        election=election_of_four,
        issued=28,
        collected=28,
        valid=28,
        invalid=0,
        votes={c.pk: v for c, v in zip(ordered, [25, 20, 17, 16], strict=True)},
    )
    certification.certify(election=election_of_four)
    election_of_four.refresh_from_db()
    reopen = reverse("congresses:election_reopen", args=[election_of_four.pk])
    assert client_as("secretary").post(reopen, {"reopen-reason": "sai"}).status_code == 403
    admin = client_as("admin")
    response = admin.post(reopen, {"reopen-reason": ""})
    assert "Give the reason for reopening." in text(response)
    admin.post(reopen, {"reopen-reason": "Hà had 18 votes"})
    election_of_four.refresh_from_db()
    assert election_of_four.status == ElectionStatus.ENTERED
    last = Round.objects.get()
    form = {
        "round-issued": 28,
        "round-collected": 28,
        "round-valid": 28,
        "round-invalid": 0,
        "round-blank": 0,
        "round-version": election_of_four.version,
    }
    form |= {f"round-vote_{c.pk}": v for c, v in zip(ordered, [25, 20, 15, 18], strict=True)}
    assert admin.post(reverse("congresses:round_edit", args=[last.pk]), form).status_code == 302
    page = text(admin.get(reverse("congresses:election", args=[election_of_four.pk])))
    history = page[page.index('id="history-table"') :]
    assert "votes: 16 → 18" in history and "votes: 17 → 15" in history
    assert "reopened: Hà had 18 votes" in history


@pytest.mark.parametrize(("size", "said"), [(1, "voted for 1 seat;"), (2, "voted for 2 seats;")])
def test_a_count_of_seats_takes_its_plural_form(client_as, election, english, size, said):
    """The congress's number of seats against the election's 3: "1 seat", never "1 seats"."""
    Congress.objects.filter(pk=election.congress_id).update(committee_size=size)
    page = text(client_as("secretary").get(reverse("congresses:election", args=[election.pk])))
    assert f"The congress {said} this election fills 3." in page
