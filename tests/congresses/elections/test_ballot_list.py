"""Candidates through the election page (issue 13, item 5): one picked with the person field,
and a list pasted one per line, read, shown for confirmation (namesakes to choose from, names
the register does not know to confirm as someone from outside or leave out), and added in one
step through add_candidates, all or none."""

from datetime import date

import pytest
from django.urls import reverse

from congresses.elections import services as elections
from congresses.elections.models import Candidate, ElectionKind
from tests.congresses.helpers import text
from tests.factories import member

pytestmark = pytest.mark.django_db

NINE = [
    "Nguyễn Thị Lan",
    "Trần Văn Bình",
    "Lê Minh Anh",
    "Phạm Thu Hà",
    "Đỗ Quang Đức",
    "Hoàng Văn Nam",
    "Vũ Thị Mai",
    "Bùi Đức Long",
    "Đặng Thu Trang",
]


@pytest.fixture
def empty_election(congress):
    return elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE)


@pytest.fixture
def nine(tree):
    return [
        member(tree.unit_a if i % 2 else tree.unit_b, name, card_number=f"C-{i}")
        for i, name in enumerate(NINE)
    ]


def paste(client, election, names, **choices):
    data = {"paste-names": names, "paste-version": election.version} | choices
    return client.post(reverse("congresses:candidate_paste", args=[election.pk]), data)


def test_a_candidate_is_picked_by_typing_part_of_the_name(client_as, empty_election, nine):
    url = reverse("congresses:candidate_add", args=[empty_election.pk])
    data = {"candidate-person": "vu mai", "candidate-version": empty_election.version}
    assert client_as("secretary").post(url, data).status_code == 302
    assert empty_election.candidates.get().member == nine[6]


def test_nine_pasted_names_go_on_the_ballot_with_one_confirmation(
    client_as, empty_election, nine, english
):
    client = client_as("secretary")
    names = "\n".join(f"{i}. {name}" if i % 3 == 0 else name for i, name in enumerate(NINE, 1))
    names = names.replace("Hoàng Văn Nam", "  Hoàng\u200b Văn  Nam ")  # cleaned as stored
    read = paste(client, empty_election, names + "\n\n")
    assert read.status_code == 200
    assert "9 lines were read." in text(read)
    assert not Candidate.objects.exists()
    form = read.context["form"]
    choices = {
        f"paste-{name}": field.initial
        for name, field in form.fields.items()
        if name.startswith("line_")
    }
    assert all(choices[f"paste-line_{i}"] == str(m.pk) for i, m in enumerate(nine))
    done = paste(client, empty_election, names, confirmed="yes", **choices)
    assert done.status_code == 302
    assert sorted(c.member_id for c in empty_election.candidates.all()) == sorted(
        m.pk for m in nine
    )
    assert "9 candidates are on the ballot." in text(client.get(done.url))


def test_namesakes_and_unknown_names_wait_for_a_choice_and_nothing_is_added(
    client_as, tree, empty_election, nine, english
):
    twin = member(tree.union, "Nguyễn Thị Lan", card_number="U-9", birth_date=date(1990, 1, 2))
    client = client_as("secretary")
    names = "Nguyễn Thị Lan\nNgười Ngoài\nC-1"
    read = paste(client, empty_election, names)
    page = text(read)
    assert "2 lines need your choice." in page
    assert "2 members have this name: choose one." in page
    assert "Not in the register: someone from outside, or leave it out." in page
    assert "1990 · U-9" in page
    unchosen = paste(client, empty_election, names, confirmed="yes", **{"paste-line_2": nine[1].pk})
    assert unchosen.status_code == 200
    assert text(unchosen).count("Choose what this line means.") == 2
    assert not Candidate.objects.exists()
    done = paste(
        client,
        empty_election,
        names,
        confirmed="yes",
        **{"paste-line_0": twin.pk, "paste-line_1": "outside", "paste-line_2": nine[1].pk},
    )
    assert done.status_code == 302
    ballot = {(c.member_id, c.person_name) for c in empty_election.candidates.all()}
    assert ballot == {(twin.pk, "Nguyễn Thị Lan"), (None, "Người Ngoài"), (nine[1].pk, NINE[1])}


def test_a_line_left_out_is_not_added(client_as, empty_election, nine):
    client = client_as("secretary")
    names = "Lê Minh Anh\nKhông Có Ai"
    done = paste(
        client,
        empty_election,
        names,
        confirmed="yes",
        **{"paste-line_0": nine[2].pk, "paste-line_1": "leave-out"},
    )
    assert done.status_code == 302
    assert [c.member_id for c in empty_election.candidates.all()] == [nine[2].pk]


def test_a_refused_line_adds_nobody_and_is_shown_beside_its_line(
    client_as, empty_election, nine, english
):
    elections.add_candidate(election=empty_election, member=nine[0])
    empty_election.refresh_from_db()
    client = client_as("secretary")
    names = "Trần Văn Bình\nNguyễn Thị Lan"
    choices = {"paste-line_0": nine[1].pk, "paste-line_1": nine[0].pk}
    response = paste(client, empty_election, names, confirmed="yes", **choices)
    assert response.status_code == 200
    assert "Nguyễn Thị Lan is a candidate already." in text(response)
    assert [c.member_id for c in empty_election.candidates.all()] == [nine[0].pk]


def test_a_member_of_another_branch_is_not_matched(client_as, tree, empty_election, english):
    member(tree.other, "Phạm Thị Hoa", card_number="OT-1")
    read = paste(client_as("secretary"), empty_election, "Phạm Thị Hoa\nOT-1")
    assert text(read).count("Not in the register") == 2


@pytest.mark.parametrize(("persona", "status"), [("reviewer", 403), ("x", 404)])
def test_only_writers_may_paste(client_as, empty_election, nine, persona, status):
    response = paste(client_as(persona), empty_election, NINE[0], confirmed="yes")
    assert response.status_code == status
    assert not Candidate.objects.exists()
