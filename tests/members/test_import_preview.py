"""The member import's preview: headers and cells first (members.import_rows, no database),
then every row against the file and the register (members.imports), which nothing writes."""

import io
import json
from datetime import date, datetime, timedelta

import pytest
from django.utils import translation
from openpyxl import Workbook

from members import import_rows as rules
from members.import_files import ImportRefused, read_table
from members.import_rows import Columns, parse_row, recognise
from members.imports import build_preview
from members.models import TAKEN, Gender, Member, Membership, card_validator
from members.statistics import today
from tests.factories import member, user
from tests.member_lists import WITH_ETHNICITY as VI
from tests.member_lists import workbook

TODAY = date(2026, 5, 1)


# --- Headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Họ và tên", "full_name"),
        ("HỌ VÀ TÊN", "full_name"),
        ("Ho va ten", "full_name"),
        ("Họ tên", "full_name"),
        ("Full name", "full_name"),
        ("Name", "full_name"),
        ("Giới tính", "gender"),
        ("gioi tinh", "gender"),
        ("Gender", "gender"),
        ("Sex", "gender"),
        ("Ngày sinh", "birth_date"),
        ("Ngay sinh", "birth_date"),
        ("Date of birth", "birth_date"),
        ("Birth date", "birth_date"),
        ("DOB", "birth_date"),
        ("Ngày sinh (dd/mm/yyyy)", "birth_date"),
        ("Số thẻ đoàn viên", "card_number"),
        ("So the doan vien", "card_number"),
        ("Số thẻ", "card_number"),
        ("Card number", "card_number"),
        ("Union card", "card_number"),
        ("Ngày vào công đoàn", "joined_union_on"),
        ("ngay vao cong doan", "joined_union_on"),
        ("Joined the union", "joined_union_on"),
        ("Joined on", "joined_union_on"),
        ("Date joined", "joined_union_on"),
        ("Đơn vị", "branch"),
        ("Don vi", "branch"),
        ("Công đoàn bộ phận", "branch"),
        ("Sub-unit", "branch"),
        ("Branch", "branch"),
        ("Unit", "branch"),
        ("Dân tộc", "ethnicity"),
        ("Dan toc", "ethnicity"),
        ("Ethnicity", "ethnicity"),
        ("  Họ  và\u00a0tên (*) ", "full_name"),
    ],
)
def test_headers_are_recognised_in_both_languages_with_or_without_diacritics(header, field):
    assert recognise([header]).fields == {0: field}


def test_unknown_headers_are_listed_and_a_second_column_for_a_field_is_reported():
    columns = recognise(["STT", "Họ và tên", "", "Ghi chú", "Full name", "Ngày sinh"])
    assert columns.fields == {1: "full_name", 5: "birth_date"}
    assert columns.unrecognised == ("STT", "Ghi chú")
    assert columns.duplicated == (("full_name", "Full name"),)


def test_pure_rules_agree_with_the_model():
    assert card_validator.regex.pattern == rules.CARD_PATTERN
    assert {rules.FEMALE, rules.MALE, rules.UNKNOWN} == set(Gender.values)
    assert rules.MAX_LENGTHS["full_name"] == Member._meta.get_field("full_name").max_length


# --- Cells -----------------------------------------------------------------------------------

COLUMNS = recognise(VI)


def parse(**cells):
    """parse_row of one row given by field name (full name defaults to a valid one)."""
    row = [
        cells.get(name)
        for name in (
            "full_name",
            "gender",
            "birth_date",
            "card_number",
            "joined_union_on",
            "branch",
            "ethnicity",
        )
    ]
    row[0] = cells.get("full_name", "Nguyễn Thị Lan")
    return parse_row(7, row, COLUMNS, today=TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nam", "male"),
        ("nam", "male"),
        ("Nữ", "female"),
        ("nu", "female"),
        ("NỮ", "female"),
        ("Male", "male"),
        ("Female", "female"),
        ("M", "male"),
        ("F", "female"),
    ],
)
def test_gender_words(text, expected):
    assert parse(gender=text).values["gender"] == expected


