"""The congress calendar: which branches need the leadership's attention, scoped as the
register (reviewer and secretary read, the member role is refused, outsiders get 404)."""

from datetime import date
from importlib import import_module
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congresses import services
from congresses.filters import sort_values
from congresses.models import Congress, CongressStatus, Term
from congresses.tables import CALENDAR_SORTS, calendar_ordering
from congresses.views import calendar as calendar_views
from members.models import Branch, BranchKind, Role
from tests.factories import branch, persona, user
from tests.keyset_pages import page_link, walk_pages
from unionrec.keyset import Cursor

pytestmark = pytest.mark.django_db

LINK = import_module("congresses.migrations.0010_term_next_start").LINK
MARK = import_module("congresses.migrations.0011_congress_awaited").MARK

TODAY = date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-03-01 09:00 +0700", tick=False):
        yield


@pytest.fixture
def calendar(tree):
    """union: its term ends on 1/7/2026 (in 4 months); other: its term ended on 1/1/2024 and no
    newer one is recorded; unit-a: its congress was held and is not recognised yet; unit-b: no
    term; prov: a term running until 2028 with a recognised congress (nothing to do);
    far-union (outside the personas' subtrees): overdue."""
    terms = {
        "union": services.create_term(branch=tree.union, starts_on=date(2021, 7, 1)),
        "other": services.create_term(branch=tree.other, starts_on=date(2019, 1, 1)),
        "unit_a": services.create_term(branch=tree.unit_a, starts_on=date(2023, 1, 1)),
        "prov": services.create_term(branch=tree.prov, starts_on=date(2023, 1, 1)),
        "far_union": services.create_term(branch=tree.far_union, starts_on=date(2020, 1, 1)),
    }
    held = services.create_congress(
        term=terms["unit_a"], held_on=date(2023, 1, 1), summoned=10, present=9, committee_size=3
    )
    services.record_held(held)
    done = services.create_congress(
        term=terms["prov"], held_on=date(2023, 1, 1), summoned=10, present=9, committee_size=5
    )
    services.record_held(done)
    services.submit_for_recognition(done)
    services.recognise(done, decision="1/QĐ", decided_on=date(2023, 2, 1))
    return terms


def rows(response):
    assert response.status_code == 200, response.status_code
    return list(response.context["page"].rows)


def codes(response):
    return [record.code for record in rows(response)]


def situations(record):
    return {
        s for s in ("ending", "overdue", "no_term", "unrecognised") if getattr(record, f"is_{s}")
    }


def test_reviewer_sees_each_situation_of_their_subtree(client, tree, calendar):
    client.force_login(persona(tree, "reviewer"))
    response = client.get(reverse("congresses:calendar"))
    found = {record.code: situations(record) for record in rows(response)}
    assert found == {
        "union": {"ending"},
        "other": {"overdue"},
        "unit-a": {"unrecognised"},
        "unit-b": {"no_term"},
    }  # prov has nothing to do; root, far and far-union lie outside the subtree
    html = response.content.decode()
    assert 'data-situation="ending"' in html and 'data-situation="unrecognised"' in html
    assert reverse("members:branch", args=["union"]) in html
    assert reverse("congresses:term", args=[calendar["union"].pk]) in html
    assert reverse("congresses:congress", args=[Congress.objects.get(status="held").pk]) in html


def test_superuser_sees_every_branch(client, tree, calendar):
    client.force_login(user("admin", is_superuser=True))
    assert set(codes(client.get(reverse("congresses:calendar")))) == {
        "root",
        "far",
        "union",
        "other",
        "unit-a",
        "unit-b",
        "far-union",
    }


def test_situation_kind_and_months_filters(client, tree, calendar):
    client.force_login(persona(tree, "reviewer"))
    url = reverse("congresses:calendar")
    assert codes(client.get(url, {"situation": "ending"})) == ["union"]
    assert codes(client.get(url, {"situation": "ending", "months": 3})) == []
    assert codes(client.get(url, {"situation": "ending", "months": 4})) == ["union"]
    assert codes(client.get(url, {"situation": "overdue"})) == ["other"]
    assert codes(client.get(url, {"situation": "no_term"})) == ["unit-b"]
    assert codes(client.get(url, {"situation": "unrecognised"})) == ["unit-a"]
    assert codes(client.get(url, {"kind": BranchKind.SUB_UNION})) == ["unit-a", "unit-b"]
    assert codes(client.get(url, {"branch": "union"})) == ["union", "unit-a", "unit-b"]


