"""The rules of a term's committee posts (congresses.post_rules, domain-rules §4): one chair
and one head of inspection on any day; the chair, vice-chairs and standing committee on the
executive committee; a post given at the congress or the first meeting only to someone its
certified election elected; a post entered by mistake deleted with a reason. Through the
pure rule, the services, certification and check_records (the pages and the API:
test_post_pages.py)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from congresses import committees, services
from congresses import domain as rules
from congresses.elections import certification, rounds
from congresses.elections import services as elections
from congresses.elections.models import ElectionKind
from congresses.models import ObtainedBy, Post, PostEnd, PostKind, Term
from congresses.read_only import Conflict
from congresses.record_checks import findings, term_findings
from reports.datasets.summary import term_summary
from tests.congresses.helpers import DAY
from tests.factories import member, persona

CHAIR, VICE, STANDING = PostKind.CHAIR, PostKind.VICE_CHAIR, PostKind.STANDING
EXEC, HEAD = PostKind.EXECUTIVE, PostKind.INSPECTION_HEAD
LATER, END = date(2019, 6, 1), date(2022, 12, 23)


# --- The pure day rules (congresses.domain.post_breaches) ---------------------------------------


def _m(key, kind, who, starts=DAY, ends=None):
    return rules.Mandate(key, kind, who, starts, ends)


@pytest.mark.parametrize(
    ("case", "mandates", "elects", "expected"),
    [
        # domain-rules §4: one chair on any day
        ("two chairs from one day", [_m(1, CHAIR, "a"), _m(2, CHAIR, "b")], False, [("two_holders", 2, DAY)]),
        ("a chair after the first ended", [_m(1, CHAIR, "a", ends=LATER), _m(2, CHAIR, "b", LATER)], False, []),
        ("a chair entered before the one it follows", [_m(1, CHAIR, "b", LATER), _m(2, CHAIR, "a")], False, [("two_holders", 1, LATER)]),
        ("two heads of inspection", [_m(1, HEAD, "a"), _m(2, HEAD, "b", LATER)], False, [("two_holders", 2, LATER)]),
        ("two vice-chairs", [_m(1, VICE, "a"), _m(2, VICE, "b"), _m(3, EXEC, "a"), _m(4, EXEC, "b")], False, []),
        # domain-rules §4: the executive elects its chair, vice-chairs and standing committee
        ("a chair on the executive", [_m(1, EXEC, "a"), _m(2, CHAIR, "a")], True, []),
        ("a chair off the executive", [_m(1, EXEC, "b"), _m(2, CHAIR, "a")], False, [("off_executive", 2, DAY)]),
        ("a standing member off it", [_m(1, STANDING, "a")], True, [("off_executive", 1, DAY)]),
        # HD 03/HD-TLĐ §9.1: below ten members a chair only, so no committee to sit on
        ("a chair of a small union", [_m(1, CHAIR, "a")], False, []),
        ("a seat that ends before the post", [_m(1, EXEC, "a", ends=LATER), _m(2, VICE, "a")], True, [("off_executive", 2, LATER)]),
        ("a seat that ends with the post", [_m(1, EXEC, "a", ends=LATER), _m(2, VICE, "a", ends=LATER)], True, []),
        ("a seat taken later", [_m(1, EXEC, "a", LATER), _m(2, VICE, "a")], True, [("off_executive", 2, DAY)]),
        ("no day of the term is off it", [_m(1, EXEC, "a", ends=END), _m(2, CHAIR, "a")], True, []),
    ],
)  # fmt: skip # a case a row, as in a table
def test_post_breaches(case, mandates, elects, expected):
    found = rules.post_breaches(mandates, until=END, elects_executive=elects)
    assert [(b.code, b.mandate.key, b.day) for b in found] == expected, case


def test_a_change_is_judged_by_the_breaches_it_brings():
    stored = [_m(1, CHAIR, "a"), _m(2, CHAIR, "b")]  # two chairs stored before the rule
    more = [*stored, _m(0, EXEC, "c")]
    assert rules.new_breaches(stored, more, until=END, elects_executive=False) == [
        rules.Breach(rules.PostBreach.OFF_EXECUTIVE, stored[0], DAY),
        rules.Breach(rules.PostBreach.OFF_EXECUTIVE, stored[1], DAY),
    ]  # the first executive seat gives the branch a committee the chairs are not on
    assert rules.new_breaches(stored, stored[:1], until=END, elects_executive=False) == []


@pytest.mark.parametrize(
    ("seats", "executive_election", "expected"),
    [(None, False, False), (1, False, False), (3, False, True), (None, True, True)],
)
def test_the_congress_gives_an_executive_committee(seats, executive_election, expected):
    assert rules.elects_executive(seats, executive_election=executive_election) is expected


# --- Through the services ------------------------------------------------------------------------


@pytest.fixture
def people(tree):
    names = ["Nguyễn Thị Lan", "Trần Văn Nam", "Lê Minh Anh", "Phạm Thu Hà"]
    return {name.split()[-1]: member(tree.union, name=name) for name in names}


@pytest.fixture
def congress(term):
    """The term's congress, held on DAY: a committee of 3."""
    congress = services.create_congress(
        term=term, held_on=DAY, summoned=30, present=28, committee_size=3
    )
    return services.record_held(congress)


