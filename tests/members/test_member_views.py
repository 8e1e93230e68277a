"""Member pages: persona tests (right role, weaker role, stranger) for every view, then what
the list, the record and the forms do and refuse."""

import html
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import domain, services
from members.models import TAKEN, Branch, LeaveReason, Member, MemberStatus
from members.statistics import statistics, today
from tests.factories import member

pytestmark = pytest.mark.django_db

CARD = "HP-0012345"


@pytest.fixture
def lan(tree):
    return member(tree.unit_a, "Nguyễn Thị Lan", card_number=CARD, birth_date=date(1990, 4, 3))


def _names(page):
    return [row.record.full_name for row in page.context["table"].paginated_rows]


def _list(client, **params):
    return client.get(reverse("members:member_list"), params)


def _snapshot(record):
    record.refresh_from_db()
    fields = [
        "full_name",
        "gender",
        "birth_date",
        "card_number",
        "branch_id",
        "status",
        "left_on",
        "leave_reason",
        "version",
    ]
    return {name: getattr(record, name) for name in fields} | {
        "history": record.history.count(),
        "periods": list(record.periods.values_list("branch_id", "started_on", "ended_on")),
    }


# --- Personas ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, lan):
    for url in [
        reverse("members:member_list") + "?branch=union",
        reverse("members:member_add") + "?branch=union",
        reverse("members:member", args=[lan.pk]),
        reverse("members:member_edit", args=[lan.pk]),
        reverse("members:member_transfer", args=[lan.pk]),
        reverse("members:member_leave", args=[lan.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "code", "status"),
    [
        ("secretary", "union", 200),
        ("secretary", "unit-a", 200),
        ("secretary", "prov", 404),
        ("secretary", "other", 404),
        ("secretary", "far", 404),
        ("reviewer", "prov", 200),
        ("reviewer", "unit-b", 200),
        ("reviewer", "far-union", 404),
        ("member", "unit-a", 403),
        ("member", "union", 403),
        ("member", "other", 404),
        ("stranger", "union", 404),
        ("admin", "far", 200),
        ("secretary", "no-such", 404),
    ],
)
def test_member_list_of_a_branch_scope(client_as, name, code, status):
    assert _list(client_as(name), branch=code).status_code == status


@pytest.mark.parametrize(
    ("name", "status"),
    [("admin", 200), ("secretary", 200), ("reviewer", 200), ("member", 403), ("stranger", 403)],
)
def test_member_list_of_all_my_branches_needs_a_reading_role(client_as, name, status):
    assert _list(client_as(name)).status_code == status


@pytest.mark.parametrize(
    ("name", "status"), [("secretary", 200), ("reviewer", 200), ("member", 403), ("stranger", 404)]
)
def test_member_record_scope(client_as, lan, name, status):
    assert client_as(name).get(reverse("members:member", args=[lan.pk])).status_code == status


def test_member_record_outside_every_subtree_is_not_found(client_as, tree):
    far = member(tree.far_union, "Lê Văn Tám", "male")
    for name in ["secretary", "reviewer"]:
        assert client_as(name).get(reverse("members:member", args=[far.pk])).status_code == 404
    assert client_as("secretary").get(reverse("members:member", args=[99999])).status_code == 404


@pytest.mark.parametrize("view", ["member_edit", "member_transfer", "member_leave"])
@pytest.mark.parametrize(
    ("name", "status"),
    [("admin", 200), ("secretary", 200), ("reviewer", 403), ("member", 403), ("stranger", 404)],
)
def test_member_forms_need_a_secretary(client_as, lan, view, name, status):
    assert client_as(name).get(reverse(f"members:{view}", args=[lan.pk])).status_code == status


@pytest.mark.parametrize(
    ("name", "code", "status"),
    [
        ("secretary", "union", 200),
        ("secretary", "unit-b", 200),
        ("secretary", "other", 404),
        ("reviewer", "union", 403),
        ("member", "unit-a", 403),
        ("member", "far", 404),
        ("stranger", "union", 404),
        ("secretary", "", 404),
    ],
)
def test_add_member_needs_a_secretary_of_the_branch(client_as, name, code, status):
    url = reverse("members:member_add") + (f"?branch={code}" if code else "")
    assert client_as(name).get(url).status_code == status


@pytest.mark.parametrize("view", ["member_edit", "member_transfer", "member_leave"])
def test_a_reviewer_cannot_post_a_change(client_as, tree, lan, view):
    before = _snapshot(lan)
    data = {
        "full_name": "X",
        "gender": "male",
        "version": lan.version,
        "to_branch": "unit-b",
        "on": "01/06/2020",
        "reason": LeaveReason.RETIRED,
    }
    response = client_as("reviewer").post(reverse(f"members:{view}", args=[lan.pk]), data)
    assert response.status_code == 403
    assert _snapshot(lan) == before


@pytest.mark.parametrize(("name", "count"), [("admin", 4), ("secretary", 2), ("reviewer", 3)])
def test_the_list_and_the_record_give_the_same_answer(client_as, tree, name, count):
    everyone = [
        member(tree.unit_a, "Nguyễn Thị Lan"),
        member(tree.unit_b, "Trần Văn Nam", "male"),
        member(tree.other, "Phạm Thị Hoa"),
        member(tree.far_union, "Lê Văn Tám", "male"),
    ]
    client = client_as(name)
    listed = {row.record.pk for row in _list(client).context["table"].paginated_rows}
    readable = {
        m.pk
        for m in everyone
        if client.get(reverse("members:member", args=[m.pk])).status_code == 200
    }
    assert listed == readable
    assert len(listed) == count


# --- The list ---------------------------------------------------------------------------------


def _years_ago(years):
    day = today()
    return date(day.year - years, day.month, min(day.day, 28))  # no 29 February


def test_list_of_a_branch_covers_its_subtree_only(client_as, tree):
    member(tree.unit_a, "Nguyễn Thị Lan")
    member(tree.unit_b, "Trần Văn Nam", "male")
    member(tree.other, "Phạm Thị Hoa")
    client = client_as("reviewer")
    assert sorted(_names(_list(client, branch="union"))) == ["Nguyễn Thị Lan", "Trần Văn Nam"]
    assert _names(_list(client, branch="unit-b")) == ["Trần Văn Nam"]
    assert len(_names(_list(client))) == 3


def test_list_filters_by_gender_status_and_age_band(client_as, tree):
    member(tree.unit_a, "Nguyễn Thị Lan", birth_date=_years_ago(25))
    member(tree.unit_a, "Trần Văn Nam", "male", birth_date=_years_ago(45))
    member(tree.unit_a, "Lê Hoàng Minh", "unknown", birth_date=_years_ago(30))
    left = member(tree.unit_b, "Phạm Thị Hoa", birth_date=_years_ago(60))
    services.mark_left(member=left, on=date(2020, 6, 1), reason=LeaveReason.RETIRED)
    client = client_as("secretary")
    assert _names(_list(client, branch="union", gender="male")) == ["Trần Văn Nam"]
    assert _names(_list(client, branch="union", gender="unknown")) == ["Lê Hoàng Minh"]
    assert _names(_list(client, status="left")) == ["Phạm Thị Hoa"]
    assert len(_names(_list(client, status="active"))) == 3
    assert _names(_list(client, age_band="under-30")) == ["Nguyễn Thị Lan"]
    assert _names(_list(client, age_band="30-39")) == ["Lê Hoàng Minh"]
    assert _names(_list(client, age_band="40-49")) == ["Trần Văn Nam"]
    assert _names(_list(client, age_band="50-plus", gender="female")) == ["Phạm Thị Hoa"]


def test_an_invalid_filter_shows_nothing_rather_than_everyone(client_as, tree):
    member(tree.unit_a)
    page = _list(client_as("secretary"), gender="robot")
    assert page.status_code == 200
    assert page.context["filter"].errors
    assert _names(page) == []


def test_search_ignores_diacritics_and_case(client_as, tree):
    for name in ["Hoàng Dũng", "Hoàng Văn Dũng", "Hoàng Văn Nam", "Đặng Thị Hà", "Nguyễn Văn Dân"]:
        member(tree.unit_a, name)
    client = client_as("secretary")
    assert _names(_list(client, search="hoang dung")) == ["Hoàng Dũng", "Hoàng Văn Dũng"]
    assert _names(_list(client, search="HOÀNG dũng")) == ["Hoàng Dũng", "Hoàng Văn Dũng"]
    assert _names(_list(client, search="dang")) == ["Đặng Thị Hà"]
    assert sorted(_names(_list(client, search="d"))) == [
        "Hoàng Dũng",
        "Hoàng Văn Dũng",
        "Nguyễn Văn Dân",
        "Đặng Thị Hà",
    ]


def test_search_finds_a_year_of_birth_alone_or_beside_a_name(client_as, tree):
    member(tree.unit_a, "Hoàng Văn Dũng", birth_date=date(1985, 4, 2))
    member(tree.unit_a, "Hoàng Văn Dũng", birth_date=date(1990, 7, 1))
    member(tree.unit_a, "Đặng Thị Hà", birth_date=date(1985, 1, 9))
    client = client_as("secretary")
    assert sorted(_names(_list(client, search="1985"))) == ["Hoàng Văn Dũng", "Đặng Thị Hà"]
    assert _names(_list(client, search="dung 1990")) == ["Hoàng Văn Dũng"]
    assert _names(_list(client, search="dung 1975")) == []


def test_search_finds_a_card_number_from_its_start(client_as, lan, tree):
    member(tree.unit_a, "Trần Văn Nam", "male", card_number="QN-999")
    assert _names(_list(client_as("secretary"), search="hp-001")) == ["Nguyễn Thị Lan"]


def test_names_sort_in_vietnamese_order_by_given_name(client_as, tree):
    names = [
        "Nguyễn Thị Lan",
        "Nguyễn Văn Đức",
        "Trần Văn Dũng",
        "Lê Văn Bình",
        "Hồ Văn Ân",
        "Trần Thị Anh",
    ]
    for name in names:
        member(tree.unit_a, name)
    expected = [
        "Trần Thị Anh",
        "Hồ Văn Ân",
        "Lê Văn Bình",
        "Trần Văn Dũng",
        "Nguyễn Văn Đức",
        "Nguyễn Thị Lan",
    ]
    client = client_as("secretary")
    assert _names(_list(client, branch="union")) == expected
    assert _names(_list(client, branch="union", sort="full_name")) == expected
    assert _names(_list(client, branch="union", sort="-full_name")) == expected[::-1]
    html = _list(client, branch="union").content.decode()
    positions = [html.index(name) for name in expected]
    assert positions == sorted(positions)


def test_other_columns_sort_and_fall_back_to_the_name(client_as, tree):
    member(tree.unit_b, "Trần Văn Nam", "male", birth_date=date(1980, 1, 1))
    member(tree.unit_a, "Nguyễn Thị Lan", birth_date=date(1990, 1, 1))
    member(tree.unit_a, "Lê Thị Hoa", birth_date=date(1970, 1, 1))
    client = client_as("secretary")
    by_branch = ["Lê Thị Hoa", "Nguyễn Thị Lan", "Trần Văn Nam"]
    assert _names(_list(client, sort="branch")) == by_branch
    assert _names(_list(client, sort="-birth_date")) == [
        "Nguyễn Thị Lan",
        "Trần Văn Nam",
        "Lê Thị Hoa",
    ]
    assert _names(_list(client, sort="gender")) == ["Lê Thị Hoa", "Nguyễn Thị Lan", "Trần Văn Nam"]
    assert _names(_list(client, sort="no_such_column")) == by_branch  # the default order


def test_list_shows_card_numbers_masked(client_as, lan):
    html = _list(client_as("secretary"), branch="union").content.decode()
    assert lan.masked_card_number in html
    assert lan.masked_card_number.endswith("2345")
    assert CARD not in html
    record = client_as("secretary").get(reverse("members:member", args=[lan.pk]))
    assert CARD in record.content.decode()  # the record itself shows the whole number


def test_empty_list_says_so(client_as, english, tree):
    page = _list(client_as("secretary"), branch="union", search="nobody")
    assert page.status_code == 200
    assert "No member matches these filters." in page.content.decode()


def test_pages_of_25_without_counting_or_a_query_per_row(client_as, tree):
    client = client_as("secretary")
    for number in range(2):
        member(tree.unit_a, f"Nguyễn Văn A{number:02}", "male")
    with CaptureQueriesContext(connection) as few:
        _list(client, branch="union")
    for number in range(2, 30):
        member(tree.unit_b if number % 2 else tree.unit_a, f"Nguyễn Văn A{number:02}", "male")
    with CaptureQueriesContext(connection) as many:
        first = _list(client, branch="union")
    assert len(many) == len(few)
    member_table = Member._meta.db_table
    counts = [q["sql"] for q in many.captured_queries if "COUNT(" in q["sql"].upper()]
    # no COUNT over all of a subtree's members: at most UNIONREC_EXACT_COUNT_MAX rows are read
    assert all("LIMIT" in sql.upper() for sql in counts if member_table in sql)
    assert len(_names(first)) == 25
    following = re.search(r'rel="next" href="\?([^"]*)"', first.content.decode()).group(1)
    second = client.get(reverse("members:member_list") + "?" + html.unescape(following))
    assert len(_names(second)) == 5
    assert not set(_names(first)) & set(_names(second))
    # old links by page number open the first page (pages go by cursor, tests/members/test_keyset)
    assert _names(_list(client, branch="union", page="x")) == _names(first)
    assert _names(_list(client, branch="union", page=99)) == _names(first)


# --- The record -------------------------------------------------------------------------------


def test_record_shows_fields_periods_and_history_with_who(client_as, tree, lan):
    client = client_as("secretary")
    client.post(
        reverse("members:member_transfer", args=[lan.pk]),
        {"to_branch": "unit-b", "on": "01/06/2020"},
    )
    page = client.get(reverse("members:member", args=[lan.pk]))
    html = page.content.decode()
    assert "03/04/1990" in html
    assert [(p.branch.code, p.started_on, p.ended_on) for p in page.context["periods"]] == [
        ("unit-a", date(2015, 1, 1), date(2020, 6, 1)),
        ("unit-b", date(2020, 6, 1), None),
    ]
    assert "01/06/2020" in html
    history = list(page.context["history"])
    assert len(history) == 2
    assert history[0].history_user.username == "secretary"
    assert "secretary" in html


def test_only_writers_see_the_change_links(client_as, lan):
    links = [
        reverse(f"members:{view}", args=[lan.pk])
        for view in ["member_edit", "member_transfer", "member_leave"]
    ]
    html = client_as("secretary").get(reverse("members:member", args=[lan.pk])).content.decode()
    assert all(link in html for link in links)
    html = client_as("reviewer").get(reverse("members:member", args=[lan.pk])).content.decode()
    assert not any(link in html for link in links)


# --- Adding, editing, transferring, leaving ---------------------------------------------------

NEW = {
    "full_name": "  Trần   Thị Mai ",
    "gender": "female",
    "birth_date": "03/04/1990",
    "ethnicity": "Kinh",
    "card_number": "hp-0099",
    "joined_union_on": "01/02/2012",
    "started_on": "01/03/2015",
}


def _add(client, code="union", **changes):
    return client.post(reverse("members:member_add") + f"?branch={code}", {**NEW, **changes})


def test_adding_a_member_raises_the_branch_statistics(client_as, tree):
    before = statistics(tree.union)
    response = _add(client_as("secretary"))
    assert response.status_code == 302
    added = Member.objects.get()
    assert response["Location"] == reverse("members:member", args=[added.pk])
    assert added.full_name == "Trần Thị Mai"
    assert added.birth_date == date(1990, 4, 3)  # dd/mm/yyyy, never month first
    assert added.card_number == "HP-0099"
    assert added.branch == tree.union
    assert added.periods.get().started_on == date(2015, 3, 1)
    after = statistics(tree.union)
    assert (after.members, after.women) == (before.members + 1, before.women + 1)
    assert statistics(tree.prov).members == before.members + 1
    assert added.history.get().history_user.username == "secretary"


def test_the_start_defaults_to_today(client_as, tree):
    form = client_as("secretary").get(reverse("members:member_add") + "?branch=union")
    assert form.context["form"]["started_on"].value() == today()
    assert today().strftime("%d/%m/%Y") in form.content.decode()


def test_future_birth_date_is_refused_and_nothing_written(client_as, english, tree):
    tomorrow = (today() + timedelta(days=1)).strftime("%d/%m/%Y")
    response = _add(client_as("secretary"), birth_date=tomorrow)
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"] == [
        "The date of birth cannot be in the future."
    ]
    assert "The date of birth cannot be in the future." in response.content.decode()
    assert not Member.objects.exists()
    assert statistics(tree.union).members == 0


