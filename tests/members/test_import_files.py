"""members.import_files: an uploaded list is read by its content, and hostile or unreadable
files are refused before anything is written (reliability-security §2, tests 23–25, 30, 31)."""

import csv
import io
import itertools
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from django.apps import apps
from django.utils import translation
from openpyxl import Workbook

from members import import_files
from members.import_files import ImportRefused, read_table
from members.imports import build_preview
from members.models import Member

HEADERS = ["Họ và tên", "Giới tính", "Ngày sinh", "Số thẻ đoàn viên"]
ROW = ["Nguyễn Thị Lan", "Nữ", "03/04/1990", "HP-1"]


def xlsx(*rows, sheet_rows=None):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for (row, column), value in (sheet_rows or {}).items():
        sheet.cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(data, *, change=None, add=(), compression=zipfile.ZIP_DEFLATED):
    """The zip `data` with parts changed by `change` ({name: function of the bytes}) and the
    parts `add` ((name, bytes)) appended."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if change and info.filename in change:
                content = change[info.filename](content)
            target.writestr(info.filename, content)
        for name, content in add:
            target.writestr(name, content)
    return out.getvalue()


def refusal(data, name="list.xlsx", max_rows=100):
    with pytest.raises(ImportRefused) as caught:
        read_table(data, name, max_rows=max_rows)
    return caught.value


@pytest.fixture
def never_opened(monkeypatch):
    """Fails the test if openpyxl is asked to open the file."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise RuntimeError("refused before opening")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    yield
    assert calls == [], "openpyxl opened a file that should have been refused first"


# --- Reading -----------------------------------------------------------------------------------


def test_rows_keep_the_numbers_the_user_sees_and_skip_titles_and_empty_rows():
    data = xlsx(
        ["DANH SÁCH ĐOÀN VIÊN CÔNG ĐOÀN CƠ SỞ"],
        [],
        ["STT", *HEADERS],
        [1, *ROW],
        [None] * 5,
        sheet_rows={(9, 2): "Trần Văn Bình"},
    )
    table = read_table(data, "list.xlsx", max_rows=100)
    assert table.kind == "xlsx"
    assert table.header_row == 3
    assert table.headers == ["STT", *HEADERS]
    assert [number for number, _ in table.rows] == [4, 9]
    assert table.rows[0][1] == [1, *ROW]
    assert table.rows[1][1][1] == "Trần Văn Bình"


def test_excel_dates_come_back_as_dates_and_numbers_as_numbers():
    data = xlsx(HEADERS, ["Lan", "Nữ", date(1990, 4, 3), 12345], ["Hoa", "Nữ", 32966, "HP-2"])
    rows = [cells for _, cells in read_table(data, "a.xlsx", max_rows=10).rows]
    assert rows[0][2] == datetime(1990, 4, 3)
    assert rows[0][3] == 12345
    assert rows[1][2] == 32966


def test_formula_cells_are_read_as_their_cached_values():
    # openpyxl writes formulas without a cached value, so the sheet XML is given one, as Excel
    # would have saved it (test 31: data_only=True).
    data = xlsx(HEADERS, ['=UPPER("lan")', "Nữ", "03/04/1990", "=1+1"])

    def cache(xml):
        xml = xml.replace(
            b'<c r="A2"><f>UPPER("lan")</f><v /></c>',
            b'<c r="A2" t="str"><f>UPPER("lan")</f><v>LAN</v></c>',
        )
        assert b"<v>LAN</v>" in xml
        return xml

    cached = rezip(data, change={"xl/worksheets/sheet1.xml": cache})
    cells = read_table(cached, "a.xlsx", max_rows=10).rows[0][1]
    assert cells[0] == "LAN"
    assert cells[3] is None  # a formula without a cached value is a blank cell, not its text


def test_file_type_is_decided_by_content_not_by_name():
    assert read_table(xlsx(HEADERS, ROW), "members.csv", max_rows=5).kind == "xlsx"
    text = "Họ và tên,Ngày sinh\nLan,03/04/1990\n".encode()
    assert read_table(text, "danh-sach", max_rows=5).kind == "csv"


# --- Refusals by content ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "list.xlsx", "empty"),
        (b"  \r\n ", "list.csv", "empty"),
        (import_files.OLE2_SIGNATURE + b"\0" * 512, "list.xls", "legacy"),
        (import_files.OLE2_SIGNATURE + b"\0" * 512, "renamed.xlsx", "legacy"),
        (b"<html><table><tr><td>Lan</td></tr></table></html>", "export.xls", "legacy"),
        (b"this is plain text, not a workbook", "list.xlsx", "not_zip"),
        (b"%PDF-1.7 \x00\x01\x02", "list.pdf", "unsupported"),
        (b"Ho va ten,Ngay sinh\n\x00\x00\x01", "list.csv", "unsupported"),
    ],
)
def test_files_that_are_not_workbooks_or_csv_are_refused(data, name, code, never_opened):
    assert refusal(data, name).code == code


