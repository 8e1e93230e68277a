"""Member imports end to end: upload, preview, commit all or nothing, the same file twice,
history, permissions, the size cap, background tasks and the command line."""

from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from members.jobs import ImportJob, ImportStatus
from members.models import Gender, Member
from members.statistics import statistics
from tests.factories import member
from tests.member_lists import workbook

pytestmark = pytest.mark.django_db

ROWS = [
    ["Nguyễn Thị Hoa", "Nữ", "12/03/1988", "HP-101", "01/02/2015", "unit-a"],
    ["Trần Văn Khoa", "Nam", "05/11/1979", "HP-102", "01/02/2015", "unit-b"],
    ["Lê Thu Trang", "Nữ", "30/06/1992", "HP-103", "15/08/2019", ""],
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, data, name="danh-sach.xlsx", code="union"):
    return client.post(
        reverse("members:import", args=[code]), {"file": SimpleUploadedFile(name, data)}
    )


def test_a_checked_file_is_imported_in_one_step_with_its_history(client_as, tree, english):
    client = client_as("secretary")
    response = upload(client, workbook(ROWS))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportStatus.PREVIEWED
    assert job.preview["counts"] == {"new": 3, "update": 0, "unchanged": 0, "error": 0}
    page = client.get(reverse("members:import_job", args=[job.pk])).content.decode()
    assert "Nguyễn Thị Hoa" in page and 'id="commit"' in page
    assert Member.objects.count() == 0  # nothing before the commit
    client.post(reverse("members:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportStatus.COMMITTED, 3)
    hoa = Member.objects.get(card_number="HP-101")
    assert (hoa.branch, hoa.gender, hoa.birth_date) == (
        tree.unit_a,
        Gender.FEMALE,
        date(1988, 3, 12),
    )
    assert Member.objects.get(card_number="HP-103").branch == tree.union  # blank: this branch
    record = hoa.history.get()
    assert record.history_user.username == "secretary"
    assert record.history_change_reason == f"import {job.pk}"
    figures = statistics(tree.union, date(2020, 1, 1))
    assert (figures.members, figures.women) == (3, 2)  # the tallies follow
    assert statistics(tree.union, date(2016, 1, 1)).members == 2  # from the joining dates


def test_importing_the_same_file_twice_changes_nothing(client_as, tree, english):
    client = client_as("secretary")
    data = workbook(ROWS)
    upload(client, data)
    client.post(reverse("members:import_commit", args=[ImportJob.objects.get().pk]))
    before = list(Member.objects.order_by("pk").values_list("pk", "version"))
    upload(client, data)
    second = ImportJob.objects.latest("pk")
    assert second.preview["counts"] == {"new": 0, "update": 0, "unchanged": 3, "error": 0}
    client.post(reverse("members:import_commit", args=[second.pk]))
    second.refresh_from_db()
    assert (second.created_count, second.updated_count) == (0, 0)
    assert list(Member.objects.order_by("pk").values_list("pk", "version")) == before


def test_a_matched_member_is_updated_and_a_gender_correction_moves_the_tallies(
    client_as, tree, english
):
    khoa = member(
        tree.unit_b,
        "Trần Văn Khoa",
        Gender.UNKNOWN,
        card_number="HP-102",
        started_on=date(2015, 2, 1),
    )
    client = client_as("secretary")
    upload(client, workbook(ROWS[1:2]))
    job = ImportJob.objects.get()
    assert job.preview["counts"]["update"] == 1
    client.post(reverse("members:import_commit", args=[job.pk]))
    khoa.refresh_from_db()
    assert (khoa.gender, khoa.birth_date) == (Gender.MALE, date(1979, 11, 5))
    assert statistics(tree.unit_b, date(2020, 1, 1)).unknown == 0


def test_one_bad_row_means_nothing_is_written(client_as, tree, english):
    client = client_as("secretary")
    rows = [
        *ROWS,
        ["", "Nữ", "01/01/1990", "HP-104", "", ""],
        ["Phạm Minh", "Nữ", "31/02/1990", "HP-105", "", "no-such-unit"],
    ]
    upload(client, workbook(rows))
    job = ImportJob.objects.get()
    assert not job.preview["ok"] and job.preview["counts"]["error"] == 2
    page = client.get(reverse("members:import_job", args=[job.pk])).content.decode()
    assert 'id="error-table"' in page and 'id="commit"' not in page
    assert {e["row"] for e in job.preview["errors"]} == {5, 6}
    response = client.post(reverse("members:import_commit", args=[job.pk]), follow=True)
    assert "Correct the rows with errors" in response.content.decode()
    assert Member.objects.count() == 0


def test_a_file_over_the_cap_is_cut_off_while_uploading(client_as, tree, settings, english):
    settings.UNIONREC_IMPORT_MAX_BYTES = 2000
    response = upload(client_as("secretary"), b"x" * 5000, name="big.csv")
    assert response.status_code == 200
    assert "The file is larger than" in response.content.decode()
    assert not ImportJob.objects.exists() and Member.objects.count() == 0


def test_legacy_xls_is_refused_with_what_to_do(client_as, tree, english):
    upload(client_as("secretary"), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xls")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.REFUSED and ".xlsx" in job.message
    assert Member.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "status"), [("reviewer", 403), ("member", 403), ("stranger", 404)]
)
def test_only_the_branchs_secretary_imports(client_as, tree, persona, status):
    client = client_as(persona)
    assert client.get(reverse("members:import", args=["union"])).status_code == status
    assert upload(client, workbook(ROWS)).status_code == status
    assert not ImportJob.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connections
def test_large_files_are_checked_and_written_by_the_worker(client_as, tree, settings, english):
    settings.UNIONREC_IMPORT_BACKGROUND_BYTES = 100
    client = client_as("secretary")
    upload(client, workbook(ROWS))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.QUEUED
    page = client.get(reverse("members:import_job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page  # the page follows the work
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED
    client.post(reverse("members:import_commit", args=[job.pk]))
    assert ImportJob.objects.get().status == ImportStatus.COMMITTING
    assert Member.objects.count() == 0
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    job.refresh_from_db()
    assert (job.status, job.created_count, Member.objects.count()) == (ImportStatus.COMMITTED, 3, 3)


@pytest.mark.django_db(transaction=True)
def test_the_worker_checks_the_permission_again(client_as, tree, settings, english):
    settings.UNIONREC_IMPORT_BACKGROUND_BYTES = 100
    client = client_as("secretary")
    upload(client, workbook(ROWS))
    secretary = ImportJob.objects.get().user
    secretary.grants.all().delete()  # the role is removed before the worker runs
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and "no right" in job.message
    assert Member.objects.count() == 0


def test_the_command_line_previews_refuses_and_imports(tmp_path, tree):
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook(ROWS))
    out = StringIO()
    call_command(
        "import_members", str(good), "--branch", "union", "--dry-run", "--lang", "en", stdout=out
    )
    assert "new 3" in out.getvalue() and "Dry run: nothing was written." in out.getvalue()
    assert Member.objects.count() == 0
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([*ROWS, ["Phạm Minh", "Nữ", "31/02/1990", "", "", ""]]))
    out = StringIO()
    with pytest.raises(CommandError, match="error"):
        call_command("import_members", str(bad), "--branch", "union", "--lang", "en", stdout=out)
    assert "row 5" in out.getvalue()
    assert Member.objects.count() == 0
    call_command("import_members", str(good), "--branch", "union", stdout=StringIO())
    assert Member.objects.count() == 3
    with pytest.raises(CommandError, match="No branch"):
        call_command("import_members", str(good), "--branch", "nowhere")
