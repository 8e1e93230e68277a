"""The first meeting of a term's new executive committee, as one step (domain-rules §2, "After
the congress": a convenor the presidium named calls it; it elects the chair, the vice-chairs,
the standing committee if any and the inspection committee with its head; §4: the inspection
committee may take in people from outside the executive, and a union of fewer than ten
members elects a chair only).

- `record_first_meeting` is the write, all or nothing: the meeting's own facts (the
  `FirstMeeting` row) and each post through `congresses.committees.add_post` (obtained by the
  committee, from the meeting's day), whose refusals come back under this step's fields. It
  accepts the bodies congresses.meeting_plan says are open, and only those.
- `chair_only_findings` lists stored posts that break the chair-only rule (check_records)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from congresses import committees, domain
from congresses.findings import Finding
from congresses.meeting_plan import (
    FIRST_MEETING_POSTS,
    Blocked,
    BodyPlan,
    BodyState,
    Holder,
    MeetingPlan,
    blocked_text,
    meeting_plan,
)
from congresses.models import Congress, FirstMeeting, ObtainedBy, Post, PostKind, Term
from congresses.read_only import Conflict, check_open
from congresses.warnings import congress_members
from members import domain as members_domain
from members.models import Member
from members.statistics import today
from unionrec.access import require
from unionrec.days import day_text

User = AbstractBaseUser | AnonymousUser


# --- The step ------------------------------------------------------------------------------


def _names(posts: Sequence[Post]) -> str:
    return ", ".join(post.person_name for post in posts)


def _closed_text(plan: BodyPlan) -> str:
    """Why a body is not chosen at this step (the field's error when it is given anyway)."""
    if plan.state == BodyState.RECORDED:
        if not plan.posts:
            return _("Its certified election elected nobody; nothing is chosen here.")
        return _("Recorded already: %(names)s.") % {"names": _names(plan.posts)}
    if plan.state == BodyState.ELECTION:
        return _("An election of it is set up: its certified result records the posts.")
    return _(
        "A union of fewer than 10 members elects a chair only (HD 03/HD-TLĐ §9.1), "
        "no vice-chairs, standing or inspection committee."
    )


@dataclass(frozen=True)
class _Seat:
    """A post the meeting gives: under which field, of which kind, to whom (a member of the
    register, or a name)."""

    field: str
    kind: PostKind
    member: Member | None
    person_name: str

    @property
    def holder(self) -> Holder:
        """Who holds it (congresses.meeting_plan.post_holder): the member, else the name."""
        return ("member", self.member.pk) if self.member else ("name", self.person_name)

    @classmethod
    def of(cls, field: str, kind: PostKind, person: Post | Member | str) -> _Seat:
        if isinstance(person, Post):
            return cls(field, kind, person.member, person.person_name)
        if isinstance(person, Member):
            return cls(field, kind, person, person.full_name)
        return cls(field, kind, None, person)


@dataclass
class _Step:
    """The refusals and the seats of one recording."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    seats: list[_Seat] = field(default_factory=list)

    def refuse(self, name: str, text: str) -> None:
        listed = self.errors.setdefault(name, [])
        if text not in listed:
            listed.append(text)

    def chosen(self, name: str) -> set[Holder]:
        return {seat.holder for seat in self.seats if seat.field == name}


def _check_day(step: _Step, plan: MeetingPlan, congress: Congress, held_on: date) -> None:
    if held_on < congress.held_on:
        step.refuse(
            "held_on",
            _("The first meeting follows the congress: on %(day)s or later.")
            % {"day": day_text(congress.held_on)},
        )
    elif held_on > today():
        step.refuse("held_on", _("The day of the meeting cannot be in the future."))
    elif plan.days and held_on not in plan.days:
        step.refuse(
            "held_on",
            _("What the meeting elected is recorded on %(days)s: the meeting is that day.")
            % {"days": ", ".join(day_text(day) for day in plan.days)},
        )


def _check_name(step: _Step, name: str, text: str, *, required: str = "") -> str:
    cleaned = members_domain.clean_name(text) if text.strip() else ""
    if required and not cleaned:
        step.refuse(name, required)
    elif len(cleaned) > 150:
        step.refuse(name, _("A name has at most 150 characters."))
    return cleaned


def _check_chosen(step: _Step, plan: MeetingPlan, name: str, chosen: Sequence[Post]) -> list[Post]:
    """`chosen` must be of the elected executive; each once."""
    elected = {post.pk for post in plan.executive}
    if any(post.pk not in elected for post in chosen):
        step.refuse(name, _("Choose from the executive committee the congress elected."))
        return []
    return list({post.pk: post for post in chosen}.values())


def _check_attendance(step: _Step, plan: MeetingPlan, absent: Sequence[Post]) -> None:
    absent = _check_chosen(step, plan, "absent", absent)
    summoned = len(plan.executive)
    quorum = domain.quorum(summoned, summoned - len(absent))
    if not quorum.met:  # ĐL2018 Art. 10.1: a meeting needs two thirds of those summoned
        step.refuse(
            "absent",
            _(
                "%(present)s of the %(summoned)s elected are present; the meeting needs at "
                "least %(required)s (Charter 2018, Art. 10.1: two thirds)."
            )
            % {"present": quorum.present, "summoned": summoned, "required": quorum.required},
        )


# The keyword of the people from outside the executive, by body (the inspection committee
# only, domain-rules §4).
OUTSIDE_FIELDS = {
    "inspection_head": "inspection_head_name",
    "inspection_members": "inspection_others",
}


def _check_body(
    step: _Step,
    plan: MeetingPlan,
    body: BodyPlan,
    posts: Sequence[Post],
    outside: Sequence[Member | str] | None,
) -> None:
    """The people given for one body: of the elected executive (and, where the body takes
    them, from outside it); none unless the body is open; one for the chair and the head."""
    posts = _check_chosen(step, plan, body.field, posts)
    outsiders: list[Member | str] = []
    for person in outside or ():
        if isinstance(person, Member):
            outsiders.append(person)
        elif name := _check_name(step, OUTSIDE_FIELDS[body.field], person):
            outsiders.append(name)
    if not body.is_open:
        if posts or outsiders:
            step.refuse(body.field, _closed_text(body))
        return
    if not body.body.many and len(posts) + len(outsiders) > 1:
        step.refuse(body.field, _("Choose one person."))
    step.seats += [_Seat.of(body.field, body.body.post, person) for person in [*posts, *outsiders]]


@transaction.atomic
def record_first_meeting(
    *,
    term: Term,
    held_on: date,
    convenor: str,
    minutes_by: str = "",
    absent: Sequence[Post] = (),
    chair: Post | None = None,
    vice_chairs: Sequence[Post] = (),
    standing: Sequence[Post] = (),
    inspection_head: Post | None = None,
    inspection_head_name: str = "",
    inspection_members: Sequence[Post] = (),
    inspection_others: Sequence[Member | str] = (),
    by: User | None = None,
) -> FirstMeeting:
    """Record the first meeting of `term`'s executive committee and what it elected, all or
    nothing: the chair (required while open), vice-chairs, standing committee and the
    inspection committee with its head, each chosen from the elected executive (the
    inspection committee may also take people from outside it: members of the register, or
    names). Only the bodies `meeting_plan` says are open may be given. Every post goes
    through `committees.add_post` (obtained by the committee, from `held_on`); its refusals
    are raised under this step's keywords ("starts_on" as "held_on"), with every other
    refusal of the step, and nothing is written. Conflict when the step is not open (no
    elected executive, recorded already, the congress recognised)."""
    require(by, term.branch)
    Term.objects.select_for_update().filter(pk=term.pk).first()  # one recording at a time
    plan = meeting_plan(term)
    if plan.congress is None or plan.blocked is not None:
        raise Conflict(plan.blocked_text or blocked_text(Blocked.NO_CONGRESS))
    check_open(plan.congress)
    if plan.meeting is not None:
        raise Conflict(_("The first meeting of this executive committee is recorded already."))

    step = _Step()
    _check_day(step, plan, plan.congress, held_on)
    convenor = _check_name(step, "convenor", convenor, required=_("Name the convenor."))
    minutes_by = _check_name(step, "minutes_by", minutes_by)
    _check_attendance(step, plan, absent)
    given: dict[str, Sequence[Post]] = {
        "chair": [chair] if chair else [],
        "vice_chairs": vice_chairs,
        "standing": standing,
        "inspection_head": [inspection_head] if inspection_head else [],
        "inspection_members": inspection_members,
    }
    outside: dict[str, Sequence[Member | str]] = {
        "inspection_head": [inspection_head_name],
        "inspection_members": inspection_others,
    }
    for body_plan in plan.bodies:
        _check_body(step, plan, body_plan, given[body_plan.field], outside.get(body_plan.field))
    _check_combinations(step, plan)
    if step.errors:
        raise ValidationError(step.errors)

    meeting = FirstMeeting.objects.create(
        term=term, held_on=held_on, convenor=convenor, minutes_by=minutes_by
    )
    meeting.absent.set({post.pk for post in absent})
    for seat in step.seats:
        _add_post(step, seat, term=term, day=held_on, by=by)
    if step.errors:
        raise ValidationError(step.errors)  # the transaction is rolled back: nothing stays
    return meeting


def _check_combinations(step: _Step, plan: MeetingPlan) -> None:
    """The chair is chosen while open (the first meeting elects one, domain-rules §2) and is
    not also a vice-chair; an inspection committee has its head, who is not listed again
    among its members. The chair and the head are those chosen here or recorded already."""
    if plan.body("chair").is_open and not step.chosen("chair"):
        step.refuse("chair", _("Choose the chair."))
    if (step.chosen("chair") | plan.holders("chair")) & step.chosen("vice_chairs"):
        step.refuse("vice_chairs", _("The chair is not also a vice-chair."))
    head = step.chosen("inspection_head") | plan.holders("inspection_head")
    if head & step.chosen("inspection_members"):
        step.refuse(
            "inspection_members",
            _("The head is counted in the inspection committee already: do not list them again."),
        )
    head_open = plan.body("inspection_head").is_open
    if step.chosen("inspection_members") and head_open and not step.chosen("inspection_head"):
        step.refuse("inspection_head", _("Choose the head of the inspection committee."))


def _add_post(step: _Step, seat: _Seat, *, term: Term, day: date, by: User | None) -> None:
    """One post through committees.add_post; a refusal is kept under the seat's field (a
    state refusal, Conflict, stops the step at once)."""
    try:
        committees.add_post(
            term=term,
            kind=seat.kind,
            starts_on=day,
            obtained_by=ObtainedBy.COMMITTEE,
            member=seat.member,
            person_name=seat.person_name,
            by=by,
        )
    except Conflict:
        raise
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for key, texts in error.message_dict.items():
                for text in texts:
                    step.refuse("held_on" if key == "starts_on" else seat.field, text)
        else:
            for text in error.messages:
                step.refuse(seat.field, text)


# --- Stored records that break the chair-only rule (congresses.record_checks) --------------


def chair_only_findings(terms: QuerySet[Term]) -> Iterator[Finding]:
    """Posts other than the chair given at the congress or the first meeting of a union that
    elects a chair only (fewer than 10 members on the congress day, HD 03/HD-TLĐ §9.1)."""
    posts = (
        Post.objects.filter(
            term__in=terms,
            term__congress__isnull=False,
            kind__in=[post for post in FIRST_MEETING_POSTS if post != PostKind.CHAIR],
            obtained_by__in=[ObtainedBy.CONGRESS, ObtainedBy.COMMITTEE],
        )
        .select_related("term__branch", "term__congress")
        .order_by("term_id", "order", "id")
    )
    chair_only: dict[int, bool] = {}
    for post in posts:
        term = post.term
        if term.pk not in chair_only:
            members = congress_members(term.congress)
            chair_only[term.pk] = domain.chair_only(term.branch.kind, members)
        if chair_only[term.pk]:
            yield Finding(
                term=term,
                record=_("%(post)s: %(name)s, from %(day)s")
                % {
                    "post": post.get_kind_display(),
                    "name": post.person_name,
                    "day": day_text(post.starts_on),
                },
                problem=_(
                    "A union of fewer than 10 members elects a chair only (HD 03/HD-TLĐ §9.1)."
                ),
                fix=_(
                    "End the post on the term page, or correct the congress's member figures "
                    "if they are wrong."
                ),
                url=reverse("congresses:term", args=[term.pk]) + "#committee",
            )
