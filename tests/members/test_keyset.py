"""Long member lists, through the page and the API: pages by keyset (first, previous, next,
last) that visit every member exactly once in every sort, cursors that cannot be forged, page
numbers capped on the API, and counts from the tallies or marked as estimates."""

import html
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from members import services
from members.models import Member, MemberStatus
from members.tables import MEMBER_SORTS
from members.views import members as member_views
from tests.factories import member
from tests.keyset_pages import page_link, walk_pages

pytestmark = pytest.mark.django_db

SIZE = 4  # rows a page, so a handful of members makes many pages

SORTS = [name for column in MEMBER_SORTS for name in (column, f"-{column}")]


@pytest.fixture
def crowd(tree):
    """17 members of the union's subtree (two share a name, four have no date of birth, three
    have left, three genders) and two outside the secretary's reach."""
    births = [date(1980 + n % 5, 1 + n % 12, 1) if n % 4 else None for n in range(17)]
    genders = ["female", "male", "unknown"]
    people = []
    for n in range(17):
        name = "Nguyễn Văn An" if n in (3, 9) else f"Trần Thị Bích {n:02}"
        place = [tree.union, tree.unit_a, tree.unit_b][n % 3]
        people.append(member(place, name, genders[n % 3], birth_date=births[n]))
    for n in (1, 5, 12):
        services.mark_left(member=people[n], on=date(2020, 1, 1), reason="retired")
    member(tree.other, "Lê Văn Ngoài", "male")
    member(tree.far_union, "Lê Thị Xa")
    return people


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(member_views, "PAGE_SIZE", SIZE)


def _ids(response):
    return [int(pk) for pk in re.findall(r'<tr [^>]*data-id="(\d+)"', response.content.decode())]


def _walk(client, start, rel):
    """Follow `rel` links from `start` (a query string), collecting each page's member ids."""
    return walk_pages(client, reverse("members:member_list"), start, rel, _ids)


@pytest.mark.parametrize("sort", SORTS)
def test_page_walks_every_sort_both_ways_visiting_each_member_once(
    client_as, crowd, small_pages, sort
):
    client = client_as("secretary")
    forward = _walk(client, f"?branch=union&sort={sort}", "next")
    visited = [pk for page in forward for pk in page]
    assert sorted(visited) == sorted(m.pk for m in crowd)  # each once, nobody from outside
    assert all(len(page) == SIZE for page in forward[:-1])
    last = page_link(
        client.get(reverse("members:member_list"), {"branch": "union", "sort": sort}), "last"
    )
    backward = _walk(client, last, "prev")
    assert [pk for page in reversed(backward) for pk in page] == visited
    assert len(backward[0]) == SIZE  # the last page is full, read from the end
    expected = list(
        Member.objects.filter(pk__in=visited).order_by(
            *member_views.member_ordering(sort).order_by()
        )
    )
    assert visited == [m.pk for m in expected]


def test_sort_by_date_of_birth_puts_members_without_one_last(client_as, crowd, small_pages):
    client = client_as("secretary")
    undated = {m.pk for m in crowd if m.birth_date is None}
    visited = [pk for page in _walk(client, "?branch=union&sort=birth_date", "next") for pk in page]
    assert set(visited[-len(undated) :]) == undated
    visited = [
        pk for page in _walk(client, "?branch=union&sort=-birth_date", "next") for pk in page
    ]
    assert set(visited[: len(undated)]) == undated


def test_pages_link_first_previous_next_and_last(client_as, english, crowd, small_pages):
    client = client_as("secretary")
    first = client.get(reverse("members:member_list"), {"branch": "union"})
    page = first.content.decode()
    assert (page_link(first, "first"), page_link(first, "prev")) == (None, None)
    assert 'rel="next"' in page and 'rel="last"' in page
    middle = client.get(reverse("members:member_list") + page_link(first, "next"))
    for rel in ("first", "prev", "next", "last"):
        assert page_link(middle, rel)
    labels = re.findall(r'<a rel="\w+" href="[^"]*">([^<]*)</a>', middle.content.decode())
    assert labels == ["First page", "Previous page", "Next page", "Last page"]
    last = client.get(reverse("members:member_list") + page_link(first, "last"))
    assert (page_link(last, "next"), page_link(last, "last")) == (None, None)
    assert _ids(client.get(reverse("members:member_list") + page_link(middle, "first"))) == _ids(
        first
    )


