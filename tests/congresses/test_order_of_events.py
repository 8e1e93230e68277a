"""The order of a congress's events (congresses.lifecycle): one function says which lifecycle
step the congress can take now and why not; the page offers only those, and the services and
the API refuse the others alike (409), writing nothing. Stored congresses that break the
order are listed by check_records.

The case of the issue: on 05/12/2026 a congress planned for 25/11/2027 was offered "record as
held", which was then refused."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from congresses import services
from congresses.elections import services as elections
from congresses.elections.models import ElectionKind
from congresses.lifecycle import CongressAction, congress_actions
from congresses.models import Congress, CongressStatus
from congresses.read_only import Conflict
from tests.congresses.helpers import as_user, text
from tests.factories import persona

TODAY = date(2026, 12, 5)
PLANNED_DAY = date(2027, 11, 25)
NOT_YET = "The congress can be recorded as held from its day, 25/11/2027."


@pytest.fixture
def frozen():
    """Today is 05/12/2026 in the union's calendar."""
    with time_machine.travel("2026-12-05 09:00 +0700", tick=False):
        yield


@pytest.fixture
def planned(tree, frozen):
    """The union's congress planned for 25/11/2027, its attendance and seats recorded."""
    term = services.create_term(branch=tree.union, starts_on=PLANNED_DAY)
    return services.create_congress(
        term=term, held_on=PLANNED_DAY, summoned=30, present=28, committee_size=3
    )


# --- The one rule ---------------------------------------------------------------------------

H, S, R, X = (
    CongressAction.HOLD,
    CongressAction.SUBMIT,
    CongressAction.RECOGNISE,
    CongressAction.REOPEN,
)


@pytest.mark.parametrize(
    ("status", "held_on", "attendance", "seats", "action", "refusal"),
    [
        # domain-rules §2: planned -> held -> pending recognition -> recognised
        ("planned", PLANNED_DAY, (30, 28), 3, H, NOT_YET),
        ("planned", TODAY, (30, 28), 3, H, None),  # its day has come
        ("planned", date(2017, 12, 23), (30, 28), 3, H, None),  # recorded years later
        ("planned", TODAY, (None, None), 3, H, "Record how many were summoned"),
        ("held", TODAY, (30, 28), 3, H, "Only a planned congress can be recorded as held."),
        ("held", TODAY, (30, 28), None, S, "Record the number of executive committee seats"),
        ("held", TODAY, (30, 28), 3, S, None),
        ("planned", TODAY, (30, 28), 3, S, "Only a held congress can be sent"),
        ("held", TODAY, (30, 28), 3, R, "Only a congress awaiting recognition"),
        ("awaiting", TODAY, (30, 28), 3, R, None),
        ("awaiting", TODAY, (30, 28), 3, X, "Only a recognised congress can be reopened."),
        ("recognised", TODAY, (30, 28), 3, X, None),
    ],
)
def test_each_step_is_open_only_in_its_state(status, held_on, attendance, seats, action, refusal):
    summoned, present = attendance
    congress = Congress(
        status=status,
        held_on=held_on,
        summoned=summoned,
        present=present,
        committee_size=seats,
    )
    with translation.override("en"):
        actions = congress_actions(congress, on=TODAY)
        reason = actions.why_not(action)
    if refusal is None:
        assert reason is None and actions.allows(action)
    else:
        assert reason is not None and reason.startswith(refusal)
        assert not actions.allows(action)


# --- Record as held: the service, the page, the API ------------------------------------------


def test_a_congress_is_not_recorded_as_held_before_its_day(planned):
    with translation.override("en"), pytest.raises(Conflict) as refused:
        services.record_held(planned)
    assert refused.value.messages == [NOT_YET]
    planned.refresh_from_db()
    assert (planned.status, planned.counted_on, planned.counted_members) == (
        CongressStatus.PLANNED,
        None,
        None,
    )


def test_the_page_does_not_offer_the_step_and_says_when_it_will(client_as, planned, english):
    client = client_as("secretary")
    page = text(client.get(reverse("congresses:congress", args=[planned.pk])))
    assert 'id="record-held"' not in page
    assert reverse("congresses:congress_held", args=[planned.pk]) not in page
    assert f'<p class="muted" id="not-yet">{NOT_YET}</p>' in page


def test_a_post_all_the_same_is_refused_with_the_reason_and_writes_nothing(
    client_as, planned, english
):
    response = client_as("secretary").post(reverse("congresses:congress_held", args=[planned.pk]))
    assert response.status_code == 409
    assert NOT_YET in text(response)
    planned.refresh_from_db()
    assert (planned.status, planned.counted_on) == (CongressStatus.PLANNED, None)


def test_the_api_answers_409_with_the_reason_and_writes_nothing(api, tree, planned):
    as_user(api, persona(tree, "secretary"))
    answer = api.post(f"/api/v1/congresses/{planned.pk}/held/")
    assert answer.status_code == 409
    assert answer.json() == {"detail": NOT_YET}
    planned.refresh_from_db()
    assert planned.status == CongressStatus.PLANNED


