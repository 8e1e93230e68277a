"""Women's representation through a congress: the share of women among the members (frozen
on the congress day), the delegates, the candidates and those elected, for each election and
per sub-unit, beside the resolution's targets that speak of women.

A person counts as a woman by the gender recorded for them: a candidate's own gender field, a
delegate's or a post holder's member record. People of unknown gender count in the totals and
not as women, as in every statistic of unionrec.

The headline's candidates and elected are people, each counted once however many elections
they stood in (congresses.elections.domain.person_key), with the first gender recorded on
their candidacies; each election's row counts its own candidacies. The sub-unit rows are the
members per sub-unit frozen on the congress day (congresses.breakdown) with the people of
the headline placed by their member record, and a row for the people placed in none, so that
every column adds up to the headline."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext

from congresses.breakdown import Breakdown, UnitRow, congress_breakdown
from congresses.elections.domain import person_key
from congresses.elections.models import ElectionKind
from congresses.elections.results import outcome
from congresses.models import Congress
from congresses.resolutions import goals
from congresses.resolutions.domain import Judging
from congresses.resolutions.models import Resolution
from members import domain
from members.models import Branch, Gender
from members.statistics import today

# Words of a target's title that say it is about women (folded: no diacritics, lower case).
WOMEN_WORDS = ({"nu"}, {"phu", "nu"}, {"women"}, {"woman"}, {"female"}, {"nu", "cong"})


@dataclass(frozen=True)
class Share:
    """`women` of `total` people, with their share (one decimal, half up)."""

    total: int
    women: int

    @property
    def share(self) -> Decimal | None:
        return domain.share(self.women, self.total)


@dataclass(frozen=True)
class ElectionShares:
    kind: str
    candidates: Share
    elected: Share

    @property
    def kind_label(self) -> str:
        return str(ElectionKind(self.kind).label)


@dataclass(frozen=True)
class SubUnitShares:
    """A row of the breakdown on the congress day (`unit`), or (None) the people placed in no
    row of it: outside the register, recorded elsewhere, or in a sub-unit founded since."""

    unit: UnitRow | None
    members: Share
    candidates: Share
    elected: Share

    @property
    def code(self) -> str:
        return self.unit.code if self.unit else ""

    @property
    def name(self) -> str:
        """The sub-unit's short name where it has one, as the narrow tables show it."""
        return (self.unit.short_name or self.unit.name) if self.unit else ""

    @property
    def label(self) -> str:
        if self.unit is None:
            return gettext("Others: outside the register or the sub-units of the congress day")
        return self.unit.short_label


@dataclass(frozen=True)
class WomenTarget:
    title: str
    kind: str
    target_value: Decimal
    unit: str
    actual: Decimal | None
    verdict: str  # blank: not yet judged (the term has not begun)
    judged_on: date | None  # the day it is judged on (goals.judging_day)


@dataclass(frozen=True)
class Representation:
    branch_code: str
    branch_name: str
    term_label: str
    held_on: date
    members: Share
    delegates: Share
    candidates: Share  # people, each once, who stood in any election of the congress
    elected: Share  # people, each once, elected in any election of the congress
    elections: tuple[ElectionShares, ...]
    sub_units: tuple[SubUnitShares, ...]
    targets: tuple[WomenTarget, ...]
    breakdown: Breakdown  # the members per sub-unit: frozen, or the register's of its day
    judging: Judging | None = None  # the day the targets are judged on, and why

    @property
    def sub_unit_members(self) -> Share:
        """The members the sub-unit rows add up to: the headline's, unless the breakdown
        was reconstructed and differs (its note says so)."""
        return Share(self.breakdown.sums.members, self.breakdown.sums.women)

    @property
    def judged_text(self) -> str:
        """The day the targets' verdicts are judged on and why, in the active language."""
        return goals.judged_text(self.judging)


@dataclass
class _Person:
    """One person of the congress's candidacies: the branch of their member record, their
    first recorded gender, whether any election elected them."""

    path: str | None
    gender: str
    elected: bool = False


def _woman(gender: str) -> int:
    return 1 if gender == Gender.FEMALE else 0