def test_a_forged_cursor_is_refused_on_the_page(client_as, crowd, small_pages):
    client = client_as("secretary")
    first = client.get(reverse("members:member_list"), {"branch": "union"})
    cursor = re.search(r"cursor=([^&]+)", page_link(first, "next")).group(1)
    for forged in (cursor[:-3] + "abc", "not-a-cursor", "", "x" * 500):
        response = client.get(reverse("members:member_list"), {"branch": "union", "cursor": forged})
        if forged:
            assert response.status_code == 400
            assert 'id="bad-cursor"' in response.content.decode()
        assert _ids(response) == _ids(first)  # the list starts again from the top


def test_a_cursor_of_another_sort_starts_that_sort_from_the_top(client_as, crowd, small_pages):
    client = client_as("secretary")
    first = client.get(reverse("members:member_list"), {"branch": "union"})
    following = page_link(first, "next") + "&sort=-gender"  # a column header clicked on page 2
    response = client.get(reverse("members:member_list") + following)
    top = client.get(reverse("members:member_list"), {"branch": "union", "sort": "-gender"})
    assert response.status_code == 200
    assert _ids(response) == _ids(top)


# --- The API ----------------------------------------------------------------------------------


@pytest.fixture
def api(client_as, crowd):
    from django.contrib.auth import get_user_model

    client_as("secretary")  # the persona's account, shared with the page's client
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username="secretary"))
    return client


def test_api_walks_by_cursor_both_ways(api, crowd):
    url, pages, body = "/api/v1/members/?branch=union&page_size=4", [], None
    while url:
        body = api.get(url).json()
        pages.append([row["id"] for row in body["results"]])
        assert url == "/api/v1/members/?branch=union&page_size=4" or "cursor=" in url
        url = body["next"]
    visited = [pk for page in pages for pk in page]
    assert sorted(visited) == sorted(m.pk for m in crowd)
    assert visited == list(
        Member.objects.filter(pk__in=visited)
        .order_by("sort_key", "id")
        .values_list("pk", flat=True)
    )
    back, url = [], body["previous"]
    while url:
        assert "cursor=" in url
        body = api.get(url).json()
        back.append([row["id"] for row in body["results"]])
        url = body["previous"]
    assert [pk for page in reversed(back) for pk in page] + pages[-1] == visited


def test_api_keeps_page_numbers_up_to_the_cap(api, crowd, settings):
    settings.UNIONREC_API_PAGE_NUMBER_MAX_ROWS = 8
    walked = api.get("/api/v1/members/?branch=union&page_size=4").json()
    second = api.get(walked["next"]).json()
    by_number = api.get("/api/v1/members/?branch=union&page_size=4&page=2").json()
    assert [r["id"] for r in by_number["results"]] == [r["id"] for r in second["results"]]
    assert "cursor=" in by_number["next"] and "page=" not in by_number["next"]
    refused = api.get("/api/v1/members/?branch=union&page_size=4&page=3")
    assert refused.status_code == 400
    message = refused.json()["page"][0]
    assert "next" in message and "8" in message
    unreadable = api.get("/api/v1/members/?page=x")  # not a page number: refused by name
    assert (unreadable.status_code, list(unreadable.json())) == (400, ["page"])


@pytest.mark.parametrize(
    "forged",
    ["abc", "", "eyJhIjoxfQ:1:2", "x" * 2000, "%00", None],
)
def test_api_refuses_a_forged_cursor(api, crowd, forged):
    real = api.get("/api/v1/members/?page_size=4").json()["next"]
    cursor = re.search(r"cursor=([^&]+)", real).group(1)
    if forged is None:  # a genuine cursor with one character changed
        forged = cursor[:5] + ("A" if cursor[5] != "A" else "B") + cursor[6:]
    response = api.get("/api/v1/members/", {"cursor": forged, "page_size": 4})
    if forged == "":
        assert response.status_code == 200  # no cursor: the first page
        return
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_a_cursor_of_the_page_is_refused_by_the_api(client_as, api, crowd, small_pages):
    page = client_as("secretary").get(reverse("members:member_list"), {"branch": "union"})
    cursor = re.search(r"cursor=([^&]+)", page_link(page, "next")).group(1)
    assert api.get("/api/v1/members/", {"cursor": cursor}).status_code == 400