def test_blank_or_unknown_gender_is_no_value_and_other_words_are_errors():
    assert "gender" not in parse(gender=None).values
    assert "gender" not in parse(gender="Không rõ").values
    row = parse(gender="Nx")
    assert [(e.column, e.code, dict(e.params)) for e in row.errors] == [
        ("Giới tính", "bad_gender", {"value": "Nx"})
    ]


@pytest.mark.parametrize(
    "cell",
    [
        "25/04/1990",
        "5/4/1990".replace("5/4", "25/4"),
        "25-04-1990",
        "25.04.1990",
        "1990-04-25",
        "1990-04-25 00:00:00",
        datetime(1990, 4, 25),
        date(1990, 4, 25),
        32988,
        32988.0,
    ],
)
def test_dates_in_the_forms_spreadsheets_give(cell):
    assert parse(birth_date=cell).values["birth_date"] == date(1990, 4, 25)


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("31/02/1990", "bad_date"),
        ("1990", "bad_date"),
        ("25/04/90", "bad_date"),
        ("tháng 4", "bad_date"),
        ("02/05/2026", "birth_in_future"),
        ("31/12/1899", "too_early"),
        (-3, "bad_date"),
    ],
)
def test_bad_birth_dates(cell, code):
    row = parse(birth_date=cell)
    assert [e.code for e in row.errors] == [code]
    assert "birth_date" not in row.values


def test_joining_date_is_neither_in_the_future_nor_before_birth():
    assert [e.code for e in parse(joined_union_on="02/05/2026").errors] == ["joined_in_future"]
    row = parse(birth_date="01/01/1990", joined_union_on="31/12/1989")
    assert [(e.column, e.code) for e in row.errors] == [
        ("Ngày vào công đoàn", "joined_before_birth")
    ]
    assert parse(birth_date="01/01/1990", joined_union_on="01/05/2026").ok


def test_card_numbers_are_stripped_upper_cased_and_checked():
    assert parse(card_number="  hp-0012345 ").values["card_number"] == "HP-0012345"
    for bad in ("HP 123", "-123", "HP#1", "X" * 41):
        assert [e.code for e in parse(card_number=bad).errors] == ["bad_card"], bad


def test_full_name_is_cleaned_required_and_bounded():
    assert parse(full_name="  Nguyễn   Thị\tLan ").values["full_name"] == "Nguyễn Thị Lan"
    assert [e.code for e in parse(full_name="   ").errors] == ["name_required"]
    assert [e.code for e in parse(full_name="A" * 151).errors] == ["too_long"]
    assert parse(full_name=2024).values["full_name"] == "2024"


def test_every_problem_of_a_row_is_reported_at_once():
    row = parse(full_name="", gender="?", birth_date="x", card_number="a b")
    assert [e.column for e in row.errors] == [
        "Họ và tên",
        "Giới tính",
        "Ngày sinh",
        "Số thẻ đoàn viên",
    ]
    assert row.number == 7


# --- The preview -----------------------------------------------------------------------------


@pytest.fixture
def secretary(tree):
    return user("secretary", "secretary", tree.union)


@pytest.fixture
def look(tree, secretary):
    def preview(*rows, who=None, at=None, headers=VI, **kwargs):
        return build_preview(
            branch=at or tree.union,
            data=workbook(rows, headers),
            filename="list.xlsx",
            user=who or secretary,
            **kwargs,
        )

    return preview


def codes(row):
    return [e.code for e in row.errors]


LAN = ["Nguyễn Thị Lan", "Nữ", "03/04/1990", "HP-1", "01/05/2015", "", "Kinh"]
BINH = ["Trần Văn Bình", "Nam", "12/12/1985", "HP-2", "", "unit-a", ""]


@pytest.mark.django_db
def test_new_members_are_previewed_and_nothing_is_written(tree, look):
    before = (Member.objects.count(), Membership.objects.count(), Member.history.count())
    preview = look(LAN, BINH)
    assert preview.ok
    assert preview.counts == {"new": 2, "update": 0, "unchanged": 0, "error": 0}
    lan, binh = preview.rows
    assert (lan.number, lan.action, lan.branch_id, lan.member_id) == (2, "new", tree.union.pk, None)
    assert lan.values == {
        "full_name": "Nguyễn Thị Lan",
        "gender": "female",
        "birth_date": date(1990, 4, 3),
        "card_number": "HP-1",
        "joined_union_on": date(2015, 5, 1),
        "ethnicity": "Kinh",
    }
    assert binh.branch_id == tree.unit_a.pk
    assert (Member.objects.count(), Membership.objects.count(), Member.history.count()) == before


