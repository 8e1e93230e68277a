"""Choosing a branch by typing (members.pickers): the branches API's `search`, and each form
that filters by a branch or picks one, which takes a code and refuses one outside its reach."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members import services
from members.models import Branch, BranchKind, BranchMove
from tests.factories import branch, member

pytestmark = pytest.mark.django_db

REFUSED = "No branch with this code in your reach."


@pytest.fixture
def named(tree):
    """Branches whose names repeat and carry diacritics, under the union and far away."""
    return {
        "hoa": branch(tree.unit_a, "to-hoa-binh", BranchKind.GROUP, name="Tổ công đoàn Hòa Bình"),
        "dung": branch(tree.union, "cd-dung", BranchKind.SUB_UNION, name="Công đoàn Đông Dũng"),
        "far": branch(tree.far_union, "far-hoa", BranchKind.SUB_UNION, name="Tổ Hòa Bình xa"),
    }


def search(client_as, name, text, **extra):
    return client_as(name).get("/api/v1/branches/", {"search": text, **extra})


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_search_finds_a_code_by_its_start(client_as, named):
    assert codes(search(client_as, "admin", "unit")) == ["unit-a", "unit-b"]
    assert codes(search(client_as, "admin", "UNIT-B")) == ["unit-b"]


def test_search_finds_a_folded_name_with_its_ancestors(client_as, named):
    body = search(client_as, "admin", "hoa binh").json()
    assert [row["code"] for row in body["results"]] == ["to-hoa-binh", "far-hoa"]
    first = body["results"][0]
    assert first["name"] == "Tổ công đoàn Hòa Bình" and first["parent"] == "unit-a"
    assert first["ancestors"] == ["Branch root", "Branch prov", "Branch union", "Branch unit-a"]
    assert body["count"] == 2 and body["next"] is None
    # diacritics, đ and case ignored; words in any order, anywhere in the name
    assert codes(search(client_as, "admin", "DONG dung")) == ["cd-dung"]
    assert codes(search(client_as, "admin", "dũng đông")) == ["cd-dung"]


def test_search_respects_the_reach(client_as, named):
    # the reviewer of prov reads its subtree: not far-hoa, and no ancestor above prov
    found = search(client_as, "reviewer", "hoa binh").json()["results"]
    assert [row["code"] for row in found] == ["to-hoa-binh"]
    assert found[0]["ancestors"] == ["Branch prov", "Branch union", "Branch unit-a"]
    assert codes(search(client_as, "reviewer", "far")) == []
    # the secretary of the union: its subtree only
    assert codes(search(client_as, "secretary", "branch")) == ["union", "unit-a", "unit-b"]
    # a member sees the statistics of its branch and the branches above it, nothing else
    assert sorted(codes(search(client_as, "member", "branch"))) == [
        "prov",
        "root",
        "union",
        "unit-a",
    ]
    assert codes(search(client_as, "member", "hoa")) == []
    # within: one subtree the caller can see; outside it, 404
    assert codes(search(client_as, "admin", "hoa", within="union")) == ["to-hoa-binh"]
    assert search(client_as, "secretary", "hoa", within="far").status_code == 404


def test_search_answers_at_most_twenty(client_as, tree):
    for number in range(25):
        services.create_branch(
            parent=tree.union, code=f"bp-{number:02d}", name="Bộ phận", kind=BranchKind.SUB_UNION
        )
    assert len(codes(search(client_as, "admin", "bp-"))) == 20
    assert len(codes(search(client_as, "admin", "bo phan"))) == 20
    assert codes(search(client_as, "admin", "   ")) == []


def test_a_renamed_branch_is_found_by_its_new_name(client_as, tree):
    services.update_branch(branch=tree.unit_b, name="Phòng Kế hoạch")
    assert codes(search(client_as, "admin", "ke hoach")) == ["unit-b"]


def test_the_schema_documents_search(client_as):
    client = client_as("admin")
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "Find branches by typing" in schema and "within" in schema


# --- The forms that pick a branch -----------------------------------------------------------


def test_calendar_filter_takes_a_code_and_refuses_one_out_of_reach(client_as, tree, english):
    client = client_as("secretary")
    url = reverse("congresses:calendar")
    page = client.get(url, {"branch": "unit-a"})
    assert page.status_code == 200 and page.context["filter"].form.is_valid()
    assert '<option value="union"' not in page.content.decode()
    refused = client.get(url, {"branch": "far"})
    assert refused.status_code == 404
    assert refused.context["filter"].form.errors["branch"] == [REFUSED]


def test_branch_move_takes_a_code_and_refuses_one_out_of_reach(client, tree, english):
    from tests.factories import user

    client.force_login(user("prov-sec", "secretary", tree.prov))
    url = reverse("members:branch_move", args=["unit-a"])
    refused = client.post(url, {"new_parent": "far"})
    assert refused.context["form"].errors["new_parent"] == [REFUSED]
    again = client.post(url, {"new_parent": "union"})  # its parent: the service says so
    assert "The branch is already under Branch union." in again.content.decode()
    assert not BranchMove.objects.exists()
    assert client.post(url, {"new_parent": "other"}).status_code == 302
    assert Branch.objects.get(code="unit-a").parent == tree.other


def test_member_transfer_page_lists_no_branches(client_as, tree):
    lan = member(tree.unit_a, "Nguyễn Thị Lan", "female")
    page = client_as("secretary").get(reverse("members:member_transfer", args=[lan.pk]))
    html = page.content.decode()
    assert 'data-branches-url="/api/v1/branches/"' in html and "<option" not in html


# --- A national tree ------------------------------------------------------------------------

WIDE = 20_000
PAGE_LIMIT = 200 * 1024


def test_pages_stay_small_and_search_quick_at_twenty_thousand_branches(client_as, tree, english):
    """No page lists the tree: at 20,000 branches the member list and the calendar stay under
    200 KB, and the search still answers 20 branches with their ancestors."""
    from bench.shape import path_step

    rows = [
        Branch(
            path=tree.union.path + path_step(number),
            depth=tree.union.depth + 1,
            numchild=0,
            code=f"wide-{number:05d}",
            name=f"Công đoàn bộ phận số {number}",
            search_key=f"cong doan bo phan so {number}",
            kind=BranchKind.SUB_UNION,
        )
        for number in range(3, WIDE + 3)  # unit-a and unit-b hold the first two steps
    ]
    Branch.objects.bulk_create(rows, batch_size=2000)
    assert Branch.objects.count() > WIDE
    for name in ["admin", "secretary"]:
        client = client_as(name)
        for url in [reverse("members:member_list"), reverse("congresses:calendar")]:
            page = client.get(url, {"branch": "wide-00042"})
            assert page.status_code == 200
            assert len(page.content) < PAGE_LIMIT, (name, url, len(page.content))
    found = search(client_as, "secretary", "bo phan so 1999").json()["results"]
    assert found[0]["code"] == "wide-01999" and len(found) == 12  # 1999, 11999, 19990-19999
    assert found[0]["ancestors"] == ["Branch union"]
    assert len(search(client_as, "admin", "wide-1").json()["results"]) == 20
