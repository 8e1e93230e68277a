"""Names as people type them (members.domain.clean_name): invisible characters pasted with a
name are removed and full-width letters folded when a name is saved, imported or searched, so
the name typed is the name found; members migration 0005 cleans the names stored before."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from members import domain, services
from members.jobs import ImportJob
from members.models import Member
from tests.factories import member, persona
from tests.member_lists import workbook

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("members.migrations.0005_clean_names")

ZWSP, SOFT_HYPHEN, BOM, WORD_JOINER, ZWJ, ZWNJ, LRM, RLM = (
    "\u200b",
    "\u00ad",
    "\ufeff",
    "\u2060",
    "\u200d",
    "\u200c",
    "\u200e",
    "\u200f",
)
NAME = "Nguyễn Văn An"
# The same name as it arrives from a web page, a chat or a spreadsheet.
DIRTY = {
    "zero-width space": f"Ngu{ZWSP}yễn Văn An",
    "soft hyphen": f"Nguy{SOFT_HYPHEN}ễn Văn An",
    "byte-order mark": f"{BOM}Nguyễn Văn An",
    "word joiner": f"Nguyễn{WORD_JOINER} Văn An",
    "joiners": f"Ng{ZWJ}uyễn V{ZWNJ}ăn An",
    "bidirectional marks": f"{LRM}Nguyễn Văn An{RLM}",
    "full-width letters": "Ｎｇｕｙễｎ Ｖăｎ Ａｎ",
    "decomposed letters": "Nguye\u0302\u0303n Va\u0306n An",
    "no-break spaces": "Nguyễn\u00a0Văn\u3000An",
}


@pytest.mark.parametrize("typed", DIRTY.values(), ids=DIRTY.keys())
def test_a_name_is_cleaned_of_what_cannot_be_seen(typed):
    assert domain.clean_name(typed) == NAME
    assert len(domain.clean_name(typed)) == len(NAME)  # Vietnamese letters stay composed
    assert domain.fold(typed) == "nguyen van an"
    assert domain.name_sort_key(typed) == domain.name_sort_key(NAME)


def test_a_card_number_is_cleaned_the_same_way():
    assert domain.clean_card(f"hp{ZWSP}-0099{BOM}") == "HP-0099"
    assert domain.clean_card("ＨＰ－００９９") == "HP-0099"
    assert domain.clean_card(ZWSP) == ""


# --- Saved, then searched: through the service, the list page and the API ------------------


@pytest.fixture
def pasted(tree):
    """A member added with a zero-width space inside the family name."""
    return member(tree.unit_a, DIRTY["zero-width space"], card_number=f"hp-77{ZWSP}")


def test_a_name_is_saved_without_its_invisible_characters(pasted):
    pasted.refresh_from_db()
    assert (pasted.full_name, pasted.card_number) == (NAME, "HP-77")
    assert pasted.search_key == "nguyen van an"
    assert pasted.sort_key == domain.name_sort_key(NAME)


def test_an_edit_cleans_the_name_too(tree, pasted):
    secretary = persona(tree, "secretary")
    changed = services.update_member(
        member=pasted, full_name=f"{BOM}Ｌê Ｔｈị Ｈｏａ", by=secretary
    )
    assert (changed.full_name, changed.search_key) == ("Lê Thị Hoa", "le thi hoa")


SEARCHES = [
    NAME,
    "nguyen",
    *DIRTY.values(),
    f"ng{ZWSP}uyen",
    "ＮＧＵＹＥＮ ａｎ",
    "hp-77",
    "ｈｐ－７７",
]


@pytest.mark.parametrize("search", SEARCHES)
def test_the_list_page_finds_the_member_however_the_name_was_typed(client_as, pasted, search):
    page = client_as("secretary").get(reverse("members:member_list"), {"search": search})
    assert [row.record.full_name for row in page.context["table"].paginated_rows] == [NAME]


@pytest.mark.parametrize("search", SEARCHES)
def test_the_api_finds_the_member_however_the_name_was_typed(tree, pasted, search):
    api = APIClient()
    api.force_authenticate(persona(tree, "secretary"))
    body = api.get("/api/v1/members/", {"search": search}).json()
    assert [m["full_name"] for m in body["results"]] == [NAME]


def test_a_search_of_invisible_characters_alone_filters_nothing(client_as, pasted, tree):
    member(tree.unit_b, "Lê Thị Hoa")
    page = client_as("secretary").get(reverse("members:member_list"), {"search": ZWSP + BOM})
    assert len(page.context["table"].paginated_rows) == 2


def test_the_add_page_stores_a_pasted_name_and_card_clean(client_as, tree):
    response = client_as("secretary").post(
        reverse("members:member_add") + "?branch=union",
        {
            "full_name": f"Trần{ZWSP} Thị{SOFT_HYPHEN} Mai",
            "gender": "female",
            "card_number": "ＨＰ－００９９",
            "started_on": "01/03/2015",
        },
    )
    assert response.status_code == 302
    added = Member.objects.get()
    assert (added.full_name, added.search_key, added.card_number) == (
        "Trần Thị Mai",
        "tran thi mai",
        "HP-0099",
    )


def test_the_api_stores_a_pasted_name_and_card_clean(tree):
    api = APIClient()
    api.force_authenticate(persona(tree, "secretary"))
    response = api.post(
        "/api/v1/members/",
        {
            "full_name": f"{BOM}Ｌê Ｔｈｕ Ｔｒａｎｇ",
            "branch": "unit-a",
            "card_number": f"hp-5{LRM}",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["full_name"], response.json()["card_number"]) == (
        "Lê Thu Trang",
        "HP-5",
    )
    assert api.get("/api/v1/members/", {"search": "le thu trang"}).json()["count"] == 1


def test_a_name_of_invisible_characters_only_is_refused(tree):
    with pytest.raises(ValidationError) as refused:
        member(tree.unit_a, ZWSP + SOFT_HYPHEN)
    assert "full_name" in refused.value.message_dict


# --- Imported ---------------------------------------------------------------------------


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_an_imported_name_is_stored_clean_and_found(client_as, tree, _media):
    client = client_as("secretary")
    rows = [
        [
            f"Ngu{ZWSP}yễn Thị{SOFT_HYPHEN} Hoa",
            "Nữ",
            "12/03/1988",
            "ＨＰ－１０１",
            "01/02/2015",
            "",
        ],
        ["Ｔｒầｎ Ｖăｎ Ｋｈｏａ", "Nam", "05/11/1979", f"HP-102{BOM}", "01/02/2015", "unit-b"],
    ]
    client.post(
        reverse("members:import", args=["union"]),
        {"file": _upload(workbook(rows))},
    )
    job = ImportJob.objects.get()
    assert job.preview["counts"]["error"] == 0, job.preview
    client.post(reverse("members:import_commit", args=[job.pk]))
    stored = dict(Member.objects.values_list("card_number", "full_name"))
    assert stored == {"HP-101": "Nguyễn Thị Hoa", "HP-102": "Trần Văn Khoa"}
    found = client.get(reverse("members:member_list"), {"search": "Ｎｇｕｙễｎ"})
    assert [row.record.full_name for row in found.context["table"].paginated_rows] == [
        "Nguyễn Thị Hoa"
    ]


def _upload(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("danh-sach.xlsx", data)


# --- Stored before: migration 0005 -------------------------------------------------------


def _store(record, **values):
    """Write columns behind the services' back, as older code or a direct edit did."""
    Member.objects.filter(pk=record.pk).update(**values)
    record.refresh_from_db()
    return record