@pytest.mark.django_db
def test_sub_units_are_found_by_code_or_name_within_the_subtree(tree, look):
    names = ("UNIT-B", "Branch unit-b", "branch UNIT B", "BRANCH UNIT-B ", "unit-a", "")
    preview = look(
        *([f"Person {i}", "", "", f"C{i}", "", name, ""] for i, name in enumerate(names))
    )
    assert [r.branch_id for r in preview.rows] == [tree.unit_b.pk] * 4 + [
        tree.unit_a.pk,
        tree.union.pk,
    ]


@pytest.mark.django_db
def test_unknown_sub_units_and_those_outside_the_subtree_are_errors(tree, look):
    preview = look([*BINH[:5], "nowhere", ""], [*LAN[:3], "HP-9", "", "other", ""])
    assert [codes(r) for r in preview.rows] == [["unknown_sub_unit"], ["unknown_sub_unit"]]
    assert not preview.ok
    with translation.override("en"):
        again = look([*BINH[:5], "nowhere", ""])
    assert again.errors == [
        (
            2,
            "Đơn vị",
            "“nowhere” is not a sub-unit of Branch union: write "
            "its code or its name as in the register.",
        )
    ]


@pytest.mark.django_db
def test_a_sub_unit_outside_the_users_write_scope_is_an_error(tree, look):
    unit_secretary = user("unit-secretary", "secretary", tree.unit_a)
    preview = look(
        [*LAN[:5], "unit-b", ""], [*BINH], [*LAN[:3], "HP-7", "", "", ""], who=unit_secretary
    )
    assert [codes(r) for r in preview.rows] == [
        ["sub_unit_out_of_scope"],
        [],
        ["sub_unit_out_of_scope"],
    ]
    reviewer = user("reviewer", "reviewer", tree.prov)
    assert codes(look(LAN, who=reviewer).rows[0]) == ["sub_unit_out_of_scope"]


@pytest.mark.django_db
def test_duplicates_in_the_file_name_the_first_row(look):
    twin = ["Nguyễn Thị Lan", "Nữ", "03/04/1990", "", "", "", ""]
    preview = look(
        LAN, BINH, [*BINH[:3], "hp-1", "", "", ""], twin, [*twin[:3], "HP-5", "", "", ""]
    )
    assert [codes(r) for r in preview.rows] == [
        [],
        [],
        ["duplicate_card"],
        ["duplicate_person"],
        [],
    ]
    assert preview.rows[2].errors[0].params == {"row": 2}
    with translation.override("en"):
        assert look(LAN, LAN).errors == [
            (3, "Số thẻ đoàn viên", "The same card number is on row 2."),
            (3, "Họ và tên", "The same name and date of birth are on row 2."),
        ]


@pytest.mark.django_db
def test_a_member_with_the_same_card_is_updated_with_the_fields_the_file_gives(tree, look):
    lan = member(
        tree.unit_a,
        "Nguyễn Thị Lan",
        card_number="HP-1",
        birth_date=date(1990, 4, 3),
        gender=Gender.UNKNOWN,
    )
    preview = look(["Nguyễn Thị Lan", "Nữ", "", "hp-1", "", "", "Tày"])
    row = preview.rows[0]
    assert (row.action, row.member_id, row.branch_id) == ("update", lan.pk, tree.unit_a.pk)
    assert row.changes == {"gender": ("unknown", "female"), "ethnicity": ("", "Tày")}
    assert row.notes == []  # blank sub-unit: the member stays where they are


@pytest.mark.django_db
def test_a_member_with_the_same_name_and_birth_date_gets_the_card(tree, look):
    lan = member(tree.union, "Nguyễn Thị Lan", birth_date=date(1990, 4, 3))
    row = look(["NGUYEN THI LAN", "", "3/4/1990", "HP-1", "", "", ""]).rows[0]
    assert (row.action, row.member_id) == ("update", lan.pk)
    assert row.changes == {
        "full_name": ("Nguyễn Thị Lan", "NGUYEN THI LAN"),
        "card_number": (None, "HP-1"),
    }