def add(term, kind, who, *, on=DAY, obtained=ObtainedBy.CONGRESS, **extra):
    person = {"member": who} if not isinstance(who, str) else {"person_name": who}
    return committees.add_post(
        term=term, kind=kind, starts_on=on, obtained_by=obtained, **person, **extra
    )


def refusal(action):
    with pytest.raises(ValidationError) as error:
        action()
    return error.value.message_dict


@pytest.mark.django_db
def test_a_second_chair_of_the_same_day_is_refused_beside_the_post(term, people, english):
    add(term, CHAIR, people["Lan"], obtained=ObtainedBy.COMMITTEE)
    errors = refusal(lambda: add(term, CHAIR, people["Nam"], obtained=ObtainedBy.COMMITTEE))
    assert errors == {
        "kind": [
            "Nguyễn Thị Lan holds the post Chair from 23/12/2017; a term has one at a time. End "
            "that mandate first, or delete it if it was entered by mistake."
        ]
    }
    assert term.posts.filter(kind=CHAIR).count() == 1


@pytest.mark.django_db
def test_one_head_of_the_inspection_committee_at_a_time(term):
    add(term, HEAD, "Trưởng Ban Một", on=LATER, obtained=ObtainedBy.BY_ELECTION)
    errors = refusal(lambda: add(term, HEAD, "Trưởng Ban Hai", obtained=ObtainedBy.COMMITTEE))
    assert list(errors) == ["kind"] and "Trưởng Ban Một" in errors["kind"][0]


@pytest.mark.django_db
def test_a_new_chair_follows_the_one_who_left(term, people):
    first = add(term, CHAIR, people["Lan"], obtained=ObtainedBy.COMMITTEE)
    committees.end_post(post=first, on=LATER, reason=PostEnd.RESIGNED)
    add(term, CHAIR, people["Nam"], on=LATER, obtained=ObtainedBy.BY_ELECTION)
    assert [p.person_name for p in term.posts.committee_on(LATER).filter(kind=CHAIR)] == [
        "Trần Văn Nam"
    ]


@pytest.mark.django_db
def test_the_chair_sits_on_the_executive_committee(term, congress, people, english):
    errors = refusal(lambda: add(term, CHAIR, people["Lan"], obtained=ObtainedBy.COMMITTEE))
    assert errors == {
        "member": [
            "Nguyễn Thị Lan does not sit on the executive committee on 23/12/2017, and the "
            "Chair is elected from its members. Record their executive seat first."
        ]
    }
    add(term, EXEC, people["Lan"])
    add(term, CHAIR, people["Lan"], obtained=ObtainedBy.COMMITTEE)
    add(term, EXEC, "Người Ngoài")  # someone from outside, by name
    add(term, VICE, "Người Ngoài", obtained=ObtainedBy.COMMITTEE)
    assert "person_name" in refusal(
        lambda: add(term, STANDING, "Người Khác", obtained=ObtainedBy.COMMITTEE)
    )


@pytest.mark.django_db
def test_a_union_of_fewer_than_ten_elects_only_a_chair(term, people):
    """HD 03/HD-TLĐ §9.1: a congress of one seat, a chair only; no committee to sit on."""
    services.create_congress(term=term, held_on=DAY, committee_size=1)
    assert add(term, CHAIR, people["Lan"], obtained=ObtainedBy.CONGRESS).kind == CHAIR


