"""Branch pages: persona tests (right role, weaker role, stranger) and what each one shows."""

from datetime import date

import pytest
from django.urls import reverse

from members import services
from members.models import Branch, BranchMove
from tests.factories import member, persona, user

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, tree):
    for url in [
        reverse("home"),
        reverse("members:tree"),
        reverse("members:branch", args=["union"]),
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
        ("reviewer", "far", 404),
        ("member", "unit-a", 200),
        ("member", "union", 200),
        ("member", "root", 200),
        ("member", "unit-b", 404),
        ("member", "other", 404),
        ("stranger", "union", 404),
    ],
)
def test_branch_page_scope(client_as, name, code, status):
    assert client_as(name).get(reverse("members:branch", args=[code])).status_code == status


@pytest.mark.parametrize(
    ("name", "status"), [("secretary", 200), ("reviewer", 403), ("member", 403), ("stranger", 404)]
)
def test_branch_edit_needs_a_secretary(client_as, name, status):
    assert (
        client_as(name).get(reverse("members:branch_edit", args=["unit-a"])).status_code == status
    )


@pytest.mark.parametrize(
    ("name", "code", "above"),
    [
        ("reviewer", "unit-a", ["prov", "union"]),  # the root lies outside the reviewer's reach
        ("member", "unit-a", ["root", "prov", "union"]),
        ("member", "root", []),
    ],
)
def test_breadcrumb_lists_the_visible_branches_above(client_as, name, code, above):
    page = client_as(name).get(reverse("members:branch", args=[code]))
    assert [b.code for b in page.context["ancestors"]] == above


def test_branch_page_shows_figures_for_the_chosen_day(client_as, tree):
    member(tree.unit_a, started_on=date(2015, 1, 1))
    member(tree.unit_b, "Trần Văn Nam", "male", date(2019, 1, 1))
    client = client_as("secretary")
    page = client.get(reverse("members:branch", args=["union"]), {"as_of": "31/12/2017"})
    assert page.context["stats"].members == 1
    assert "100,0\u00a0%" in page.content.decode()
    page = client.get(reverse("members:branch", args=["union"]), {"as_of": "02/01/2019"})
    assert page.context["stats"].members == 2
    assert "50,0\u00a0%" in page.content.decode()


def test_day_first_dates_are_never_read_month_first(client_as, tree):
    client = client_as("secretary")
    page = client.get(reverse("members:branch", args=["union"]), {"as_of": "03/04/2017"})
    assert page.context["day"] == date(2017, 4, 3)


def test_member_sees_statistics_but_no_history_or_links(client_as, tree):
    page = client_as("member").get(reverse("members:branch", args=["unit-a"]))
    assert page.status_code == 200
    assert "history" not in page.context
    assert reverse("members:branch_edit", args=["unit-a"]) not in page.content.decode()


def test_secretary_adds_a_sub_unit(client_as, tree):
    client = client_as("secretary")
    response = client.post(
        reverse("members:branch_add", args=["union"]),
        {"code": "unit-c", "name": "Tổ công đoàn C", "kind": "group", "founded_on": "01/02/2020"},
    )
    assert response.status_code == 302
    created = Branch.objects.get(code="unit-c")
    assert created.parent == tree.union
    assert created.founded_on == date(2020, 2, 1)
    assert created.history.first().history_user.username == "secretary"


def test_duplicate_code_is_refused_and_nothing_is_written(client_as, tree):
    client = client_as("secretary")
    response = client.post(
        reverse("members:branch_add", args=["union"]),
        {"code": "unit-a", "name": "Again", "kind": "group"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Branch.objects.filter(code="unit-a").count() == 1


def test_secretary_cannot_move_outside_their_subtree(client_as, tree):
    client = client_as("secretary")
    # the parent of union (prov) is outside the secretary's subtree
    assert client.get(reverse("members:branch_move", args=["union"])).status_code == 403
    response = client.post(reverse("members:branch_move", args=["unit-a"]), {"new_parent": "far"})
    assert response.status_code == 200  # far is not a choice: the form refuses it
    assert not BranchMove.objects.exists()


def test_branch_move_by_admin(client, tree):
    client.force_login(user("root", is_superuser=True))
    response = client.post(
        reverse("members:branch_move", args=["union"]), {"new_parent": "far", "reason": "merger"}
    )
    assert response.status_code == 302
    tree.refresh()
    assert tree.union.parent == tree.far


def test_tree_lists_visible_branches_with_counts(client_as, tree):
    member(tree.unit_a, started_on=date(2015, 1, 1))
    page = client_as("reviewer").get(reverse("members:tree"))
    codes = [b.code for b in page.context["page"]]
    assert codes == ["prov", "union", "unit-a", "unit-b", "other"]
    union = next(b for b in page.context["page"] if b.code == "union")
    assert union.member_count == 1


def test_removed_grant_bites_on_the_next_request(client_as, tree):
    client = client_as("secretary")
    assert client.get(reverse("members:branch", args=["union"])).status_code == 200
    from members.models import Grant

    Grant.objects.filter(user__username="secretary").delete()
    assert client.get(reverse("members:branch", args=["union"])).status_code == 404


def test_state_changing_urls_refuse_get_without_side_effects(client_as, tree):
    client = client_as("secretary")
    client.get(
        reverse("members:branch_add", args=["union"]), {"code": "x", "name": "x", "kind": "group"}
    )
    assert not Branch.objects.filter(code="x").exists()


def test_services_refuse_a_write_outside_scope(tree):
    from django.core.exceptions import PermissionDenied

    secretary = persona(tree, "secretary")
    with pytest.raises(PermissionDenied):
        services.add_member(branch=tree.other, full_name="Lê Văn Tám", by=secretary)


def test_the_branch_page_offers_a_move_only_where_the_move_page_opens(client_as, tree):
    """Seen: the secretary's "Move" on their own union led to a 403. The page offers the move
    only where the user may write the branch's present parent, and each offered link opens."""
    client = client_as("secretary")
    union_page = client.get(reverse("members:branch", args=["union"]))
    assert 'id="move-branch"' not in union_page.content.decode()
    unit_page = client.get(reverse("members:branch", args=["unit-a"]))
    assert 'id="move-branch"' in unit_page.content.decode()
    assert client.get(reverse("members:branch_move", args=["unit-a"])).status_code == 200


def test_the_menu_links_to_the_calendar_only_for_users_who_may_open_it(client_as, tree):
    """Seen: the member's menu linked to the calendar, which answers them 403."""
    member = client_as("member")
    page = member.get(reverse("home")).content.decode()
    assert 'id="nav-calendar"' not in page
    assert member.get(reverse("congresses:calendar")).status_code == 403
    secretary = client_as("secretary")
    assert 'id="nav-calendar"' in secretary.get(reverse("home")).content.decode()
    assert secretary.get(reverse("congresses:calendar")).status_code == 200