@pytest.mark.django_db
def test_namesakes_elsewhere_or_with_another_card_are_new_members(tree, look):
    member(tree.other, "Nguyễn Thị Lan", birth_date=date(1990, 4, 3))  # outside the subtree
    member(tree.unit_b, "Nguyễn Thị Lan", birth_date=date(1990, 4, 3), card_number="HP-0009")
    row = look(LAN).rows[0]
    assert (row.action, row.member_id) == ("new", None)
    assert [(n.code, n.params) for n in row.notes] == [("namesake", {"card": "•••0009"})]


@pytest.mark.django_db
def test_a_card_of_another_union_is_an_error_that_reveals_nothing(tree, look):
    member(tree.far_union, "Hoàng Văn Xa", card_number="HP-1", birth_date=date(1970, 1, 1))
    with translation.override("en"):
        preview = look(LAN)
    assert codes(preview.rows[0]) == ["card_elsewhere"]
    message = preview.errors[0][2]
    assert message == TAKEN
    assert "Xa" not in json.dumps(preview.as_dict(), ensure_ascii=False)


@pytest.mark.django_db
def test_a_card_with_another_name_and_birth_date_is_taken_as_a_mistyped_card(tree, look):
    member(tree.union, "Lê Văn Cường", card_number="HP-1", birth_date=date(1970, 1, 1))
    assert codes(look(LAN).rows[0]) == ["card_conflict"]
    renamed = look(["Lê Văn Cương", "", "01/01/1970", "HP-1", "", "", ""]).rows[0]
    assert renamed.action == "update"  # the date of birth confirms a corrected name


@pytest.mark.django_db
def test_several_register_matches_or_rows_for_one_member_are_errors(tree, look):
    member(tree.unit_a, "Nguyễn Thị Lan", birth_date=date(1990, 4, 3))
    member(tree.unit_b, "Nguyễn Thị Lan", birth_date=date(1990, 4, 3))
    assert codes(look([*LAN[:3], "", "", "", ""]).rows[0]) == ["ambiguous_person"]
    member(tree.union, "Trần Văn Bình", birth_date=date(1985, 12, 12), card_number="HP-2")
    preview = look([*BINH[:3], "HP-2", "", "", ""], ["Trần Văn Binh", "", "", "HP-2", "", "", ""])
    assert codes(preview.rows[1]) == ["duplicate_card", "same_member"]


@pytest.mark.django_db
def test_the_same_rows_a_second_time_are_unchanged(tree, look):
    member(
        tree.union,
        "Nguyễn Thị Lan",
        birth_date=date(1990, 4, 3),
        card_number="HP-1",
        joined_union_on=date(2015, 5, 1),
        ethnicity="Kinh",
    )
    member(
        tree.unit_a,
        "Trần Văn Bình",
        gender=Gender.MALE,
        birth_date=date(1985, 12, 12),
        card_number="HP-2",
    )
    preview = look(LAN, BINH)
    assert preview.counts == {"new": 0, "update": 0, "unchanged": 2, "error": 0}
    assert preview.ok
    assert all(row.changes == {} for row in preview.rows)


@pytest.mark.django_db
def test_a_member_listed_under_another_sub_unit_is_not_transferred(tree, look):
    binh = member(
        tree.unit_a,
        "Trần Văn Bình",
        gender=Gender.MALE,
        card_number="HP-2",
        birth_date=date(1985, 12, 12),
    )
    with translation.override("en"):
        row = look([*BINH[:5], "unit-b", ""]).rows[0]
    assert (row.action, row.branch_id, row.changes) == ("unchanged", binh.branch_id, {})
    assert [n.code for n in row.notes] == ["other_sub_unit"]
    assert "registered in Branch unit-a" in row.notes[0].message


@pytest.mark.django_db
def test_dates_are_checked_together_with_the_stored_ones(tree, look):
    member(tree.union, "Nguyễn Thị Lan", card_number="HP-1", birth_date=date(1990, 4, 3))
    row = look(["Nguyễn Thị Lan", "", "", "HP-1", "01/01/1980", "", ""]).rows[0]
    assert [(e.column, e.code) for e in row.errors] == [
        ("Ngày vào công đoàn", "joined_before_birth")
    ]


