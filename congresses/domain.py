"""Pure rules of terms, congresses and committees (domain-rules §2, §3.5, §4).

Values in, values out; only the standard library. Sources are cited beside each rule:
ĐL2018 = the Vietnam Trade Union Charter of 2018 (khóa XII); 03 = Guidance 03/HD-TLĐ (2020).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# --- Terms --------------------------------------------------------------------------------

DEFAULT_TERM_YEARS = 5  # ĐL2018 Art. 8.2: a congress every five years at every level
MAX_EXTENSION_MONTHS = 30  # ĐL2018 Art. 8.2: the level above may shift a term by up to 30 months

_LABEL = re.compile(r"^\s*(\d{4})\s*[-‐‑‒–—−]\s*(\d{4})\s*$")


def normalize_term_label(label: str) -> str:
    """The canonical label of a term: "2017-2022", "2017 – 2022" and "2017–2022" all name
    the same term and are stored as "2017–2022" (with an en dash). Other labels are kept as
    typed, with spaces collapsed."""
    match = _LABEL.match(label)
    if match:
        return f"{match.group(1)}–{match.group(2)}"
    return " ".join(label.split())


def label_for(starts_on: date, ends_on: date) -> str:
    return f"{starts_on.year}–{ends_on.year}"


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's last day (31/08 + 6 -> 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError("unreachable")


def default_term_end(starts_on: date, years: int = DEFAULT_TERM_YEARS) -> date:
    return add_months(starts_on, 12 * years)


def extension_allowed(ends_on: date, extended_until: date) -> bool:
    """An extension moves the end later by at most 30 months (ĐL2018 Art. 8.2)."""
    return ends_on < extended_until <= add_months(ends_on, MAX_EXTENSION_MONTHS)


def periods_overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    """Half-open periods [start, end) overlap; a term may start on the day the previous ends."""
    return a[0] < b[1] and b[0] < a[1]


# --- Congresses -------------------------------------------------------------------------------


class CongressKind(StrEnum):
    ALL_MEMBER = "all_member"
    DELEGATE = "delegate"
    EXTRAORDINARY = "extraordinary"


DELEGATE_CONGRESS_MIN_MEMBERS = 150  # Guidance 238/HD-TLĐ: below 150 members, all-member


@dataclass(frozen=True)
class Quorum:
    summoned: int
    present: int

    @property
    def required(self) -> int:
        """The fewest present that make at least 2/3 of those summoned (ĐL2018 Art. 10.1)."""
        return -(-2 * self.summoned // 3)

    @property
    def met(self) -> bool:
        return self.summoned > 0 and 3 * self.present >= 2 * self.summoned


def quorum(summoned: int, present: int) -> Quorum:
    if summoned < 0 or present < 0:
        raise ValueError("counts cannot be negative")
    if present > summoned:
        raise ValueError("more present than summoned")
    return Quorum(summoned, present)


@dataclass(frozen=True)
class RuleWarning:
    """Something a secretary should see, with the rule it comes from."""

    code: str
    rule: str


def congress_kind_warnings(
    kind: str,
    *,
    members: int,
    higher_consent: bool,
    extraordinary_reason: str = "",
) -> list[RuleWarning]:
    """When a kind of congress is allowed (domain-rules §2; Guidance 238/HD-TLĐ):
    an all-member congress is the rule below 150 members; a delegate congress from 150 (below,
    only with dispersed work and the higher union's consent); an extraordinary congress needs
    the higher union's consent and a ground for it."""
    warnings: list[RuleWarning] = []
    below = members < DELEGATE_CONGRESS_MIN_MEMBERS
    if kind == CongressKind.DELEGATE and below and not higher_consent:
        warnings.append(RuleWarning("delegate_below_150", "HD 238/HD-TLĐ"))
    if kind == CongressKind.EXTRAORDINARY:
        if not higher_consent:
            warnings.append(RuleWarning("extraordinary_without_consent", "HD 238/HD-TLĐ"))
        if not extraordinary_reason.strip():
            warnings.append(RuleWarning("extraordinary_without_reason", "HD 238/HD-TLĐ"))
    return warnings


# --- Committees --------------------------------------------------------------------------------


def gettext_noop(text: str) -> str:
    """Marks a rule's text for `makemessages` (which looks for this name) without importing
    Django; congresses.services translates the text when it shows the warning."""
    return text


@dataclass(frozen=True)
class SizeBounds:
    low: int
    high: int | None
    rule: str


def committee_size_bounds(kind: str, members: int) -> SizeBounds | None:
    """Bounds of the executive committee's size by the branch's kind (Guidance 03/HD-TLĐ
    §9.1, domain-rules §4). None where no rule is known (the confederation, union groups)."""
    if kind == "grassroots":
        if members < 10:
            return SizeBounds(
                1, 1, gettext_noop("HD 03/HD-TLĐ §9.1: below 10 members, a chair only")
            )
        high = 19 if members >= 3000 else 15
        return SizeBounds(
            3, high, gettext_noop("HD 03/HD-TLĐ §9.1: 3–15 members (up to 19 from 3,000)")
        )
    if kind == "sub_union":
        return SizeBounds(
            3, 7, gettext_noop("HD 03/HD-TLĐ §9.1: a sub-union's committee has 3–7 members")
        )
    if kind == "upper_union":
        return SizeBounds(1, 27, gettext_noop("HD 03/HD-TLĐ §9.1: at most 27 above the grassroots"))
    if kind == "federation":
        high = 49 if members >= 100_000 else 35
        return SizeBounds(
            1, high, gettext_noop("HD 03/HD-TLĐ §9.1: at most 35 (49 from 100,000 members)")
        )
    return None


def chair_only(kind: str, members: int) -> bool:
    """Whether the branch elects a chair and no committee (HD 03/HD-TLĐ §9.1, domain-rules §4:
    a grassroots union of fewer than 10 members): its first meeting then elects nothing but
    the chair. Read from committee_size_bounds, the one home of the sizes."""
    bounds = committee_size_bounds(kind, members)
    return bounds is not None and bounds.high == 1


def committee_size_warning(kind: str, members: int, size: int) -> RuleWarning | None:
    bounds = committee_size_bounds(kind, members)
    if bounds is None:
        return None
    if size < bounds.low or (bounds.high is not None and size > bounds.high):
        return RuleWarning("committee_size", bounds.rule)
    return None


# ĐL2018 Art. 11.4 (domain-rules §3.5): within a term, by-elections may fill at most 2/3 of the
# seats set by the congress at a grassroots union and the units inside it, 1/2 above; beyond
# that the higher union must consent.
BY_ELECTION_SHARE = {
    "grassroots": (2, 3),
    "sub_union": (2, 3),
    "group": (2, 3),
    "upper_union": (1, 2),
    "federation": (1, 2),
    "confederation": (1, 2),
}


def by_election_cap(seats: int, kind: str, share: tuple[int, int] | None = None) -> int:
    """The most seats that by-elections may fill in one term without the higher union's
    consent: floor(seats × share)."""
    numerator, denominator = share or BY_ELECTION_SHARE.get(kind, (1, 2))
    return seats * numerator // denominator


class PostKind(StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    STANDING = "standing"
    EXECUTIVE = "executive"
    INSPECTION_HEAD = "inspection_head"
    INSPECTION_MEMBER = "inspection_member"


def held_on(starts_on: date, ends_on: date | None, day: date) -> bool:
    """Whether a mandate [starts_on, ends_on) is held on `day`."""
    return starts_on <= day and (ends_on is None or day < ends_on)


# --- Who holds the posts of a term on a day (domain-rules §4) ------------------------------------

# One holder on any day: a term has one chair and one head of the inspection committee
# (domain-rules §4: the executive elects one chair, and the inspection committee's head).
SINGLE_HOLDER = frozenset({PostKind.CHAIR, PostKind.INSPECTION_HEAD})

# Posts the executive committee fills from its own members (domain-rules §4: its first meeting
# elects the chair, the vice-chairs and the standing committee; HD 28/HD-TLĐ (2021): a
# grassroots congress may elect the chair directly, from the executive it has just elected).
FROM_THE_EXECUTIVE = frozenset({PostKind.CHAIR, PostKind.VICE_CHAIR, PostKind.STANDING})


def holder_key(member_id: int | None, person_name: str) -> str:
    """Who holds a post, as the rules compare people: the member, or, for someone who is not a
    member, the exact name (as stored: members.domain.clean_name)."""
    return f"member:{member_id}" if member_id is not None else f"name:{person_name}"


@dataclass(frozen=True)
class Mandate:
    """A post as the day rules see it. `key` is the post's id (0 for one not yet stored)."""

    key: int
    kind: str
    holder: str  # holder_key
    starts_on: date
    ends_on: date | None

    def held_on(self, day: date) -> bool:
        return held_on(self.starts_on, self.ends_on, day)


class PostBreach(StrEnum):
    TWO_HOLDERS = "two_holders"  # two chairs (or two heads of inspection) on one day
    OFF_EXECUTIVE = "off_executive"  # a chair, vice-chair or standing member off the executive


@dataclass(frozen=True)
class Breach:
    """A day on which the posts of a term break a rule: `mandate` is the post at fault (for
    two holders, the later of the two; `other` is the earlier)."""

    code: PostBreach
    mandate: Mandate
    day: date
    other: Mandate | None = None

    @property
    def identity(self) -> tuple[str, frozenset[int]]:
        """The same breach before and after a change (whatever its first day)."""
        keys = {self.mandate.key} | ({self.other.key} if self.other else set())
        return (self.code, frozenset(keys))


def elects_executive(seats: int | None, *, executive_election: bool) -> bool:
    """Whether a term's congress gives the branch an executive committee: it voted for more
    than one seat, or it records the election of an executive committee. A union of fewer than
    ten members elects only a chair (domain-rules §4; HD 03/HD-TLĐ §9.1: one seat)."""
    return (seats or 0) > 1 or executive_election


def has_executive_on(day: date, mandates: Sequence[Mandate], *, elects_executive: bool) -> bool:
    """Whether the branch has an executive committee on `day`: its congress elects one
    (`elects_executive`, from the function of that name), or someone holds an executive seat
    of the term that day. The one answer to that question: a union of fewer than ten members
    elects only a chair, who then sits on no committee."""
    return elects_executive or any(
        m.kind == PostKind.EXECUTIVE and m.held_on(day) for m in mandates
    )


def _rank(mandate: Mandate) -> tuple[date, int]:
    """Mandates in the order they were taken: by first day, then the one stored last (a key of
    0 is one not stored yet, so the last)."""
    return (mandate.starts_on, mandate.key or 1 << 62)


def _later(a: Mandate, b: Mandate) -> tuple[Mandate, Mandate]:
    """(later, earlier) of two mandates."""
    return (a, b) if _rank(a) > _rank(b) else (b, a)


def post_breaches(
    mandates: Sequence[Mandate], *, until: date, elects_executive: bool
) -> list[Breach]:
    """Every breach of the day rules of a term's posts, on days before `until` (the term's end):

    - two mandates of a single-holder kind held on one day (SINGLE_HOLDER);
    - a mandate of FROM_THE_EXECUTIVE on a day its holder holds no executive seat although
      the branch has an executive committee that day (has_executive_on); the first such day.

    Whether a day breaks a rule changes only where a mandate starts or ends, so those days are
    the only ones looked at."""
    breaches: list[Breach] = []
    ordered = sorted(mandates, key=_rank)
    for index, first in enumerate(ordered):
        if first.kind not in SINGLE_HOLDER:
            continue
        for second in ordered[index + 1 :]:
            if second.kind != first.kind:
                continue
            later, earlier = _later(first, second)
            ends = [m.ends_on for m in (first, second) if m.ends_on is not None]
            last = min([*ends, until])
            if later.starts_on < last:
                breaches.append(Breach(PostBreach.TWO_HOLDERS, later, later.starts_on, earlier))
    seats = [m for m in mandates if m.kind == PostKind.EXECUTIVE]
    edges = {day for seat in seats for day in (seat.starts_on, seat.ends_on) if day is not None}
    for mandate in ordered:
        if mandate.kind not in FROM_THE_EXECUTIVE:
            continue
        days = sorted({mandate.starts_on} | {d for d in edges if d > mandate.starts_on})
        for day in days:
            if day >= until or not mandate.held_on(day):
                break
            own = any(s.holder == mandate.holder and s.held_on(day) for s in seats)
            if not own and has_executive_on(day, seats, elects_executive=elects_executive):
                breaches.append(Breach(PostBreach.OFF_EXECUTIVE, mandate, day))
                break
    return breaches


def new_breaches(
    before: Sequence[Mandate], after: Sequence[Mandate], *, until: date, elects_executive: bool
) -> list[Breach]:
    """The breaches a change of the posts (`before` -> `after`) would bring: records stored
    before a rule applied stay as they are and do not block other changes (check_records
    lists them)."""
    known = {
        b.identity for b in post_breaches(before, until=until, elects_executive=elects_executive)
    }
    return [
        b
        for b in post_breaches(after, until=until, elects_executive=elects_executive)
        if b.identity not in known
    ]
