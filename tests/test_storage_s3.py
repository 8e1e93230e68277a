"""Files in an S3-compatible store (issue 17 item 2): with UNIONREC_S3_BUCKET's settings, the
congress documents, the evidence of progress figures, the member lists to import and the
background exports go to the bucket, through Django's STORAGES (django-storages), and come
back through the same pages as from a local disk; nothing lands in MEDIA_ROOT. The store is
moto's server, started on the loopback for this module."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from congresses import services
from members.jobs import ImportJob, ImportStatus
from members.models import Member
from reports import exports
from reports.models import ExportJob, ExportStatus
from tests.factories import docx_bytes, member
from tests.member_lists import workbook

boto3 = pytest.importorskip("boto3")
pytestmark = pytest.mark.django_db

DAY = date(2017, 12, 23)
KEYS = {"access_key": "unionrec-test", "secret_key": "unionrec-test-secret"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - moto's server module, our fixed arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_server, settings, tmp_path):
    """A fresh bucket, and the settings that `UNIONREC_S3_BUCKET` would give (settings.py)."""
    name = f"unionrec-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    client.create_bucket(Bucket=name)
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "file_overwrite": False,
                **KEYS,
            },
        },
    }

    def keys() -> set[str]:
        listing = client.list_objects_v2(Bucket=name)
        return {item["Key"] for item in listing.get("Contents", [])}

    yield keys
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*"))


def test_a_congress_document_goes_to_the_bucket_and_back(client_as, tree, bucket):
    term = services.create_term(branch=tree.union, starts_on=DAY, ordinal=5)
    congress = services.create_congress(
        term=term, held_on=DAY, summoned=10, present=9, committee_size=3, venue="Hội trường"
    )
    upload = SimpleUploadedFile("bien-ban.docx", docx_bytes())
    client = client_as("secretary")
    url = reverse("congresses:document_add", args=[congress.pk])
    assert (
        client.post(url, {"document-kind": "minutes", "document-file": upload}).status_code == 302
    )
    document = congress.documents.get()
    assert bucket() == {document.file.name}
    response = client_as("reviewer").get(reverse("congresses:document", args=[document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == docx_bytes()


def test_evidence_goes_to_the_bucket_and_back(client_as, tree, bucket):
    from congresses.resolutions import services as resolutions
    from congresses.resolutions.models import Progress

    term = services.create_term(branch=tree.union, starts_on=DAY, ordinal=5)
    congress = services.create_congress(
        term=term, held_on=DAY, summoned=10, present=9, committee_size=3, venue="Hội trường"
    )
    resolution = resolutions.create_resolution(congress=congress)
    target = resolutions.add_target(
        resolution=resolution, title="Kết nạp đoàn viên", kind="count", target_value=20
    )
    client = client_as("secretary")
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 evidence", "application/pdf")
    client.post(
        reverse("congresses:progress_add", args=[target.pk]),
        {"progress-on": "01/06/2020", "progress-actual": "12", "progress-evidence": pdf},
    )
    figure = Progress.objects.get()
    assert bucket() == {figure.evidence.name}
    download = client.get(reverse("congresses:evidence", args=[figure.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 evidence"


def test_a_member_list_is_read_from_the_bucket_and_deleted_there_once_imported(
    client_as, tree, bucket, django_capture_on_commit_callbacks
):
    rows = [
        ["Nguyễn Thị Hoa", "Nữ", "12/03/1988", "HP-101", "01/02/2015", "unit-a"],
        ["Trần Văn Khoa", "Nam", "05/11/1979", "HP-102", "01/02/2015", "unit-b"],
    ]
    client = client_as("secretary")
    upload = SimpleUploadedFile("danh-sach.xlsx", workbook(rows))
    client.post(reverse("members:import", args=["union"]), {"file": upload})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PREVIEWED
    assert bucket() == {job.file.name}  # the checked file waits in the bucket
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportStatus.COMMITTED, 2)
    assert Member.objects.filter(card_number__in=["HP-101", "HP-102"]).count() == 2
    assert bucket() == set()  # gone once written, as from a disk


@pytest.mark.django_db(transaction=True)
def test_a_background_export_is_written_to_the_bucket_and_expires_there(
    client_as, tree, bucket, settings
):
    for n in range(4):
        member(tree.unit_a, f"Đoàn Viên {n}", card_number=f"HP-2{n:02}")
    settings.UNIONREC_EXPORT_DIRECT_MAX_ROWS = 2
    client = client_as("secretary")
    response = client.get(reverse("reports:roster_xlsx"), {"branch": "union"})
    assert response.status_code == 302
    job = ExportJob.objects.latest("pk")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and bucket() == {job.file.name}
    download = client.get(reverse("reports:export_file", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert content.startswith(b"PK") and len(content) == job.size
    assert exports.delete_expired(now=job.expires_at) == 1
    assert bucket() == set()


def test_the_bucket_settings_come_from_the_environment():
    """What the tests above set by hand is what settings.py makes of UNIONREC_S3_*."""
    import json
    import os

    show = "from django.conf import settings; import json; print(json.dumps(settings.STORAGES))"
    env = dict(os.environ, UNIONREC_S3_BUCKET="union-files", UNIONREC_S3_PREFIX="hp")
    env |= {"UNIONREC_S3_ENDPOINT_URL": "http://127.0.0.1:9000", "UNIONREC_TESTING": "1"}
    env["DJANGO_SETTINGS_MODULE"] = "unionrec.settings"
    done = subprocess.run(  # noqa: S603 - our own settings, read in a fresh interpreter
        [sys.executable, "-c", f"import django; django.setup(); {show}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    default = json.loads(done.stdout)["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": "union-files",
        "endpoint_url": "http://127.0.0.1:9000",
        "region_name": None,
        "location": "hp",
        "file_overwrite": False,
    }
