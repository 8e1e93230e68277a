"""Each member record carries its processing basis (members.basis; issue 15, item 2):
membership for every record made before it was kept and by default, or consent with the day
it was given; the member page, its form, the API and the import record it."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.basis import ProcessingBasis
from members.jobs import ImportJob
from members.models import Member
from tests.factories import member, persona
from tests.member_lists import HEADERS, workbook

pytestmark = pytest.mark.django_db

NEW = {
    "full_name": "Trần Thị Mai",
    "gender": "female",
    "birth_date": "03/04/1990",
    "started_on": "01/03/2015",
}


def add(client, **changes):
    return client.post(reverse("members:member_add") + "?branch=union", {**NEW, **changes})


def test_a_member_is_held_on_membership_unless_the_record_says_consent(tree):
    assert member(tree.union).processing_basis == ProcessingBasis.MEMBERSHIP
    assert member(tree.union, "Lê Văn An").consent_on is None


def test_consent_is_recorded_with_its_day_and_shown_on_the_member_page(client_as, tree, english):
    client = client_as("secretary")
    refused = add(client, processing_basis="consent")
    assert "Enter the day the consent was given." in refused.content.decode()
    assert not Member.objects.exists()
    stray = add(client, processing_basis="membership", consent_on="01/02/2020")
    assert "A consent day goes with the basis “consent” only." in stray.content.decode()
    assert add(client, processing_basis="consent", consent_on="01/02/2020").status_code == 302
    added = Member.objects.get()
    assert (added.processing_basis, added.consent_on) == ("consent", date(2020, 2, 1))
    page = client.get(reverse("members:member", args=[added.pk])).content.decode()
    assert "Consent of the person · given on 01/02/2020" in page


def test_the_api_reads_and_writes_the_basis(tree):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(persona(tree, "secretary"))
    body = {"full_name": "Phạm Thị Hoa", "branch": "unit-b"}
    created = api.post("/api/v1/members/", {**body, "processing_basis": "consent"}, format="json")
    assert created.status_code == 400 and "consent_on" in created.json()
    created = api.post(
        "/api/v1/members/",
        {**body, "processing_basis": "consent", "consent_on": "2021-05-06"},
        format="json",
    )
    assert created.status_code == 201
    read = api.get(f"/api/v1/members/{created.json()['id']}/").json()
    assert (read["processing_basis"], read["consent_on"]) == ("consent", "2021-05-06")


def test_the_import_records_consent_from_its_optional_column(client_as, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_as("secretary")
    rows = [
        ["Nguyễn Thị Hoa", "Nữ", "12/03/1988", "HP-101", "01/02/2015", "unit-a", "05/06/2020"],
        ["Trần Văn Khoa", "Nam", "05/11/1979", "HP-102", "01/02/2015", "unit-b", ""],
    ]
    data = workbook(rows, [*HEADERS, "Ngày đồng ý"])
    client.post(
        reverse("members:import", args=["union"]), {"file": SimpleUploadedFile("a.xlsx", data)}
    )
    client.post(reverse("members:import_commit", args=[ImportJob.objects.get().pk]))
    hoa, khoa = Member.objects.get(card_number="HP-101"), Member.objects.get(card_number="HP-102")
    assert (hoa.processing_basis, hoa.consent_on) == ("consent", date(2020, 6, 5))
    assert (khoa.processing_basis, khoa.consent_on) == ("membership", None)
    assert hoa.history.get().processing_basis == "consent"
