"""The order of an election's events (congresses.elections.lifecycle): rounds are entered and
results certified only once the election's day has come; the day of certification is entered
by the secretary (today by default), never before the election nor in the future, so a 2017
result typed in now is certified as of 2017. The page offers only what the state allows; the
services, the page and the API refuse the rest alike (409 for the state, 400 beside
certified_on for a wrong day), writing nothing. Stored records that break the order are listed
by check_records, never rewritten.

The case of the issue: on 05/12/2026, an election of a congress planned for 25/11/2027 was
counted and certified."""

from datetime import UTC, date, datetime
from html import unescape
from importlib import import_module
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from congresses import services
from congresses.elections import certification
from congresses.elections import services as elections
from congresses.elections.lifecycle import ElectionAction, election_actions
from congresses.elections.models import Election, ElectionKind, ElectionStatus, Round
from congresses.models import Congress, Post
from congresses.read_only import Conflict
from tests.congresses.elections.helpers import CLEAR, enter, ids
from tests.congresses.helpers import DAY, as_user, text
from tests.factories import persona

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 5)
PLANNED_DAY = date(2027, 11, 25)
ROUND_NOT_YET = "Rounds are entered from the election's day, 25/11/2027."
BEFORE_ELECTION = (
    "A result is certified on or after the day of its election (23/12/2017), not before."
)
AHEAD = "The day of certification cannot be in the future."


@pytest.fixture(autouse=True)
def frozen():
    """Today is 05/12/2026 in the union's calendar, for every test here."""
    with time_machine.travel("2026-12-05 09:00 +0700", tick=False):
        yield


@pytest.fixture
def ahead(tree, people):
    """The executive election of the union's congress planned for 25/11/2027, its five
    candidates on the ballot (the shared `election` is of the congress of 23/12/2017)."""
    term = services.create_term(branch=tree.union, starts_on=PLANNED_DAY)
    congress = services.create_congress(
        term=term, held_on=PLANNED_DAY, summoned=30, present=28, committee_size=3
    )
    election = elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE)
    for person in people:
        elections.add_candidate(election=election, member=person)
    return Election.objects.get(pk=election.pk)


def round_form(election, votes):
    """The round form's fields: 28 ballots issued, collected and valid, `votes` by name."""
    by_name = ids(election)
    data = {"round-issued": 28, "round-collected": 28, "round-valid": 28, "round-invalid": 0}
    data |= {f"round-vote_{by_name[name]}": count for name, count in votes.items()}
    return data | {"round-version": election.version}


# --- Rounds before the election's day ----------------------------------------------------------


def test_no_round_is_entered_before_the_election_day(ahead):
    with translation.override("en"), pytest.raises(Conflict) as refused:
        enter(ahead, CLEAR)
    assert refused.value.messages == [ROUND_NOT_YET]
    assert not Round.objects.exists()


def test_the_page_offers_no_round_form_and_refuses_a_post_with_409(client_as, ahead, english):
    client = client_as("secretary")
    page = unescape(text(client.get(reverse("congresses:election", args=[ahead.pk]))))
    assert 'id="enter-round"' not in page and 'id="certify"' not in page
    assert f'id="not-yet">{ROUND_NOT_YET}<' in page
    response = client.post(
        reverse("congresses:round_add", args=[ahead.pk]), round_form(ahead, CLEAR)
    )
    assert response.status_code == 409
    assert ROUND_NOT_YET in unescape(text(response))
    assert not Round.objects.exists()


def test_the_api_refuses_a_round_before_the_day_with_409(api, tree, ahead):
    as_user(api, persona(tree, "secretary"))
    votes = [{"candidate": pk, "votes": CLEAR[name]} for name, pk in ids(ahead).items()]
    body = {"issued": 28, "collected": 28, "valid": 28, "invalid": 0, "votes": votes}
    answer = api.post(f"/api/v1/elections/{ahead.pk}/rounds/", body, format="json")
    assert answer.status_code == 409
    assert answer.json() == {"detail": ROUND_NOT_YET}
    assert not Round.objects.exists()


@pytest.mark.parametrize(
    ("on", "action", "refusal"),
    [
        (date(2017, 12, 22), ElectionAction.CERTIFY, "The result can be certified from the "),
        (date(2017, 12, 22), ElectionAction.ROUND, "Rounds are entered from the election's day"),
        (DAY, ElectionAction.CERTIFY, None),  # the count is complete, its day has come
        (DAY, ElectionAction.ROUND, "The count is complete: no further round is due."),
        (DAY, ElectionAction.DECIDE, "No decision is open now"),
        (DAY, ElectionAction.REOPEN, "Only a certified result can be reopened."),
    ],
)
def test_each_step_of_a_complete_count_is_open_only_from_its_day(election, on, action, refusal):
    enter(election, CLEAR)
    with translation.override("en"):
        reason = election_actions(Election.objects.get(pk=election.pk), on=on).why_not(action)
    assert reason == refusal if refusal is None else reason.startswith(refusal)