def test_the_migration_cleans_a_stored_name_and_recomputes_its_keys(tree):
    dirty = DIRTY["zero-width space"]
    stored = _store(
        member(tree.unit_a, "Placeholder"),
        full_name=dirty,
        card_number=f"HP-9{ZWSP}",
        search_key=dirty.lower(),
        sort_key="stale",
    )
    before = (stored.history.count(), stored.version)
    MIGRATION.clean_names(apps, None)
    stored.refresh_from_db()
    assert (stored.full_name, stored.card_number) == (NAME, "HP-9")
    assert (stored.search_key, stored.sort_key) == ("nguyen van an", domain.name_sort_key(NAME))
    assert stored.version == before[1] + 1
    assert stored.history.count() == before[0] + 1
    last = stored.history.first()
    assert (last.full_name, last.history_type, last.history_change_reason) == (
        NAME,
        "~",
        "names cleaned",
    )
    assert Member.objects.filter(search_key__contains="nguyen").get() == stored


def test_the_migration_leaves_clean_names_and_their_history_alone(tree):
    clean = member(tree.unit_a, "Lê Thị Hoa", card_number="HP-1")
    stale = _store(member(tree.unit_b, "Trần Văn Khoa"), search_key="old key", sort_key="old")
    rows = {m.pk: (m.full_name, m.version, m.history.count()) for m in (clean, stale)}
    MIGRATION.clean_names(apps, None)
    for record in (clean, stale):
        record.refresh_from_db()
        assert (record.full_name, record.version, record.history.count()) == rows[record.pk]
    assert (stale.search_key, stale.sort_key) == (
        "tran van khoa",
        domain.name_sort_key("Trần Văn Khoa"),
    )  # keys recomputed, no history row: keys are not kept in history


def test_the_migration_does_not_stop_on_odd_rows(tree):
    holder = member(tree.unit_a, "Lê Thị Hoa", card_number="HP-1")
    twin = _store(member(tree.unit_a, "Lê Thị Hoa B"), card_number=f"HP-1{ZWSP}")
    invisible = _store(member(tree.unit_b, "Trần Văn Khoa"), full_name=ZWSP)
    long = _store(member(tree.unit_b, "Phạm Minh"), full_name="㍿" * 60)  # 240 when folded
    MIGRATION.clean_names(apps, None)
    for record in (holder, twin, invisible, long):
        record.refresh_from_db()
    assert holder.card_number == "HP-1"
    assert twin.card_number == f"HP-1{ZWSP}"  # the cleaned number is another member's: kept
    assert invisible.full_name == ZWSP  # nothing would be left: kept as it was
    assert len(long.full_name) == 150
