"""The minutes of the first meeting of a term's new executive committee (biên bản hội nghị Ban
Chấp hành lần thứ nhất, domain-rules §5), one of the documents of the file the higher union
recognises (§2): the branch and the term, the meeting's day and convenor, the executive
committee the congress elected with who attended, and what the meeting elected.

Read from congresses.meeting_plan, the one read model the first-meeting page shows, so the
page and the minutes cannot disagree. Language-neutral, as every dataset: codes, dates and
the users' own text; labels translate when a format reads them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from congresses.meeting_plan import BodyState, body_label, meeting_plan
from congresses.models import ObtainedBy, Term

from .minutes import congress_title


@dataclass(frozen=True)
class Attendee:
    """A member of the executive committee the congress elected."""

    name: str
    present: bool


@dataclass(frozen=True)
class Elected:
    """A person the meeting elected (or, for a chair the congress elected directly under
    Guidance 28/HD-TLĐ, whom the congress elected: `by_congress`)."""

    name: str
    by_congress: bool = False


@dataclass(frozen=True)
class BodyResult:
    """One body (congresses.meeting_plan.BODIES) with those elected to it."""

    field: str
    elected: tuple[Elected, ...]

    @property
    def label(self) -> str:
        return body_label(self.field)


@dataclass(frozen=True)
class FirstMeetingMinutes:
    term_id: int
    branch_name: str
    parent_name: str  # the higher union, printed above the branch; "" at the root
    term_label: str
    congress_ordinal: int | None
    congress_day: date
    held_on: date
    convenor: str
    minutes_by: str  # the secretary of the meeting; may be empty
    executive: tuple[Attendee, ...]
    results: tuple[BodyResult, ...]  # the bodies elected, in the committee's order

    @property
    def summoned(self) -> int:
        return len(self.executive)

    @property
    def present(self) -> int:
        return sum(1 for person in self.executive if person.present)

    @property
    def congress_text(self) -> str:
        return congress_title(self.branch_name, self.term_label, self.congress_ordinal)


def first_meeting_minutes(term: Term) -> FirstMeetingMinutes | None:
    """The minutes of `term`'s first executive meeting; None until it is recorded
    (congresses.first_meeting). The caller has checked that the user may read the term's
    branch."""
    plan = meeting_plan(term)
    meeting = plan.meeting
    if meeting is None or plan.congress is None:
        return None
    absent = {post.pk for post in meeting.absent.all()}
    branch = term.branch
    parent = branch.parent
    results = tuple(
        BodyResult(
            field=body.field,
            elected=tuple(
                Elected(post.person_name, by_congress=post.obtained_by == ObtainedBy.CONGRESS)
                for post in body.posts
            ),
        )
        for body in plan.bodies
        if body.state == BodyState.RECORDED and body.posts
    )
    return FirstMeetingMinutes(
        term_id=term.pk,
        branch_name=branch.name,
        parent_name=parent.name if parent else "",
        term_label=term.label,
        congress_ordinal=term.ordinal,
        congress_day=plan.congress.held_on,
        held_on=meeting.held_on,
        convenor=meeting.convenor,
        minutes_by=meeting.minutes_by,
        executive=tuple(Attendee(p.person_name, p.pk not in absent) for p in plan.executive),
        results=results,
    )