def test_an_extension_moves_the_end(client, tree, calendar):
    services.extend_term(
        term=calendar["union"],
        until=date(2027, 7, 1),
        decision="5/QĐ",
        decided_on=date(2026, 1, 10),
    )
    services.extend_term(
        term=calendar["other"],
        until=date(2026, 6, 1),
        decision="6/QĐ",
        decided_on=date(2023, 12, 1),
    )
    client.force_login(persona(tree, "reviewer"))
    response = client.get(reverse("congresses:calendar"), {"situation": "ending"})
    assert codes(response) == ["other"]
    assert rows(response)[0].term_end == date(2026, 6, 1)


def test_a_newer_term_ends_the_overdue_situation(client, tree, calendar):
    services.create_term(branch=tree.other, starts_on=date(2026, 4, 1))  # recorded ahead
    client.force_login(persona(tree, "reviewer"))
    assert codes(client.get(reverse("congresses:calendar"), {"situation": "overdue"})) == []


def test_invalid_months_shows_the_error_and_no_rows(client, tree, calendar):
    client.force_login(persona(tree, "reviewer"))
    response = client.get(reverse("congresses:calendar"), {"months": "0"})
    assert rows(response) == []
    assert response.context["filter"].form.errors["months"]
    assert 'id="calendar-empty"' in response.content.decode()


def test_sorting_by_term_end_puts_branches_without_a_term_last(client, tree, calendar):
    client.force_login(persona(tree, "reviewer"))
    url = reverse("congresses:calendar")
    assert codes(client.get(url, {"sort": "term_end"})) == ["other", "union", "unit-a", "unit-b"]
    assert codes(client.get(url, {"sort": "-term_end"})) == ["unit-a", "union", "other", "unit-b"]
    assert codes(client.get(url, {"sort": "-branch"})) == ["other", "unit-b", "unit-a", "union"]
    assert codes(client.get(url, {"sort": "congress_on"}))[0] == "unit-a"


@pytest.fixture
def crowd(tree, calendar):
    """18 more branches under prov: overdue terms ending on six different days (two share
    each), a term ending soon, and five branches without a term; some terms have a congress
    planned, two on the same day, so every sort has ties and missing values."""
    for index in range(12):
        place = branch(tree.prov, f"late-{index:02}")
        term = services.create_term(branch=place, starts_on=date(2015 + index % 6, 2, 1))
        if index % 3:
            services.create_congress(term=term, held_on=term.starts_on)
    soon = services.create_term(branch=branch(tree.prov, "soon"), starts_on=date(2021, 5, 1))
    services.create_congress(term=soon, held_on=date(2021, 5, 1))
    services.create_term(branch=soon.branch, starts_on=date(2016, 5, 1))  # one replaced before
    services.create_term(branch=soon.branch, starts_on=date(2026, 5, 1))  # and one to come
    for index in range(5):
        branch(tree.prov, f"bare-{index}")
    return calendar


def _walk(client, start, rel):
    """Follow `rel` links from `start` (a query string), collecting each page's branch codes."""
    return walk_pages(client, reverse("congresses:calendar"), start, rel, codes)


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(calendar_views, "PAGE_SIZE", SIZE)


SIZE = 4
SORTS = [name for column in CALENDAR_SORTS for name in (column, f"-{column}")]


@pytest.mark.parametrize("sort", SORTS)
def test_pages_walk_every_sort_both_ways_visiting_each_branch_once(
    client, tree, crowd, small_pages, sort
):
    client.force_login(user("admin", is_superuser=True))
    forward = _walk(client, f"?sort={sort}", "next")
    visited = [code for page in forward for code in page]
    assert len(visited) == len(set(visited)) == 25  # each once: 7 of the calendar, 18 more
    assert all(len(page) == SIZE for page in forward[:-1])
    last = page_link(client.get(reverse("congresses:calendar"), {"sort": sort}), "last")
    backward = _walk(client, last, "prev")
    assert [code for page in reversed(backward) for code in page] == visited
    assert len(backward[0]) == SIZE  # the last page is full, read from the end
    ordering = calendar_ordering(sort)
    day = date(2026, 3, 1)
    expected = Branch.objects.filter(code__in=visited).annotate(**sort_values(day))
    assert visited == [b.code for b in expected.order_by(*ordering.order_by())]
    column = sort.removeprefix("-")
    if column != "branch":  # branches without the value come last both ways
        values = [getattr(b, column) for b in expected.order_by(*ordering.order_by())]
        missing = values.count(None)
        assert missing and values[-missing:] == [None] * missing


def test_a_filtered_list_walks_by_its_links_and_keeps_its_filters(client, tree, crowd, small_pages):
    client.force_login(persona(tree, "reviewer"))
    pages = _walk(client, "?situation=no_term&sort=-branch", "next")
    visited = [code for page in pages for code in page]
    assert visited == ["bare-4", "bare-3", "bare-2", "bare-1", "bare-0", "unit-b"]
    assert [len(page) for page in pages] == [SIZE, 2]


