"""The member search at scale (members.search): the same members as a scan of the folded names
would find, served by the name index of each database (FTS5 trigram on SQLite, pg_trgm on
PostgreSQL, the words of names for one- and two-letter words), kept in step by the services
and the import, and filled for the members a database already held."""

import importlib
import random
import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from members import domain, search, services
from members.models import Gender, Member
from tests.factories import member, persona
from tests.member_lists import workbook

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("members.migrations.0006_search_index")
PLACES = importlib.import_module("members.migrations.0015_name_order_carries_the_name")
FAMILY_NAMES = importlib.import_module("members.migrations.0017_family_names")
MIDDLE_NAMES = importlib.import_module("members.migrations.0018_middle_names")

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Hà", "Lý", "Đặng", "Bùi", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Thu", "Minh", "Ngọc", "Xuân", ""]
GIVEN = ["An", "Anh", "Lan", "Dũng", "Hoa", "Khoa", "Trang", "Tuấn", "Hà", "Yến", "Lê", "Quý"]


def scan(members, text):
    """The search as a plain scan: every folded word of `text` anywhere in the folded name
    (a four-digit word may be the year of birth instead); text with a digit is also a card
    number from its start."""
    words = domain.fold(text).split()
    card = domain.clean_card(text)
    found = set()
    for person in members:
        key = domain.fold(person.full_name)

        def has(word, person=person, key=key):
            if search.is_year(word):
                return person.birth_date is not None and person.birth_date.year == int(word)
            return not any(ch.isdigit() for ch in word) and word in key

        by_card = any(ch.isdigit() for ch in card) and (person.card_number or "").startswith(card)
        if by_card or (words and all(has(word) for word in words)):
            found.add(person.pk)
    return found


def random_name(rng):
    parts = [rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(MIDDLE), rng.choice(GIVEN)]
    return " ".join(part for part in parts if part)


def random_query(rng, people):
    """Whole words, pieces of words (one to four letters), words in another case, years,
    card prefixes and words nobody has."""
    person = rng.choice(people)
    words = domain.fold(person.full_name).split()
    kind = rng.randrange(7)
    if kind == 0:
        return " ".join(rng.sample(words, rng.randint(1, len(words))))
    if kind == 1:
        word = rng.choice(words)
        start = rng.randrange(len(word))
        return word[start : start + rng.randint(1, 4)]
    if kind == 2:
        return f"{rng.choice(words)} {rng.choice(people).full_name.split()[-1].upper()}"
    if kind == 3:
        return str(person.birth_date.year) + rng.choice(["", f" {rng.choice(words)}"])
    if kind == 4:
        return (person.card_number or "HN")[: rng.randint(2, 6)].lower()
    if kind == 5:
        return rng.choice(["le", "vo", "ha", "ly", "an", "a", "ng", "uy", "zz", "q"])
    return rng.choice(["xyz", "nguyen zz", "1850", "12", "hn9999"])


@pytest.fixture
def people(tree):
    rng = random.Random(14)
    branches = [tree.unit_a, tree.unit_b, tree.other, tree.far_union]
    return [
        member(
            rng.choice(branches),
            random_name(rng),
            gender=rng.choice([Gender.FEMALE, Gender.MALE]),
            birth_date=date(rng.randint(1970, 1999), rng.randint(1, 12), rng.randint(1, 28)),
            card_number=f"HN{rng.randint(0, 99999):05d}" if rng.random() < 0.9 else None,
        )
        for _ in range(160)
    ]


@pytest.mark.parametrize(("probe", "short_words"), [(search.PROBE, search.MAX_SHORT_WORDS), (3, 2)])
def test_the_index_finds_what_a_scan_of_the_folded_names_finds(
    people, monkeypatch, probe, short_words
):
    """With the index driving every search, and with small caps so that common words fall
    back to the scan of the list (both plans give the same members)."""
    monkeypatch.setattr(search, "PROBE", probe)
    monkeypatch.setattr(search, "MAX_SHORT_WORDS", short_words)
    rng = random.Random(probe)
    queries = [random_query(rng, people) for _ in range(150)]
    for text in queries:
        found = set(search.search(Member.objects.all(), text).values_list("pk", flat=True))
        assert found == scan(people, text), text
    assert any(scan(people, text) for text in queries)


