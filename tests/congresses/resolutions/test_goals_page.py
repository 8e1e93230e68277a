"""The members' goals page: the member role sees its branch and the branches above it, with
progress bars and verdicts and nothing personal; leadership sees its subtree, targets at risk
first; ?on= shows another day; the start page leads there in one click."""

from __future__ import annotations

import html as html_module
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congresses.resolutions import progress
from congresses.resolutions import services as resolutions
from congresses.resolutions.models import Target
from members.models import Branch, BranchKind, Grant, Role
from tests.congresses.resolutions.helpers import TODAY, add_members_target, resolution_of
from tests.factories import branch, member, user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = reverse("congresses:goals")


@pytest.fixture(autouse=True)
def _today_at_nine_in_hanoi():
    """TODAY at 09:00 in Hanoi, the clock standing still (the shared `on_today` stands at the
    start of TODAY)."""
    with time_machine.travel("2020-06-10 09:00 +0700", tick=False):
        yield


@pytest.fixture
def goals(tree):
    """union (term 23/12/2017 – 23/12/2022, half-way on 10/06/2020): a direction, a campaign,
    members on track (206 of 225 from 185), training at risk (10 of 100), strong units split
    over unit-a (6, done) and unit-b (4, nothing yet), a hall not built by its deadline
    (1/1/2020); prov: a yes/no target achieved; other
    and far-union: resolutions the member must not see; unit-a and root: no term."""
    union = resolution_of(tree.union, date(2017, 12, 23))
    resolutions.add_direction(resolution=union, text="Chăm lo đời sống đoàn viên")
    resolutions.add_campaign(resolution=union, name="Xanh – Sạch – Đẹp", starts_on=date(2018, 1, 1))
    growth = add_members_target(union)
    training = resolutions.add_target(
        resolution=union,
        title="Tập huấn cán bộ công đoàn",
        kind="count",
        baseline=0,
        target_value=100,
        unit="người",
    )
    strong = resolutions.add_target(
        resolution=union,
        title="Công đoàn bộ phận vững mạnh",
        kind="count",
        target_value=10,
        unit="tổ",
    )
    hall = resolutions.add_target(
        resolution=union,
        title="Xây dựng nhà văn hóa",
        kind="count",
        target_value=5,
        deadline=date(2020, 1, 1),
    )
    part_a, _part_b = resolutions.split_target(
        target=strong, parts=[(tree.unit_a, 6, None), (tree.unit_b, 4, None)]
    )
    secretary = user("writer", "secretary", tree.union, first_name="Qwertyuiop")
    progress.record_progress(target=growth, on=date(2019, 12, 31), actual=197, by=secretary)
    progress.record_progress(
        target=growth,
        on=date(2020, 6, 1),
        actual=206,
        by=secretary,
        note="Báo cáo của chị Zyxwvutsr",
    )
    progress.record_progress(target=training, on=date(2020, 5, 1), actual=10)
    progress.record_progress(target=part_a, on=date(2020, 3, 1), actual=6)
    progress.record_progress(target=hall, on=date(2019, 12, 1), actual=2)
    prov = resolution_of(tree.prov, date(2018, 1, 1))
    resolutions.add_direction(resolution=prov, text="Đổi mới nội dung hoạt động")
    office = resolutions.add_target(
        resolution=prov, title="Thành lập văn phòng tư vấn", kind="yes_no"
    )
    progress.record_progress(target=office, on=date(2019, 6, 1), actual=1)
    women = resolutions.add_target(
        resolution=prov,
        title="Tỷ lệ nữ trong ban chấp hành",
        kind="percentage",
        baseline=20,
        target_value=30,
    )
    progress.record_progress(target=women, on=date(2020, 1, 1), actual="22.5")
    other = resolution_of(tree.other, date(2018, 1, 1))
    resolutions.add_target(
        resolution=other, title="Chỉ tiêu của Other", kind="count", target_value=5
    )
    far = resolution_of(tree.far_union, date(2018, 1, 1))
    resolutions.add_target(resolution=far, title="Chỉ tiêu của Far", kind="count", target_value=5)
    member(tree.unit_a, "Lê Thị Mnbvcxz", birth_date=date(1990, 4, 5), card_number="HP-777")
    member(tree.union, "Đặng Văn Lkjhgf", "male")
    return {
        "growth": growth,
        "training": training,
        "hall": hall,
        "strong": strong,
        "part_a": part_a,
        "office": office,
    }


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def article(page: str, anchor: str) -> str:
    """The markup of one branch's goals on the page."""
    found = re.search(rf'<article[^>]*id="{anchor}".*?</article>', page, re.S)
    assert found, anchor
    return found.group(0)