@pytest.mark.django_db
def test_the_chairs_seat_outlasts_the_chair(term, congress, people, english):
    seat = add(term, EXEC, people["Lan"])
    chair = add(term, CHAIR, people["Lan"], obtained=ObtainedBy.COMMITTEE)
    errors = refusal(lambda: committees.end_post(post=seat, on=LATER, reason=PostEnd.RESIGNED))
    assert errors == {
        "on": [
            "Nguyễn Thị Lan, Chair, would then not sit on the executive committee on 01/06/2019, "
            "and that post is elected from its members. End that post first, or record their "
            "executive seat."
        ]
    }
    seat.refresh_from_db()
    assert seat.ends_on is None
    committees.end_post(post=chair, on=LATER, reason=PostEnd.RESIGNED)
    committees.end_post(post=seat, on=LATER, reason=PostEnd.RESIGNED)


@pytest.mark.django_db
def test_a_first_executive_seat_leaves_no_chair_off_the_committee(term, people, english):
    """Without a congress the branch has a committee once someone holds a seat: the chair's
    own seat comes first."""
    add(term, CHAIR, people["Lan"], obtained=ObtainedBy.COMMITTEE)
    errors = refusal(lambda: add(term, EXEC, people["Nam"]))
    assert "Nguyễn Thị Lan, Chair, would then not sit" in errors["member"][0]
    add(term, EXEC, people["Lan"])
    add(term, EXEC, people["Nam"])


# --- Posts given by an election recorded here ---------------------------------------------------


def certified(congress, kind, votes, *, present=28, elected_by=None):
    """An election of `kind` counted in one round of `present` ballots and certified:
    `votes` by candidate (a member, or a name for someone who is not one)."""
    setup = {"elected_by": elected_by} if elected_by else {}
    seats = {ElectionKind.EXECUTIVE: 3, ElectionKind.VICE_CHAIR: 1}.get(kind, 1)
    election = elections.create_election(
        congress=congress, kind=kind, seats=seats, present=present, **setup
    )
    counts = {}
    for who, count in votes.items():
        person = {"person_name": who} if isinstance(who, str) else {"member": who}
        counts[elections.add_candidate(election=election, **person).pk] = count
    rounds.enter_round(
        election=election,
        issued=present,
        collected=present,
        valid=present,
        invalid=0,
        votes=counts,
    )
    return certification.certify(election=election)


@pytest.fixture
def executive(congress, people):
    """The certified executive election: Lan, Nam and Anh elected, Hà (10 votes) not."""
    return certified(
        congress,
        ElectionKind.EXECUTIVE,
        {people["Lan"]: 25, people["Nam"]: 20, people["Anh"]: 18, people["Hà"]: 10},
    )


@pytest.mark.django_db
def test_certification_gives_the_elected_their_posts(executive, term):
    assert sorted(p.person_name for p in term.posts.filter(election=executive)) == [
        "Lê Minh Anh",
        "Nguyễn Thị Lan",
        "Trần Văn Nam",
    ]


@pytest.mark.django_db
def test_a_post_goes_only_to_someone_the_certified_election_elected(
    term, executive, people, english
):
    errors = refusal(lambda: add(term, EXEC, people["Hà"]))
    assert errors == {
        "member": [
            "Phạm Thu Hà was not elected in the certified election (Executive committee, "
            "23/12/2017)."
        ]
    }
    add(term, EXEC, people["Hà"], on=LATER, obtained=ObtainedBy.BY_ELECTION)  # later, by-elected


@pytest.mark.django_db
def test_a_loser_does_not_become_vice_chair_by_the_first_meeting(term, congress, executive, people):
    """The issue's case: a candidate with 60 votes became vice-chair "elected by the
    executive committee at its first meeting"."""
    certified(congress, ElectionKind.VICE_CHAIR, {people["Nam"]: 3, people["Anh"]: 0}, present=3)
    errors = refusal(lambda: add(term, VICE, people["Anh"], obtained=ObtainedBy.COMMITTEE))
    assert "Lê Minh Anh" in errors["member"][0]
    assert term.posts.filter(kind=VICE).get().person_name == "Trần Văn Nam"


@pytest.mark.django_db
def test_someone_who_is_not_a_member_is_matched_by_exact_name(term, congress):
    names = {"Người Ngoài": 20, "Người Thứ Hai": 19, "Người Thứ Ba": 18}
    certified(congress, ElectionKind.EXECUTIVE, names)
    certified(congress, ElectionKind.CHAIR, {"Người Ngoài": 3}, present=3)
    assert term.posts.get(kind=CHAIR).person_name == "Người Ngoài"
    errors = refusal(lambda: add(term, EXEC, "Người  ngoài"))
    assert list(errors) == ["person_name"]


@pytest.mark.django_db
def test_an_election_recorded_but_not_certified_gives_no_posts(term, congress, people, english):
    elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE)
    errors = refusal(lambda: add(term, EXEC, people["Lan"]))
    assert errors == {
        "obtained_by": [
            "The election (Executive committee) is recorded for this congress but its result is "
            "not certified: certify it, and those it elected take their posts."
        ]
    }
    assert not term.posts.exists()