# --- Counts -----------------------------------------------------------------------------------


def _member_counts(captured):
    table = Member._meta.db_table
    return [q["sql"] for q in captured if "COUNT(" in q["sql"].upper() and table in q["sql"]]


@pytest.mark.parametrize("gender", ["", "female", "male", "unknown"])
def test_active_members_of_a_subtree_are_counted_from_the_tallies(api, crowd, gender):
    expected = sum(
        1
        for m in crowd
        if m.pk not in {crowd[1].pk, crowd[5].pk, crowd[12].pk} and gender in ("", m.gender)
    )
    with CaptureQueriesContext(connection) as captured:
        body = api.get(f"/api/v1/members/?branch=union&status=active&gender={gender}").json()
    assert (body["count"], body["count_is_estimate"]) == (expected, False)
    assert not _member_counts(captured)  # no COUNT over the member table
    assert len(body["results"]) == expected  # the count is the list's


def test_the_scope_counts_from_the_tallies_without_a_branch(api, crowd):
    with CaptureQueriesContext(connection) as captured:
        body = api.get("/api/v1/members/?status=active").json()
    assert (body["count"], body["count_is_estimate"]) == (14, False)
    assert not _member_counts(captured)


def test_other_filters_are_counted_exactly_while_small(api, crowd):
    body = api.get("/api/v1/members/?branch=union&status=left").json()
    assert (body["count"], body["count_is_estimate"]) == (3, False)
    body = api.get("/api/v1/members/?search=nguyen van an").json()
    assert (body["count"], body["count_is_estimate"]) == (2, False)


def test_a_search_no_name_can_match_counts_none_on_the_page_and_the_api(api, client_as, crowd):
    # A word with digits that is neither a year nor the start of a card matches no name: the
    # count is 0 without asking the database (PostgreSQL's estimate once failed on it).
    body = api.get("/api/v1/members/?search=an X9Z9").json()
    assert (body["count"], body["count_is_estimate"], body["results"]) == (0, False, [])
    page = client_as("secretary").get(reverse("members:member_list"), {"search": "an X9Z9"})
    assert page.status_code == 200
    assert re.search(r'id="found">[^<]*\b0\b', page.content.decode())


def test_large_counts_are_estimates_and_say_so(api, client_as, crowd, settings, small_pages):
    settings.UNIONREC_EXACT_COUNT_MAX = 5
    body = api.get("/api/v1/members/?branch=union").json()
    assert body["count_is_estimate"] is True
    if connection.vendor == "sqlite":
        assert body["count"] == 5  # a floor: "5+"
    else:
        assert body["count"] > 0  # the planner's estimate
    tallied = api.get("/api/v1/members/?branch=union&status=active").json()
    assert (tallied["count"], tallied["count_is_estimate"]) == (14, False)
    page = client_as("secretary").get(reverse("members:member_list"), {"branch": "union"})
    found = re.search(r'id="found">([^<]*)<', page.content.decode()).group(1)
    if connection.vendor == "sqlite":
        assert "5+" in found


def test_costly_counts_are_the_planners_estimate_on_postgresql(api, crowd, settings, monkeypatch):
    """On PostgreSQL a count the planner expects to cost more than UNIONREC_EXACT_COUNT_MAX_COST
    is answered by its estimate; cheaper ones are exact (unionrec.counts). A subtree expected
    to hold few members (members.counting.FEW_MEMBERS) is counted without asking."""
    from members import counting

    exact = api.get("/api/v1/members/?branch=union&status=left").json()
    assert (exact["count"], exact["count_is_estimate"]) == (3, False)
    settings.UNIONREC_EXACT_COUNT_MAX_COST = 0
    # the register's size is its highest id, which the suite's earlier tests have raised
    monkeypatch.setattr(counting, "FEW_MEMBERS", 10**9)
    few = api.get("/api/v1/members/?branch=union&status=left").json()
    assert (few["count"], few["count_is_estimate"]) == (3, False)
    monkeypatch.setattr(counting, "FEW_MEMBERS", 0)
    body = api.get("/api/v1/members/?branch=union&status=left").json()
    if connection.vendor == "postgresql":
        assert body["count_is_estimate"] is True
    else:  # SQLite has no planner's cost: exact up to UNIONREC_EXACT_COUNT_MAX
        assert (body["count"], body["count_is_estimate"]) == (3, False)


