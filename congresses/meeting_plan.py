"""The first meeting of a term's new executive committee as the page, the service and the
minutes read it (domain-rules §2, "After the congress": it elects the chair, the
vice-chairs, the standing committee if any and the inspection committee with its head).

`meeting_plan(term)` says which executive committee the congress elected (the posts of the
certified executive election when there is one), and for each body the meeting elects whether
it is still to be chosen, recorded already (posts, by hand or by a certified election of the
committee), waiting for an election of it to be certified, or not elected at this union (a
union of fewer than ten members elects a chair only, domain-rules §4). The page offers what
the plan says is open; congresses.first_meeting.record_first_meeting accepts exactly that."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext as _

from congresses import domain
from congresses.elections.models import Election, ElectionKind, Elector
from congresses.models import (
    Congress,
    CongressStatus,
    FirstMeeting,
    ObtainedBy,
    Post,
    PostKind,
    Term,
)
from congresses.read_only import why_read_only
from congresses.warnings import congress_members


@dataclass(frozen=True)
class ElectedBody:
    """A body the first meeting elects: the form's field, its posts and its election."""

    field: str
    post: PostKind
    election: ElectionKind
    many: bool


# In the order the minutes list them (the committee's order, congresses.models.POST_RANK).
BODIES = (
    ElectedBody("chair", PostKind.CHAIR, ElectionKind.CHAIR, many=False),
    ElectedBody("vice_chairs", PostKind.VICE_CHAIR, ElectionKind.VICE_CHAIR, many=True),
    ElectedBody("standing", PostKind.STANDING, ElectionKind.STANDING, many=True),
    ElectedBody(
        "inspection_head", PostKind.INSPECTION_HEAD, ElectionKind.INSPECTION_HEAD, many=False
    ),
    ElectedBody(
        "inspection_members", PostKind.INSPECTION_MEMBER, ElectionKind.INSPECTION, many=True
    ),
)
FIRST_MEETING_POSTS = tuple(body.post for body in BODIES)


Holder = tuple[str, object]


def post_holder(post: Post) -> Holder:
    """Who holds a post, as certification tells holders apart: the member of the register,
    else the name."""
    return ("member", post.member_id) if post.member_id else ("name", post.person_name)


def body_label(field: str) -> str:
    """A body's name in the active language, as the page and the minutes show it."""
    return {
        "chair": _("Chair"),
        "vice_chairs": _("Vice-chairs"),
        "standing": _("Standing committee"),
        "inspection_head": _("Head of the inspection committee"),
        "inspection_members": _("Members of the inspection committee"),
    }[field]


class BodyState(StrEnum):
    OPEN = "open"  # the meeting chooses it now
    RECORDED = "recorded"  # its posts are recorded (by hand, or by a certified election)
    ELECTION = "election"  # an election of it is set up: its certified result makes the posts
    NOT_ELECTED = "not_elected"  # a union of fewer than 10 members elects a chair only


@dataclass(frozen=True)
class BodyPlan:
    body: ElectedBody
    state: BodyState
    posts: tuple[Post, ...] = ()  # recorded: obtained by the congress or the committee
    election: Election | None = None

    @property
    def field(self) -> str:
        return self.body.field

    @property
    def label(self) -> str:
        return body_label(self.body.field)

    @property
    def is_open(self) -> bool:
        return self.state == BodyState.OPEN


class Blocked(StrEnum):
    """Why the step cannot be taken yet (each with the page where it is done)."""

    NO_CONGRESS = "no_congress"
    NOT_HELD = "not_held"
    EXECUTIVE_NOT_CERTIFIED = "executive_not_certified"
    NO_EXECUTIVE = "no_executive"