@pytest.mark.django_db
def test_a_past_term_without_its_elections_is_entered_as_it_was(tree, people):
    past = services.create_term(branch=tree.union, starts_on=date(2012, 12, 21), ordinal=4)
    services.create_congress(term=past, held_on=date(2012, 12, 21), committee_size=3)
    add(past, EXEC, people["Hà"], on=date(2012, 12, 21))
    add(past, CHAIR, people["Hà"], on=date(2012, 12, 21), obtained=ObtainedBy.COMMITTEE)
    assert past.posts.count() == 2


@pytest.mark.django_db
def test_the_chair_is_certified_after_the_executive(term, congress, people, english):
    executive = elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE)
    chair = elections.create_election(congress=congress, kind=ElectionKind.CHAIR, present=3)
    candidate = elections.add_candidate(election=chair, member=people["Lan"])
    rounds.enter_round(
        election=chair, issued=3, collected=3, valid=3, invalid=0, votes={candidate.pk: 3}
    )
    with pytest.raises(Conflict) as refused:
        certification.certify(election=chair)
    assert refused.value.messages == [
        "Certify the election of the executive committee first: this election chooses from "
        "its members."
    ]
    chair.refresh_from_db()
    assert not chair.is_certified and not term.posts.exists()
    for person in (people["Lan"], people["Nam"], people["Anh"]):
        elections.add_candidate(election=executive, member=person)
    ids = {c.member_id: c.pk for c in executive.candidates.all()}
    rounds.enter_round(
        election=executive,
        issued=28,
        collected=28,
        valid=28,
        invalid=0,
        votes=dict.fromkeys(ids.values(), 20),
    )
    certification.certify(election=executive)
    certification.certify(election=chair)
    assert term.posts.get(kind=CHAIR).election == chair


# --- Deleting a post entered by mistake --------------------------------------------------------


@pytest.mark.django_db
def test_a_post_entered_by_mistake_is_deleted_with_its_reason_in_the_history(
    tree, term, people, english
):
    post = add(term, VICE, "Người Nhập Nhầm", obtained=ObtainedBy.BY_ELECTION)
    secretary = persona(tree, "secretary")
    errors = refusal(lambda: committees.delete_post(post=post, reason="  ", by=secretary))
    assert errors == {"reason": ["Give the reason for deleting the post."]}
    committees.delete_post(post=post, reason="Nhập nhầm người", by=secretary)
    assert not Post.objects.filter(pk=post.pk).exists()
    last = Post.history.filter(id=post.pk).first()
    assert (last.history_type, last.history_change_reason) == ("-", "Nhập nhầm người")
    assert term_summary(term, as_of=DAY).committee == ()


@pytest.mark.django_db
def test_deleting_needs_write_rights(tree, term):
    post = add(term, VICE, "Người Nhập Nhầm", obtained=ObtainedBy.BY_ELECTION)
    with pytest.raises(PermissionDenied):
        committees.delete_post(post=post, reason="Nhầm", by=persona(tree, "reviewer"))
    assert Post.objects.filter(pk=post.pk).exists()


@pytest.mark.django_db
def test_a_post_from_an_election_is_corrected_through_the_election(term, executive, english):
    post = term.posts.filter(election=executive).first()
    with pytest.raises(Conflict, match=r"comes from an election \(Executive committee\)"):
        committees.delete_post(post=post, reason="Nhầm")
    assert Post.objects.filter(pk=post.pk).exists()


@pytest.mark.django_db
def test_a_recognised_congress_keeps_the_posts_it_gave(term, congress, people, english):
    given = add(term, EXEC, people["Lan"])
    by_election = add(term, EXEC, people["Nam"], on=LATER, obtained=ObtainedBy.BY_ELECTION)
    services.submit_for_recognition(congress)
    services.recognise(congress, decision="1/QĐ", decided_on=date(2018, 1, 5))
    with pytest.raises(Conflict, match="The congress is recognised and read-only"):
        committees.delete_post(post=given, reason="Nhầm")
    committees.delete_post(post=by_election, reason="Nhập hai lần")
    assert list(term.posts.all()) == [given]