def _row_of(branch: Branch, rows: dict[str, int], path: str | None) -> int | None:
    """The index of the breakdown row that holds a member recorded at `path` (`rows` maps
    the rows' branch paths to their index, the branch's own path to its direct row)."""
    if not path or not domain.is_in_subtree(path, branch.path):
        return None
    child = path[: len(branch.path) + domain.PATH_STEP]
    return rows.get(child if len(path) > len(branch.path) else branch.path)


def _shares(people: list[_Person]) -> tuple[Share, Share]:
    """The candidates and those elected among `people`, with the women of each."""
    elected = [p for p in people if p.elected]
    return (
        Share(len(people), sum(_woman(p.gender) for p in people)),
        Share(len(elected), sum(_woman(p.gender) for p in elected)),
    )


def _sub_units(
    branch: Branch, breakdown: Breakdown, people: list[_Person]
) -> tuple[SubUnitShares, ...]:
    """The breakdown's rows with the people of each, then the people placed in none."""
    codes = [row.code for row in breakdown.rows if not row.direct]
    paths = dict(Branch.objects.filter(code__in=codes).values_list("code", "path"))
    index = {paths[row.code]: i for i, row in enumerate(breakdown.rows) if row.code in paths}
    for i, row in enumerate(breakdown.rows):
        if row.direct:
            index[branch.path] = i
    placed: dict[int | None, list[_Person]] = defaultdict(list)
    for person in people:
        placed[_row_of(branch, index, person.path)].append(person)
    units = [
        SubUnitShares(row, Share(row.members, row.women), *_shares(placed[i]))
        for i, row in enumerate(breakdown.rows)
    ]
    if placed[None]:
        units.append(SubUnitShares(None, Share(0, 0), *_shares(placed[None])))
    return tuple(units)


def mentions_women(title: str) -> bool:
    words = set(domain.fold(title).replace("-", " ").split())
    return any(group <= words for group in WOMEN_WORDS)


def representation(congress: Congress, *, as_of: date | None = None) -> Representation:
    """The representation of women through `congress`, its targets judged as every page
    judges them when asked on `as_of` (today by default; goals.judging_day: a finished term
    as of its end-of-term review or its end)."""
    congress = Congress.objects.select_related("term__branch").get(pk=congress.pk)
    branch = congress.term.branch
    day = congress.held_on
    breakdown = congress_breakdown(congress)
    delegates = [
        (d.member.gender if d.member else Gender.UNKNOWN)
        for d in congress.delegates.select_related("member")
    ]
    people: dict[tuple[str, str], _Person] = {}
    elections = []
    for election in congress.elections.order_by("held_on", "id"):
        result = outcome(election)
        elected_ids = {line.candidate.pk for line in result.elected}
        seen = [0, 0, 0, 0]  # candidates, women candidates, elected, women elected
        for candidate in result.candidates:
            woman = _woman(candidate.gender)
            seen[0] += 1
            seen[1] += woman
            key = person_key(candidate.member_id, candidate.person_name)
            path = candidate.member.branch.path if candidate.member else None
            person = people.setdefault(key, _Person(path, candidate.gender))
            if person.gender == Gender.UNKNOWN:
                person.gender = candidate.gender
            if candidate.pk in elected_ids:
                seen[2] += 1
                seen[3] += woman
                person.elected = True
        elections.append(
            ElectionShares(election.kind, Share(seen[0], seen[1]), Share(seen[2], seen[3]))
        )
    candidates, elected = _shares(list(people.values()))
    units = _sub_units(branch, breakdown, list(people.values()))
    resolution = Resolution.objects.filter(congress=congress).first()
    targets: tuple[WomenTarget, ...] = ()
    judging = goals.judging_day(congress.term, as_of or today())
    if resolution is not None:
        targets = tuple(
            WomenTarget(
                s.target.title,
                s.target.kind,
                s.target.target_value,
                s.target.unit,
                s.actual,
                s.verdict_code,
                s.judged_on,
            )
            for s in goals.flatten(goals.judged(resolution, judging))
            if mentions_women(s.target.title) and s.target.parent_id is None
        )
    return Representation(
        branch_code=branch.code,
        branch_name=branch.name,
        term_label=congress.term.label,
        held_on=day,
        members=Share(breakdown.total.members, breakdown.total.women),
        delegates=Share(len(delegates), sum(_woman(g) for g in delegates)),
        candidates=candidates,
        elected=elected,
        elections=tuple(elections),
        sub_units=units,
        targets=targets,
        breakdown=breakdown,
        judging=judging,
    )
