"""The congress dossier of a term: the term summary (reports.datasets.summary) with the rest
of the congress's record, namely who ran the congress and checked its credentials, whom it
sent on, the counting minutes of every election it held (reports.datasets.minutes), the
minutes of the new executive committee's first meeting (reports.datasets.first_meeting) and
the resolution's own record (adopted on, preamble, campaigns) beside its directions and targets.

Language-neutral data, as every dataset: reports.formats.dossier lays it out as one PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from congresses.elections.models import Election
from congresses.models import Body, DelegateKind, Term
from congresses.resolutions.models import Resolution

from .first_meeting import FirstMeetingMinutes, first_meeting_minutes
from .minutes import CountingMinutes, counting_minutes
from .summary import TermSummary, term_summary


@dataclass(frozen=True)
class Seat:
    """A seat of one of the congress's bodies (presidium, secretariat, credentials)."""

    name: str
    role: str  # the user's own words, e.g. "Trưởng ban"; may be empty


@dataclass(frozen=True)
class DelegateLine:
    kind: str
    order: int
    name: str

    @property
    def kind_label(self) -> str:
        return str(DelegateKind(self.kind).label)


@dataclass(frozen=True)
class CongressSeats:
    """Who ran the congress and checked its credentials, and whom it sent on."""

    presidium: tuple[Seat, ...]
    secretariat: tuple[Seat, ...]
    credentials: tuple[Seat, ...]
    delegates: tuple[DelegateLine, ...]  # full delegates first, each kind in its order


def congress_seats(term: Term) -> CongressSeats:
    """The seats of the term's congress (empty when it has none): two queries."""
    congress = getattr(term, "congress", None)
    if congress is None:
        return CongressSeats((), (), (), ())
    seats = list(congress.body_members.order_by("order", "id"))

    def body(code: str) -> tuple[Seat, ...]:
        return tuple(Seat(s.name, s.role) for s in seats if s.body == code)

    delegates = sorted(
        congress.delegates.all(), key=lambda d: (d.kind != DelegateKind.FULL, d.order, d.pk)
    )
    return CongressSeats(
        presidium=body(Body.PRESIDIUM),
        secretariat=body(Body.SECRETARIAT),
        credentials=body(Body.CREDENTIALS),
        delegates=tuple(DelegateLine(d.kind, d.order, d.person_name) for d in delegates),
    )


@dataclass(frozen=True)
class CampaignLine:
    name: str
    starts_on: date | None
    ends_on: date | None
    description: str


@dataclass(frozen=True)
class ResolutionFacts:
    """The resolution's own record beside its directions and targets."""

    adopted_on: date
    preamble: str
    campaigns: tuple[CampaignLine, ...]


def resolution_facts(term: Term) -> ResolutionFacts | None:
    """The record of the resolution of the term's congress (None when there is none)."""
    resolution = Resolution.objects.filter(congress__term=term).first()
    if resolution is None:
        return None
    campaigns = tuple(
        CampaignLine(c.name, c.starts_on, c.ends_on, c.description)
        for c in resolution.campaigns.all()
    )
    return ResolutionFacts(resolution.adopted_on, resolution.preamble, campaigns)


def election_minutes(term: Term) -> tuple[CountingMinutes, ...]:
    """The counting minutes of every election of the term's congress, in the order held."""
    elections = Election.objects.filter(congress__term=term).select_related(
        "congress__term__branch"
    )
    return tuple(counting_minutes(election) for election in elections.order_by("held_on", "id"))


@dataclass(frozen=True)
class Dossier:
    summary: TermSummary
    seats: CongressSeats
    minutes: tuple[CountingMinutes, ...]
    first_meeting: FirstMeetingMinutes | None  # None until the meeting is recorded
    resolution: ResolutionFacts | None


def dossier(term: Term, *, as_of: date | None = None) -> Dossier:
    """The dossier of `term`'s congress; the summary as of `as_of` (today by default). The
    caller has checked that the user may read the term's branch."""
    return Dossier(
        summary=term_summary(term, as_of=as_of),
        seats=congress_seats(term),
        minutes=election_minutes(term),
        first_meeting=first_meeting_minutes(term),
        resolution=resolution_facts(term),
    )