def test_a_walking_list_is_counted_by_the_branch_filter_index(api, crowd, monkeypatch):
    """A list that walks its sort's index (members.filters.members_for_list) is counted
    without the walk: the same count, from a query with the branch condition visible."""
    from members import filters

    monkeypatch.setattr(filters, "WALK_MIN_MEMBERS", 0)
    monkeypatch.setattr(filters, "WALK_FACTOR", 0)
    for query, found in (("status=left", 3), ("status=left&gender=female", None)):
        with CaptureQueriesContext(connection) as captured:
            body = api.get(f"/api/v1/members/?branch=union&{query}").json()
        expected = found if found is not None else len(body["results"])
        assert (body["count"], body["count_is_estimate"]) == (expected, False)
        counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
        assert counts and all('+"members_member"' not in sql for sql in counts)
        assert all("|| ''" not in sql for sql in counts)


def test_the_filtered_page_says_how_many_it_found(client_as, crowd, small_pages):
    client = client_as("secretary")
    page = client.get(
        reverse("members:member_list"), {"branch": "union", "status": MemberStatus.ACTIVE}
    )
    assert re.search(r'id="found">[^<]*\b14\b', page.content.decode())
    page = client.get(reverse("members:member_list"), {"branch": "union", "search": "an"})
    assert re.search(r'id="found">[^<]*\b\d+\b', page.content.decode())


def test_the_schema_documents_cursor_and_estimate(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    listing = schema["paths"]["/api/v1/members/"]["get"]
    assert "cursor" in {p["name"] for p in listing["parameters"]}
    page = schema["components"]["schemas"]["PaginatedMemberList"]
    assert page["properties"]["count_is_estimate"]["type"] == "boolean"


def test_a_column_header_sorts_from_the_top_and_marks_the_sorted_column(
    client_as, crowd, small_pages
):
    client = client_as("secretary")
    first = client.get(reverse("members:member_list"), {"branch": "union", "sort": "-gender"})
    second = client.get(reverse("members:member_list") + page_link(first, "next"))
    page = second.content.decode()
    headers = re.findall(r'<th [^>]*scope="col">(?:<a href="([^"]*)">)?', page)
    assert len(headers) == 6
    links = [html.unescape(link) for link in headers if link]
    assert len(links) == 5  # every column but the card number sorts
    assert all("branch=union" in link and "cursor=" not in link for link in links)
    assert re.search(r'<th class="desc orderable" aria-sort="descending" scope="col">', page)
    assert page.count("aria-sort=") == 1
    by_gender = next(link for link in links if "sort=gender" in link)
    top = client.get(reverse("members:member_list") + by_gender)
    assert _ids(top) == _ids(
        client.get(reverse("members:member_list"), {"branch": "union", "sort": "gender"})
    )


def test_a_page_reads_each_estimate_once_and_code_outside_requests_reads_it_again(
    client_as, crowd, monkeypatch
):
    from members import counting

    reads = []
    monkeypatch.setattr(counting, "FEW_MEMBERS", 10**9)  # the suite's earlier ids count too
    rows = counting.REGISTER.rows
    monkeypatch.setattr(counting.REGISTER, "rows", lambda **kw: reads.append(kw) or rows(**kw))
    client = client_as("secretary")
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("members:member_list"), {"branch": "union"})
    assert page.status_code == 200 and "17" in page.content.decode()  # of every status
    assert len(reads) == 1  # the plan and the count both weighed it
    tallies = [
        q for q in captured.captured_queries if q["sql"].startswith('SELECT "members_branchtally"')
    ]
    assert len(tallies) == 2  # the estimates' once, the page's figures once
    if connection.vendor == "postgresql":  # a small union is counted without a plan
        assert not [q for q in captured.captured_queries if q["sql"].startswith("EXPLAIN")]

    before = counting.register()
    member(crowd[0].branch, "Phạm Văn Mới", "male")
    assert counting.register().size == before.size + 1  # outside a request: read again
    assert len(reads) == 3