@pytest.mark.django_db
def test_the_chairs_seat_is_not_deleted_from_under_the_chair(term, congress, people, english):
    seat = add(term, EXEC, people["Lan"])
    add(term, CHAIR, people["Lan"], obtained=ObtainedBy.COMMITTEE)
    errors = refusal(lambda: committees.delete_post(post=seat, reason="Nhầm"))
    assert list(errors) == ["__all__"] and "Nguyễn Thị Lan, Chair, would" in errors["__all__"][0]


# --- Stored posts that break the rules: check_records and the term page ------------------------


def stored(term, kind, name, **fields):
    """A post written behind the services, as older data was."""
    values = {"starts_on": DAY, "obtained_by": ObtainedBy.COMMITTEE} | fields
    return Post.objects.create(term=term, kind=kind, person_name=name, **values)


@pytest.mark.django_db
def test_check_records_lists_two_chairs_of_one_day(term, capsys, english):
    stored(term, CHAIR, "Chủ Tịch Một")
    stored(term, CHAIR, "Chủ Tịch Hai")
    with pytest.raises(SystemExit) as stop:
        call_command("check_records", "--rule", "post-days")
    assert stop.value.code == 1
    out = capsys.readouterr().out
    assert (
        "union 2017–2022 · Chair: Chủ Tịch Hai, from 23/12/2017: Held on 23/12/2017 together "
        "with Chair: Chủ Tịch Một, from 23/12/2017; a term has one Chair on any day. To fix: "
        "End the earlier mandate, or delete the post entered by mistake. "
        f"(/terms/{term.pk}/?on=23/12/2017#committee)"
    ) in out
    assert "1 term(s) checked, 1 problem(s) to fix." in out


@pytest.mark.django_db
def test_check_records_counts_problems_so_a_record_with_two_is_counted_twice(
    term, congress, executive, english, capsys
):
    """Two chairs of one day, neither on the executive committee: three problems in two
    records, and the closing sentence counts what it printed, the problems."""
    stored(term, CHAIR, "Chủ Tịch Một")
    stored(term, CHAIR, "Chủ Tịch Hai")
    with pytest.raises(SystemExit):
        call_command("check_records")
    lines = capsys.readouterr().out.splitlines()
    second = [line for line in lines if "· Chair: Chủ Tịch Hai, from 23/12/2017: " in line]
    assert len(second) == 2  # one record, two problems: another chair, off the committee
    assert lines[-1] == "1 term(s) checked, 3 problem(s) to fix."
    assert len(lines) == 1 + 3


@pytest.mark.django_db
def test_check_records_lists_a_chair_off_the_committee_and_a_loser_given_a_post(
    term, congress, executive, people, english
):
    stored(term, CHAIR, "Chủ Tịch Ngoài")
    stored(term, EXEC, "Phạm Thu Hà", member=people["Hà"], obtained_by=ObtainedBy.CONGRESS)
    found = [(f.record, f.problem) for f in findings(Term.objects.all())]
    assert found == [
        (
            "Chair: Chủ Tịch Ngoài, from 23/12/2017",
            "Not on the executive committee on 23/12/2017, whose members elect this post.",
        ),
        (
            "Executive committee member: Phạm Thu Hà, from 23/12/2017",
            "Not elected in the certified election (Executive committee, 23/12/2017).",
        ),
    ]


@pytest.mark.django_db
def test_stored_breaches_block_no_other_change(term, people):
    stored(term, CHAIR, "Chủ Tịch Một")
    stored(term, CHAIR, "Chủ Tịch Hai")
    add(term, PostKind.INSPECTION_MEMBER, people["Hà"], obtained=ObtainedBy.COMMITTEE)
    assert len(term_findings(term)) == 1


@pytest.mark.django_db
def test_the_demo_holds_every_rule(demo):
    from congresses import demo as congress_demo
    from congresses.resolutions import demo as demo_resolutions

    congress_demo.load()
    demo_resolutions.load()
    assert list(findings(Term.objects.all())) == []


@pytest.mark.django_db
def test_the_fix_says_what_must_happen_first_when_the_post_cannot_be_deleted_now(
    term, congress, english
):
    """Seen: the page advised deleting the post, but a recognised congress's posts cannot be
    deleted; the advice starts with the reopening an administrator must do."""
    from congresses.models import Congress, CongressStatus

    stored(term, CHAIR, "Chủ Tịch Một")
    stored(term, CHAIR, "Chủ Tịch Hai")
    Congress.objects.filter(pk=congress.pk).update(status=CongressStatus.RECOGNISED)
    [found] = [f for f in term_findings(term) if "together with" in f.problem]
    assert found.fix == (
        "The congress is recognised and read-only; an administrator can reopen it. "
        "End the earlier mandate, or delete the post entered by mistake."
    )