# --- The day of certification -----------------------------------------------------------------


def test_a_result_of_2017_typed_in_now_is_certified_as_of_2017(election):
    enter(election, CLEAR)
    certified = certification.certify(election=election, certified_on=DAY)
    certified.refresh_from_db()
    assert (certified.status, certified.certified_on) == (ElectionStatus.CERTIFIED, DAY)
    assert certified.certified_at == datetime(2026, 12, 5, 2, 0, tzinfo=UTC)  # when recorded
    assert set(Post.objects.filter(election=election).values_list("starts_on", flat=True)) == {DAY}


def test_the_day_of_certification_is_today_by_default(election):
    enter(election, CLEAR)
    certification.certify(election=election)
    assert Election.objects.get(pk=election.pk).certified_on == TODAY


@pytest.mark.parametrize(
    ("day", "message"), [(date(2017, 12, 22), BEFORE_ELECTION), (date(2026, 12, 6), AHEAD)]
)
def test_a_day_before_the_election_or_ahead_is_refused_beside_the_field(election, day, message):
    enter(election, CLEAR)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        certification.certify(election=election, certified_on=day)
    assert refused.value.message_dict == {"certified_on": [message]}
    election.refresh_from_db()
    assert (election.status, election.revision, election.certified_on) == (
        ElectionStatus.ENTERED,
        0,
        None,
    )
    assert not Post.objects.filter(election=election).exists()


def test_the_certify_page_asks_for_the_day_and_refuses_a_wrong_one_beside_it(
    client_as, election, english
):
    enter(election, CLEAR)
    election.refresh_from_db()
    client = client_as("secretary")
    url = reverse("congresses:election_certify", args=[election.pk])
    assert 'id="certify"' in text(client.get(reverse("congresses:election", args=[election.pk])))
    asked = client.post(url, {"version": election.version})
    assert asked.status_code == 200
    assert 'name="certified_on" value="05/12/2026"' in text(asked)  # today, to change
    wrong = client.post(
        url, {"confirmed": "yes", "version": election.version, "certified_on": "22/12/2017"}
    )
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["certified_on"] == [BEFORE_ELECTION]
    assert BEFORE_ELECTION in unescape(text(wrong))
    assert Election.objects.get(pk=election.pk).status == ElectionStatus.ENTERED
    done = client.post(
        url, {"confirmed": "yes", "version": election.version, "certified_on": "23/12/2017"}
    )
    assert done.status_code == 302
    certified = Election.objects.get(pk=election.pk)
    assert (certified.status, certified.certified_on) == (ElectionStatus.CERTIFIED, DAY)
    page = text(client.get(reverse("congresses:election", args=[election.pk])))
    assert '<span id="certified-on">23/12/2017</span>' in page


def test_the_api_takes_the_day_and_answers_400_beside_it(api, tree, election):
    enter(election, CLEAR)
    as_user(api, persona(tree, "secretary"))
    url = f"/api/v1/elections/{election.pk}/certify/"
    early = api.post(url, {"certified_on": "2017-12-22"}, format="json")
    assert early.status_code == 400 and early.json() == {"certified_on": [BEFORE_ELECTION]}
    malformed = api.post(url, {"certified_on": "23/12/2017"}, format="json")
    assert malformed.status_code == 400 and list(malformed.json()) == ["certified_on"]
    assert Election.objects.get(pk=election.pk).status == ElectionStatus.ENTERED
    done = api.post(url, {"certified_on": "2017-12-23"}, format="json")
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["certified_on"]) == ("certified", "2017-12-23")


# --- The election's day once rounds are entered -------------------------------------------------


@pytest.fixture
def counted_today(tree, people):
    """The union's congress of today, its executive election counted today."""
    term = services.create_term(branch=tree.union, starts_on=date(2026, 12, 1))
    congress = services.create_congress(
        term=term, held_on=date(2026, 12, 1), summoned=30, present=28, committee_size=3
    )
    election = elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE)
    for person in people:
        elections.add_candidate(election=election, member=person)
    enter(election, CLEAR)
    return Election.objects.get(pk=election.pk)


