"""The first meeting of a new executive committee as one step (congresses.first_meeting, its
read model congresses.meeting_plan and its page): what it records, what it refuses (each
refusal beside its field, nothing written), who may take it, and what the page offers before
the committee is elected, while an election of a body is pending, and once it is recorded."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from congresses import committees, services
from congresses.elections import certification
from congresses.elections import services as elections
from congresses.elections.models import ElectionKind
from congresses.first_meeting import chair_only_findings, record_first_meeting
from congresses.meeting_plan import BodyState, meeting_plan
from congresses.models import FirstMeeting, ObtainedBy, Post, PostKind, Term
from congresses.read_only import Conflict
from members.models import Role
from members.statistics import today
from tests.congresses.elections.helpers import enter
from tests.congresses.helpers import DAY, held_congress, text
from tests.factories import member, user

pytestmark = pytest.mark.django_db

NAMES = ["Lê Minh Anh", "Trần Văn Bình", "Đỗ Quang Đức", "Phạm Thu Hà", "Nguyễn Thị Lan"]


@pytest.fixture
def register(tree):
    """12 members of the union on DAY (so the union elects a whole committee, not a chair
    only), the first five named NAMES."""
    names = NAMES + [f"Đoàn Viên {n}" for n in range(7)]
    return [member(tree.unit_a if n % 2 else tree.union, name) for n, name in enumerate(names)]


@pytest.fixture
def executive(tree, register):
    """The congress of DAY, held, and the five of NAMES recorded as the executive committee it
    elected (posts obtained at the congress)."""
    congress = held_congress(tree.union, summoned=12, present=12)
    return [
        committees.add_post(
            term=congress.term,
            kind=PostKind.EXECUTIVE,
            member=person,
            starts_on=DAY,
            obtained_by=ObtainedBy.CONGRESS,
        )
        for person in register[:5]
    ]


@pytest.fixture
def term(executive):
    return executive[0].term


def posts_of(term, kind):
    return sorted(
        term.posts.filter(kind=kind, obtained_by=ObtainedBy.COMMITTEE).values_list(
            "person_name", flat=True
        )
    )


def said(msgid, **values):
    """A message as the active language (Vietnamese in these tests) says it."""
    return gettext(msgid) % values if values else gettext(msgid)


# --- The service ---------------------------------------------------------------------------


def test_the_step_records_the_meeting_and_every_post_from_its_day(term, executive):
    anh, binh, duc, ha, lan = executive
    meeting = record_first_meeting(
        term=term,
        held_on=DAY + timedelta(days=2),
        convenor="Lê Minh Anh",
        minutes_by="Phạm Thu Hà",
        absent=[lan],
        chair=anh,
        vice_chairs=[binh],
        standing=[anh, binh, duc],
        inspection_head=ha,
        inspection_members=[duc],
        inspection_others=["Vũ Thị Mai"],
    )
    stored = FirstMeeting.objects.get(term=term)
    assert stored == meeting
    assert (stored.held_on, stored.convenor, stored.minutes_by) == (
        DAY + timedelta(days=2),
        "Lê Minh Anh",
        "Phạm Thu Hà",
    )
    assert list(stored.absent.all()) == [lan]
    assert posts_of(term, PostKind.CHAIR) == ["Lê Minh Anh"]
    assert posts_of(term, PostKind.VICE_CHAIR) == ["Trần Văn Bình"]
    assert posts_of(term, PostKind.STANDING) == sorted(["Lê Minh Anh", "Trần Văn Bình", NAMES[2]])
    assert posts_of(term, PostKind.INSPECTION_HEAD) == ["Phạm Thu Hà"]
    assert posts_of(term, PostKind.INSPECTION_MEMBER) == sorted([NAMES[2], "Vũ Thị Mai"])
    given = term.posts.filter(obtained_by=ObtainedBy.COMMITTEE)
    assert {p.starts_on for p in given} == {DAY + timedelta(days=2)}
    assert given.get(person_name="Vũ Thị Mai").member is None  # from outside the executive
    assert given.get(kind=PostKind.CHAIR).member == anh.member
    assert meeting_plan(term).meeting == meeting


@pytest.mark.parametrize(
    ("change", "field", "msgid", "values"),
    [
        (
            {"held_on": DAY - timedelta(days=1)},
            "held_on",
            "The first meeting follows the congress: on %(day)s or later.",
            {"day": "23/12/2017"},
        ),
        (
            {"held_on": today() + timedelta(days=1)},
            "held_on",
            "The day of the meeting cannot be in the future.",
            {},
        ),
        ({"convenor": "  "}, "convenor", "Name the convenor.", {}),
        ({"chair": None}, "chair", "Choose the chair.", {}),
        (
            {"vice_chairs": "chair"},
            "vice_chairs",
            "The chair is not also a vice-chair.",
            {},
        ),
        (
            {"inspection_head": None},
            "inspection_head",
            "Choose the head of the inspection committee.",
            {},
        ),
        (
            {"inspection_members": "head"},
            "inspection_members",
            "The head is counted in the inspection committee already: do not list them again.",
            {},
        ),
        (
            {"inspection_head_name": "Vũ Thị Mai"},
            "inspection_head",
            "Choose one person.",
            {},
        ),
        (  # 3 of 5 present: two thirds of 5 is 4 (Charter 2018, Art. 10.1)
            {"absent": "two"},
            "absent",
            "%(present)s of the %(summoned)s elected are present; the meeting needs at least "
            "%(required)s (Charter 2018, Art. 10.1: two thirds).",
            {"present": 3, "summoned": 5, "required": 4},
        ),
        (
            {"standing": "outsider"},
            "standing",
            "Choose from the executive committee the congress elected.",
            {},
        ),
    ],
)
def test_a_refused_step_names_the_field_and_writes_nothing(
    term, executive, tree, change, field, msgid, values
):
    anh, binh, duc, ha, lan = executive
    outsider = committees.add_post(
        term=term,
        kind=PostKind.EXECUTIVE,
        person_name="Người Bầu Bổ Sung",
        starts_on=DAY + timedelta(days=400),
        obtained_by=ObtainedBy.BY_ELECTION,
    )
    symbolic = {
        "chair": [anh],
        "head": [ha],
        "two": [duc, lan],
        "outsider": [outsider],
    }
    given = {
        "held_on": DAY,
        "convenor": "Lê Minh Anh",
        "chair": anh,
        "vice_chairs": [binh],
        "inspection_head": ha,
        "inspection_members": [duc],
    } | {key: symbolic.get(value, value) for key, value in change.items()}
    posts = Post.objects.count()
    with pytest.raises(ValidationError) as refused:
        record_first_meeting(term=term, **given)
    assert refused.value.message_dict[field] == [said(msgid, **values)]
    assert Post.objects.count() == posts and not FirstMeeting.objects.exists()


def test_a_refusal_of_add_post_comes_back_under_the_step_field_and_undoes_the_rest(
    term, executive, monkeypatch
):
    """committees.add_post holds the posts' own rules; the step shows what it refuses beside
    the field of the person concerned, and the posts it had already added go too."""
    anh, binh, duc = executive[:3]
    add_post = committees.add_post

    def refuse_vice_chairs(**fields):
        if fields["kind"] == PostKind.VICE_CHAIR:
            raise ValidationError({"member": ["Refused by the posts' rule."]})
        if fields["kind"] == PostKind.STANDING:
            raise ValidationError({"starts_on": ["Not on this day."]})
        return add_post(**fields)

    monkeypatch.setattr(committees, "add_post", refuse_vice_chairs)
    with pytest.raises(ValidationError) as refused:
        record_first_meeting(
            term=term,
            held_on=DAY,
            convenor="Lê Minh Anh",
            chair=anh,
            vice_chairs=[binh],
            standing=[duc],
        )
    assert refused.value.message_dict == {
        "vice_chairs": ["Refused by the posts' rule."],
        "held_on": ["Not on this day."],
    }
    assert not term.posts.filter(obtained_by=ObtainedBy.COMMITTEE).exists()  # the chair too
    assert not FirstMeeting.objects.exists()


def test_the_step_is_taken_once_and_not_at_a_recognised_congress(term, executive):
    anh = executive[0]
    record_first_meeting(term=term, held_on=DAY, convenor="Lê Minh Anh", chair=anh)
    with pytest.raises(Conflict):
        record_first_meeting(term=term, held_on=DAY, convenor="Lê Minh Anh")
    FirstMeeting.objects.all().delete()
    Post.objects.filter(obtained_by=ObtainedBy.COMMITTEE).delete()
    congress = services.submit_for_recognition(term.congress)
    services.recognise(congress, decision="1/QĐ", decided_on=DAY + timedelta(days=20))
    with pytest.raises(Conflict):
        record_first_meeting(term=term, held_on=DAY, convenor="Lê Minh Anh", chair=anh)
    assert not FirstMeeting.objects.exists()


def test_a_body_elected_by_a_certified_committee_election_is_recorded_not_offered(term, executive):
    anh, binh = executive[:2]
    chair = elections.create_election(
        congress=term.congress,
        kind=ElectionKind.CHAIR,
        elected_by="committee",
        held_on=DAY + timedelta(days=1),
        present=5,
    )
    elections.add_candidate(election=chair, member=anh.member)
    enter(chair, {anh.person_name: 5}, issued=5, collected=5)
    certification.certify(election=chair)
    plan = meeting_plan(term)
    assert plan.body("chair").state == BodyState.RECORDED
    assert [p.person_name for p in plan.body("chair").posts] == ["Lê Minh Anh"]
    assert plan.days == (DAY + timedelta(days=1),)  # the meeting is the election's day
    with pytest.raises(ValidationError) as refused:
        record_first_meeting(term=term, held_on=DAY, convenor="Anh", chair=binh)
    assert refused.value.message_dict["chair"] == [
        said("Recorded already: %(names)s.", names="Lê Minh Anh")
    ]
    assert refused.value.message_dict["held_on"] == [
        said(
            "What the meeting elected is recorded on %(days)s: the meeting is that day.",
            days="24/12/2017",
        )
    ]
    meeting = record_first_meeting(
        term=term, held_on=DAY + timedelta(days=1), convenor="Anh", vice_chairs=[binh]
    )
    assert meeting.held_on == DAY + timedelta(days=1)
    assert posts_of(term, PostKind.CHAIR) == ["Lê Minh Anh"]  # the election's post, once


def test_an_uncertified_executive_election_blocks_the_step(tree, register, client_as):
    congress = held_congress(tree.union, summoned=12, present=12)
    election = elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE)
    plan = meeting_plan(congress.term)
    assert plan.blocked == "executive_not_certified" and plan.executive == ()
    with pytest.raises(Conflict):
        record_first_meeting(term=congress.term, held_on=DAY, convenor="Anh")
    page = text(
        client_as("secretary").get(reverse("congresses:first_meeting", args=[congress.term.pk]))
    )
    assert said("The election of the executive committee is not certified yet.") in page
    assert f'id="blocked-link" href="{reverse("congresses:election", args=[election.pk])}"' in page
    assert 'name="convenor"' not in page


def test_a_union_below_ten_members_elects_a_chair_only(tree, client_as):
    """HD 03/HD-TLĐ §9.1: below 10 members a grassroots union has a chair, no committee."""
    people = [member(tree.union, name) for name in NAMES[:3]]
    congress = held_congress(tree.union, summoned=3, present=3)
    post = committees.add_post(
        term=congress.term,
        kind=PostKind.EXECUTIVE,
        member=people[0],
        starts_on=DAY,
        obtained_by=ObtainedBy.CONGRESS,
    )
    plan = meeting_plan(congress.term)
    assert plan.chair_only
    assert [b.state for b in plan.bodies] == [BodyState.OPEN] + [BodyState.NOT_ELECTED] * 4
    with pytest.raises(ValidationError) as refused:
        record_first_meeting(
            term=congress.term, held_on=DAY, convenor="Anh", chair=post, inspection_head=post
        )
    assert list(refused.value.message_dict) == ["inspection_head"]
    page = client_as("secretary").get(reverse("congresses:first_meeting", args=[congress.term.pk]))
    form = page.context["form"]
    assert "chair" in form.fields and "vice_chairs" not in form.fields
    assert "inspection_others" not in form.fields


def test_stored_posts_beyond_a_chair_at_a_small_union_are_listed_to_fix(tree):
    for name in NAMES[:3]:
        member(tree.union, name)
    congress = held_congress(tree.union, summoned=3, present=3)
    # stored before the rules of posts: the services refuse it now
    Post.objects.create(
        term=congress.term,
        kind=PostKind.VICE_CHAIR,
        person_name="Trần Văn Bình",
        starts_on=DAY,
        obtained_by=ObtainedBy.COMMITTEE,
    )
    found = list(chair_only_findings(Term.objects.all()))
    assert [(f.term, f.url) for f in found] == [
        (congress.term, reverse("congresses:term", args=[congress.term.pk]) + "#committee")
    ]
    assert "Trần Văn Bình" in found[0].record and "23/12/2017" in found[0].record


def test_a_whole_union_has_nothing_to_fix(term, executive):
    record_first_meeting(
        term=term, held_on=DAY, convenor="Anh", chair=executive[0], vice_chairs=[executive[1]]
    )
    assert list(chair_only_findings(Term.objects.all())) == []


# --- The page ------------------------------------------------------------------------------


def url(term):
    return reverse("congresses:first_meeting", args=[term.pk])


def form_data(executive, **extra):
    anh, binh, duc, ha, lan = executive
    return {
        "held_on": "25/12/2017",
        "convenor": "Lê Minh Anh",
        "minutes_by": "Phạm Thu Hà",
        "chair": str(anh.pk),
        "vice_chairs": [str(binh.pk)],
        "standing": [str(anh.pk), str(binh.pk), str(duc.pk)],
        "inspection_head": str(ha.pk),
        "inspection_members": [str(lan.pk)],
        "inspection_others": "Vũ Thị Mai\r\n\r\nHoàng Văn Nam\r\n",
    } | extra


def test_the_page_lists_the_elected_and_records_the_step(term, executive, client_as):
    client = client_as("secretary")
    page = client.get(url(term))
    assert page.status_code == 200
    html = text(page)
    for name in NAMES:
        assert name in html
    assert page.context["form"].initial["held_on"] == DAY
    response = client.post(url(term), form_data(executive))
    assert response.status_code == 302 and response["Location"] == url(term)
    assert posts_of(term, PostKind.INSPECTION_MEMBER) == sorted(
        ["Hoàng Văn Nam", "Nguyễn Thị Lan", "Vũ Thị Mai"]
    )
    after = text(client.get(url(term)))
    assert reverse("reports:first_meeting_pdf", args=[term.pk]) in after
    assert 'name="convenor"' not in after  # recorded: no second form
    assert FirstMeeting.objects.get(term=term).minutes_by == "Phạm Thu Hà"


def test_the_page_shows_each_refusal_beside_its_field_and_writes_nothing(
    term, executive, client_as
):
    client = client_as("secretary")
    data = form_data(executive, held_on="20/12/2017", convenor="", chair="")
    response = client.post(url(term), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["held_on"] == [
        said("The first meeting follows the congress: on %(day)s or later.", day="23/12/2017")
    ]
    assert errors["convenor"] == [said("Name the convenor.")]
    assert errors["chair"] == [said("Choose the chair.")]
    html = text(response)
    block = html[html.index('id="field-held_on"') : html.index('id="field-convenor"')]
    assert (
        said("The first meeting follows the congress: on %(day)s or later.", day="23/12/2017")
        in block
    )
    assert 'value="20/12/2017"' in block  # what was typed stays
    assert not FirstMeeting.objects.exists()
    assert not term.posts.filter(obtained_by=ObtainedBy.COMMITTEE).exists()


@pytest.mark.parametrize(("persona", "status"), [("reviewer", 403), ("member", 403)])
def test_a_reviewer_or_a_member_may_not_open_or_post_the_step(
    term, executive, client_as, persona, status
):
    client = client_as(persona)
    assert client.get(url(term)).status_code == status
    assert client.post(url(term), form_data(executive)).status_code == status
    assert not FirstMeeting.objects.exists()


def test_another_branchs_secretary_finds_nothing(term, executive, client, tree):
    client.force_login(user("other-secretary", Role.SECRETARY, tree.other))
    assert client.get(url(term)).status_code == 404
    assert client.post(url(term), form_data(executive)).status_code == 404
    assert not FirstMeeting.objects.exists()


def test_without_a_congress_the_page_says_so_and_links_to_planning_it(tree, client_as):
    term = services.create_term(branch=tree.union, starts_on=DAY)
    page = text(client_as("secretary").get(url(term)))
    assert said("No congress is recorded for this term.") in page
    assert f'href="{reverse("congresses:congress_add", args=[term.pk])}"' in page


def test_without_the_elected_committee_the_page_links_to_where_it_is_recorded(tree, client_as):
    congress = held_congress(tree.union, summoned=12, present=12)
    page = text(client_as("secretary").get(url(congress.term)))
    assert said("The executive committee elected by the congress is not recorded.") in page
    assert f'href="{reverse("congresses:congress", args=[congress.pk])}#elections"' in page
    assert f'href="{reverse("congresses:term", args=[congress.term.pk])}#add-post"' in page


def test_the_term_and_congress_pages_link_the_step_and_then_its_minutes(term, executive, client_as):
    step = f'href="{url(term)}"'
    minutes = f'href="{reverse("reports:first_meeting_pdf", args=[term.pk])}"'
    congress_url = reverse("congresses:congress", args=[term.congress.pk])
    term_url = reverse("congresses:term", args=[term.pk])
    secretary = client_as("secretary")
    for page in (term_url, congress_url):
        html = secretary.get(page).content.decode()
        assert step in html and minutes not in html
    record_first_meeting(term=term, held_on=DAY, convenor="Lê Minh Anh", chair=executive[0])
    reviewer = client_as("reviewer")
    for page in (term_url, congress_url):
        html = reviewer.get(page).content.decode()
        assert minutes in html and step not in html  # a reviewer reads, does not record


def test_before_the_committee_is_elected_the_term_page_offers_no_step(tree, client_as):
    congress = held_congress(tree.union, summoned=12, present=12)
    html = client_as("secretary").get(reverse("congresses:term", args=[congress.term.pk])).text
    assert f'href="{url(congress.term)}"' not in html


def test_the_english_page_names_the_step(term, executive, client_as, english):
    with translation.override("en"):
        page = text(client_as("secretary").get(url(term)))
    assert "First meeting of the executive committee" in page
    assert "Record the first meeting" in page