def verdict_of(page: str, target: Target) -> str:
    found = re.search(rf'data-target="{target.pk}" data-verdict="(\w+)"', page)
    assert found, target
    return found.group(1)


def test_the_member_sees_their_branch_and_every_branch_above_it(client_as, tree, goals):
    page = html(client_as("member").get(URL))
    order = [page.index(f'id="goals-{code}"') for code in ("unit-a", "union", "prov", "root")]
    assert order == sorted(order)  # own branch first, then upwards
    assert "Chăm lo đời sống đoàn viên" in page and "Xanh – Sạch – Đẹp" in page
    assert "Đổi mới nội dung hoạt động" in page and "Thành lập văn phòng tư vấn" in page
    assert "Chỉ tiêu của Other" not in page and "Chỉ tiêu của Far" not in page
    assert 'id="subtree"' not in page  # no leadership list for the member role


def test_the_member_reads_figures_bars_and_verdicts(client_as, goals):
    page = html(client_as("member").get(URL))
    union = article(page, "goals-union")
    assert 'max="100" value="52"' in union  # (206 - 185) / (225 - 185)
    assert "Now 206\u00a0đoàn viên" in union and "Target 225\u00a0đoàn viên" in union
    assert "as of 01/06/2020" in union
    assert verdict_of(page, goals["growth"]) == "on_track"
    assert verdict_of(page, goals["training"]) == "at_risk"
    assert verdict_of(page, goals["part_a"]) == "achieved"
    assert verdict_of(page, goals["office"]) == "achieved"
    assert verdict_of(page, goals["hall"]) == "not_met"
    assert '<span class="badge verdict verdict-on_track">On track</span>' in union
    assert '<span class="badge verdict verdict-at_risk">At risk</span>' in union
    # The parts follow their split target, each named by its sub-unit.
    parts = union[union.index(f'data-target="{goals["strong"].pk}"') :]
    assert parts.index("Branch unit-a") < parts.index("Branch unit-b")
    assert "Done" in article(page, "goals-prov")


def test_the_page_follows_the_reader_language(client_as, settings, goals):
    settings.LANGUAGE_CODE = "vi"
    prov = article(html(client_as("member").get(URL)), "goals-prov")
    assert "22,5\u00a0%" in prov and "30\u00a0%" in prov  # a decimal comma in Vietnamese
    assert "Ngày (dd/mm/yyyy)" in html(client_as("member").get(URL))
    settings.LANGUAGE_CODE = "en"
    assert "22.5\u00a0%" in article(html(client_as("member").get(URL)), "goals-prov")


def test_a_bar_and_its_figures_write_a_percentage_one_way(client_as, settings, goals):
    """The bar's label, the figure beside it and the target's own figures in %: the number, a
    no-break space and "%" (unionrec.templatetags.unionrec.with_unit), in both languages."""
    bar = re.compile(
        r'<div class="bar-row">\s*<progress[^>]*aria-label="([^"]*)">([^<]*)</progress>\s*'
        r'<span class="percent">([^<]*)</span>'
    )
    for language, point in (("vi", ","), ("en", ".")):
        settings.LANGUAGE_CODE = language
        page = html(client_as("member").get(URL))
        bars = bar.findall(page)
        assert bars
        for label, inside, figure in bars:
            assert re.fullmatch(rf"\d+\{point}\d\u00a0%", figure), figure
            assert inside == figure and figure in label
        prov = article(page, "goals-prov")  # 22.5 now, from 20 towards 30: a quarter of the way
        assert f'<span class="percent">25{point}0\u00a0%</span>' in prov
        assert f"22{point}5\u00a0%" in prov and "30\u00a0%" in prov and "20\u00a0%" in prov
        assert not re.search(r"\d %|\d%", prov)  # no other way of writing it