def test_an_old_page_number_shows_the_first_page(client, tree, crowd, small_pages):
    client.force_login(persona(tree, "reviewer"))
    url = reverse("congresses:calendar")
    first = codes(client.get(url, {"sort": "term_end"}))
    for number in ("2", "x", "999"):
        assert codes(client.get(url, {"sort": "term_end", "page": number})) == first


def test_a_forged_cursor_answers_400_with_a_message_and_the_first_page(
    client, tree, crowd, small_pages, english
):
    client.force_login(persona(tree, "reviewer"))
    url = reverse("congresses:calendar")
    first = client.get(url, {"sort": "-term_end"})
    cursor = parse_qs(urlsplit(page_link(first, "next")).query)["cursor"][0]
    wrong_shape = Cursor("next", "-term_end", ("2020-01-01", "x", 1)).encode()
    for forged in (cursor[:-3] + "abc", "not-a-cursor", "x" * 500, wrong_shape):
        response = client.get(url, {"sort": "-term_end", "cursor": forged})
        assert response.status_code == 400
        page = response.content.decode()
        assert 'id="bad-cursor"' in page and "This page link is not valid" in page
        assert [b.code for b in response.context["page"].rows] == codes(first)
    other_sort = client.get(url, {"sort": "branch", "cursor": cursor})  # a header clicked
    assert codes(other_sort) == codes(client.get(url, {"sort": "branch"}))


