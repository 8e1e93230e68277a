"""Imports that do not surprise: the template's example row is kept apart on its own sheet and
never imported (not even copied onto the data sheet, nor left in the CSV template), the card
number column is text on every row of the template, and a card number that arrives as a
number is an error on its row saying how to fix it (members.import_rows, import_template)."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members import import_rows as rules
from members.import_rows import parse_row, recognise
from members.import_template import TEMPLATE_ROWS, template_csv, template_workbook
from members.imports import build_preview
from members.jobs import ImportJob, ImportStatus
from members.models import Member
from tests.member_lists import WITH_ETHNICITY as VI

TODAY = date(2026, 5, 1)
EXAMPLE = ["Nguyễn Văn A", "Nam", date(1990, 4, 25), "012345", date(2015, 3, 1), "", "Kinh"]
FIX = "format the Card number column as Text and enter it again"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def parse(name, birth, card):
    return parse_row(5, [name, "", birth, card, "", "", ""], recognise(VI), today=TODAY)


# --- Cells (no database) ---------------------------------------------------------------------


@pytest.mark.parametrize("card", [12345, 12345.0, 1234567890123, 0])
def test_a_card_number_that_arrives_as_a_number_is_an_error_and_never_the_card(card):
    row = parse("Nguyễn Thị Lan", "", card)
    assert [(e.column, e.code) for e in row.errors] == [("Số thẻ đoàn viên", "card_as_number")]
    assert "card_number" not in row.values


def test_a_card_number_as_text_keeps_its_leading_zeros():
    assert parse("Nguyễn Thị Lan", "", "0012345").values["card_number"] == "0012345"


@pytest.mark.parametrize(
    ("name", "birth", "card", "example"),
    [
        ("Nguyễn Văn A", "25/04/1990", "012345", True),  # the row as the template has it
        ("NGUYEN VAN A", "", "012345", True),  # retyped without diacritics, card kept
        ("Nguyễn  Văn A", date(1990, 4, 25), "HP-9", True),  # the date of birth kept
        ("Nguyễn Văn A", "01/01/1980", "HP-9", False),  # a namesake with their own details
        ("Nguyễn Văn An", "25/04/1990", "012345", False),  # the name overwritten
    ],
)
def test_the_example_row_is_an_error_wherever_it_turns_up(name, birth, card, example):
    codes = [e.code for e in parse(name, birth, card).errors]
    assert codes == (["example_row"] if example else [])


# --- The template file -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "data_title", "example_title"),
    [("vi", "Đoàn viên", "Ví dụ"), ("en", "Members", "Example")],
)
def test_the_downloaded_template_keeps_the_example_apart_and_the_card_column_text(
    client_as, language, data_title, example_title
):
    response = client_as("secretary").get(
        reverse("members:import_template"), {"format": "xlsx", "lang": language}
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [data_title, example_title]
    data, example = book[data_title], book[example_title]
    assert book.active.title == data_title
    # The data sheet holds the headers only: nothing to import until the user types.
    assert all(v is None for row in data.iter_rows(min_row=2, values_only=True) for v in row)
    assert data["D1"].value in ("Số thẻ đoàn viên", "Union card number")
    formats = {data.cell(row=r, column=4).number_format for r in range(2, TEMPLATE_ROWS + 2)}
    assert formats == {"@"}
    assert data.column_dimensions["D"].number_format == "@"  # rows typed beyond the cap
    name, gender, born, card = (c.value for c in example[3][:4])
    assert (name, gender, born.date(), card) == (
        "Nguyễn Văn A",
        "Nam" if language == "vi" else "Male",
        date(1990, 4, 25),
        "012345",
    )
    assert example["D3"].number_format == "@"
    assert data_title in example["A1"].value  # the note says where to type


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_untouched_templates_import_no_one(tree, language):
    xlsx = build_preview(
        branch=tree.union, data=template_workbook(language), filename="mau.xlsx", user=None
    )
    assert set(xlsx.columns) == set(rules.FIELDS) and xlsx.unrecognised_headers == []
    assert xlsx.rows == []
    # A CSV has no second sheet: its example row is there, and refused.
    csv = build_preview(
        branch=tree.union, data=template_csv(language), filename="mau.csv", user=None
    )
    assert [(r.number, r.action, [e.code for e in r.errors]) for r in csv.rows] == [
        (2, "error", ["example_row"])
    ]
    assert not csv.ok


@pytest.mark.django_db
def test_a_template_saved_while_showing_its_example_sheet_still_reads_the_data_sheet(tree):
    book = openpyxl.load_workbook(io.BytesIO(template_workbook("vi")))
    book["Đoàn viên"].append(["Lê Thu Trang", "Nữ", "30/06/1992", "0012"])
    book.active = book.sheetnames.index("Ví dụ")
    out = io.BytesIO()
    book.save(out)
    preview = build_preview(branch=tree.union, data=out.getvalue(), filename="m.xlsx", user=None)
    assert [(r.action, r.values["card_number"]) for r in preview.rows] == [("new", "0012")]


# --- Through the import page -----------------------------------------------------------------


def filled_template(*rows):
    """The downloaded template with `rows` typed on its data sheet."""
    book = openpyxl.load_workbook(io.BytesIO(template_workbook("vi")))
    sheet = book["Đoàn viên"]
    for number, row in enumerate(rows, 2):
        for column, value in enumerate(row, 1):
            sheet.cell(row=number, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_page_shows_numeric_cards_and_the_example_row_as_errors_and_writes_nothing(
    client_as, tree, english
):
    client = client_as("secretary")
    data = filled_template(
        ["Lê Thu Trang", "Nữ", "30/06/1992", "0012", "15/08/2019"],
        ["Trần Văn Khoa", "Nam", "05/11/1979", 12, "01/02/2015"],
        EXAMPLE,
    )
    client.post(
        reverse("members:import", args=["union"]),
        {"file": SimpleUploadedFile("danh-sach.xlsx", data)},
    )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PREVIEWED
    assert job.preview["counts"] == {"new": 1, "update": 0, "unchanged": 0, "error": 2}
    errors = [(e["row"], e["column"], e["message"]) for e in job.preview["errors"]]
    assert errors == [
        (
            3,
            "Số thẻ đoàn viên",
            "The card number was entered as a number, which loses its leading zeros: " + FIX + ".",
        ),
        (
            4,
            "Họ và tên",
            "This is the template's example row (Nguyễn Văn A), not a member: delete the row.",
        ),
    ]
    page = client.get(reverse("members:import_job", args=[job.pk])).content.decode()
    assert FIX in page and "example row" in page
    assert 'id="commit-form"' not in page
    client.post(reverse("members:import_commit", args=[job.pk]))  # one bad row: nothing
    assert Member.objects.count() == 0


@pytest.mark.django_db
def test_the_template_filled_with_text_cards_imports_them_with_their_zeros(client_as, tree):
    client = client_as("secretary")
    data = filled_template(
        ["Lê Thu Trang", "Nữ", "30/06/1992", "0012", "15/08/2019"],
        ["Trần Văn Khoa", "Nam", "05/11/1979", "000345", "01/02/2015", "unit-a"],
    )
    client.post(
        reverse("members:import", args=["union"]),
        {"file": SimpleUploadedFile("danh-sach.xlsx", data)},
    )
    job = ImportJob.objects.get()
    client.post(reverse("members:import_commit", args=[job.pk]))
    assert sorted(Member.objects.values_list("card_number", flat=True)) == ["000345", "0012"]


def test_the_upload_page_says_where_to_type_and_why_cards_are_text(client_as, tree, english):
    page = client_as("secretary").get(reverse("members:import", args=["union"])).content.decode()
    assert "never imported" in page and "as Text" in page