@pytest.mark.parametrize(("probe", "short_words"), [(search.PROBE, search.MAX_SHORT_WORDS), (3, 2)])
def test_a_count_finds_what_a_scan_finds(people, monkeypatch, probe, short_words):
    """The form a list is counted in (members.filters.members_to_count: on SQLite its search
    joins the FTS5 table, search.joining_index) finds the same members as the scan."""
    monkeypatch.setattr(search, "PROBE", probe)
    monkeypatch.setattr(search, "MAX_SHORT_WORDS", short_words)
    rng = random.Random(probe + 1)
    queries = [random_query(rng, people) for _ in range(120)]
    counted = search.joining_index(Member.objects.all())
    for text in queries:
        found = set(search.search(counted, text).values_list("pk", flat=True))
        assert found == scan(people, text), text


def test_the_api_counts_what_a_scan_finds(tree, people, monkeypatch):
    """The API's `count` of a search, in the whole register and in a subtree, is the scan's
    (the page walks the name order, the count reads the search's indexes; on SQLite it joins
    the FTS5 table for a word of three letters or more)."""
    monkeypatch.setattr(search, "PROBE", 3)  # common words: the page walks
    api = api_as_superuser()
    in_union = [p for p in people if p.branch.path.startswith(tree.union.path)]
    for text in ["nguyen", "thi", "le", "an", "van hoa", "nguyen 1985"]:
        whole = api.get("/api/v1/members/", {"search": text, "page_size": 2}).json()
        assert whole["count"] == len(scan(people, text)), text
        union = api.get("/api/v1/members/", {"search": text, "branch": "union", "page_size": 2})
        assert union.json()["count"] == len(scan(in_union, text)), text
    assert len(scan(people, "nguyen")) > 2 and len(scan(in_union, "thi")) > 2
    counted = search.search(search.joining_index(Member.objects.all()), "nguyen thi")
    assert ("MATCH" in str(counted.query)) is (connection.vendor == "sqlite")


def api_as_superuser():
    api = APIClient()
    api.force_authenticate(persona_admin())
    return api


def persona_admin():
    from tests.factories import user

    return user("search-admin", is_superuser=True)


def found_names(response):
    return sorted(row["full_name"] for row in response.json()["results"])


def test_the_api_finds_names_two_letter_words_cards_and_years(tree):
    member(tree.unit_a, "Nguyễn Văn An", birth_date=date(1985, 4, 2), card_number="HP-1001")
    member(tree.unit_b, "Lê Thị Hoa", birth_date=date(1990, 1, 1), card_number="HP-2002")
    member(tree.other, "Võ Lệ Quyên", birth_date=date(1985, 12, 31), card_number="KT-1003")
    member(tree.far_union, "Phạm Khánh Ly", card_number="HP-1004")
    api = api_as_superuser()

    def names(text, **filters):
        return found_names(api.get("/api/v1/members/", {"search": text, **filters}))

    assert names("nguyen") == ["Nguyễn Văn An"]
    assert names("NGUYỄN an") == ["Nguyễn Văn An"]
    assert names("le") == ["Lê Thị Hoa", "Võ Lệ Quyên"]  # Lê, Lệ: a word of two letters
    assert names("vo") == ["Võ Lệ Quyên"]
    assert names("ly") == ["Phạm Khánh Ly"]
    assert names("an") == ["Nguyễn Văn An", "Phạm Khánh Ly"]  # anywhere: An, Văn, Khánh
    assert names("hp-1") == ["Nguyễn Văn An", "Phạm Khánh Ly"]  # a card from its start
    assert names("1003") == []  # not the end of a card
    assert names("1985") == ["Nguyễn Văn An", "Võ Lệ Quyên"]
    assert names("quyen 1985") == ["Võ Lệ Quyên"]
    assert names("le", gender=Gender.FEMALE, branch="union") == ["Lê Thị Hoa"]
    assert names("1985", branch="prov") == ["Nguyễn Văn An", "Võ Lệ Quyên"]
    assert names("xuyen") == []


def test_the_list_page_finds_a_member_by_a_folded_word_within_the_users_branches(client_as, tree):
    member(tree.unit_a, "Nguyễn Thị Lý")
    member(tree.far_union, "Nguyễn Văn Lý")  # outside the secretary's union
    page = client_as("secretary").get(reverse("members:member_list"), {"search": "ly"})
    text = page.content.decode()
    assert "Nguyễn Thị Lý" in text and "Nguyễn Văn Lý" not in text


