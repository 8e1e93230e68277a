"""A member's own data (reliability-security test 53): `/me/data.json` and `/me/data.pdf`
hold the record, the periods, the delegations, the candidacies and the history of the
logged-in user's own record, and nothing of anyone else's; a user with no record is told so."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest
from django.urls import reverse

from congresses.committees import add_delegate
from congresses.elections import services as elections
from congresses.elections.models import ElectionKind
from congresses.models import DelegateKind
from members import services as member_services
from members.models import Gender
from tests.factories import member, user
from tests.reports.conftest import make_congress, pdf_text, said

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    """Lan (the logged-in member, transferred once, a delegate and a candidate) and Bình
    (another member of the same branch, a candidate of the same election)."""
    lan = member(tree.unit_a, "Nguyễn Thị Lan", card_number="CD-1001", birth_date=date(1985, 3, 14))
    binh = member(
        tree.unit_a,
        "Trần Văn Bình",
        gender=Gender.MALE,
        card_number="CD-2002",
        birth_date=date(1979, 11, 2),
    )
    lan.user = user("lan", "member", tree.unit_a)
    lan.save()
    binh.user = user("binh", "member", tree.unit_a)
    binh.save()
    lan = member_services.transfer_member(member=lan, to_branch=tree.unit_b, on=date(2020, 6, 1))
    congress = make_congress(tree)
    add_delegate(congress=congress, kind=DelegateKind.FULL, member=lan)
    election = elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE, seats=3)
    elections.add_candidate(election=election, member=lan)
    elections.add_candidate(election=election, member=binh)
    return lan, binh


def test_the_json_file_holds_the_record_periods_posts_and_history_of_the_user_only(client, people):
    lan, _binh = people
    client.force_login(lan.user)
    response = client.get(reverse("reports:my_data_json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    data = json.loads(text)
    record = data["record"]
    assert record["full_name"] == "Nguyễn Thị Lan"
    assert record["card_number"] == "CD-1001"
    assert record["birth_date"] == "1985-03-14"
    assert record["gender"] == "female"
    assert record["branch"] == "Branch unit-b"
    assert [(p["branch"], p["started_on"], p["ended_on"]) for p in data["periods"]] == [
        ("Branch unit-a", "2015-01-01", "2020-06-01"),
        ("Branch unit-b", "2020-06-01", None),
    ]
    assert [d["person_name"] for d in data["delegates"]] == ["Nguyễn Thị Lan"]
    assert [c["person_name"] for c in data["candidacies"]] == ["Nguyễn Thị Lan"]
    assert len(data["history"]) >= 3  # added, linked to the account, transferred
    assert {row["history_type"] for row in data["history"]} >= {"+", "~"}
    assert data["history"][0]["full_name"] == "Nguyễn Thị Lan"
    assert len(data["period_history"]) >= 2
    # nothing of Bình, nor of the officers who changed the rows
    for other in ("Trần Văn Bình", "CD-2002", "1979-11-02", "binh"):
        assert other not in text
    assert "history_user" not in text


def test_the_pdf_is_readable_in_the_language_asked_and_names_nobody_else(client, people, tmp_path):
    lan, _binh = people
    client.force_login(lan.user)
    for language in ("vi", "en"):
        response = client.get(reverse("reports:my_data_pdf") + f"?lang={language}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Language"] == language
        text = pdf_text(response.content, tmp_path)
        labels = said(language, "My data in the union register", "Membership periods")
        assert labels["My data in the union register"] in text
        assert labels["Membership periods"] in text
        assert "Nguyễn Thị Lan" in text
        assert "14/03/1985" in text
        assert "CD-1001" in text
        assert "Trần Văn Bình" not in text
        assert "CD-2002" not in text


def test_a_user_without_a_member_record_is_told_so(client, tree):
    client.force_login(user("clerk", "secretary", tree.union))
    for name in ("reports:my_data_json", "reports:my_data_pdf"):
        response = client.get(reverse(name))
        assert response.status_code == 404
        assert b'id="no-member-record"' in response.content


def test_an_unknown_language_is_refused(client, people):
    client.force_login(people[0].user)
    assert client.get(reverse("reports:my_data_pdf") + "?lang=fr").status_code == 400


def test_the_download_is_in_the_access_log(client, people, caplog):
    lan, _binh = people
    client.force_login(lan.user)
    with caplog.at_level(logging.INFO, logger="unionrec.access_log"):
        client.get(reverse("reports:my_data_json"))
    lines = [r.getMessage() for r in caplog.records if r.name == "unionrec.access_log"]
    assert any(
        f"user={lan.user.pk}" in line and "view=reports:my_data_json" in line and "status=200"
        for line in lines
    ), lines


def test_the_start_page_links_the_downloads(client, people):
    client.force_login(people[0].user)
    page = client.get(reverse("home")).content.decode()
    assert reverse("reports:my_data_json") in page
    assert reverse("reports:my_data_pdf") in page