def test_the_page_shows_nothing_personal(client_as, goals):
    for persona in ("member", "reviewer"):
        page = html(client_as(persona).get(URL))
        for personal in ("Mnbvcxz", "Lkjhgf", "HP-777", "05/04/1990", "Qwertyuiop", "Zyxwvutsr"):
            assert personal not in page, (persona, personal)


def test_branches_the_member_may_not_see_answer_404(client_as, goals):
    client = client_as("member")
    for code in ("other", "far-union", "unit-b", "nowhere"):
        assert client.get(URL, {"branch": code}).status_code == 404, code
    page = html(client.get(URL, {"branch": "prov"}))  # a branch above: its chain upwards
    assert 'id="goals-prov"' in page and 'id="goals-union"' not in page


def test_every_listed_target_links_to_a_page_its_reader_may_open(client_as, goals):
    target_url = reverse("congresses:target", args=[goals["growth"].pk])
    member = client_as("member")
    assert target_url in html(member.get(URL))
    opened = member.get(target_url)
    assert opened.status_code == 200
    assert reverse("congresses:term", args=[goals["growth"].resolution.congress.term_id]) not in (
        html(opened)  # the member reads no term page: the way back is the goals page
    )
    page = html(client_as("secretary").get(URL))
    assert target_url in page
    assert reverse("congresses:target", args=[goals["part_a"].pk]) in page
    # Leadership reads its own subtree: the goals of prov, above the union, are not shown.
    assert reverse("congresses:target", args=[goals["office"].pk]) not in page
    assert "Thành lập văn phòng tư vấn" not in page


def test_leadership_sees_its_subtree_with_targets_at_risk_first(client_as, tree, goals):
    response = client_as("reviewer").get(URL)
    page = html(response)
    assert 'id="goals-prov"' in page and 'id="goals-root"' not in page  # its own subtree only
    union = article(page, "subtree-union")
    order = [
        union.index(f'data-target="{goals[name].pk}"')
        for name in ("hall", "training", "growth", "part_a")
    ]
    assert order == sorted(order)  # not met, at risk, on track, achieved
    assert 'id="subtree-other"' in page and 'id="subtree-far-union"' not in page
    subtree = next(group for group in response.context["groups"] if group.anchor == "subtree")
    counts = {s.goals.branch.code: s.counts for s in subtree.sections}
    # the hall not met; training and unit-b's part at risk; growth and the split whole on
    # track (6 of 10); unit-a's part achieved.
    assert counts["union"] == [
        ("not_met", "Not met", 1),
        ("at_risk", "At risk", 2),
        ("on_track", "On track", 2),
        ("achieved", "Achieved", 1),
    ]


def test_leadership_picks_a_branch_of_its_subtree_only(client_as, tree, goals):
    client = client_as("reviewer")
    page = html(client.get(URL, {"branch": "union"}))
    assert 'id="goals-union"' in page and 'id="goals-prov"' not in page  # not the branch above
    assert 'id="subtree-other"' not in page
    assert client.get(URL, {"branch": "far-union"}).status_code == 404
    assert client.get(URL, {"branch": "root"}).status_code == 404  # above its reach
    assert client_as("secretary").get(URL, {"branch": "other"}).status_code == 404


def _subtree_codes(page: str) -> list[str]:
    return re.findall(r'<article class="goal-branch compact" id="subtree-([^"]+)"', page)


def _link(page: str, rel: str) -> str | None:
    """The `rel` link of the subtree list, without its #subtree anchor."""
    found = re.search(rf'<a rel="{rel}" href="([^"#]*)#subtree"', page)
    return html_module.unescape(found.group(1)) if found else None