def test_legacy_xls_refusal_says_what_to_do():
    with translation.override("en"):
        message = refusal(import_files.OLE2_SIGNATURE + b"\0" * 100, "list.xls").message
    assert "save it as .xlsx (Excel Workbook)" in message
    assert "CSV" in message


def test_a_zip_that_is_not_a_workbook_is_refused(never_opened):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr("word/document.xml", "<document/>")
    assert refusal(out.getvalue()).code == "not_workbook"


def test_workbook_with_a_vba_project_is_refused(never_opened):
    data = rezip(xlsx(HEADERS, ROW), add=[("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")])
    assert refusal(data).code == "macros"


def test_macro_enabled_content_type_is_refused(never_opened):
    def macro_enabled(xml):
        return xml.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")

    data = rezip(xlsx(HEADERS, ROW), change={"[Content_Types].xml": macro_enabled})
    refused = refusal(data, "list.xlsm")
    assert refused.code == "macros"
    with translation.override("en"):
        assert "without macros" in refused.message


# --- Zip bombs: checked on the central directory, before openpyxl ------------------------------


def test_more_than_200_entries_is_refused_before_opening(never_opened):
    parts = [(f"xl/media/p{i}.txt", b"x") for i in range(import_files.MAX_ZIP_ENTRIES)]
    assert refusal(rezip(xlsx(HEADERS, ROW), add=parts)).code == "too_many_entries"


def test_a_large_entry_compressed_more_than_100_to_1_is_refused_before_opening(never_opened):
    zeros = b"\0" * (3 * 1024 * 1024)  # 3 MB of zeros deflate to a few KB
    data = rezip(xlsx(HEADERS, ROW), add=[("xl/worksheets/sheet2.xml", zeros)])
    assert len(data) < 100 * 1024
    assert refusal(data).code == "suspicious_ratio"


def test_more_than_50_mb_unpacked_in_all_is_refused_before_opening(never_opened):
    out = io.BytesIO(xlsx(HEADERS, ROW))
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/big.bin", "w") as part,
    ):
        for _ in range(51):
            part.write(b"\0" * 2**20)
    assert refusal(out.getvalue()).code == "too_big_unpacked"


def test_small_parts_that_compress_well_are_accepted():
    # Genuine styles.xml files compress far beyond 100:1; the ratio rule is for large parts.
    data = rezip(xlsx(HEADERS, ROW), add=[("xl/media/blank.bin", b"\0" * 900_000)])
    assert len(read_table(data, "a.xlsx", max_rows=5).rows) == 1


