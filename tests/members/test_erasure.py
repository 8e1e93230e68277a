"""Erasing a member (reliability-security test 54, members.erasure): after
`manage.py erase_member ID --reason TEXT` the member's name (as written, in capitals and
folded), card number and full date of birth are in no byte of the SQLite file (read after the
VACUUM) nor in a `pg_dump` of PostgreSQL, while every count, tally and vote total is the same;
a certified election result naming them stays, and the command says so and why."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from congresses.elections import certification
from congresses.elections import services as elections
from congresses.elections.models import Candidate, ElectionKind, RoundVote
from congresses.models import BodyMember
from congresses.parts import add_body_member
from congresses.services import counted_age_bands
from members import domain, search
from members.erasure import placeholder_for
from members.jobs import ImportJob
from members.models import BranchTally, Member
from members.statistics import statistics
from tests.factories import member
from tests.member_lists import workbook
from tests.reports.conftest import enter, make_congress, make_election
from unionrec.management.commands.backup_db import libpq_environment

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Phạm Thị Hồng Nhung"
CARD = "HP-998877"
BORN = date(1987, 3, 14)
DAY = date(2017, 12, 23)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def secrets() -> list[bytes]:
    texts = [NAME, NAME.upper(), domain.fold(NAME), CARD, BORN.isoformat(), "14/03/1987"]
    escaped = [json.dumps(t)[1:-1] for t in texts]  # JSON as SQLite stores it
    return sorted({t.encode() for t in [*texts, *escaped]})


def database_bytes() -> bytes:
    """The SQLite file with its write-ahead log, or a plain-text pg_dump of the database."""
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        wal = path.with_name(path.name + "-wal")
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    dump = subprocess.run(  # noqa: S603 - the test database's own name
        [shutil.which("pg_dump") or "pg_dump", "--no-owner", connection.settings_dict["NAME"]],
        env=libpq_environment(connection.settings_dict),
        capture_output=True,
        check=True,
    )
    return dump.stdout


def figures(tree) -> list[object]:
    """Every count the erasure must keep."""
    return [
        list(BranchTally.objects.order_by("branch_id", "day").values_list()),
        statistics(tree.union, DAY),
        counted_age_bands(tree.union, DAY),
        sorted(RoundVote.objects.values_list("candidate_id", "votes")),
        Member.objects.count(),
    ]


def named_everywhere(tree, client_as):
    """The member, named in their history, an import's preview and file, a ballot, a congress
    body and the admin log."""
    person = member(tree.unit_a, NAME, birth_date=BORN, card_number=CARD, ethnicity="Tày")
    account = get_user_model().objects.create_user(
        "nhung", first_name="Nhung", last_name="Phạm Thị Hồng", email="nhung@example.org"
    )
    Member.objects.filter(pk=person.pk).update(user=account)
    member(tree.unit_a, "Nguyễn Thị Hồng", started_on=date(2016, 5, 1))
    secretary = client_as("secretary")
    data = workbook([[NAME, "Nữ", "14/03/1987", CARD, "01/01/2015", "unit-a"]])
    secretary.post(
        reverse("members:import", args=["union"]), {"file": SimpleUploadedFile("a.xlsx", data)}
    )
    congress = make_congress(tree)
    make_election(congress, ["Lê Minh Anh"], kind=ElectionKind.EXECUTIVE)
    ballot = make_election(congress, [], kind=ElectionKind.INSPECTION, seats=1)
    elections.add_candidate(election=ballot, member=person)
    add_body_member(congress=congress, body="secretariat", name=NAME, member=person)
    LogEntry.objects.create(
        user=get_user_model().objects.get(username="secretary"),
        content_type=ContentType.objects.get_for_model(Member),
        object_id=str(person.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message=f"{NAME} ({CARD}) born {BORN:%d/%m/%Y}",
    )
    return person


def erase(person_id, *extra) -> str:
    out = StringIO()
    call_command(
        "erase_member",
        str(person_id),
        "--reason",
        f"asked by {NAME}",
        "--lang",
        "en",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_an_erased_member_is_in_no_byte_of_the_database_and_every_count_stays(tree, client_as):
    person = named_everywhere(tree, client_as)
    job = ImportJob.objects.latest("pk")
    assert job.file and NAME in json.dumps(job.preview, ensure_ascii=False)
    before = figures(tree)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert domain.fold(NAME).encode() in database_bytes()  # the test can see it

    said = erase(person.pk)

    assert [s for s in secrets() if s in database_bytes()] == []
    assert figures(tree) == before
    person.refresh_from_db()
    assert (person.full_name, person.card_number, person.birth_date, person.ethnicity) == (
        placeholder_for(person.pk),
        None,
        date(1987, 7, 1),  # the year stays (members.erasure_texts.BLURRED_MONTH)
        "",
    )
    assert person.gender == "female" and person.periods.count() == 1
    account = person.user  # kept (it may hold grants), without the names and e-mail
    assert (account.first_name, account.last_name, account.email) == ("", "", "")
    job.refresh_from_db()
    assert not job.file and not default_storage.exists(f"member-imports/{job.stored_name}")
    assert search.search(Member.objects.all(), "nhung").count() == 0
    assert search.search(Member.objects.all(), "hong").count() == 1  # the other Hồng
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM members_name_word WHERE word IN ('nhung', 'hong')")
        assert cursor.fetchall() == [("hong",)]  # a word only the erased name had is gone
    assert BodyMember.objects.get(member=person).name == person.full_name
    assert "Kept: nothing naming the member." in said
    assert "Free space: VACUUM" in said


def test_a_certified_result_keeps_the_candidates_name_and_the_command_says_why(tree):
    person = member(tree.union, NAME, birth_date=BORN, card_number=CARD)
    congress = make_congress(tree)
    election = make_election(congress, ["Lê Minh Anh"], seats=2)
    elections.add_candidate(election=election, member=person)
    enter(election, {"Lê Minh Anh": 150, NAME: 100}, issued=178, collected=178, invalid=3)
    certification.certify(election=election, certified_on=DAY)
    election.refresh_from_db()

    said = erase(person.pk)

    assert Candidate.objects.get(member=person).person_name == NAME
    assert certification.verify(election)  # sealed as it was
    why = "part of a certified election result, the union's official record"
    assert f"Kept: candidates (1), {why}" in said
    assert f"Kept: posts (1), {why}" in said  # the seat the result gave
    person.refresh_from_db()
    assert person.card_number is None and NAME not in person.full_name


def test_an_unknown_member_is_refused_with_a_message(db):
    with pytest.raises(CommandError, match="No member has the id 999999"):
        erase(999999)


def test_a_member_erased_twice_is_refused(tree):
    person = member(tree.union, NAME)
    erase(person.pk)
    with pytest.raises(CommandError, match="already been erased"):
        erase(person.pk)


def test_an_administrator_erases_from_the_admin_with_a_reason(tree, client, english):
    person = member(tree.union, NAME, birth_date=BORN, card_number=CARD)
    client.force_login(get_user_model().objects.create_superuser("admin", password="pw"))
    admin = client
    changelist = reverse("admin:members_member_changelist")
    chosen = {"action": "erase", "_selected_action": [person.pk]}

    refused = admin.post(changelist, {**chosen, "reason": ""}, follow=True)
    assert "Give the reason for the erasure." in refused.content.decode()
    person.refresh_from_db()
    assert person.full_name == NAME

    done = admin.post(changelist, {**chosen, "reason": "left, asked to be forgotten"}, follow=True)
    assert f"Member #{person.pk} erased" in done.content.decode()
    person.refresh_from_db()
    assert (person.full_name, person.card_number) == (placeholder_for(person.pk), None)
    history = person.history.first()
    assert history.history_change_reason == "erased: left, asked to be forgotten"
    assert history.history_user.username == "admin"


def test_only_a_superuser_may_erase(tree, client):
    person = member(tree.union, NAME)
    staff = get_user_model().objects.create_user("staff", password="pw", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="_member"))
    client.force_login(staff)
    assert client.get(reverse("admin:members_member_changelist")).status_code == 200
    changelist = reverse("admin:members_member_changelist")
    client.post(changelist, {"action": "erase", "_selected_action": [person.pk], "reason": "x"})
    person.refresh_from_db()
    assert person.full_name == NAME
