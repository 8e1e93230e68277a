"""Two saves of one card number (or branch code) at the same moment (issue 18): both pass the
check (members.services.refuse_taken: neither sees the other's row yet), the database's unique
constraint refuses the second, and the service answers it as the check would: models.TAKEN
under the field, a 400 in the API, the message on the form; nothing of the refused write is
kept.

The race is forced by a check that runs too early (it finds nothing the first time it is
asked, as when the other save had not committed), then run for real by two writers in threads
(tests.races), who meet between their checks and their writes."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from members import services
from members.models import TAKEN, Branch, BranchKind, Member, Membership
from members.statistics import statistics, today
from tests.factories import member
from tests.races import Meeting, run_together

CARD = "HP-0012345"


@pytest.fixture
def late_check(monkeypatch):
    """The check of a unique value finds it free the first time it is asked, as it does when
    another save of the value has not committed yet; then it checks again for real."""
    check, asked = services.refuse_taken, []

    def too_early(errors, field, holders):
        if not asked:
            asked.append(field)
            return
        check(errors, field, holders)

    monkeypatch.setattr(services, "refuse_taken", too_early)
    return asked


@pytest.fixture
def holder(tree):
    return member(tree.unit_b, "Lê Văn Cường", card_number=CARD)


@pytest.mark.django_db
def test_a_new_member_whose_card_was_just_taken_is_refused_as_taken(
    api, english, tree, holder, late_check
):
    before = statistics(tree.unit_a).counts
    body = {"full_name": "Trần Thị Lan", "branch": "unit-a", "card_number": CARD}
    response = api.post("/api/v1/members/", body, format="json")
    assert late_check == ["card_number"]  # the early check let it through
    assert response.status_code == 400
    assert response.json() == {"card_number": [TAKEN]}
    assert list(Member.objects.all()) == [holder]
    assert Membership.objects.filter(member__full_name="Trần Thị Lan").count() == 0
    assert statistics(tree.unit_a).counts == before  # the tallies too


@pytest.mark.django_db
def test_a_member_changed_to_a_card_just_taken_is_refused_as_taken(
    api, english, tree, holder, late_check
):
    lan = member(tree.unit_a, "Trần Thị Lan")
    url = f"/api/v1/members/{lan.pk}/"
    response = api.patch(url, {"card_number": CARD, "full_name": "Trần Thị Mai"}, format="json")
    assert late_check == ["card_number"]
    assert response.status_code == 400
    assert response.json() == {"card_number": [TAKEN]}
    lan.refresh_from_db()
    assert (lan.full_name, lan.card_number, lan.version) == ("Trần Thị Lan", None, 1)


@pytest.mark.django_db
def test_the_member_form_shows_the_taken_message_after_the_race(
    client_as, english, holder, late_check
):
    form = {
        "full_name": "Trần Thị Lan",
        "gender": "female",
        "card_number": CARD,
        "started_on": "01/03/2015",
    }
    response = client_as("secretary").post(reverse("members:member_add") + "?branch=union", form)
    assert late_check == ["card_number"]
    assert response.status_code == 200
    assert response.context["form"].errors["card_number"] == [TAKEN]
    assert list(Member.objects.all()) == [holder]


@pytest.mark.django_db
def test_a_branch_code_just_taken_is_refused_as_taken(english, tree, late_check):
    with pytest.raises(ValidationError) as refused:
        services.create_branch(
            parent=tree.union, code="unit-b", name="Again", kind=BranchKind.GROUP
        )
    assert late_check == ["code"]
    assert refused.value.message_dict == {"code": [TAKEN]}
    assert Branch.objects.filter(code="unit-b").count() == 1


@pytest.mark.django_db
def test_another_integrity_error_is_not_read_as_a_taken_value(tree):
    """Only a value that another record now holds is TAKEN: an IntegrityError while it is
    free comes from another constraint, and is raised as it is."""
    with pytest.raises(IntegrityError), services.unless_taken("card_number", Member.objects.none()):
        raise IntegrityError("another constraint")


@pytest.mark.django_db(transaction=True)
def test_two_secretaries_saving_one_card_at_once_keep_one_and_are_told_it_is_taken(
    monkeypatch, english, tree
):
    """Each save pauses after its check, before it writes: on PostgreSQL both checks find the
    number free and the constraint refuses the second save; on SQLite the writers queue
    (IMMEDIATE transactions) and the second check finds the first one's member."""
    meet, check = Meeting(), services.refuse_taken

    def checked(errors, field, holders):
        check(errors, field, holders)
        meet()

    monkeypatch.setattr(services, "refuse_taken", checked)

    def add(name):
        return lambda: services.add_member(branch=tree.unit_a, full_name=name, card_number=CARD)

    results = run_together(add("Trần Thị Lan"), add("Phạm Văn Nam"))
    saved = [result for result in results if isinstance(result, Member)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert (len(saved), len(refused)) == (1, 1), results
    assert refused[0].message_dict == {"card_number": [TAKEN]}
    assert list(Member.objects.values_list("pk", flat=True)) == [saved[0].pk]
    assert statistics(tree.unit_a, today()).counts.members == 1