def test_the_election_day_cannot_move_after_its_rounds_were_entered(counted_today):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        elections.update_election(election=counted_today, held_on=date(2026, 12, 6))
    assert refused.value.message_dict == {
        "held_on": [
            "Rounds of this election were entered on 05/12/2026: it was held on that day or before."
        ]
    }
    elections.update_election(election=counted_today, held_on=date(2026, 12, 3))
    assert Election.objects.get(pk=counted_today.pk).held_on == date(2026, 12, 3)


# --- Stored records that break the order ------------------------------------------------------


def findings(capsys, *rules):
    """check_records' lines for `rules`, in English, and whether it failed."""
    arguments = [item for rule in rules for item in ("--rule", rule)]
    with translation.override("en"):
        try:
            call_command("check_records", *arguments)
            failed = False
        except SystemExit as stop:
            failed = stop.code == 1
    return capsys.readouterr().out, failed


def test_check_records_lists_the_issue_s_record_on_every_count(counted_today, capsys):
    """Counted and certified on 05/12/2026, then found to belong to a congress planned for
    25/11/2027 (its day stored behind the application): the rounds and the day of
    certification are each listed, with what to fix; nothing is rewritten."""
    certification.certify(election=counted_today)
    congress = counted_today.congress
    Congress.objects.filter(pk=congress.pk).update(held_on=PLANNED_DAY)
    Election.objects.filter(pk=counted_today.pk).update(held_on=PLANNED_DAY)
    out, failed = findings(capsys)
    assert failed
    election = "Election of the Executive committee, 25/11/2027"
    assert "2 problem(s) to fix." in out  # the congress is still planned: it holds
    assert (
        f"{election}: Its rounds were entered on 05/12/2026, before the election's day. "
        "To fix: Correct the election's day if it was mistyped" in out
    )
    assert (
        f"{election}: It is certified on 05/12/2026, before the election's day. To fix: An "
        "administrator reopens the result; certify it again with the day it was certified." in out
    )
    assert f"(/elections/{counted_today.pk}/)" in out
    assert Election.objects.get(pk=counted_today.pk).certified_on == TODAY  # not rewritten


def test_check_records_lists_an_election_before_its_congress(election, capsys):
    Election.objects.filter(pk=election.pk).update(held_on=date(2017, 12, 22))
    out, failed = findings(capsys, "election-before-its-congress")
    assert failed
    assert (
        "Election of the Executive committee, 22/12/2017: It is dated before its congress "
        "(23/12/2017)." in out
    )


@pytest.mark.parametrize(
    ("stored", "problem"),
    [
        (None, "Its day of certification is not recorded."),
        (date(2026, 12, 6), "It is certified on 06/12/2026, a day still to come."),
    ],
)
def test_check_records_lists_a_day_of_certification_out_of_order(election, capsys, stored, problem):
    enter(election, CLEAR)
    certification.certify(election=election, certified_on=DAY)
    Election.objects.filter(pk=election.pk).update(certified_on=stored)
    out, failed = findings(capsys, "certified-out-of-order")
    assert failed and problem in out


def test_a_consistent_record_has_no_finding(election, capsys):
    enter(election, CLEAR)
    certification.certify(election=election, certified_on=DAY)
    out, failed = findings(capsys)
    assert not failed and "0 problem(s) to fix." in out


# --- The migration that adds the day -------------------------------------------------------------


def test_the_migration_fills_the_day_from_the_union_s_calendar_and_keeps_a_wrong_one(election):
    """Results certified before the field get certified_at's day in Asia/Ho_Chi_Minh (20:00
    UTC is the next morning there); one certified before its election is kept as it is, for
    check_records to list."""
    fill = import_module("congresses.migrations.0007_election_certified_on").fill_certified_on
    enter(election, CLEAR)
    certification.certify(election=election)
    other = Election.objects.create(
        congress=election.congress,
        kind=ElectionKind.CHAIR,
        elected_by="committee",
        seats=1,
        held_on=DAY,
        denominator="collected",
        threshold="majority",
        tie_break="further_round",
        vacancy_allowed=False,
        status=ElectionStatus.CERTIFIED,
    )
    Election.objects.filter(pk=election.pk).update(
        certified_on=None, certified_at=datetime(2017, 12, 23, 20, 0, tzinfo=UTC)
    )
    Election.objects.filter(pk=other.pk).update(
        certified_at=datetime(2017, 12, 20, 1, 0, tzinfo=UTC)
    )
    fill(apps, SimpleNamespace(connection=connection))
    assert Election.objects.get(pk=election.pk).certified_on == date(2017, 12, 24)
    assert Election.objects.get(pk=other.pk).certified_on == date(2017, 12, 20)