def _walk(client, start: str, rel: str) -> list[list[str]]:
    url, pages = URL + start, []
    while url:
        page = html(client.get(url))
        pages.append(_subtree_codes(page))
        following = _link(page, rel)
        url = URL + following if following else None
    return pages


@pytest.fixture
def small_pages(monkeypatch):
    from congresses.resolutions.views import goals as goals_view

    monkeypatch.setattr(goals_view, "PAGE_SIZE", 3)


@pytest.fixture
def more_branches(tree, goals):
    """Eight more branches of prov with a resolution for the running term: ten in its list."""
    for index in range(8):
        place = branch(tree.prov, f"extra-{index}", BranchKind.GRASSROOTS)
        resolution_of(place, date(2018, 1, 1))


def test_the_subtree_list_walks_by_keyset_both_ways(client_as, more_branches, small_pages):
    client = client_as("reviewer")
    first = html(client.get(URL))
    assert 'rel="next"' in first and 'rel="last"' in first and 'rel="prev"' not in first
    forward = _walk(client, "", "next")
    visited = [code for page in forward for code in page]
    assert [len(page) for page in forward] == [3, 3, 3, 1]
    expected = Branch.objects.filter(code__in=visited).order_by("path")
    assert visited == [b.code for b in expected]  # tree order, each once
    assert "union" in visited and "other" in visited and "prov" not in visited
    backward = _walk(client, _link(first, "last"), "prev")
    assert [code for page in reversed(backward) for code in page] == visited
    assert len(backward[0]) == 3  # the last page is full, read from the end
    assert 'rel="first"' in html(client.get(URL + _link(first, "next")))


def test_an_old_page_number_shows_the_first_page_of_the_subtree(
    client_as, more_branches, small_pages
):
    client = client_as("reviewer")
    first = _subtree_codes(html(client.get(URL)))
    for number in ("2", "x", "99"):
        assert _subtree_codes(html(client.get(URL, {"page": number}))) == first


def test_a_forged_cursor_answers_400_with_the_first_page(client_as, more_branches, small_pages):
    client = client_as("reviewer")
    first = html(client.get(URL))
    cursor = parse_qs(urlsplit(_link(first, "next")).query)["cursor"][0]
    for forged in (cursor[:-3] + "abc", "not-a-cursor", "x" * 500):
        response = client.get(URL, {"cursor": forged})
        assert response.status_code == 400
        page = response.content.decode()
        assert 'id="bad-cursor"' in page and "This page link is not valid" in page
        assert _subtree_codes(page) == _subtree_codes(first)


def test_the_subtree_list_costs_the_same_queries_for_more_branches(client_as, tree, goals):
    client = client_as("reviewer")

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            html(client.get(URL))
        return [query["sql"] for query in captured.captured_queries]

    before = queries()
    for code in ("extra-1", "extra-2", "extra-3"):
        more = resolution_of(branch(tree.prov, code, BranchKind.GRASSROOTS), date(2018, 1, 1))
        resolutions.add_target(
            resolution=more, title=f"Chỉ tiêu {code}", kind="count", target_value=3
        )
    after = queries()
    assert len(after) == len(before)
    assert not any("COUNT(" in sql.upper() for sql in after)


def test_a_member_of_two_branches_sees_a_shared_branch_once(client, tree, goals):
    account = user("twice", "member", tree.unit_a)
    Grant.objects.create(user=account, branch=tree.unit_b, role=Role.MEMBER)
    client.force_login(account)
    page = html(client.get(URL))
    assert 'id="goals-unit-a"' in page and 'id="goals-unit-b"' in page
    assert page.count('id="goals-union"') == 1 and page.count("Phát triển đoàn viên mới") == 1
    assert 'href="#goals-union"' in page  # the second chain points to the first


def test_superuser_sees_the_whole_tree(client_as, goals):
    page = html(client_as("admin").get(URL))
    assert 'id="goals-root"' in page
    assert 'id="subtree-far-union"' in page and 'id="subtree-union"' in page