def test_on_its_day_the_step_is_offered_and_taken(client_as, planned, english):
    with time_machine.travel("2027-11-25 08:00 +0700", tick=False):
        client = client_as("secretary")
        url = reverse("congresses:congress_held", args=[planned.pk])
        page = text(client.get(reverse("congresses:congress", args=[planned.pk])))
        assert 'id="record-held"' in page and 'id="not-yet"' not in page
        assert client.post(url).status_code == 302
    planned.refresh_from_db()
    assert (planned.status, planned.counted_on) == (CongressStatus.HELD, PLANNED_DAY)


def test_a_step_the_state_refuses_is_409_in_the_api_as_on_the_page(api, tree, planned):
    """The congress API answers a state refusal as the elections API does (409), not 400."""
    as_user(api, persona(tree, "secretary"))
    submitted = api.post(f"/api/v1/congresses/{planned.pk}/submit/")  # still planned
    assert submitted.status_code == 409
    assert submitted.json() == {"detail": "Only a held congress can be sent for recognition."}


# --- The congress day -----------------------------------------------------------------------


def test_a_held_congress_cannot_be_dated_after_today(tree, frozen):
    term = services.create_term(branch=tree.union, starts_on=TODAY)
    held = services.create_congress(term=term, held_on=TODAY, summoned=30, present=28)
    services.record_held(held)  # today is its day
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.update_congress(congress=held, held_on=date(2026, 12, 6))
    assert refused.value.message_dict == {
        "held_on": ["The congress is recorded as held: its day cannot be after today."]
    }
    services.update_congress(congress=held, held_on=date(2026, 12, 4))  # a day that has come
    held.refresh_from_db()
    assert (held.held_on, held.counted_on) == (date(2026, 12, 4), date(2026, 12, 4))


def test_a_congress_cannot_move_after_its_own_election(api, tree, planned):
    elections.create_election(congress=planned, kind=ElectionKind.EXECUTIVE)
    as_user(api, persona(tree, "secretary"))
    answer = api.patch(
        f"/api/v1/congresses/{planned.pk}/", {"held_on": "2027-11-26"}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "held_on": [
            "An election of this congress is dated 25/11/2027: the congress cannot come after "
            "it. Change the election's day first."
        ]
    }
    planned.refresh_from_db()
    assert planned.held_on == PLANNED_DAY


# --- Stored congresses that break the order ---------------------------------------------------


def test_check_records_lists_a_congress_recorded_as_held_before_its_day(
    planned, capsys, client_as, english
):
    Congress.objects.filter(pk=planned.pk).update(status=CongressStatus.HELD)  # behind the app
    with translation.override("en"), pytest.raises(SystemExit) as stop:
        call_command("check_records", "--rule", "congress-held-before-its-day")
    assert stop.value.code == 1
    out = capsys.readouterr().out
    assert (
        "Congress of 25/11/2027: It is recorded as Held, but its day has not come yet. To fix: "
        "Correct the congress day if it was mistyped" in out
    )
    assert f"(/congresses/{planned.pk}/)" in out
    page = text(client_as("secretary").get(reverse("congresses:congress", args=[planned.pk])))
    assert 'id="record-problems"' in page and "its day has not come yet" in page
    planned.refresh_from_db()
    assert planned.status == CongressStatus.HELD  # listed, never rewritten


# --- A congress opens its term ----------------------------------------------------------------


def test_a_congress_is_not_dated_before_the_month_its_term_starts(planned, english):
    """Seen: a congress of the term 2027–2032 moved to 01/12/2026 was saved and then offered
    to be recorded as held. The term counts from the month of its congress (domain-rules §2)."""
    with pytest.raises(ValidationError) as refused:
        services.update_congress(congress=planned, held_on=date(2026, 12, 1))
    assert "cannot come before the month the term starts (25/11/2027)" in str(
        refused.value.message_dict["held_on"]
    )
    planned.refresh_from_db()
    assert planned.held_on == PLANNED_DAY
    # earlier in the month the term starts is the congress's own month: accepted
    services.update_congress(congress=planned, held_on=date(2027, 11, 3))


def test_the_congress_page_refuses_the_early_day_beside_its_field(planned, client_as, english):
    page = client_as("secretary").post(
        reverse("congresses:congress_edit", args=[planned.pk]),
        {
            "kind": planned.kind,
            "held_on": "01/12/2026",
            "summoned": "30",
            "present": "28",
            "committee_size": "3",
        },
    )
    assert page.status_code == 200
    assert "cannot come before the month the term starts" in text(page)
    planned.refresh_from_db()
    assert planned.held_on == PLANNED_DAY


def test_check_records_lists_a_stored_congress_dated_before_its_term(planned, capsys, english):
    Congress.objects.filter(pk=planned.pk).update(held_on=date(2026, 12, 1))
    with pytest.raises(SystemExit):
        call_command("check_records", "--rule", "congress-before-its-term")
    out = capsys.readouterr().out
    assert "Congress of 01/12/2026" in out and "before the month its term starts" in out
