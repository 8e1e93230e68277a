"""An uploaded member list is kept only while its import needs it (members.import_lifetime):
it goes when the import is written, cancelled, refused, failed or checked with errors, and in
any case after UNIONREC_IMPORT_FILE_HOURS; the import keeps its SHA-256 and what it wrote,
and its page says the file was deleted."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from members import import_lifetime, importer
from members.jobs import ImportJob, ImportStatus
from members.models import Member
from tests.member_lists import workbook

pytestmark = pytest.mark.django_db

ROWS = [
    ["Nguyễn Thị Hoa", "Nữ", "12/03/1988", "HP-101", "01/02/2015", "unit-a"],
    ["Trần Văn Khoa", "Nam", "05/11/1979", "HP-102", "01/02/2015", "unit-b"],
]
BAD_ROW = ["Phạm Minh", "Nữ", "31/02/1990", "HP-105", "", ""]
LEGACY_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def secretary(client_as):
    return client_as("secretary")


def upload(client, data, name="danh-sach.xlsx", code="union"):
    client.post(reverse("members:import", args=[code]), {"file": SimpleUploadedFile(name, data)})
    return ImportJob.objects.latest("pk")


def stored(job):
    """Whether the job's file is still in storage (the job read afresh)."""
    job.refresh_from_db()
    return bool(job.file) and default_storage.exists(job.file.name)


def page(client, job):
    return client.get(reverse("members:import_job", args=[job.pk])).content.decode()


def test_a_checked_import_keeps_its_file_until_it_is_written(
    secretary, tree, english, django_capture_on_commit_callbacks
):
    data = workbook(ROWS)
    with django_capture_on_commit_callbacks(execute=True):
        job = upload(secretary, data)
    assert job.status == ImportStatus.PREVIEWED and stored(job)
    name = job.file.name
    assert 'data-kept="yes"' in page(secretary, job) and "72 hours at most" in page(secretary, job)
    with django_capture_on_commit_callbacks(execute=True):
        secretary.post(reverse("members:import_commit", args=[job.pk]))
    assert not stored(job) and not default_storage.exists(name)
    assert (job.status, job.created_count, job.updated_count) == (ImportStatus.COMMITTED, 2, 0)
    assert job.sha256 == hashlib.sha256(data).hexdigest() and job.size == len(data)
    assert job.preview["counts"]["new"] == 2  # what it wrote stays
    shown = page(secretary, job)
    assert 'data-kept="no"' in shown
    assert f"The uploaded file was deleted; its SHA-256 is {job.sha256}." in shown
    assert 'id="import-result"' in shown


def test_a_cancelled_import_writes_nothing_and_loses_its_file(
    secretary, tree, english, django_capture_on_commit_callbacks
):
    job = upload(secretary, workbook(ROWS))
    assert 'id="cancel"' in page(secretary, job)
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary.post(reverse("members:import_cancel", args=[job.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("members:import", args=["union"])
    assert "was cancelled: nothing was written and its file was deleted" in (
        response.content.decode()
    )
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED and not job.file and job.finished_at
    assert Member.objects.count() == 0
    assert job.history.filter(status=ImportStatus.CANCELLED).exists()
    response = secretary.post(reverse("members:import_commit", args=[job.pk]), follow=True)
    assert "Only a checked import can be committed." in response.content.decode()
    assert Member.objects.count() == 0
    assert f"its SHA-256 is {job.sha256}" in page(secretary, job)


def test_only_a_checked_import_not_being_written_can_be_cancelled(secretary, tree, english):
    job = upload(secretary, workbook(ROWS))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.COMMITTING)  # a commit's claim
    response = secretary.post(reverse("members:import_cancel", args=[job.pk]), follow=True)
    assert "Only a checked import that is not being written can be cancelled." in (
        response.content.decode()
    )
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTING and job.file


@pytest.mark.parametrize(("persona", "status"), [("reviewer", 403), ("stranger", 404)])
def test_only_the_branchs_secretary_cancels(client_as, tree, persona, status):
    job = upload(client_as("secretary"), workbook(ROWS))
    response = client_as(persona).post(reverse("members:import_cancel", args=[job.pk]))
    assert response.status_code == status
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED and job.file


@pytest.mark.parametrize(
    ("data", "name", "status"),
    [
        (LEGACY_XLS, "old.xls", ImportStatus.REFUSED),
        (workbook([*ROWS, BAD_ROW]), "errors.xlsx", ImportStatus.PREVIEWED),
    ],
    ids=["refused", "preview-with-errors"],
)
def test_an_import_that_cannot_be_written_loses_its_file_at_once(
    secretary, tree, data, name, status, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = upload(secretary, data, name=name)
    assert job.status == status and not stored(job)
    assert job.sha256 == hashlib.sha256(data).hexdigest()


def test_an_import_that_fails_loses_its_file(tree, django_capture_on_commit_callbacks):
    from tests.factories import persona

    secretary = persona(tree, "secretary")
    job = importer.start(
        branch=tree.union, data=workbook(ROWS), filename="a.xlsx", by=secretary, background=True
    )
    secretary.grants.all().delete()  # the role is removed before the worker checks it
    job = ImportJob.objects.select_related("branch", "user").get(pk=job.pk)  # as the task
    with django_capture_on_commit_callbacks(execute=True):
        importer.check(job)
    assert job.status == ImportStatus.FAILED and not stored(job)


def test_purge_deletes_files_past_their_hours_and_keeps_the_records(secretary, tree, settings):
    settings.UNIONREC_IMPORT_FILE_HOURS = 72
    job = upload(secretary, workbook(ROWS))
    young = upload(secretary, workbook(ROWS[:1]))
    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - timedelta(hours=73))
    assert import_lifetime.purge(dry_run=True) == 1
    assert stored(job) and stored(young)  # a dry run deletes nothing
    assert import_lifetime.purge() == 1
    assert not stored(job) and stored(young)
    assert job.status == ImportStatus.PREVIEWED and job.preview["ok"]  # the record stays
    assert import_lifetime.purge() == 0


def test_a_file_already_missing_from_storage_is_not_an_error(secretary, tree):
    job = upload(secretary, workbook(ROWS))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED)  # ended elsewhere
    default_storage.delete(job.file.name)
    assert import_lifetime.purge() == 1
    job.refresh_from_db()
    assert not job.file


def test_a_preview_whose_file_went_with_time_can_still_be_written(
    secretary, tree, english, settings
):
    job = upload(secretary, workbook(ROWS))
    settings.UNIONREC_IMPORT_FILE_HOURS = 0
    assert import_lifetime.purge() == 1
    assert 'data-kept="no"' in page(secretary, job) and 'id="commit"' in page(secretary, job)
    secretary.post(reverse("members:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, Member.objects.count()) == (ImportStatus.COMMITTED, 2)


def test_a_check_whose_file_went_with_time_refuses_the_import(tree, english, settings):
    job = importer.start(
        branch=tree.union, data=workbook(ROWS), filename="a.xlsx", by=None, background=True
    )
    settings.UNIONREC_IMPORT_FILE_HOURS = 0
    assert import_lifetime.purge() == 1
    job.refresh_from_db()
    importer.check(job)
    assert job.status == ImportStatus.REFUSED
    gone = "The uploaded file is no longer kept (files are deleted after a while). Upload it again."
    with translation.override("vi"):  # the worker writes the message in the site's language
        assert job.message in {gone, translation.gettext(gone)}
    assert Member.objects.count() == 0