@dataclass(frozen=True)
class MeetingPlan:
    """Where a term's first meeting stands; see the module's docstring."""

    term: Term
    congress: Congress | None
    meeting: FirstMeeting | None
    blocked: Blocked | None
    executive: tuple[Post, ...]  # elected by the congress, in the order of their election
    executive_election: Election | None
    bodies: tuple[BodyPlan, ...]
    days: tuple[date, ...]  # days the meeting's recorded results are dated: it is one of them
    chair_only: bool
    read_only: str | None = None

    @property
    def may_record(self) -> bool:
        """Whether the step is offered: not blocked, not recorded, the congress open."""
        return self.blocked is None and self.meeting is None and self.read_only is None

    @property
    def open_bodies(self) -> tuple[BodyPlan, ...]:
        return tuple(plan for plan in self.bodies if plan.is_open)

    def body(self, name: str) -> BodyPlan:
        return next(plan for plan in self.bodies if plan.field == name)

    def holders(self, name: str) -> set[Holder]:
        """Who holds the recorded posts of a body."""
        return {post_holder(post) for post in self.body(name).posts}

    @property
    def blocked_text(self) -> str:
        return blocked_text(self.blocked) if self.blocked else ""


def blocked_text(reason: Blocked) -> str:
    return {
        Blocked.NO_CONGRESS: _("No congress is recorded for this term."),
        Blocked.NOT_HELD: _("The congress is not recorded as held yet."),
        Blocked.EXECUTIVE_NOT_CERTIFIED: _(
            "The election of the executive committee is not certified yet."
        ),
        Blocked.NO_EXECUTIVE: _("The executive committee elected by the congress is not recorded."),
    }[reason]


def elected_executive(posts: Sequence[Post], election: Election | None) -> list[Post]:
    """The executive committee the congress elected: its posts from the certified executive
    election when there is one, else the executive posts recorded as obtained at the congress
    (none while that election is not certified)."""
    if election is not None and not election.is_certified:
        return []
    return [
        post
        for post in posts
        if post.kind == PostKind.EXECUTIVE
        and post.obtained_by == ObtainedBy.CONGRESS
        and (election is None or post.election_id == election.pk)
    ]


def _body_plan(
    body: ElectedBody, posts: Sequence[Post], elections: dict[str, Election], chair_only: bool
) -> BodyPlan:
    recorded = tuple(post for post in posts if post.kind == body.post)
    election = elections.get(body.election)
    if recorded or (election is not None and election.is_certified):
        return BodyPlan(body, BodyState.RECORDED, recorded, election)
    if election is not None:
        return BodyPlan(body, BodyState.ELECTION, (), election)
    if chair_only and body.post != PostKind.CHAIR:
        return BodyPlan(body, BodyState.NOT_ELECTED)
    return BodyPlan(body, BodyState.OPEN)


def meeting_plan(term: Term) -> MeetingPlan:
    """The first meeting of `term` as the page, the service and the minutes read it: four
    queries (the congress, the meeting, the elections, the posts of the congress and of the
    first meeting)."""
    congress = Congress.objects.filter(term=term).first()
    meeting = FirstMeeting.objects.filter(term=term).prefetch_related("absent").first()
    if congress is None:
        return MeetingPlan(term, None, meeting, Blocked.NO_CONGRESS, (), None, (), (), False)
    elections = {e.kind: e for e in Election.objects.filter(congress=congress)}
    posts = list(
        term.posts.filter(obtained_by__in=[ObtainedBy.CONGRESS, ObtainedBy.COMMITTEE])
        .select_related("member__branch")
        .order_by("order", "id")
    )
    executive_election = elections.get(ElectionKind.EXECUTIVE)
    executive = tuple(elected_executive(posts, executive_election))
    held = congress.status != CongressStatus.PLANNED
    chair_only = held and domain.chair_only(term.branch.kind, congress_members(congress))
    bodies = tuple(_body_plan(body, posts, elections, chair_only) for body in BODIES)
    days = {post.starts_on for post in posts if post.obtained_by == ObtainedBy.COMMITTEE}
    days |= {e.held_on for e in elections.values() if e.elected_by == Elector.COMMITTEE}
    blocked = None
    if not held:
        blocked = Blocked.NOT_HELD
    elif executive_election is not None and not executive_election.is_certified:
        blocked = Blocked.EXECUTIVE_NOT_CERTIFIED
    elif not executive:
        blocked = Blocked.NO_EXECUTIVE
    return MeetingPlan(
        term=term,
        congress=congress,
        meeting=meeting,
        blocked=blocked,
        executive=executive,
        executive_election=executive_election,
        bodies=bodies,
        days=tuple(sorted(days)),
        chair_only=chair_only,
        read_only=why_read_only(congress),
    )