def test_queries_do_not_grow_with_the_rows(client, tree, calendar, django_assert_max_num_queries):
    client.force_login(persona(tree, "reviewer"))
    url = reverse("congresses:calendar")
    client.get(url)  # sessions and the like settle
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for index in range(20):
        branch(tree.prov, f"new-{index:02}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(codes(client.get(url))) == 24


def test_dissolved_branches_and_union_groups_are_left_out(client, tree, calendar):
    branch(tree.union, "group-1", BranchKind.GROUP)
    branch(tree.prov, "gone", dissolved_on=date(2025, 1, 1), founded_on=date(2000, 1, 1))
    client.force_login(persona(tree, "reviewer"))
    found = codes(client.get(reverse("congresses:calendar"), {"situation": "no_term"}))
    assert found == ["unit-b"]


def test_member_role_is_refused(client, tree, calendar):
    client.force_login(persona(tree, "member"))
    assert client.get(reverse("congresses:calendar")).status_code == 403
    assert client.get(reverse("congresses:calendar"), {"branch": "unit-a"}).status_code == 403


def test_branches_outside_the_subtree_answer_404(client, tree, calendar):
    client.force_login(persona(tree, "secretary"))
    url = reverse("congresses:calendar")
    assert set(codes(client.get(url))) == {"union", "unit-a", "unit-b"}
    assert client.get(url, {"branch": "far-union"}).status_code == 404
    assert client.get(url, {"branch": "prov"}).status_code == 404
    assert client.get(url, {"branch": "nowhere"}).status_code == 404


def test_the_page_speaks_vietnamese_and_english(client, tree, calendar):
    client.force_login(persona(tree, "reviewer"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("congresses:calendar")).content.decode()
    assert "Congress calendar" in html and "Term ending soon" in html
    assert "01/07/2026" in html
    assert Congress.objects.filter(status=CongressStatus.HELD).count() == 1
    assert f'href="{reverse("congresses:calendar")}"' in html  # the top navigation


def test_secretary_grant_on_a_sub_union_sees_only_it(client, tree, calendar):
    client.force_login(user("sub", Role.SECRETARY, tree.unit_b))
    assert codes(client.get(reverse("congresses:calendar"))) == ["unit-b"]


def test_every_sort_walks_and_probes_each_branchs_situations(client, tree, calendar):
    """Each page stops at its last branch, so each situation is probed branch by branch (an
    outer condition keeps PostgreSQL from hashing every term of the tree first:
    congresses.filters._probed). A sort by a term's end walks the running terms by their end
    (a join, no subquery per branch), then the branches without a term. The rows are the
    same whatever the order."""
    client.force_login(persona(tree, "reviewer"))
    url = reverse("congresses:calendar")
    probe = '"members_branch"."id" IS NOT NULL'
    found = {}
    for sort in ("branch", "term_end", "-term_end", "congress_on"):
        with CaptureQueriesContext(connection) as queries:
            found[sort] = codes(client.get(url, {"sort": sort}))
        sql = [query["sql"] for query in queries.captured_queries]
        assert probe in " ".join(sql), sort
        if sort.endswith("term_end"):
            walk = next(query for query in sql if '"next_starts_on"' in query)
            assert 'JOIN "congresses_term" "running"' in walk  # its NOT NULL makes it inner
            assert "(SELECT" not in walk.split(" FROM ")[0]  # no value computed per branch
    assert sorted(found["branch"]) == sorted(found["term_end"]) == sorted(found["congress_on"])


def test_each_term_knows_when_the_next_one_starts_through_every_write(tree):
    """Term.next_starts_on, kept by every save and delete, tells the term running on a day
    from its own row; the calendar walks it (TermQuerySet.running_on)."""
    later = services.create_term(branch=tree.union, starts_on=date(2027, 1, 1))
    first = services.create_term(branch=tree.union, starts_on=date(2017, 1, 1))  # recorded after
    middle = services.create_term(branch=tree.union, starts_on=date(2022, 1, 1))
    services.create_term(branch=tree.other, starts_on=date(2019, 1, 1))

    def linked():
        terms = Term.objects.filter(branch=tree.union).order_by("starts_on")
        return [term.next_starts_on for term in terms]

    def running(day):
        return list(Term.objects.running_on(day).filter(branch=tree.union))

    assert linked() == [date(2022, 1, 1), date(2027, 1, 1), None]
    assert running(date(2016, 12, 31)) == []
    assert running(date(2021, 12, 31)) == [first]
    assert running(date(2026, 3, 1)) == running(date(2026, 12, 31)) == [middle]
    assert running(date(2040, 1, 1)) == [later]  # the last that ran, long ended
    services.update_term(term=later, starts_on=date(2027, 6, 1), ends_on=date(2032, 6, 1))
    assert linked() == [date(2022, 1, 1), date(2027, 6, 1), None]
    later.delete()
    assert linked() == [date(2022, 1, 1), None]
    assert running(date(2040, 1, 1)) == [middle]
    assert Term.objects.get(branch=tree.other).next_starts_on is None


def test_the_migration_links_the_terms_already_recorded(tree):
    services.create_term(branch=tree.union, starts_on=date(2017, 1, 1))
    services.create_term(branch=tree.union, starts_on=date(2022, 1, 1))
    Term.objects.update(next_starts_on=None)
    with connection.cursor() as cursor:
        cursor.execute(LINK)
    ends = Term.objects.order_by("starts_on").values_list("next_starts_on", flat=True)
    assert list(ends) == [date(2022, 1, 1), None]


def test_each_branch_awaits_one_congress_through_every_write(tree):
    """Congress.awaited, kept by every save and delete: of the branch's congresses not yet
    recognised, the oldest held one, failing that the first planned; the calendar walks
    them by day."""
    old = services.create_term(branch=tree.union, starts_on=date(2017, 1, 1))
    now = services.create_term(branch=tree.union, starts_on=date(2022, 1, 1))
    later = services.create_term(branch=tree.union, starts_on=date(2027, 1, 1))
    counts = {"summoned": 10, "present": 9, "committee_size": 3}
    first = services.create_congress(term=old, held_on=date(2017, 1, 1), **counts)
    second = services.create_congress(term=now, held_on=date(2022, 1, 1), **counts)
    planned = services.create_congress(term=later, held_on=date(2027, 1, 1))

    def awaited():
        return list(Congress.objects.filter(term__branch=tree.union, awaited=True))

    assert awaited() == [first]  # all planned: the first by day
    services.record_held(second)
    assert awaited() == [second]  # a held congress before any planned one
    services.record_held(first)
    assert awaited() == [first]  # the oldest held one
    services.submit_for_recognition(first)
    services.recognise(first, decision="1/QĐ", decided_on=date(2017, 2, 1))
    assert awaited() == [second]
    services.submit_for_recognition(second)
    services.recognise(second, decision="2/QĐ", decided_on=date(2022, 2, 1))
    assert awaited() == [planned]
    planned.delete()
    assert awaited() == []


def test_the_migration_marks_the_congresses_already_recorded(tree):
    old = services.create_term(branch=tree.union, starts_on=date(2017, 1, 1))
    now = services.create_term(branch=tree.union, starts_on=date(2022, 1, 1))
    services.create_congress(term=old, held_on=date(2017, 1, 1))
    held = services.create_congress(
        term=now, held_on=date(2022, 1, 1), summoned=10, present=9, committee_size=3
    )
    services.record_held(held)
    Congress.objects.update(awaited=False)
    with connection.cursor() as cursor:
        cursor.execute(MARK)
    assert list(Congress.objects.filter(awaited=True)) == [held]
    Congress.objects.update(awaited=False)
    Congress.objects.mark_all_awaited()  # the bulk loads' form of the same rule
    assert list(Congress.objects.filter(awaited=True)) == [held]
