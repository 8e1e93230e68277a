"""Pages of terms, congresses and committees: persona tests (right role, weaker role, stranger)
for every view, then what the pages show and what the forms and buttons do and refuse."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congresses import committees, services
from congresses import demo as congress_demo
from congresses import parts as congress_parts
from congresses.models import (
    BodyMember,
    Congress,
    CongressStatus,
    Delegate,
    Document,
    Guest,
    ObtainedBy,
    Post,
    PostKind,
    Term,
)
from members.statistics import today
from tests.congresses.helpers import DAY, fill_by_elections
from tests.factories import docx_bytes, member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


@pytest.fixture
def congress(tree, term):
    member(tree.unit_a, "Nguyễn Thị Lan", card_number="HP-001")
    member(tree.unit_b, "Trần Văn Nam", "male", card_number="HP-002")
    return services.create_congress(
        term=term, held_on=DAY, summoned=10, present=9, committee_size=3, venue="Hội trường A"
    )


@pytest.fixture
def parts(congress):
    """A guest, a seat, a delegate, a post (the chair, on the executive committee) and a
    document of the congress."""
    return {
        "guest": congress_parts.add_guest(congress=congress, name="Khách Mời"),
        "seat": congress_parts.add_body_member(congress=congress, body="presidium", name="Chủ Trì"),
        "delegate": committees.add_delegate(congress=congress, kind="full", person_name="Đại Biểu"),
        "executive_seat": committees.add_post(
            term=congress.term,
            kind=PostKind.EXECUTIVE,
            person_name="Chủ Tịch",
            starts_on=DAY,
            obtained_by=ObtainedBy.CONGRESS,
        ),
        "post": committees.add_post(
            term=congress.term,
            kind=PostKind.CHAIR,
            person_name="Chủ Tịch",
            starts_on=DAY,
            obtained_by=ObtainedBy.COMMITTEE,
        ),
        "document": congress_parts.attach_document(
            congress=congress, kind="minutes", name="bb.pdf", data=b"%PDF-1.7 minutes"
        ),
    }


def _counts():
    models = [Term, Congress, Guest, BodyMember, Delegate, Document, Post]
    return {model.__name__: model.objects.count() for model in models}


def _snapshot(congress):
    congress.refresh_from_db()
    fields = [
        "status",
        "venue",
        "summoned",
        "present",
        "committee_size",
        "counted_members",
        "recognition_decision",
        "held_on",
    ]
    return {name: getattr(congress, name) for name in fields} | _counts()


def _read_urls(term, congress, document):
    return [
        reverse("congresses:terms", args=[term.branch.code]),
        reverse("congresses:term", args=[term.pk]),
        reverse("congresses:congress", args=[congress.pk]),
        reverse("congresses:document", args=[document.pk]),
    ]


def _form_urls(term, congress):
    return [
        reverse("congresses:term_add", args=[term.branch.code]),
        reverse("congresses:congress_edit", args=[congress.pk]),
    ]


def _action_urls(parts):
    congress = parts["guest"].congress
    c, t = congress.pk, congress.term_id
    return [
        reverse("congresses:term_extend", args=[t]),
        reverse("congresses:post_add", args=[t]),
        reverse("congresses:post_end", args=[t]),
        reverse("congresses:congress_held", args=[c]),
        reverse("congresses:congress_submit", args=[c]),
        reverse("congresses:congress_recognise", args=[c]),
        reverse("congresses:congress_reopen", args=[c]),
        reverse("congresses:guest_add", args=[c]),
        reverse("congresses:guest_remove", args=[parts["guest"].pk]),
        reverse("congresses:seat_add", args=[c]),
        reverse("congresses:seat_remove", args=[parts["seat"].pk]),
        reverse("congresses:delegate_add", args=[c]),
        reverse("congresses:delegate_remove", args=[parts["delegate"].pk]),
        reverse("congresses:document_add", args=[c]),
    ]


ANY_INPUT = {
    "extension-extended_until": "01/06/2023",
    "extension-extension_decision": "1/QĐ",
    "extension-extension_decided_on": "01/10/2022",
    "post-kind": "executive",
    "post-person_name": "X",
    "post-starts_on": "01/01/2018",
    "post-obtained_by": "congress",
    "recognise-recognition_decision": "1/QĐ",
    "recognise-recognised_on": "05/01/2018",
    "reopen-reason": "x",
    "guest-name": "X",
    "seat-body": "presidium",
    "seat-name": "X",
    "delegate-kind": "full",
    "delegate-person_name": "X",
    "confirmed": "yes",
}


# --- Personas ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, parts):
    congress = parts["guest"].congress
    urls = _read_urls(congress.term, congress, parts["document"])
    for url in urls + _form_urls(congress.term, congress) + _action_urls(parts):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "status"),
    [("admin", 200), ("secretary", 200), ("reviewer", 200), ("member", 403), ("stranger", 404)],
)
def test_read_pages_need_a_reading_role_in_the_subtree(client_as, parts, name, status):
    congress = parts["guest"].congress
    client = client_as(name)
    for url in _read_urls(congress.term, congress, parts["document"]):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(("name", "status"), [("member", 404), ("secretary", 404)])
def test_a_branch_outside_the_subtree_is_not_found(client_as, tree, name, status):
    far = services.create_term(branch=tree.other, starts_on=DAY)
    client = client_as(name)
    assert client.get(reverse("congresses:terms", args=["other"])).status_code == status
    assert client.get(reverse("congresses:term", args=[far.pk])).status_code == status
    assert client.get(reverse("congresses:term", args=[99999])).status_code == 404
    assert client.get(reverse("congresses:congress", args=[99999])).status_code == 404


@pytest.mark.parametrize(
    ("name", "status"),
    [("admin", 200), ("secretary", 200), ("reviewer", 403), ("member", 403), ("stranger", 404)],
)
def test_form_pages_need_a_secretary(client_as, congress, name, status):
    client = client_as(name)
    for url in _form_urls(congress.term, congress):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(
    ("name", "status"),
    [("secretary", 200), ("reviewer", 403), ("member", 403), ("stranger", 404)],
)
def test_planning_a_congress_needs_a_secretary(client_as, term, name, status):
    url = reverse("congresses:congress_add", args=[term.pk])
    assert client_as(name).get(url).status_code == status


@pytest.mark.parametrize(("name", "status"), [("reviewer", 403), ("stranger", 404)])
def test_actions_refuse_weaker_roles_and_strangers_and_write_nothing(
    client_as, parts, name, status
):
    congress = parts["guest"].congress
    before = _snapshot(congress)
    client = client_as(name)
    for url in _action_urls(parts):
        assert client.post(url, ANY_INPUT).status_code == status, url
    assert _snapshot(congress) == before


def test_actions_refuse_get_and_write_nothing(client_as, parts):
    congress = parts["guest"].congress
    before = _snapshot(congress)
    client = client_as("secretary")
    for url in _action_urls(parts):
        assert client.get(url, ANY_INPUT).status_code == 405, url
    assert _snapshot(congress) == before


def test_the_branch_page_links_to_its_terms(client_as, tree):
    url = reverse("congresses:terms", args=["union"])
    assert url in client_as("reviewer").get(reverse("members:branch", args=["union"])).text
    assert url not in client_as("member").get(reverse("members:branch", args=["union"])).text


# --- The demo congress ------------------------------------------------------------------------


def test_demo_congress_page_shows_the_seed_figures_committee_and_guests(client, demo):
    congress_demo.load()
    seed = Congress.objects.get(term__branch__code="hp-skhcn", held_on=DAY)
    client.force_login(get_user_model().objects.get(username="reviewer"))
    page = client.get(reverse("congresses:congress", args=[seed.pk]))
    html = page.text
    figures = {
        code: re.search(rf'id="counted-{code}">([^<]*)<', html).group(1)
        for code in ["members", "women", "share", "sub-units"]
    }
    assert figures == {"members": "185", "women": "91", "share": "49,2\u00a0%", "sub-units": "6"}
    executives = [p for p in page.context["committee"] if p.kind == PostKind.EXECUTIVE]
    assert len(executives) == 9
    assert all(p.person_name in html for p in executives)
    guests = [guest.name for guest in page.context["guests"]]
    assert guests[0] == "Chủ tịch Công đoàn Viên chức thành phố"
    assert html.index(guests[0]) < html.index(guests[1])
    assert 'id="record-held"' not in html and 'action="/congresses/' not in html  # read only
    assert page.context["quorum"].met and page.context["quorum"].required == 124


def test_terms_page_lists_newest_first_and_marks_the_current_one(client_as, tree, english):
    start = today() - timedelta(days=400)
    old = services.create_term(
        branch=tree.union,
        starts_on=start - timedelta(days=5 * 365),
        ends_on=start - timedelta(days=30),
    )
    services.extend_term(term=old, until=start, decision="7/QĐ", decided_on=start)
    current = services.create_term(branch=tree.union, starts_on=start)
    page = client_as("reviewer").get(reverse("congresses:terms", args=["union"]))
    assert [t.pk for t in page.context["terms"]] == [current.pk, old.pk]
    html = page.text
    assert re.search(rf'data-term="{current.pk}" class="current"', html)
    assert f'data-term="{old.pk}" class="current"' not in html
    assert "7/QĐ" in html and "No congress recorded" in html
    assert "New term" not in html  # a reviewer writes nothing


def test_terms_page_says_when_there_are_none(client_as, english, tree):
    page = client_as("secretary").get(reverse("congresses:terms", args=["union"]))
    assert "No term is recorded for this branch yet." in page.text
    assert reverse("congresses:term_add", args=["union"]) in page.text


# --- Terms ------------------------------------------------------------------------------------


def test_new_term_defaults_follow_the_latest_term(client_as, term):
    form = client_as("secretary").get(reverse("congresses:term_add", args=["union"]))
    assert form.context["form"]["starts_on"].value() == date(2022, 12, 23)
    assert form.context["form"]["ordinal"].value() == 6
    assert "23/12/2022" in form.text
    response = client_as("secretary").post(
        reverse("congresses:term_add", args=["union"]), {"starts_on": "23/12/2022", "ordinal": 6}
    )
    created = Term.objects.get(branch=term.branch, ordinal=6)
    assert response["Location"] == reverse("congresses:term", args=[created.pk])
    assert (created.label, created.ends_on) == ("2022–2027", date(2027, 12, 23))


def test_overlapping_term_is_refused_with_the_message_and_input_kept(client_as, english, term):
    before = _counts()
    data = {"starts_on": "01/01/2020", "ends_on": "", "label": "Khóa mới", "ordinal": "6"}
    response = client_as("secretary").post(reverse("congresses:term_add", args=["union"]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["starts_on"] == [
        "This term overlaps the term 2017–2022 (23/12/2017 – 23/12/2022)."
    ]
    assert "This term overlaps the term 2017–2022" in response.text
    assert 'value="01/01/2020"' in response.text and 'value="Khóa mới"' in response.text
    assert _counts() == before


def test_term_page_shows_dates_neighbours_and_the_congress(client_as, term, congress):
    later = services.create_term(branch=term.branch, starts_on=date(2022, 12, 23))
    page = client_as("reviewer").get(reverse("congresses:term", args=[term.pk]))
    html = page.text
    assert "23/12/2017" in html and "23/12/2022" in html
    assert reverse("congresses:term", args=[later.pk]) in html
    assert reverse("congresses:congress", args=[congress.pk]) in html
    assert reverse("congresses:post_add", args=[term.pk]) not in html  # no forms for a reviewer
    page = client_as("secretary").get(reverse("congresses:term", args=[later.pk]))
    assert reverse("congresses:term", args=[term.pk]) in page.text  # previous
    assert reverse("congresses:congress_add", args=[later.pk]) in page.text


def test_an_extension_is_recorded_or_refused_beside_the_field(client_as, english, term):
    client = client_as("secretary")
    url = reverse("congresses:term_extend", args=[term.pk])
    too_far = {
        "extension-extended_until": "24/12/2025",
        "extension-extension_decision": "9/QĐ",
        "extension-extension_decided_on": "01/10/2022",
    }
    response = client.post(url, too_far)
    assert response.status_code == 200
    assert "at most 30 months" in response.context["extension_form"].errors["extended_until"][0]
    assert 'value="24/12/2025"' in response.text and 'value="9/QĐ"' in response.text
    term.refresh_from_db()
    assert term.extended_until is None
    response = client.post(url, too_far | {"extension-extended_until": "30/06/2023"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.end, term.extension_decision) == (date(2023, 6, 30), "9/QĐ")


def test_committee_is_listed_for_the_chosen_day(client_as, tree, term):
    lan = member(tree.unit_a, "Nguyễn Thị Lan")
    chair = committees.add_post(
        term=term, kind=PostKind.CHAIR, member=lan, starts_on=DAY, obtained_by=ObtainedBy.COMMITTEE
    )
    committees.end_post(post=chair, on=date(2019, 6, 1), reason="resigned")
    committees.add_post(
        term=term,
        kind=PostKind.CHAIR,
        person_name="Người Ngoài",
        starts_on=date(2019, 7, 1),
        obtained_by=ObtainedBy.BY_ELECTION,
    )
    client = client_as("secretary")
    url = reverse("congresses:term", args=[term.pk])
    early = client.get(url, {"on": "01/01/2018"})
    assert [p.person_name for p in early.context["committee"]] == ["Nguyễn Thị Lan"]
    assert reverse("members:member", args=[lan.pk]) in early.text
    assert "01/06/2019" in early.text
    late = client.get(url)  # the term is over: its last day
    assert late.context["day"] == date(2022, 12, 22)
    assert [p.person_name for p in late.context["committee"]] == ["Người Ngoài"]
    assert client.get(url, {"on": "15/06/2019"}).context["committee"] == []


def test_a_post_is_added_by_card_number_or_for_an_outsider(client_as, term, congress):
    client = client_as("secretary")
    url = reverse("congresses:post_add", args=[term.pk])
    base = {
        "post-kind": "executive",
        "post-starts_on": "23/12/2017",
        "post-obtained_by": "congress",
    }
    assert client.post(url, base | {"post-person": "hp-002"}).status_code == 302
    assert Post.objects.get().member.full_name == "Trần Văn Nam"
    assert client.post(url, base | {"post-person_name": "Lê Văn Khách"}).status_code == 302
    assert Post.objects.filter(member=None).get().person_name == "Lê Văn Khách"


def test_a_card_outside_the_subtree_is_not_found(client_as, tree, term):
    member(tree.other, "Phạm Thị Hoa", card_number="OT-1")
    response = client_as("secretary").post(
        reverse("congresses:post_add", args=[term.pk]),
        {
            "post-kind": "executive",
            "post-starts_on": "23/12/2017",
            "post-obtained_by": "congress",
            "post-person": "OT-1",
        },
    )
    assert response.status_code == 200
    assert "person" in response.context["post_form"].errors
    assert not Post.objects.exists()


def test_by_election_cap_error_is_shown_beside_the_consent_field(client_as, english, congress):
    term = congress.term
    fill_by_elections(term, by_election_name="Bổ sung")
    before = _counts()
    data = {
        "post-kind": "executive",
        "post-person_name": "Thêm Nữa",
        "post-starts_on": "01/01/2020",
        "post-obtained_by": "by_election",
    }
    url = reverse("congresses:post_add", args=[term.pk])
    response = client_as("secretary").post(url, data)
    assert response.status_code == 200
    errors = response.context["post_form"].errors
    assert list(errors) == ["consent_decision"]
    assert "2 of the 2" in errors["consent_decision"][0]
    html = response.text
    assert '<ul class="errorlist" id="id_post-consent_decision_error"><li>By-elections' in html
    consent_input = re.search(r'<input[^>]*name="post-consent_decision"[^>]*>', html).group(0)
    assert "id_post-consent_decision_error" in consent_input  # aria-describedby
    assert 'value="Thêm Nữa"' in html
    assert _counts() == before
    assert (
        client_as("secretary").post(url, data | {"post-consent_decision": "9/QĐ"}).status_code
        == 302
    )


def test_a_mandate_is_ended_and_stays_on_record(client_as, term, parts):
    chair = parts["post"]
    url = reverse("congresses:post_end", args=[term.pk])
    client = client_as("secretary")
    response = client.post(
        url, {"end-post": chair.pk, "end-on": "01/01/2017", "end-reason": "died"}
    )
    assert response.status_code == 200
    assert "on" in response.context["end_form"].errors
    chair.refresh_from_db()
    assert chair.ends_on is None
    data = {"end-post": chair.pk, "end-on": "01/06/2019", "end-reason": "resigned"}
    assert client.post(url, data).status_code == 302
    chair.refresh_from_db()
    assert (chair.ends_on, chair.end_reason) == (date(2019, 6, 1), "resigned")


# --- Congresses -------------------------------------------------------------------------------


def test_planning_a_congress(client_as, term):
    client = client_as("secretary")
    url = reverse("congresses:congress_add", args=[term.pk])
    assert client.get(url).context["form"]["held_on"].value() == DAY
    data = {
        "kind": "all_member",
        "held_on": "23/12/2017",
        "summoned": "40",
        "present": "38",
        "committee_size": "5",
        "venue": "Hội trường",
    }
    response = client.post(url, data)
    congress = Congress.objects.get()
    assert response["Location"] == reverse("congresses:congress", args=[congress.pk])
    assert (congress.summoned, congress.present, congress.committee_size) == (40, 38, 5)
    again = client.get(url)
    assert again["Location"] == reverse("congresses:congress", args=[congress.pk])


def test_congress_edit_keeps_typed_input_on_error_and_writes_nothing(client_as, english, congress):
    before = _snapshot(congress)
    data = {
        "kind": "all_member",
        "held_on": "23/12/2017",
        "summoned": "10",
        "present": "12",
        "venue": "Nhà văn hóa mới",
        "reported_members": "4",
    }
    response = client_as("secretary").post(
        reverse("congresses:congress_edit", args=[congress.pk]), data
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["present"] == ["More present (12) than summoned (10)."]
    assert "reported_reason" in errors
    assert 'value="Nhà văn hóa mới"' in response.text and 'value="12"' in response.text
    assert _snapshot(congress) == before


def test_congress_page_shows_quorum_warnings_and_empty_states(client_as, english, congress):
    services.update_congress(congress=congress, present=6, kind="delegate")
    page = client_as("reviewer").get(reverse("congresses:congress", args=[congress.pk]))
    html = page.text
    assert "at least 7 present needed" in html and "not met" in html
    assert any("Quorum not met" in text for text in page.context["warnings"])
    assert any("HD 238/HD-TLĐ" in text for text in page.context["warnings"])
    assert 'class="warning"' in html
    for empty in [
        "No guests are recorded.",
        "No documents are attached.",
        "No delegates are recorded.",
        "frozen when the congress is recorded as held",
    ]:
        assert empty in html


def test_reported_figures_are_shown_beside_the_counted_ones_with_the_reason(client_as, congress):
    services.record_held(congress)
    services.update_congress(
        congress=congress,
        reported_members=3,
        reported_women=1,
        reported_reason="Một đoàn viên chưa vào sổ",
    )
    html = client_as("reviewer").get(reverse("congresses:congress", args=[congress.pk])).text
    assert re.search(r'id="counted-members">2<', html)
    assert re.search(r'id="reported-members">[^<]*3<', html)
    assert 'id="reported-women"' not in html  # the same as counted: not repeated
    assert re.search(r'id="reported-share">[^<]*33,3\u00a0%<', html)
    assert "Một đoàn viên chưa vào sổ" in html


def test_lifecycle_buttons_move_the_status_and_recognition_freezes_the_congress(
    client_as, english, congress
):
    client = client_as("secretary")
    c = congress.pk
    page = client.get(reverse("congresses:congress", args=[c])).text
    assert reverse("congresses:congress_held", args=[c]) in page
    assert client.post(reverse("congresses:congress_held", args=[c])).status_code == 302
    congress.refresh_from_db()
    assert (congress.status, congress.counted_members, congress.counted_women) == (
        CongressStatus.HELD,
        2,
        1,
    )
    client.post(reverse("congresses:congress_submit", args=[c]))
    congress.refresh_from_db()
    assert congress.status == CongressStatus.AWAITING_RECOGNITION
    # the union's own secretary cannot recognise: the higher union does
    data = {"recognise-recognition_decision": "25/QĐ", "recognise-recognised_on": "12/01/2018"}
    assert client.post(reverse("congresses:congress_recognise", args=[c]), data).status_code == 403
    client = client_as("prov-secretary")
    bad = client.post(
        reverse("congresses:congress_recognise", args=[c]),
        data | {"recognise-recognised_on": "01/12/2017"},
    )
    assert bad.status_code == 200
    assert "recognised_on" in bad.context["recognise_form"].errors
    assert 'value="25/QĐ"' in bad.text
    assert client.post(reverse("congresses:congress_recognise", args=[c]), data).status_code == 302
    congress.refresh_from_db()
    assert (congress.status, congress.recognition_decision) == (CongressStatus.RECOGNISED, "25/QĐ")

    client = client_as("secretary")
    before = _snapshot(congress)
    page = client.get(reverse("congresses:congress", args=[c])).text
    assert reverse("congresses:guest_add", args=[c]) not in page
    assert reverse("congresses:congress_edit", args=[c]) not in page
    edit = {"kind": "all_member", "held_on": "23/12/2017", "venue": "Elsewhere"}
    response = client.post(reverse("congresses:congress_edit", args=[c]), edit, follow=True)
    assert "recognised and read-only" in response.text
    assert (
        client.post(reverse("congresses:guest_add", args=[c]), {"guest-name": "X"}).status_code
        == 302
    )
    assert _snapshot(congress) == before


def test_reopening_needs_an_administrator_and_a_reason(client_as, english, congress):
    services.record_held(congress)
    services.submit_for_recognition(congress)
    services.recognise(congress, decision="1/QĐ", decided_on=date(2018, 1, 5))
    url = reverse("congresses:congress_reopen", args=[congress.pk])
    assert client_as("secretary").post(url, {"reopen-reason": "typo"}).status_code == 403
    assert client_as("prov-secretary").post(url, {"reopen-reason": "typo"}).status_code == 403
    admin = client_as("admin")
    assert (
        reverse("congresses:congress_reopen", args=[congress.pk])
        in admin.get(reverse("congresses:congress", args=[congress.pk])).text
    )
    response = admin.post(url, {"reopen-reason": "  "})
    assert response.status_code == 200
    assert response.context["reopen_form"].errors["reason"] == ["Give the reason for reopening."]
    congress.refresh_from_db()
    assert congress.status == CongressStatus.RECOGNISED
    assert admin.post(url, {"reopen-reason": "Sửa số người dự"}).status_code == 302
    congress.refresh_from_db()
    assert congress.status == CongressStatus.AWAITING_RECOGNITION
    assert congress.history.first().history_change_reason == "Sửa số người dự"


def test_guests_seats_and_delegates_are_added_in_order(client_as, congress):
    client = client_as("secretary")
    c = congress.pk
    for name in ["Khách Một", "Khách Hai"]:
        assert (
            client.post(
                reverse("congresses:guest_add", args=[c]),
                {"guest-name": name, "guest-title": "Chủ tịch"},
            ).status_code
            == 302
        )
    client.post(
        reverse("congresses:seat_add", args=[c]),
        {"seat-body": "counting_board", "seat-name": "Trưởng Ban", "seat-role": "Trưởng ban"},
    )
    client.post(
        reverse("congresses:delegate_add", args=[c]),
        {"delegate-kind": "alternate", "delegate-person": "HP-001"},
    )
    client.post(
        reverse("congresses:delegate_add", args=[c]),
        {"delegate-kind": "full", "delegate-person_name": "Đại Biểu Một"},
    )
    page = client.get(reverse("congresses:congress", args=[c]))
    html = page.text
    assert html.index("Khách Một") < html.index("Khách Hai")
    assert "Trưởng Ban" in html
    assert [(d.kind, d.person_name) for d in page.context["delegates"]] == [
        ("full", "Đại Biểu Một"),
        ("alternate", "Nguyễn Thị Lan"),
    ]


def test_a_guest_without_a_name_keeps_the_typed_title(client_as, english, congress):
    response = client_as("secretary").post(
        reverse("congresses:guest_add", args=[congress.pk]),
        {"guest-name": " ", "guest-title": "Phó Giám đốc"},
    )
    assert response.status_code == 200
    assert response.context["guest_form"].errors["name"] == ["Enter the guest's name."]
    assert 'value="Phó Giám đốc"' in response.text
    assert not Guest.objects.exists()


def test_removing_asks_for_confirmation_first(client_as, english, parts):
    client = client_as("secretary")
    for key in ["guest", "seat", "delegate"]:
        record = parts[key]
        url = reverse(f"congresses:{key}_remove", args=[record.pk])
        confirm = client.post(url)
        assert confirm.status_code == 200
        assert "Please confirm" in confirm.text and 'name="confirmed" value="yes"' in confirm.text
        assert type(record).objects.filter(pk=record.pk).exists()
        assert client.post(url, {"confirmed": "yes"}).status_code == 302
        assert not type(record).objects.filter(pk=record.pk).exists()


# --- Documents --------------------------------------------------------------------------------


def test_upload_refuses_other_files_with_a_message(client_as, english, congress):
    url = reverse("congresses:document_add", args=[congress.pk])
    exe = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client_as("secretary").post(url, {"document-kind": "report", "document-file": exe})
    assert response.status_code == 200
    assert "Only PDF, Word (.docx) and OpenDocument (.odt)" in response.text
    assert response.context["document_form"]["kind"].value() == "report"
    assert not Document.objects.exists()


def test_upload_and_download_with_safe_headers(client_as, congress):
    url = reverse("congresses:document_add", args=[congress.pk])
    upload = SimpleUploadedFile('bb"<script>.docx', docx_bytes(), "text/html")
    client = client_as("secretary")
    assert (
        client.post(url, {"document-kind": "minutes", "document-file": upload}).status_code == 302
    )
    document = Document.objects.get()
    response = client_as("reviewer").get(reverse("congresses:document", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="congress-{congress.pk}-minutes-{document.pk}.docx"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == docx_bytes()
