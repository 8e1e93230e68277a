"""The roster downloads and the pages of background exports (reports.views.exports): exactly
the member list's rows for each persona, text-safe and masked as the list shows them, a capped
PDF; large rosters written in the background for their owner alone, for a limited time, with
the permission checked again when the worker runs (reliability-security §4.E)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import openpyxl
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from members import domain
from members.filters import age_band_choices
from members.models import Grant
from members.statistics import today
from reports import exports
from reports.models import ExportJob, ExportKind, ExportStatus
from tests.reports.conftest import CARD, FORMULA, TRIGGERS, pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def roster_ids(content: bytes) -> list[int]:
    sheet = workbook(content).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def list_ids(client, params) -> list[int]:
    page = client.get(reverse("members:member_list"), params)
    assert page.status_code == 200
    return [row.record.pk for row in page.context["table"].paginated_rows]


def get_roster(client, **params):
    return client.get(reverse("reports:roster_xlsx"), params)


# --- Same rows as the member list ------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "params", "expected"),
    [
        ("secretary", {}, {"lan", "nam", "odd"}),
        ("secretary", {"branch": "unit-a"}, {"odd"}),
        ("reviewer", {}, {"lan", "nam", "odd", "trang"}),
        ("reviewer", {"branch": "other"}, {"trang"}),
        ("admin", {}, {"lan", "nam", "odd", "trang", "far"}),
        ("secretary", {"gender": "male"}, {"nam", "odd"}),
        ("secretary", {"status": "left"}, {"nam"}),
        ("reviewer", {"gender": "female", "status": "active"}, {"lan", "trang"}),
        ("secretary", {"search": "lan"}, {"lan"}),
        ("secretary", {"age_band": "40-49"}, {"nam"}),
    ],
)
def test_the_roster_holds_exactly_the_rows_of_the_member_list(
    client_as, people, persona, params, expected
):
    client = client_as(persona)
    response = get_roster(client, **params)
    assert response.status_code == 200
    ids = roster_ids(response.content)
    want = {m.pk for key in expected for m in (people[key] if key == "odd" else [people[key]])}
    assert set(ids) == want
    assert ids == list_ids(client, params)  # the same members in the same order


@pytest.mark.parametrize("name", ["roster_xlsx", "roster_pdf"])
def test_the_member_role_reads_no_roster_and_outsiders_get_404(client_as, people, name):
    url = reverse(f"reports:{name}")
    assert client_as("member").get(url).status_code == 403
    assert client_as("member").get(url, {"branch": "unit-a"}).status_code == 403
    assert client_as("secretary").get(url, {"branch": "far-union"}).status_code == 404
    assert client_as("secretary").get(url, {"branch": "prov"}).status_code == 404
    assert client_as("stranger").get(url, {"branch": "union"}).status_code == 404
    assert client_as("stranger").get(url).status_code == 403
    assert not ExportJob.objects.exists()


def test_invalid_filters_and_languages_are_refused(client_as, people, english):
    client = client_as("secretary")
    response = get_roster(client, gender="robot")
    assert response.status_code == 400 and "not valid" in response.content.decode()
    assert get_roster(client, lang="fr").status_code == 400


# --- What the file holds -------------------------------------------------------------------


def test_text_that_looks_like_a_formula_stays_text(client_as, people):
    content = get_roster(client_as("secretary"), branch="unit-a").content
    sheet = workbook(content).active
    names = {row[1].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert set(names) == set(TRIGGERS)
    for cell in names.values():
        assert cell.data_type == "s" and cell.quotePrefix
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_numbers_are_numbers_dates_are_dates_and_the_header_is_frozen_and_filtered(
    client_as, people, english
):
    sheet = workbook(get_roster(client_as("secretary"), lang="en").content).active
    headers = [cell.value for cell in sheet[1]]
    assert headers == [
        "Member ID",
        "Full name",
        "Gender",
        "Date of birth",
        "Ethnicity",
        "Union card",
        "Joined the union on",
        "Branch",
        "Status",
        "Left on",
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:J{sheet.max_row}"
    assert sheet.column_dimensions["B"].width > 20 and sheet.column_dimensions["H"].width > 30
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    lan, nam = rows["Nguyễn Thị Lan"], rows["Trần Văn Nam"]
    assert lan[0].data_type == "n" and lan[0].value == people["lan"].pk
    assert lan[3].is_date and lan[3].value.date() == date(1990, 4, 3)
    assert lan[3].number_format == "dd/mm/yyyy"
    assert lan[6].is_date and lan[6].value.date() == date(2012, 5, 1)
    assert (lan[2].value, lan[4].value, lan[7].value, lan[8].value) == (
        "Female",
        "Kinh",
        "Branch union",
        "Active",
    )
    assert nam[9].is_date and nam[9].value.date() == date(2020, 6, 30) and nam[8].value == "Left"


def test_card_numbers_are_masked_and_reviewers_get_age_bands_not_birth_dates(
    client_as, people, english
):
    """Reliability-security test 55: the roster shows no more than the list (masked cards);
    leadership gets age bands and no ethnicity, secretaries the dates and ethnicity they see
    on a member's record."""
    secretary = workbook(get_roster(client_as("secretary"), lang="en").content).active
    reviewer = get_roster(client_as("reviewer"), branch="union", lang="en").content
    sheet = workbook(reviewer).active
    assert secretary["D1"].value == "Date of birth" and sheet["D1"].value == "Age"
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    with translation.override("en"):
        band = dict(age_band_choices())[domain.age_band(date(1990, 4, 3), today())]
    assert rows["Nguyễn Thị Lan"][3] == band and rows["Trần Văn Nam"][3] == "40 to 49"
    column = [cell for (cell,) in sheet.iter_rows(min_row=2, min_col=4, max_col=4)]
    assert {cell.data_type for cell in column if cell.value is not None} == {"s"}  # no dates
    assert sheet["E1"].value == "Union card" and rows["Nguyễn Thị Lan"][4] == "••••••2345"
    with zipfile.ZipFile(io.BytesIO(reviewer)) as archive:
        assert CARD not in archive.read("xl/worksheets/sheet1.xml").decode()
    rows = {row[1]: row for row in secretary.iter_rows(min_row=2, values_only=True)}
    assert rows["Nguyễn Thị Lan"][3].date() == date(1990, 4, 3)
    assert secretary["E1"].value == "Ethnicity" and "Ethnicity" not in [c.value for c in sheet[1]]
    assert rows["Nguyễn Thị Lan"][5] == "••••••2345"