def test_an_xml_entity_bomb_is_refused():
    bomb = (
        b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;'
        b'&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )

    def explode(xml):
        return bomb + xml.replace(b"<t>Nguy", b"<t>&lol3;Nguy", 1)

    data = rezip(xlsx(HEADERS, ROW), change={"xl/worksheets/sheet1.xml": explode})
    assert refusal(data).code == "xml_entities"


def test_defusedxml_guards_openpyxl_and_startup_asserts_it(monkeypatch):
    assert openpyxl.xml.DEFUSEDXML is True
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(RuntimeError, match="defusedxml"):
        apps.get_app_config("members").ready()


# --- Rows and headers --------------------------------------------------------------------------


def test_more_rows_than_the_cap_are_refused_and_the_cap_itself_is_accepted():
    data = xlsx(HEADERS, *([f"Person {i}", "Nam", "01/01/1990", f"C{i}"] for i in range(3)))
    assert len(read_table(data, "a.xlsx", max_rows=3).rows) == 3
    refused = refusal(data, max_rows=2)
    assert refused.code == "too_many_rows"
    with translation.override("en"):
        assert "more than 2 rows" in refused.message


def test_reading_stops_as_soon_as_the_cap_is_passed():
    endless = ((number, ["Lan", "Nữ"]) for number in itertools.count(2))
    with pytest.raises(ImportRefused):
        import_files.data_rows(endless, 2, 5)
    assert next(endless)[0] == 8  # rows 2–7 were read (the sixth passes the cap), no more


def test_the_workbook_is_closed_after_a_refusal(monkeypatch):
    opened = []
    real = openpyxl.load_workbook

    def spy(*args, **kwargs):
        workbook = real(*args, **kwargs)
        opened.append(workbook)
        close = workbook.close
        workbook.close = lambda: (opened.append("closed"), close())
        return workbook

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    refusal(xlsx(HEADERS, ROW, ROW), max_rows=1)
    assert opened[-1] == "closed"


def test_a_header_below_the_first_ten_rows_is_not_found():
    titles = [[f"title {i}"] for i in range(10)]
    refused = refusal(xlsx(*titles, HEADERS, ROW))
    assert refused.code == "no_header"
    assert read_table(xlsx(*titles[:9], HEADERS, ROW), "a.xlsx", max_rows=5).header_row == 10


def test_a_row_naming_only_one_field_is_not_a_header():
    assert refusal(xlsx(["Họ và tên", "Ghi chú"], ["Lan", "x"])).code == "no_header"


# --- CSV -------------------------------------------------------------------------------------


def csv_bytes(rows, *, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_csv_in_unicode_encodings(encoding):
    table = read_table(csv_bytes([HEADERS, ROW], encoding=encoding), "a.csv", max_rows=5)
    assert (table.kind, table.headers, table.rows) == ("csv", HEADERS, [(2, ROW)])


def test_csv_in_vietnamese_windows_encoding_falls_back_to_cp1258():
    # cp1258 writes "ễ" as "ê" and a combining tilde; the text is read back composed (NFC).
    data = "Họ và tên;Ngày sinh\nNguyê\u0303n Văn A;01/02/1980\n".replace("ọ", "o\u0323")
    table = read_table(data.replace("à", "a\u0300").encode("cp1258"), "a.csv", max_rows=5)
    assert table.headers == ["Họ và tên", "Ngày sinh"]
    assert table.rows == [(2, ["Nguyễn Văn A", "01/02/1980"])]


def test_csv_in_western_windows_encoding_falls_back_to_cp1252():
    data = "Full name,Date of birth\nŠimon Novák,01/02/1980\n".encode("cp1252")
    assert read_table(data, "a.csv", max_rows=5).rows == [(2, ["Šimon Novák", "01/02/1980"])]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_sniffed(delimiter):
    rows = [HEADERS, ["Nguyễn Thị Lan, con", "Nữ", "03/04/1990", "HP-1"]]
    table = read_table(csv_bytes(rows, delimiter=delimiter), "a.csv", max_rows=5)
    assert table.headers == HEADERS
    assert table.rows[0][1][0] == "Nguyễn Thị Lan, con"


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them_and_blank_ones_skipped():
    data = csv_bytes([["Danh sách"], HEADERS, ROW, ["", "", "", ""], ROW])
    table = read_table(data, "a.csv", max_rows=5)
    assert table.header_row == 2
    assert [number for number, _ in table.rows] == [3, 5]


def test_csv_quote_guard_of_our_exports_is_dropped_on_reading():
    data = csv_bytes([HEADERS, ["'=Lan", "Nữ", "03/04/1990", "'-1"]])
    assert read_table(data, "a.csv", max_rows=5).rows[0][1][0] == "=Lan"


def test_csv_row_cap():
    data = csv_bytes([HEADERS, ROW, ROW, ROW])
    assert refusal(data, "a.csv", max_rows=2).code == "too_many_rows"


# --- Through the preview: a refusal writes nothing ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        import_files.OLE2_SIGNATURE + b"\0" * 64,
        rezip(xlsx(HEADERS, ROW), add=[("xl/vbaProject.bin", b"x")]),
        rezip(xlsx(HEADERS, ROW), add=[("xl/media/z.bin", b"\0" * (2 * 2**20))]),
        xlsx(HEADERS, ROW, ROW, ROW),
    ],
    ids=["legacy", "macros", "bomb", "rows"],
)
def test_refused_files_write_nothing(tree, data):
    before = Member.objects.count(), Member.history.count()
    with pytest.raises(ImportRefused):
        build_preview(branch=tree.union, data=data, filename="a.xlsx", user=None, max_rows=2)
    assert (Member.objects.count(), Member.history.count()) == before


@pytest.mark.django_db
def test_a_file_over_the_size_setting_is_refused(tree, settings):
    settings.UNIONREC_IMPORT_MAX_BYTES = 1024 * 1024
    data = csv_bytes([HEADERS, *[ROW] * 30_000])
    assert len(data) > 1024 * 1024
    with pytest.raises(ImportRefused) as caught:
        build_preview(branch=tree.union, data=data, filename="a.csv", user=None)
    assert caught.value.code == "too_large"
    with translation.override("en"):
        assert caught.value.message == "The file is larger than 1 MB."