def test_empty_states(client_as, tree, goals):
    page = html(client_as("member").get(URL))
    for anchor in ("goals-unit-a", "goals-root"):
        assert "No resolution is recorded for the current term." in article(page, anchor)
        assert "No term of this branch is running on 10/06/2020." in article(page, anchor)
    bare = resolution_of(tree.unit_b, date(2019, 1, 1))
    assert bare.targets.count() == 0
    page = html(client_as("reviewer").get(URL, {"branch": "unit-b"}))
    assert "No targets are recorded in this resolution." in article(page, "goals-unit-b")
    page = html(client_as("stranger").get(URL))
    assert 'id="goals-no-role"' in page and "<article" not in page
    assert client_as("stranger").get(URL, {"branch": "union"}).status_code == 404


def test_another_day_shows_its_standing(client_as, goals):
    client = client_as("member")
    page = html(client.get(URL, {"on": "31/12/2019"}))
    union = article(page, "goals-union")
    assert "Now 197\u00a0đoàn viên" in union and "as of 31/12/2019" in union
    assert 'max="100" value="30"' in union and 'value="31/12/2019"' in page
    assert verdict_of(page, goals["part_a"]) == "at_risk"  # its 6 came on 01/03/2020
    page = html(client.get(URL, {"on": "01/06/2019"}))
    assert verdict_of(page, goals["growth"]) == "at_risk"  # nothing yet, 29 % of the term gone
    assert "No figure recorded yet" in article(page, "goals-union")


def test_a_day_before_the_term_shows_no_resolution(client_as, goals):
    page = html(client_as("member").get(URL, {"on": "01/01/2017"}))
    assert "No resolution is recorded for the current term." in article(page, "goals-union")


def test_an_invalid_day_shows_the_error_and_today(client_as, goals):
    response = client_as("member").get(URL, {"on": "31/02/2020"})
    page = html(response)
    assert response.context["day_form"].errors["on"]
    assert 'class="errorlist' in page
    assert response.context["day"] == TODAY
    assert verdict_of(page, goals["growth"]) == "on_track"


def test_the_page_has_no_inline_styles(client_as, goals):
    for persona in ("member", "reviewer", "admin"):
        page = html(client_as(persona).get(URL))
        assert "style=" not in page, persona
        assert "<progress" in page


def test_a_targets_title_and_unit_are_shown_as_text(client_as, tree, goals):
    """The target lines are drawn in Python (congresses.resolutions.views.target_lines): what
    a secretary typed reaches the page as text, never as markup, in the full section and in
    the subtree list."""
    union = goals["training"].resolution
    typed = resolutions.add_target(
        resolution=union,
        title='<script>alert("t")</script> & co',
        kind="count",
        target_value=3,
        unit="<b>tổ</b>",
    )
    progress.record_progress(target=typed, on=date(2020, 5, 1), actual=1)
    for persona in ("member", "prov-secretary"):
        page = html(client_as(persona).get(URL))
        assert "<script>alert" not in page and "<b>tổ</b>" not in page, persona
        line = re.search(rf'<li class="target" data-target="{typed.pk}".*?</li>', page, re.S)
        assert line, persona
        shown = html_module.unescape(line.group(0))
        assert '<script>alert("t")</script> & co' in shown, persona
        assert "Target 3\u00a0<b>tổ</b>" in shown, persona


def test_the_page_answers_get_only(client_as, goals):
    client = client_as("member")
    assert client.post(URL).status_code == 405
    assert client.head(URL).status_code == 200


def test_the_start_page_leads_to_the_goals_in_one_click(client_as, tree, goals):
    home = html(client_as("secretary").get(reverse("home")))
    assert re.search(r'<a class="goals-link" id="goals-link" href="/goals/\?branch=union">', home)
    home = html(client_as("member").get(reverse("home")))
    link = re.search(r'<a class="button goals-link" id="goals-link" href="([^"]+)">', home)
    assert link, "the member's primary action"
    page = html(client_as("member").get(link.group(1).replace("&amp;", "&")))
    assert 'id="goals-unit-a"' in page and 'id="goals-union"' in page
    assert 'id="goals-link"' in html(client_as("admin").get(reverse("home")))