def test_duplicate_card_number_is_refused(client_as, english, lan):
    response = _add(client_as("secretary"), card_number=CARD.lower())
    assert response.status_code == 200
    assert response.context["form"].errors["card_number"] == [TAKEN]
    assert Member.objects.count() == 1


def test_a_form_error_writes_nothing(client_as, tree):
    response = _add(client_as("secretary"), full_name="", birth_date="31/02/1990", gender="robot")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"full_name", "birth_date", "gender"}
    assert not Member.objects.exists()


def test_extra_fields_posted_to_add_are_ignored(client_as, tree):
    extra = {
        "branch": "other",
        "status": MemberStatus.LEFT,
        "left_on": "01/01/2020",
        "version": "7",
        "is_staff": "on",
        "search_key": "x",
        "sort_key": "x",
    }
    assert _add(client_as("secretary"), **extra).status_code == 302
    added = Member.objects.get()
    assert (added.branch, added.status, added.left_on, added.version) == (
        tree.union,
        MemberStatus.ACTIVE,
        None,
        1,
    )
    assert added.sort_key == domain.name_sort_key("Trần Thị Mai")
    assert not get_user_model().objects.filter(is_staff=True).exists()


def _edit_data(record, **changes):
    data = {
        "full_name": record.full_name,
        "gender": record.gender,
        "birth_date": "03/04/1990",
        "ethnicity": "",
        "card_number": record.card_number or "",
        "joined_union_on": "",
        "version": record.version,
    }
    return {**data, **changes}