# --- PDF ---------------------------------------------------------------------------------


def test_the_roster_pdf_prints_a_short_roster(client_as, people, english, tmp_path):
    response = client_as("secretary").get(reverse("reports:roster_pdf"), {"lang": "en"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Nguyễn Thị Lan" in text and FORMULA in text and "Member roster" in text
    assert CARD not in text and "••••••2345" in text


def test_the_roster_pdf_refuses_past_its_limit_and_points_to_the_excel_file(
    client_as, people, settings, english
):
    settings.UNIONREC_ROSTER_PDF_MAX_ROWS = 5
    response = client_as("secretary").get(reverse("reports:roster_pdf"), {"gender": "male"})
    assert response.status_code == 200  # five: at the limit
    response = client_as("secretary").get(reverse("reports:roster_pdf"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "A roster PDF holds at most 5 members" in page
    assert reverse("reports:roster_xlsx") + "?lang=en" in page


# --- Downloads --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "filename"),
    [
        (
            "roster_xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "member-roster-union-",
        ),
        ("roster_pdf", "application/pdf", "member-roster-union.pdf"),
    ],
)
def test_downloads_carry_safe_headers(client_as, people, name, kind, filename):
    response = client_as("secretary").get(
        reverse(f"reports:{name}"), {"branch": "union", "lang": "en"}
    )
    assert response["Content-Type"] == kind
    assert response["Content-Disposition"].startswith(f'attachment; filename="{filename}')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"


def test_the_member_list_links_to_the_roster_with_its_filters(client_as, people):
    page = client_as("secretary").get(
        reverse("members:member_list"), {"branch": "union", "gender": "male", "page": "1"}
    )
    html = page.content.decode()
    assert f'{reverse("reports:roster_xlsx")}?branch=union&amp;gender=male"' in html


# --- Background exports ---------------------------------------------------------------------


def _queue(client, settings, **params):
    settings.UNIONREC_EXPORT_DIRECT_MAX_ROWS = 2
    response = get_roster(client, lang="en", **params)
    assert response.status_code == 302
    job = ExportJob.objects.latest("pk")
    assert response["Location"] == reverse("reports:export", args=[job.pk])
    return job


def _work():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def _file(response) -> bytes:
    content = b"".join(response.streaming_content)
    response.close()
    return content


@pytest.mark.django_db(transaction=True)
def test_a_large_roster_is_written_in_the_background_for_its_owner_alone(
    client_as, people, settings, english, monkeypatch
):
    client = client_as("secretary")
    job = _queue(client, settings)
    assert job.status == ExportStatus.QUEUED and job.parameters["filters"] == {}
    page = client.get(reverse("reports:export", args=[job.pk])).content.decode()
    assert 'data-status="queued"' in page and 'http-equiv="refresh"' in page
    seen = []  # the job page as the owner sees it while the worker writes
    real = exports.roster_xlsx

    def watched(roster, *, language, out, progress):
        def report(rows):
            progress(rows)
            seen.append(client.get(reverse("reports:export", args=[job.pk])).content.decode())

        return real(roster, language=language, out=out, progress=report, every=2)

    monkeypatch.setattr(exports, "roster_xlsx", watched)
    _work()
    assert 'data-status="running"' in seen[0] and 'data-rows="2"' in seen[0]
    assert "2 of 6 rows written" in seen[0] and 'http-equiv="refresh"' in seen[0]
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.rows_written) == (ExportStatus.DONE, 6, 6)
    page = client.get(reverse("reports:export", args=[job.pk])).content.decode()
    assert "6 of 6 rows written" in page and 'http-equiv="refresh"' not in page
    response = client.get(reverse("reports:export_file", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="member-roster-all-')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    content = _file(response)
    assert sorted(roster_ids(content)) == sorted(list_ids(client, {}))
    assert job.stored_name in job.file.name and "roster" not in job.file.name
    listing = client.get(reverse("reports:exports")).content.decode()
    assert f'data-id="{job.pk}"' in listing

    other = client_as("reviewer")  # reads the same members, but it is not their export
    assert other.get(reverse("reports:export", args=[job.pk])).status_code == 404
    assert other.get(reverse("reports:export_file", args=[job.pk])).status_code == 404
    assert f'data-id="{job.pk}"' not in other.get(reverse("reports:exports")).content.decode()

    with time_machine.travel(job.expires_at + timedelta(minutes=1), tick=False):
        client = client_as("secretary")
        response = client.get(reverse("reports:export_file", args=[job.pk]))
        assert response.status_code == 404
        assert "This file has expired and was deleted" in response.content.decode()
        assert exports.delete_expired() == 1
    job.refresh_from_db()
    assert not job.file and not default_storage.exists(f"exports/{job.stored_name}")


@pytest.mark.django_db(transaction=True)
def test_a_role_removed_before_the_worker_runs_fails_the_export_with_nothing_written(
    client_as, people, settings, english
):
    client = client_as("secretary")
    job = _queue(client, settings)
    Grant.objects.filter(user__username="secretary").delete()
    _work()
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and not job.file and job.rows_written == 0
    assert "You may no longer read member lists" in job.message
    assert not default_storage.exists("exports") or not default_storage.listdir("exports")[1]
    page = client.get(reverse("reports:export", args=[job.pk])).content.decode()
    assert "You may no longer read member lists" in page
    assert client.get(reverse("reports:export_file", args=[job.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_role_narrowed_before_the_worker_runs_fails_a_branch_roster(
    client_as, people, settings, english, tree
):
    client = client_as("reviewer")
    job = _queue(client, settings, branch="union")
    Grant.objects.filter(user__username="reviewer").update(branch=tree.far)
    _work()
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and not job.file
    assert "You may no longer read the members of Branch union" in job.message


def test_asking_twice_shows_the_same_job_and_the_number_of_waiting_jobs_is_capped(
    client_as, people, settings, english
):
    client = client_as("secretary")
    first = _queue(client, settings)
    assert _queue(client, settings) == first
    settings.UNIONREC_EXPORT_MAX_ACTIVE = 1
    response = get_roster(client, lang="en", status="active")
    assert response.status_code == 429
    assert "You already have 1 exports waiting" in response.content.decode()
    assert ExportJob.objects.count() == 1


# --- Exports whose worker stopped -------------------------------------------------------------


def _export(owner, status, minutes):
    """An export of `owner` in `status`, last heard of `minutes` ago, asked for in English."""
    now = timezone.now()
    return ExportJob.objects.create(
        owner=owner,
        kind=ExportKind.ROSTER_XLSX,
        parameters={"branch": None, "filters": {}, "language": "en"},
        status=status,
        stored_name=f"{status}-{minutes}.xlsx",
        filename="member-roster-all.xlsx",
        created_at=now - timedelta(minutes=minutes),
        heartbeat_at=now - timedelta(minutes=minutes),
        expires_at=now + timedelta(hours=24),
    )


@pytest.mark.parametrize("opened", ["its page", "the list"])
def test_a_running_export_not_heard_of_for_eleven_minutes_fails_when_shown(
    client_as, people, opened
):
    client = client_as("secretary")  # the pages in Vietnamese, the jobs asked for in English
    owner = get_user_model().objects.get(username="secretary")
    stopped = _export(owner, ExportStatus.RUNNING, 11)
    waiting = _export(owner, ExportStatus.QUEUED, 11)
    running = _export(owner, ExportStatus.RUNNING, 5)
    if opened == "its page":
        pages = {
            job.pk: client.get(reverse("reports:export", args=[job.pk])).content.decode()
            for job in (stopped, waiting, running)
        }
        assert "The export stopped before it finished. Ask for it again." in pages[stopped.pk]
        assert 'data-status="failed"' in pages[stopped.pk]
        assert 'data-status="queued"' in pages[waiting.pk]
        assert 'data-status="running"' in pages[running.pk]
    else:
        assert client.get(reverse("reports:exports")).status_code == 200
    for job in (stopped, waiting, running):
        job.refresh_from_db()
    assert stopped.status == ExportStatus.FAILED and stopped.finished_at is not None
    assert stopped.message == "The export stopped before it finished. Ask for it again."
    assert (waiting.status, waiting.message, waiting.finished_at) == (ExportStatus.QUEUED, "", None)
    assert (running.status, running.message, running.finished_at) == (
        ExportStatus.RUNNING,
        "",
        None,
    )