def test_a_renamed_member_is_found_by_the_new_name_and_not_the_old(tree):
    person = member(tree.unit_a, "Trần Thị Hà")
    services.update_member(member=person, full_name="Đỗ Thị Yến")
    api = api_as_superuser()
    assert found_names(api.get("/api/v1/members/", {"search": "do yen"})) == ["Đỗ Thị Yến"]
    assert found_names(api.get("/api/v1/members/", {"search": "tran"})) == []
    assert found_names(api.get("/api/v1/members/", {"search": "ha"})) == []


def test_an_imported_member_is_found(client_as, tree, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from members.jobs import ImportJob

    settings.MEDIA_ROOT = tmp_path
    client = client_as("secretary")
    rows = [["Hà Xuân Quý", "Nam", "12/03/1988", "HP-7001", "01/02/2015", "unit-a"]]
    client.post(
        reverse("members:import", args=["union"]),
        {"file": SimpleUploadedFile("danh-sach.xlsx", workbook(rows))},
    )
    client.post(reverse("members:import_commit", args=[ImportJob.objects.get().pk]))
    page = client.get(reverse("members:member_list"), {"search": "ha quy"}).content.decode()
    assert "Hà Xuân Quý" in page
    assert (
        "Hà Xuân Quý"
        in client.get(reverse("members:member_list"), {"search": "xuan"}).content.decode()
    )


def test_the_migration_fills_the_index_for_the_members_already_registered(tree):
    member(tree.unit_a, "Lý Thu Hà")
    member(tree.unit_b, "Ngô Văn Xuyến")
    editor = SimpleNamespace(connection=connection)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger events
    MIGRATION.drop(None, editor)
    MIGRATION.create(None, editor)
    PLACES.add_places(None, editor)
    FAMILY_NAMES.add(None, editor)
    MIDDLE_NAMES.add(None, editor)
    assert sorted(m.full_name for m in search.search(Member.objects.all(), "xuyen")) == [
        "Ngô Văn Xuyến"
    ]
    assert [m.full_name for m in search.search(Member.objects.all(), "ly ha")] == ["Lý Thu Hà"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word FROM {search.WORDS} ORDER BY word")  # noqa: S608
        assert {"ly", "thu", "ha", "ngo", "van", "xuyen"} <= {w for (w,) in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan of PostgreSQL")
def test_postgresql_serves_a_rare_word_and_a_card_from_their_indexes(tree):
    member(tree.unit_a, "Ngô Văn Xuyến", card_number="HP-1")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    rare = search.search(Member.objects.order_by(), "van").explain()  # a middle name
    given = search.search(Member.objects.order_by(), "xuyen").explain()  # only a given name
    card = search.search(Member.objects.order_by(), "hp-1").explain()
    assert "member_name_words_idx" in rare
    # the given names' range, read from an index of the name order (member_sort_idx, or
    # member_status_sort_idx when the table's statistics make it look cheaper)
    assert re.search(r"Index Cond: .*\(sort_key\)::text >=", given), given
    assert "member_card_prefix_idx" in card


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table of SQLite")
def test_sqlite_reads_a_rare_word_from_the_fts_table(tree, django_assert_max_num_queries):
    member(tree.unit_a, "Ngô Văn Xuyến")
    queryset = search.search(Member.objects.all(), "xuyen")
    assert "IN (" in str(queryset.query)  # the ids the index found, not a scan
    assert [m.full_name for m in queryset] == ["Ngô Văn Xuyến"]


def test_a_persona_sees_only_the_members_of_their_scope(tree):
    member(tree.unit_a, "Bùi Thị Lan")
    member(tree.far_union, "Bùi Văn Lan")
    api = APIClient()
    api.force_authenticate(persona(tree, "secretary"))
    assert found_names(api.get("/api/v1/members/", {"search": "bui lan"})) == ["Bùi Thị Lan"]


@pytest.mark.parametrize(
    ("read_max", "subtree_max", "plan"),
    [(0, 0, "walk"), (10**9, 0, "by words"), (0, 10**9, "by branches")],
)
def test_a_search_lists_the_same_members_in_name_order_whichever_plan_reads_them(
    tree, monkeypatch, read_max, subtree_max, plan
):
    """On PostgreSQL a search expected to find few members is read and sorted (the name
    order hidden from the planner; within a subtree the name key too), else walked in name
    order (members.filters._search_hides); SQLite has its own plan. Pages, their order and
    their cursors are the same either way."""
    from members import filters

    monkeypatch.setattr(filters, "SEARCH_READ_MAX", read_max)
    monkeypatch.setattr(filters, "SUBTREE_READ_MAX", subtree_max)
    names = ["Lê Văn An", "Nguyễn Thị Hoa", "Lê Thị Hà", "Trần Lê Dũng", "Lê Khánh Ly"]
    for number, name in enumerate(names * 3):
        member([tree.unit_a, tree.unit_b, tree.far_union][number % 3], name)
    api = api_as_superuser()

    def pages(**params):
        seen, url, query = [], "/api/v1/members/", {"search": "le", "page_size": 2, **params}
        while url:
            answer = api.get(url, query).json()
            seen += [row["full_name"] for row in answer["results"]]
            url, query = answer["next"], {}
        return seen

    def in_order(found):
        return sorted(found, key=domain.name_sort_key)  # stable: namesakes in id order

    everywhere = pages()
    with CaptureQueriesContext(connection) as captured:
        in_union = pages(branch="union")
    assert everywhere == in_order(name for name in names * 3 if "Lê" in name)
    assert len(everywhere) == 12
    assert in_union == in_order(
        name for number, name in enumerate(names * 3) if "Lê" in name and number % 3 != 2
    )
    if connection.vendor == "postgresql":
        sql = " ".join(query["sql"] for query in captured.captured_queries)
        assert ("\"sort_key\" || '')" in sql) is (plan != "walk")
        assert ("\"search_key\" || '')" in sql) is (plan == "by branches")


def _places():
    """Each word of the index with its places (search.PLACES)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word, {', '.join(search.PLACES)} FROM {search.WORDS}")  # noqa: S608
        return {word: tuple(bool(flag) for flag in flags) for word, *flags in cursor.fetchall()}


def test_the_index_knows_where_each_word_stands_in_the_names(tree):
    """A word's places (a family or middle name, a middle or given name, a given name) are
    set once seen anywhere; the migration, the services and a rebuild agree; a word held
    only as a given name or only as a family name still finds everyone who holds it."""
    dung = member(tree.unit_a, "Trần Văn Dũng", "male")
    member(tree.unit_b, "Lê Thị Dung")
    member(tree.other, "Phạm Minh Khoa", "male")
    places = _places()
    # (elsewhere: family or middle, after_first: middle or given, given, middle)
    assert places["dung"] == (False, True, True, False)  # a given name only
    assert places["tran"] == (True, False, False, False)  # a family name only
    assert places["van"] == (True, True, False, True)  # a middle name
    assert sorted(m.full_name for m in search.search(Member.objects.all(), "dung")) == [
        "Lê Thị Dung",
        "Trần Văn Dũng",
    ]
    assert [m.full_name for m in search.search(Member.objects.all(), "tran")] == ["Trần Văn Dũng"]
    # a middle name Dũng, a given name Trần: the marks follow, and everyone is still found
    member(tree.far_union, "Đỗ Dũng Khoa", "male")
    member(tree.far_union, "Vũ Trần", "male")
    places = _places()
    assert places["dung"] == (True, True, True, True)
    assert places["tran"] == (True, True, True, False)
    found = sorted(m.full_name for m in search.search(Member.objects.all(), "dung"))
    assert found == ["Lê Thị Dung", "Trần Văn Dũng", "Đỗ Dũng Khoa"]
    found = sorted(m.full_name for m in search.search(Member.objects.all(), "tran"))
    assert found == ["Trần Văn Dũng", "Vũ Trần"]
    # a rebuild computes the same marks as the services kept
    kept = _places()
    search.rebuild()
    assert _places() == kept
    assert dung.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bounds are PostgreSQL's plan")
def test_a_word_held_in_one_place_bounds_the_name_order(tree):
    member(tree.unit_a, "Trần Văn Dũng", "male")
    member(tree.unit_b, "Lê Thị Dung")
    member(tree.other, "Phạm Minh Khoa", "male")
    member(tree.other, "Lý Văn Lê", "male")  # Lê: a family name and a given name
    assert search.bound_size("dung") is not None  # a given name only: its range of names
    assert search.bound_size("tran van") is not None  # a family name only, and a middle name
    assert search.bound_size("tran khoa") is not None  # the range of the given name Khoa
    # Lê is a family name too, but never a middle one: within the Trần it is the given name
    assert search.bound_size("tran le") is not None
    member(tree.other, "Hồ Lê Minh", "male")  # now Lê is a middle name somewhere
    assert search.bound_size("tran le") is None  # a given name to find inside the family
    assert search.bound_size("van") is None  # a middle name: everywhere
    assert search.bound_size("quynh") is None  # no name holds it
    given = str(search.search(Member.objects.all(), "dung").query)
    family = str(search.search(Member.objects.all(), "tran").query)
    assert "sort_key" in given and ">=" in given
    assert "split_part" in family
    assert "split_part" not in str(search.search(Member.objects.all(), "tran", bounded=False).query)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bounds are PostgreSQL's plan")
def test_a_family_name_and_a_given_name_that_is_also_a_family_name_find_what_a_scan_finds(tree):
    """ "nguyen mai 1974": Nguyễn is only ever a family name and Mai never a middle name, so
    within the Nguyễn, Mai is the given name: the search walks that range of the family's
    names (members.search._given_within_family) and finds what the unbounded search finds.
    Once Nguyên is a given name somewhere, or Mai a middle name, nothing is bounded so."""
    names = [
        ("Nguyễn Thị Mai", date(1974, 5, 1)),
        ("Nguyễn Văn Mải", date(1974, 9, 9)),
        ("Nguyễn Mai", date(1974, 1, 1)),
        ("Nguyễn Thị Mai", date(1975, 5, 1)),  # another year
        ("Mai Thị Lan", date(1974, 4, 4)),  # Mai the family name
        ("Nguyễn Thị Hoa", date(1974, 2, 2)),
    ]
    for number, (name, born) in enumerate(names):
        member([tree.unit_a, tree.unit_b][number % 2], name, birth_date=born)

    def within():
        held = {word: search._words_containing(word) for word in ("nguyen", "mai")}
        return search._given_within_family(held)

    assert within() is not None
    for text in ("nguyen mai 1974", "nguyen mai", "mai nguyen", "nguyen mai 1975"):
        bounded = search.search(Member.objects.all(), text)
        assert "split_part" in str(bounded.query) and '"sort_key" >=' in str(bounded.query)
        scanned = search.search(Member.objects.all(), text, bounded=False)
        assert sorted(m.pk for m in bounded) == sorted(m.pk for m in scanned), text
    found = api_as_superuser().get("/api/v1/members/", {"search": "nguyen mai 1974"}).json()
    assert sorted(row["full_name"] for row in found["results"]) == [
        "Nguyễn Mai",
        "Nguyễn Thị Mai",
        "Nguyễn Văn Mải",
    ]
    assert found["count"] == 3
    given = member(tree.other, "Mai Văn Nguyên", "male")  # Nguyên, a given name
    assert within() is None
    assert len(search.search(Member.objects.all(), "nguyen mai")) == 5
    given.delete()
    search.rebuild()
    assert within() is not None
    member(tree.other, "Phạm Mai Anh")  # Mai, a middle name
    assert within() is None


def test_a_given_name_alone_bounds_the_name_order_on_both_databases(tree):
    """ "dung", only ever a given name: the search reads its given names' range of the name
    order (member_sort_idx) on SQLite as on PostgreSQL, and finds what the unbounded one
    finds."""
    for name in ("Trần Văn Dũng", "Lê Thị Dung", "Phạm Minh Khoa", "Võ Dung"):
        member(tree.unit_a, name)
    bounded = search.search(Member.objects.all(), "dung")
    assert '"sort_key" >=' in str(bounded.query)
    scanned = search.search(Member.objects.all(), "dung", bounded=False)
    assert '"sort_key" >=' not in str(scanned.query)
    found = sorted(m.full_name for m in bounded)
    assert (
        found == sorted(m.full_name for m in scanned) == ["Lê Thị Dung", "Trần Văn Dũng", "Võ Dung"]
    )