def test_editing_saves_the_personal_fields(client_as, lan):
    response = client_as("secretary").post(
        reverse("members:member_edit", args=[lan.pk]),
        _edit_data(lan, full_name="Nguyễn Thị Lan Anh", ethnicity="Tày"),
    )
    assert response.status_code == 302
    lan.refresh_from_db()
    assert (lan.full_name, lan.ethnicity, lan.version) == ("Nguyễn Thị Lan Anh", "Tày", 2)
    assert lan.sort_key == domain.name_sort_key("Nguyễn Thị Lan Anh")


def test_second_save_of_the_same_version_is_refused(client_as, english, lan):
    client = client_as("secretary")
    url = reverse("members:member_edit", args=[lan.pk])
    first_form = client.get(url).context["form"]
    second_form = client.get(url).context["form"]
    version = first_form["version"].value()
    assert version == second_form["version"].value() == lan.version
    first = client.post(url, _edit_data(lan, full_name="Nguyễn Thị Lan Anh", version=version))
    assert first.status_code == 302
    second = client.post(url, _edit_data(lan, full_name="Nguyễn Thị Lành", version=version))
    assert second.status_code == 200
    assert "changed by someone else since you opened the form" in second.content.decode()
    assert second.context["conflict"]
    lan.refresh_from_db()
    assert lan.full_name == "Nguyễn Thị Lan Anh"
    assert lan.version == version + 1


