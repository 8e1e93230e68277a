"""Women's representation through a congress: the share of women among the members (frozen
on the congress day), the delegates, the candidates and those elected, for each election and
per sub-unit, beside the resolution's targets that speak of women.

A person counts as a woman by the gender recorded for them: a candidate's own gender field, a
delegate's or a post holder's member record. People of unknown gender count in the totals and
not as women, as in every statistic of unionrec."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from congresses.elections.models import ElectionKind
from congresses.elections.results import outcome
from congresses.models import Congress
from congresses.resolutions import goals
from congresses.resolutions.domain import Judging
from congresses.resolutions.models import Resolution
from members import domain
from members.models import Branch, Gender
from members.statistics import statistics, today

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
    code: str
    name: str
    members: Share
    candidates: Share
    elected: Share


@dataclass(frozen=True)
class WomenTarget:
    title: str
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
    candidates: Share  # every candidacy of every election of the congress
    elected: Share
    elections: tuple[ElectionShares, ...]
    sub_units: tuple[SubUnitShares, ...]
    targets: tuple[WomenTarget, ...]
    judging: Judging | None = None  # the day the targets are judged on, and why

    @property
    def judged_text(self) -> str:
        """The day the targets' verdicts are judged on and why, in the active language."""
        return goals.judged_text(self.judging)


def _woman(gender: str) -> int:
    return 1 if gender == Gender.FEMALE else 0


def _child_of(branch: Branch, path: str | None) -> str | None:
    """The direct child of `branch` whose subtree holds `path` (None: the branch itself)."""
    if not path or len(path) <= len(branch.path):
        return None
    return path[: len(branch.path) + domain.PATH_STEP]


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
    members = Share(congress.counted_members or 0, congress.counted_women or 0)
    delegates = [
        (d.member.gender if d.member else Gender.UNKNOWN)
        for d in congress.delegates.select_related("member")
    ]
    per_unit: dict[str, dict[str, list[int]]] = defaultdict(
        lambda: {"candidates": [0, 0], "elected": [0, 0]}
    )
    all_candidates, all_elected, elections = [0, 0], [0, 0], []
    for election in congress.elections.order_by("held_on", "id"):
        result = outcome(election)
        elected_ids = {line.candidate.pk for line in result.elected}
        seen = [0, 0, 0, 0]  # candidates, women candidates, elected, women elected
        for candidate in result.candidates:
            woman = _woman(candidate.gender)
            seen[0] += 1
            seen[1] += woman
            unit = _child_of(branch, candidate.member.branch.path if candidate.member else None)
            if unit:
                per_unit[unit]["candidates"][0] += 1
                per_unit[unit]["candidates"][1] += woman
            if candidate.pk in elected_ids:
                seen[2] += 1
                seen[3] += woman
                if unit:
                    per_unit[unit]["elected"][0] += 1
                    per_unit[unit]["elected"][1] += woman
        elections.append(
            ElectionShares(election.kind, Share(seen[0], seen[1]), Share(seen[2], seen[3]))
        )
        all_candidates = [all_candidates[0] + seen[0], all_candidates[1] + seen[1]]
        all_elected = [all_elected[0] + seen[2], all_elected[1] + seen[3]]
    on_day = statistics(branch, day)
    units = tuple(
        SubUnitShares(
            code=child.branch.code,
            name=child.branch.display_name,
            members=Share(child.members, child.women),
            candidates=Share(*per_unit[child.branch.path]["candidates"]),
            elected=Share(*per_unit[child.branch.path]["elected"]),
        )
        for child in on_day.children
    )
    resolution = Resolution.objects.filter(congress=congress).first()
    targets: tuple[WomenTarget, ...] = ()
    judging = goals.judging_day(congress.term, as_of or today())
    if resolution is not None:
        targets = tuple(
            WomenTarget(
                s.target.title,
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
        members=members,
        delegates=Share(len(delegates), sum(_woman(g) for g in delegates)),
        candidates=Share(*all_candidates),
        elected=Share(*all_elected),
        elections=tuple(elections),
        sub_units=units,
        targets=targets,
        judging=judging,
    )
