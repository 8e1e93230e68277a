"""Pure rules of terms, congresses and committees (domain-rules §2, §3.5, §4).

Values in, values out; only the standard library. Sources are cited beside each rule:
ĐL2018 = the Vietnam Trade Union Charter of 2018 (khóa XII); 03 = Guidance 03/HD-TLĐ (2020).
"""

from __future__ import annotations

import re
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