def test_extra_fields_posted_to_edit_leave_the_record_unchanged(client_as, tree, lan):
    client = client_as("secretary")
    url = reverse("members:member_edit", args=[lan.pk])
    before = _snapshot(lan)
    tampered = client.post(url, _edit_data(lan, full_name="Người Khác", version=lan.version + 5))
    assert tampered.status_code == 200
    assert _snapshot(lan) == before
    extra = {
        "branch": tree.other.pk,
        "branch_id": tree.other.pk,
        "status": "left",
        "left_on": "01/01/2020",
        "leave_reason": "died",
        "is_staff": "on",
        "user": "1",
        "sort_key": "A",
        "search_key": "x",
    }
    assert client.post(url, _edit_data(lan, **extra)).status_code == 302
    after = _snapshot(lan)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"version", "history"}  # saved (same values), nothing else moved
    lan.refresh_from_db()
    assert (lan.user, lan.sort_key) == (None, domain.name_sort_key(lan.full_name))
    assert not get_user_model().objects.filter(is_staff=True).exists()


def test_leaving_before_the_period_began_is_refused(client_as, english, lan):
    response = client_as("secretary").post(
        reverse("members:member_leave", args=[lan.pk]),
        {"on": "01/01/2014", "reason": LeaveReason.RETIRED},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["on"] == [
        "The date must be after the current period began (01/01/2015)."
    ]
    lan.refresh_from_db()
    assert lan.status == MemberStatus.ACTIVE
    assert lan.periods.get().ended_on is None


def test_leaving_stops_counting_from_that_day(client_as, tree, lan):
    page = client_as("secretary").get(reverse("members:member_leave", args=[lan.pk]))
    assert 'id="confirmation"' in page.content.decode()
    response = client_as("secretary").post(
        reverse("members:member_leave", args=[lan.pk]),
        {"on": "01/06/2020", "reason": LeaveReason.RETIRED},
    )
    assert response.status_code == 302
    lan.refresh_from_db()
    assert (lan.status, lan.left_on, lan.leave_reason) == (
        MemberStatus.LEFT,
        date(2020, 6, 1),
        LeaveReason.RETIRED,
    )
    assert statistics(tree.unit_a, date(2020, 5, 31)).members == 1
    assert statistics(tree.unit_a, date(2020, 6, 1)).members == 0
    again = client_as("secretary").get(reverse("members:member_leave", args=[lan.pk]))
    assert 'id="confirmation"' not in again.content.decode()


def test_transfer_moves_the_member_and_both_branches_statistics(client_as, tree, lan):
    client = client_as("secretary")
    url = reverse("members:member_transfer", args=[lan.pk])
    page = client.get(url).content.decode()
    assert 'name="to_branch"' in page and "<option" not in page  # typed, not listed
    assert client.post(url, {"to_branch": "unit-b", "on": "01/06/2020"}).status_code == 302
    lan.refresh_from_db()
    assert lan.branch == tree.unit_b
    assert statistics(tree.unit_a).members == 0
    assert statistics(tree.unit_b).members == 1
    assert statistics(tree.union).members == 1
    assert statistics(tree.unit_a, date(2020, 5, 31)).members == 1


def test_transfer_outside_the_secretary_subtree_is_refused(client_as, tree, lan, english):
    before = _snapshot(lan)
    response = client_as("secretary").post(
        reverse("members:member_transfer", args=[lan.pk]),
        {"to_branch": "other", "on": "01/06/2020"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["to_branch"] == [
        "No branch with this code in your reach."
    ]
    assert _snapshot(lan) == before


def test_transfer_to_the_members_own_branch_says_so(client_as, tree, lan, english):
    before = _snapshot(lan)
    response = client_as("secretary").post(
        reverse("members:member_transfer", args=[lan.pk]),
        {"to_branch": "unit-a", "on": "01/06/2020"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["to_branch"] == [
        "The member already belongs to Branch unit-a."
    ]
    assert _snapshot(lan) == before


def test_transfer_on_the_day_the_period_began_is_refused(client_as, lan):
    before = _snapshot(lan)
    response = client_as("secretary").post(
        reverse("members:member_transfer", args=[lan.pk]),
        {"to_branch": "unit-b", "on": "01/01/2015"},
    )
    assert response.status_code == 200
    assert "on" in response.context["form"].errors
    assert _snapshot(lan) == before


@pytest.mark.parametrize(
    ("view", "params"),
    [
        ("member_edit", {"full_name": "X", "gender": "male", "version": "1"}),
        ("member_transfer", {"to_branch": "unit-b", "on": "01/06/2020"}),
        ("member_leave", {"on": "01/06/2020", "reason": "died"}),
    ],
)
def test_get_on_a_form_writes_nothing(client_as, lan, view, params):
    before = _snapshot(lan)
    assert (
        client_as("secretary").get(reverse(f"members:{view}", args=[lan.pk]), params).status_code
        == 200
    )
    assert _snapshot(lan) == before


def test_get_on_the_add_form_writes_nothing(client_as, tree):
    url = reverse("members:member_add")
    assert client_as("secretary").get(url, {"branch": "union", **NEW}).status_code == 200
    assert not Member.objects.exists()
    assert Branch.objects.get(code="union").periods.count() == 0


def test_a_member_who_left_cannot_be_transferred_or_leave_again(client_as, tree, lan):
    services.mark_left(member=lan, on=date(2020, 6, 1), reason=LeaveReason.RESIGNED)
    client = client_as("secretary")
    before = _snapshot(lan)
    page = client.get(reverse("members:member", args=[lan.pk])).content.decode()
    assert reverse("members:member_transfer", args=[lan.pk]) not in page
    response = client.post(
        reverse("members:member_transfer", args=[lan.pk]),
        {"to_branch": "unit-b", "on": "01/07/2020"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    response = client.post(
        reverse("members:member_leave", args=[lan.pk]), {"on": "01/07/2020", "reason": "died"}
    )
    assert response.status_code == 200
    assert _snapshot(lan) == before


def test_editing_to_a_future_birth_date_is_refused(client_as, english, lan):
    before = _snapshot(lan)
    tomorrow = (today() + timedelta(days=1)).strftime("%d/%m/%Y")
    response = client_as("secretary").post(
        reverse("members:member_edit", args=[lan.pk]), _edit_data(lan, birth_date=tomorrow)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"] == [
        "The date of birth cannot be in the future."
    ]
    assert _snapshot(lan) == before


def test_branch_filter_accepts_only_readable_codes(client_as, tree, english):
    page = _list(client_as("secretary"), branch="unit-a")
    assert page.status_code == 200 and "<option" not in _branch_field(page)
    assert page.context["filter"].form.cleaned_data["branch"] == tree.unit_a
    for code in ["other", "no-such"]:  # out of reach or unknown: the same answer
        refused = _list(client_as("secretary"), branch=code)
        assert refused.status_code == 404
        assert "No branch with this code in your reach." in _branch_field(refused)
        assert 'id="no-members"' in refused.content.decode()
    page = _list(client_as("secretary"), branch="union")
    add = reverse("members:member_add") + "?branch=union"
    assert add in page.content.decode()
    assert add not in _list(client_as("reviewer"), branch="union").content.decode()


def _branch_field(page) -> str:
    html = page.content.decode()
    start = html.index('<div><label for="id_branch"')
    return html[start : html.index("</div>", start)]


def test_walking_plan_lists_the_same_members(client_as, tree, monkeypatch):
    """Large lists on SQLite hide the branch id from the planner (members.filters
    .members_for_list); the rows, their order and the scope must not change."""
    from members import filters

    for number in range(12):
        target = [tree.unit_a, tree.unit_b, tree.other, tree.far_union][number % 4]
        birth = date(today().year - 28 - number, 6, 1)  # under 30 to 39: two age bands
        member(
            target,
            f"Trần Thị Bích {number:02}",
            "female" if number % 3 else "male",
            birth_date=birth,
        )
    client = client_as("secretary")
    queries = {}
    pages = {}
    for walk in (False, True):
        monkeypatch.setattr(filters, "WALK_MIN_MEMBERS", 10**9 if not walk else 0)
        monkeypatch.setattr(filters, "WALK_FACTOR", 0)
        with CaptureQueriesContext(connection) as captured:
            pages[walk] = (
                _names(_list(client, branch="union")),
                _names(_list(client, gender="female")),
                _names(_list(client, branch="unit-b", page=1)),
                _names(_list(client, branch="union", status="active", age_band="30-39")),
                _names(_list(client, gender="male", sort="-birth_date")),
                _names(_list(client, sort="branch")),
                _names(_list(client, search=str(today().year - 32))),  # a year: "Bích 04"
                _names(_list(client, gender="female", status="active")),
            )
        queries[walk] = " ".join(q["sql"] for q in captured.captured_queries)
    assert pages[True] == pages[False]
    assert pages[True][3] and pages[True][4]  # the age band and the date sort find members
    assert pages[True][6] == ["Trần Thị Bích 04"]
    outside = {f"Trần Thị Bích {n:02}" for n in (2, 3, 6, 7, 10, 11)}  # other, far-union
    assert len(pages[True][0]) == 6 and not set(pages[True][0]) & outside
    assert not set(pages[True][1]) & outside
    assert pages[True][7] == pages[True][1]
    if connection.vendor == "sqlite":
        # the walk hides the branch and the other filters' columns (members.filters.WALK_HIDES)
        for hidden in ('+"members_member"."branch_id"', '+"members_member"."birth_date"'):
            assert hidden in queries[True]
            assert hidden not in queries[False]
    else:  # PostgreSQL weighs a subtree's branches itself: no filter's column hidden (a
        # search hides the name order and the name key, members.filters._search_hides)
        for column in ('"branch_id" + 0', "\"status\" || ''", '"birth_date" + 0'):
            assert column not in queries[True]
    # Over the whole register, PostgreSQL too walks one gender's own index in name order (with
    # the status: member_gender_status_sort_idx), reading the page's ids first; SQLite walks
    # the gender's index, the status hidden. The same rows either way.
    admin = client_as("admin")
    found = {}
    for walk in (False, True):
        monkeypatch.setattr(filters, "WALK_MIN_MEMBERS", 10**9 if not walk else 0)
        with CaptureQueriesContext(connection) as captured:
            found[walk] = _names(_list(admin, gender="female", status="active"))
        queries[walk] = " ".join(q["sql"] for q in captured.captured_queries)
    assert found[True] == found[False] and len(found[True]) == 8
    if connection.vendor == "sqlite":
        hidden = '+"members_member"."status"'
        assert hidden in queries[True] and hidden not in queries[False]
    else:  # the status in the index's own order: a rare gender is never read and sorted
        assert "\"status\" || ''" not in queries[True]
        ids = 'SELECT "members_member"."id" AS "pk" FROM "members_member" WHERE'
        assert ids in queries[True] and ids not in queries[False]