@pytest.mark.django_db
def test_a_dissolved_sub_unit_takes_no_new_members(tree, look):
    tree.unit_b.dissolved_on = today() - timedelta(days=1)
    tree.unit_b.save()
    assert codes(look([*BINH[:5], "unit-b", ""]).rows[0]) == ["sub_unit_dissolved"]


@pytest.mark.django_db
def test_excel_date_cells_and_serial_numbers(tree, look):
    rows = [
        ["Lan", "Nữ", datetime(1990, 4, 3), "012345", 42125, "", ""],
        ["Hoa", "Nữ", 32966, "12346", date(2015, 5, 1), "", ""],
    ]
    first, second = look(*rows).rows
    assert first.values["birth_date"] == second.values["birth_date"] == date(1990, 4, 3)
    assert first.values["joined_union_on"] == second.values["joined_union_on"] == date(2015, 5, 1)
    assert (first.values["card_number"], second.values["card_number"]) == ("012345", "12346")


@pytest.mark.django_db
def test_errors_are_in_the_active_language(look):
    row = ["Lan", "", "01/01/2999", "", "", "", ""]
    with translation.override("vi"):
        assert look(row).errors == [
            (2, "Ngày sinh", "Ngày sinh không được là ngày trong tương lai.")
        ]
    with translation.override("en"):
        assert look(row).errors == [(2, "Ngày sinh", "The date of birth cannot be in the future.")]


@pytest.mark.django_db
def test_the_file_needs_a_name_column_and_unread_columns_are_listed(look):
    with pytest.raises(ImportRefused) as caught:
        look(["03/04/1990", "HP-1"], headers=["Ngày sinh", "Số thẻ"])
    assert caught.value.code == "no_name_column"
    preview = look(["Lan", "Ghi", "Lan"], headers=["Họ và tên", "Ghi chú", "Full name"])
    assert preview.unrecognised_headers == ["Ghi chú"]
    assert not preview.ok
    assert [e.code for e in preview.file_errors] == ["duplicated_column"]


@pytest.mark.django_db
def test_the_preview_is_json_ready(tree, look):
    member(tree.union, "Nguyễn Thị Lan", card_number="HP-1", birth_date=date(1990, 4, 3))
    preview = look(LAN, [*BINH[:2], "x", *BINH[3:]])
    data = json.loads(json.dumps(preview.as_dict()))
    assert data["counts"] == {"new": 0, "update": 1, "unchanged": 0, "error": 1}
    assert data["ok"] is False
    assert data["rows"][0]["changes"]["joined_union_on"] == [None, "2015-05-01"]
    assert data["rows"][1]["errors"][0]["column"] == "Ngày sinh"
    assert [(e["row"], e["column"]) for e in data["errors"]] == [(3, "Ngày sinh")]
    assert len(data["sha256"]) == 64 and data["kind"] == "xlsx" and data["header_row"] == 1


@pytest.mark.django_db
def test_twenty_thousand_rows_preview_in_a_few_queries_and_one_more_is_refused(
    tree, secretary, django_assert_max_num_queries
):
    def big(count):
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(VI)
        for i in range(count):
            sheet.append(
                [
                    f"Đoàn Viên {i}",
                    "Nam",
                    date(1980, 1, 1) + timedelta(days=i % 9000),
                    f"HP-{i}",
                    None,
                    None,
                    None,
                ]
            )
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    member(tree.union, "Đoàn Viên 7", Gender.MALE, card_number="HP-7", birth_date=date(1980, 1, 8))
    data = big(20_000)
    with django_assert_max_num_queries(150):
        preview = build_preview(branch=tree.union, data=data, filename="big.xlsx", user=secretary)
    assert preview.counts == {"new": 19_999, "update": 0, "unchanged": 1, "error": 0}
    with pytest.raises(ImportRefused) as caught:
        read_table(big(20_001), "big.xlsx", max_rows=20_000)
    assert caught.value.code == "too_many_rows"


def test_columns_index_and_header():
    columns = Columns(("A", "Ngày sinh"), {1: "birth_date"})
    assert (
        columns.index("birth_date"),
        columns.header("birth_date"),
        columns.header("gender"),
    ) == (1, "Ngày sinh", "")
