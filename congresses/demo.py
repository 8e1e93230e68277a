"""Demo terms and congresses of hp-skhcn, recorded through the services.

The 23/12/2017 congress is the seed case (185 members, 91 women, 6 sub-units, a committee of 9,
the chair of the city civil servants' union among the guests). Names of people, the 2012 and
2022 congresses, attendance figures, vote counts and decision numbers are invented for the
demo. The 2017 committee comes from a certified election: 11 candidates for 9 seats, counted by
the Charter's rule (more than half of the 176 ballots collected, i.e. at least 89 votes), in
which the tenth candidate passes the threshold but finds no seat and the eleventh, with exactly
half, fails it; the committee's first meeting then elects the chair.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from congresses import committees, first_meeting, parts, services
from congresses.elections import certification, rounds
from congresses.elections import services as elections
from congresses.elections.models import ElectionKind
from congresses.models import Body, Congress, CongressKind, DelegateKind, ObtainedBy, PostKind, Term
from members.models import Branch, Member

TERMS = [
    # label, starts, ends, ordinal
    ("2012–2017", date(2012, 12, 21), date(2017, 12, 23), 4),
    ("2017–2022", date(2017, 12, 23), date(2022, 11, 25), 5),
    ("2022–2027", date(2022, 11, 25), None, 6),
]

VENUE = "Hội trường Sở Khoa học và Công nghệ Hải Phòng"
CITY_UNION = "Công đoàn Viên chức thành phố Hải Phòng"


def _people(count: int, offset: int = 0) -> list[Member]:
    """Active members of the union on the congress day, in a stable order that takes one
    from each sub-unit in turn, so the committee and the candidates come from all of them."""
    members = Member.objects.filter(branch__path__subtree=_union().path, status="active")
    by_unit: dict[int, list[Member]] = {}
    for person in members.order_by("card_number"):
        by_unit.setdefault(person.branch_id, []).append(person)
    queues = list(by_unit.values())
    mixed = [
        queue[i]
        for i in range(max(map(len, queues), default=0))
        for queue in queues
        if i < len(queue)
    ]
    return mixed[offset : offset + count]


def _union() -> Branch:
    return Branch.objects.get(code="hp-skhcn")


def _congress(term: Term, held_on: date, *, summoned: int, present: int, seats: int) -> Congress:
    congress = services.create_congress(
        term=term,
        held_on=held_on,
        kind=CongressKind.ALL_MEMBER,
        venue=VENUE,
        preparatory_on=None,
        summoned=summoned,
        present=present,
        committee_size=seats,
    )
    services.record_held(congress)
    return congress


def _committee(term: Term, congress: Congress, day: date, offset: int) -> None:
    """The executive the congress elected, recorded by hand, then its first meeting."""
    people = _people(congress.committee_size or 9, offset)
    elected = [
        committees.add_post(
            term=term,
            kind=PostKind.EXECUTIVE,
            member=person,
            starts_on=day,
            obtained_by=ObtainedBy.CONGRESS,
            order=index,
        )
        for index, person in enumerate(people, start=1)
    ]
    first_meeting.record_first_meeting(
        term=term,
        held_on=day,
        convenor=people[0].full_name,
        chair=elected[0],
        vice_chairs=[elected[1]],
        inspection_head=elected[2],
        inspection_others=_people(2, offset + len(people)),
    )


# 2017: 176 present of 185 summoned, 176 ballots issued and collected, 2 invalid. The votes of
# the 11 candidates in the register's order (by card number); 2 × 89 > 176 passes, 88 fails.
ELECTION_2017 = {"issued": 176, "collected": 176, "valid": 174, "invalid": 2}
VOTES_2017 = [171, 168, 165, 160, 152, 141, 127, 113, 98, 95, 88]


def _elected_committee(term: Term, congress: Congress, day: date) -> None:
    """The executive elected from 11 candidates, then the chair elected by the executive at its
    first meeting; both certified, so they become the term's posts. The rest of the first
    meeting (its convenor, the vice-chair and the inspection committee, two of whose members
    come from outside the executive) is recorded as one step."""
    people = _people(len(VOTES_2017))
    executive = elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE)
    for person in people:
        elections.add_candidate(election=executive, member=person)
    votes = {
        candidate.pk: VOTES_2017[people.index(candidate.member)]
        for candidate in executive.candidates.select_related("member")
    }
    rounds.enter_round(election=executive, votes=votes, **ELECTION_2017)
    certification.certify(election=executive, certified_on=day)  # as of 2017, not today

    chair = elections.create_election(congress=congress, kind=ElectionKind.CHAIR, present=9)
    candidate = elections.add_candidate(election=chair, member=people[0])
    rounds.enter_round(
        election=chair, issued=9, collected=9, valid=9, invalid=0, votes={candidate.pk: 9}
    )
    certification.certify(election=chair, certified_on=day)
    elected = {post.member_id: post for post in term.posts.filter(election=executive)}
    first_meeting.record_first_meeting(
        term=term,
        held_on=day,
        convenor=people[0].full_name,
        minutes_by=people[3].full_name,
        vice_chairs=[elected[people[1].pk]],
        inspection_head=elected[people[2].pk],
        inspection_others=_people(2, len(VOTES_2017)),
    )


def _bodies(congress: Congress, offset: int) -> None:
    people = _people(8, offset)
    for person, body, role in [
        (people[0], Body.PRESIDIUM, "Chủ trì"),
        (people[1], Body.PRESIDIUM, ""),
        (people[2], Body.PRESIDIUM, ""),
        (people[3], Body.SECRETARIAT, "Trưởng đoàn"),
        (people[4], Body.SECRETARIAT, ""),
        (people[5], Body.COUNTING_BOARD, "Trưởng ban"),
        (people[6], Body.COUNTING_BOARD, ""),
        (people[7], Body.COUNTING_BOARD, ""),
    ]:
        parts.add_body_member(congress=congress, body=body, member=person, name="", role=role)


def _delegates(congress: Congress, offset: int) -> None:
    people = _people(4, offset)
    for person in people[:3]:
        committees.add_delegate(congress=congress, kind=DelegateKind.FULL, member=person)
    committees.add_delegate(congress=congress, kind=DelegateKind.ALTERNATE, member=people[3])


@transaction.atomic
def load() -> list[str]:
    """Add the demo terms and congresses of hp-skhcn if they are missing."""
    union = Branch.objects.filter(code="hp-skhcn").first()
    if union is None or Term.objects.filter(branch=union).exists():
        return ["the demo terms exist already (or hp-skhcn is missing); nothing to add"]
    terms = [
        services.create_term(
            branch=union, label=label, starts_on=start, ends_on=end, ordinal=ordinal
        )
        for label, start, end, ordinal in TERMS
    ]
    old = _congress(terms[0], date(2012, 12, 21), summoned=171, present=158, seats=7)
    _committee(terms[0], old, date(2012, 12, 21), offset=20)

    seed = _congress(terms[1], date(2017, 12, 23), summoned=185, present=176, seats=9)
    guests = [
        ("Chủ tịch Công đoàn Viên chức thành phố", "Chủ tịch", CITY_UNION),
        ("Đại diện Ban Giám đốc Sở", "Giám đốc Sở", "Sở Khoa học và Công nghệ Hải Phòng"),
        ("Đại diện Ban Giám đốc Sở", "Phó Giám đốc Sở", "Sở Khoa học và Công nghệ Hải Phòng"),
    ]
    for name, title, organisation in guests:
        parts.add_guest(congress=seed, name=name, title=title, organisation=organisation)
    _bodies(seed, offset=13)  # the counting board stands for nothing
    _elected_committee(terms[1], seed, date(2017, 12, 23))
    _delegates(seed, offset=13)

    latest = _congress(terms[2], date(2022, 11, 25), summoned=190, present=181, seats=9)
    parts.add_guest(
        congress=latest,
        name="Phó Chủ tịch Công đoàn Viên chức thành phố",
        title="Phó Chủ tịch",
        organisation=CITY_UNION,
    )
    _bodies(latest, offset=30)
    _committee(terms[2], latest, date(2022, 11, 25), offset=4)

    for congress, (decision, day) in [
        (old, ("18/QĐ-CĐVC", date(2013, 1, 15))),
        (seed, ("25/QĐ-CĐVC", date(2018, 1, 12))),
        (latest, ("41/QĐ-CĐVC", date(2022, 12, 9))),
    ]:
        services.submit_for_recognition(congress)
        services.recognise(congress, decision=decision, decided_on=day)
    return ["added the terms 2012–2017, 2017–2022 and 2022–2027 of hp-skhcn with their congresses"]


def remove() -> None:
    """Delete every term, congress, election, post and delegate of the demo tree (for
    load_demo --reset)."""
    from congresses.elections.models import Candidate, Election, Round, RoundVote
    from congresses.models import Delegate, FirstMeeting, Post
    from congresses.resolutions import demo as demo_resolutions

    demo_resolutions.remove()
    root = Branch.objects.filter(code="vgcl").first()
    if root is None:
        return
    terms = Term.objects.filter(branch__path__subtree=root.path)
    Delegate.objects.filter(congress__term__in=terms).delete()
    FirstMeeting.objects.filter(term__in=terms).delete()
    Post.objects.filter(term__in=terms).delete()
    held = Election.objects.filter(congress__term__in=terms)
    RoundVote.objects.filter(round__election__in=held).delete()
    Round.objects.filter(election__in=held).delete()
    Candidate.objects.filter(election__in=held).delete()
    held.delete()
    Congress.objects.filter(term__in=terms).delete()
    terms.delete()
