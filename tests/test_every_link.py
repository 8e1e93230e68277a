"""No dead ends (issue 13, item 3): every link a demo login can follow from the start page,
over the whole demo, opens; and the error pages say what happened in the user's language.

The crawl here follows every link (all 185 members' pages included) through the test client;
tests/e2e/test_every_page.py opens one page of each kind in Chromium on a phone's width."""

import pytest
from django.test import Client

from congresses.resolutions.models import Target
from tests.crawl import DEMO_LOGINS, crawl, report


@pytest.fixture
def whole_demo(_seed_for_module, db):
    """The whole demo, loaded once for this module (tests/conftest.py)."""


def client_of(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="demo")
    return client


def opener(client: Client):
    def open_page(url: str) -> tuple[int, str, None]:
        response = client.get(url)
        html = response.content.decode() if "html" in response.get("Content-Type", "") else ""
        return response.status_code, html, None

    return open_page


def test_every_link_from_the_start_page_opens(whole_demo):
    """Every link, for each demo login. The administrator's crawl opens five pages of each
    kind: what it may open is everything, so its pages differ from the secretary's, which
    opens every page, by rights only, and five of a kind show those."""
    pages = {}
    for username in DEMO_LOGINS:
        per_route = 5 if username == "admin" else None
        found = crawl(opener(client_of(username)), per_route=per_route)
        assert found.failures() == [], f"{username}:\n{report(found.failures())}"
        pages[username] = len(found.visits)
    # The crawls went somewhere: every member's page for the secretary, the goals for a member.
    assert pages["secretary"] > 185 * 3 and pages["member"] > 15, pages


def test_a_member_sees_a_sibling_sub_units_figures_without_a_link_to_its_page(whole_demo):
    page = client_of("member").get("/branches/hp-skhcn/").content.decode()
    assert 'data-code="hp-skhcn-tt"' in page  # the sibling's row and its figures
    assert 'href="/branches/hp-skhcn-tt/' not in page
    assert 'href="/branches/hp-skhcn-vp/' in page  # their own sub-unit links


def listed(client: Client, url: str) -> list[dict]:
    rows: list[dict] = []
    while url:
        body = client.get(url).json()
        rows += body["results"]
        url = body["next"]
    return rows


def test_the_api_and_the_pages_agree_on_what_a_member_may_read(whole_demo):
    member = client_of("member")
    targets = [row["id"] for row in listed(member, "/api/v1/targets/")]
    assert Target.objects.filter(pk__in=targets, parent__isnull=False).exists()  # shares too
    for pk in targets:
        assert member.get(f"/targets/{pk}/").status_code == 200, pk
        assert member.get(f"/api/v1/targets/{pk}/").status_code == 200, pk
    resolutions = listed(member, "/api/v1/resolutions/")
    assert resolutions
    for row in resolutions:
        assert member.get(f"/congresses/{row['congress']}/resolution/").status_code == 200
    for row in listed(member, "/api/v1/branches/"):
        assert member.get(f"/branches/{row['code']}/").status_code == 200, row["code"]
    for kind in ("members", "terms", "congresses", "posts", "elections"):
        assert member.get(f"/api/v1/{kind}/").status_code == 403, kind


def test_only_readers_of_the_responsible_branch_get_the_evidence_files_link(whole_demo):
    from congresses.resolutions.models import Progress

    figure = Progress.objects.filter(target__branch__code="hp-skhcn").first()
    Progress.objects.filter(pk=figure.pk).update(
        evidence_name="proof.pdf", evidence_original="bien-ban.pdf", evidence_type="application/pdf"
    )
    link = f"/progress/{figure.pk}/evidence/"
    as_member = client_of("member").get(f"/targets/{figure.target_id}/").content.decode()
    assert link not in as_member
    assert "có đính kèm" in as_member
    as_secretary = client_of("secretary").get(f"/targets/{figure.target_id}/").content.decode()
    assert link in as_secretary


def test_a_get_on_a_form_only_address_says_so_in_vietnamese(whole_demo):
    response = client_of("secretary").get("/congresses/1/held/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "Địa chỉ này chỉ nhận biểu mẫu" in response.content.decode()


def test_a_get_on_a_form_only_address_says_so_in_english(whole_demo, english):
    response = client_of("secretary").get("/congresses/1/held/")
    assert response.status_code == 405
    assert "This address takes a form only" in response.content.decode()


def test_the_apis_405_stays_json(whole_demo):
    response = client_of("secretary").delete("/api/v1/branches/")
    assert response.status_code == 405
    assert response.json()["detail"]


def test_refused_and_missing_pages_speak_vietnamese(whole_demo):
    reviewer = client_of("reviewer")
    refused = reviewer.get("/branches/hp-skhcn/edit/")
    assert refused.status_code == 403
    assert "Vai trò của bạn không cho phép làm việc này ở đây" in refused.content.decode()
    missing = client_of("member").get("/branches/hp-skhcn-tt/")
    assert missing.status_code == 404
    assert "Không tìm thấy trang" in missing.content.decode()


def test_a_stale_form_is_refused_in_words_and_changes_nothing(whole_demo):
    from members.models import Branch

    client = Client(enforce_csrf_checks=True)
    assert client.login(username="secretary", password="demo")
    before = Branch.objects.get(code="hp-skhcn").name
    refused = client.post("/branches/hp-skhcn/edit/", {"name": "Đổi tên"})
    assert refused.status_code == 403
    assert "Biểu mẫu không được chấp nhận" in refused.content.decode()
    assert Branch.objects.get(code="hp-skhcn").name == before
