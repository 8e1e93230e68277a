"""The member list's plans for large registers (members.filters.members_for_list, issue 14):
whatever plan a list takes, it shows the same members in the same order."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from members import filters
from members.filters import counts_apart, members_for_list
from members.models import Branch, Member, MemberStatus
from members.services import mark_left
from members.statistics import today
from tests.factories import member, user
from unionrec import keyset, plans
from unionrec.access import scope_for
from unionrec.plans import AnyOf

pytestmark = pytest.mark.django_db

NAMES = [
    ("Nguyễn Thị Lan", "female"),
    ("Trần Văn Dũng", "male"),
    ("Lê Thị Dung", "female"),
    ("Phạm Minh Anh", "male"),
    ("Hoàng Thị Hà", "female"),
    ("Võ Văn An", "male"),
    ("Đặng Thị Ánh", "female"),
    ("Bùi Văn Bình", "male"),
]


@pytest.fixture
def people(tree):
    made = []
    for n, (name, gender) in enumerate(NAMES * 2):
        at = (tree.unit_a, tree.unit_b, tree.other)[n % 3]
        made.append(member(at, name, gender, started_on=date(2015, 1, 1 + n)))
    for person in made[::2]:
        mark_left(member=person, on=date(2020, 3, 1), reason="retired")
    return made


def _names(body):
    return [row["full_name"] for row in body["results"]]


def test_ids_first_pages_match_the_plain_pages(tree, people):
    """A page read as ids first, then rows, is the plain page: the same rows, in order, on
    the first page and after a cursor either way."""
    ordering = keyset.ordering(Member, "test", ("sort_key", "id"))
    plain = Member.objects.all()
    marked = keyset.ids_first(plain)
    first = keyset.read_page(plain, ordering, None, 5)
    assert keyset.read_page(marked, ordering, None, 5).rows == first.rows
    for direction in ("next", "prev"):
        cursor = keyset.decode(first.next_cursor, ordering)
        assert cursor is not None
        if direction == "prev":  # the page before the third one: the second
            third = keyset.read_page(plain, ordering, cursor, 5).next_cursor
            cursor = keyset.decode(third, ordering)
            cursor = keyset.Cursor("prev", cursor.ordering, cursor.position) if cursor else None
            assert cursor is not None
        plain_page = keyset.read_page(plain, ordering, cursor, 5)
        with CaptureQueriesContext(connection) as queries:
            marked_page = keyset.read_page(marked, ordering, cursor, 5)
        assert marked_page.rows == plain_page.rows
        assert len(queries) == 2  # the ids, then the rows


def test_id_runs_are_the_runs_of_consecutive_values():
    assert plans.id_runs([9, 5, 3, 4, 9, 1, 10]) == [(1, 1), (3, 5), (9, 10)]
    assert plans.id_runs([]) == []


def test_any_of_finds_what_in_finds(tree, people, monkeypatch):
    """Written as ranges of consecutive ids, as an array, or both (PostgreSQL), `AnyOf` finds
    the members `IN` finds, for every split of the ids between them."""
    ids = sorted(Branch.objects.values_list("pk", flat=True))
    assert len(ids) >= 4
    lists = [ids, ids[::2], ids[1:], [ids[0], *ids[2:]], [ids[-1]], []]
    for range_min, ranges_max in ((1, 16), (2, 16), (2, 1), (10_000, 16)):
        monkeypatch.setattr(plans, "RANGE_MIN", range_min)
        monkeypatch.setattr(plans, "RANGES_MAX", ranges_max)
        for chosen in lists:
            expected = set(Member.objects.filter(branch_id__in=chosen).values_list("pk", flat=True))
            found = set(
                Member.objects.filter(AnyOf("branch_id", chosen)).values_list("pk", flat=True)
            )
            assert found == expected, (range_min, ranges_max, chosen)
    assert Member.objects.filter(AnyOf("branch_id", ids)).exists()
    if connection.vendor == "postgresql":  # a run of consecutive ids is a range, no array
        monkeypatch.setattr(plans, "RANGE_MIN", 2)
        sql = str(Member.objects.filter(AnyOf("branch_id", ids[:2])).query)
        assert "BETWEEN" in sql and "ANY(" not in sql, sql


def test_a_filtered_subtree_shows_the_same_members_by_either_plan(tree, people, monkeypatch):
    """Former women of a federation, walked on PostgreSQL from the index of gender and status
    in name order; members of an age band, read from the branch filter index and sorted
    (SORT_READ_MAX): each the same members in the same order as the other plan."""
    born = date(today().year - 35, 1, 1)  # 34 or 35 years old: the band 30-39
    for n, (name, gender) in enumerate(NAMES):
        member(tree.unit_b, name, gender, birth_date=born + timedelta(days=n))
    api = APIClient()
    boss = user("boss", is_superuser=True, is_staff=True)
    api.force_authenticate(boss)
    in_prov = Member.objects.filter(branch__path__startswith=tree.prov.path)
    cases = {
        "status=left&gender=female": in_prov.filter(status=MemberStatus.LEFT, gender="female"),
        "age_band=30-39": in_prov.filter(birth_date__gte=born),
    }
    for query, found in cases.items():
        url = f"/api/v1/members/?branch=prov&{query}&page_size=3"
        chosen = api.get(url).json()
        monkeypatch.setattr(filters, "SORT_READ_MAX", -1)  # never read and sorted
        other = api.get(url).json()
        monkeypatch.undo()
        expected = [m.full_name for m in found.order_by("sort_key", "id")[:3]]
        assert _names(chosen) == _names(other) == expected, query
        assert chosen["count"] == other["count"] == 8, query  # every woman of `people` left
    scope = scope_for(boss)
    # the plans themselves, which only PostgreSQL takes: read and sorted, counted apart
    read = members_for_list(scope, tree.prov, {"age_band": "30-39"})
    assert counts_apart(read) == (connection.vendor == "postgresql")
    walked = members_for_list(scope, tree.prov, {"status": "left", "gender": "female"})
    assert not counts_apart(walked)


def test_a_page_by_number_in_a_subtree_is_the_page_its_links_reach(tree, people):
    """`?page=N` within a subtree (its branches listed on PostgreSQL) gives the rows that
    following `next` from the first page gives."""
    api = APIClient()
    api.force_authenticate(user("boss", is_superuser=True, is_staff=True))
    base = "/api/v1/members/?branch=prov&page_size=4"
    body = api.get(base).json()
    followed = [_names(body)]
    while body["next"]:
        body = api.get(body["next"]).json()
        followed.append(_names(body))
    numbered = [_names(api.get(f"{base}&page={n}").json()) for n in range(1, len(followed) + 1)]
    assert numbered == followed
    assert len(followed) == 4  # the 16 members are all in prov, 4 a page
    assert api.get(f"{base}&page=2").json()["count"] == 16


def test_a_search_in_a_subtree_is_counted_without_its_list_of_branches(tree, people, monkeypatch):
    """A search's page gives its subtree as a list of branch ids on PostgreSQL (AnyOf), which
    the planner weighs id by id (a federation's 6,963: 9 ms to plan); its count is asked in
    the form that names the subtree once (members_to_count), and still finds every match.
    The search here is common enough to be walked, the list hiding nothing."""
    monkeypatch.setattr(filters, "SEARCH_READ_MAX", 0)
    monkeypatch.setattr(filters, "SUBTREE_READ_MAX", 0)
    api = APIClient()
    api.force_authenticate(user("boss", is_superuser=True, is_staff=True))
    with CaptureQueriesContext(connection) as captured:
        body = api.get("/api/v1/members/", {"branch": "prov", "search": "thi"}).json()
    assert body["count"] == 8 and not body["count_is_estimate"]  # every Thị in the subtree
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    assert counts and all("ANY(" not in sql for sql in counts)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an index of PostgreSQL only")
def test_postgresql_walks_a_gender_and_a_status_in_name_order_from_one_index(tree, people):
    """Members migration 0019: a list of one gender and one status walks the index of both in
    name order, which carries the branch and the date of birth (no table row read)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    former_women = Member.objects.filter(gender="female", status=MemberStatus.LEFT)
    plan = former_women.order_by("sort_key", "id").values("pk", "branch_id")[:26].explain()
    assert "Index Only Scan using member_gender_status_sort_idx" in plan, plan
