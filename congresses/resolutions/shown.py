"""A resolution's targets as their reader sees them (unionrec.small_cells, issue 15 item 4):
the rows of the resolution page, the target page's standing, parts and dated figures, and the
reviews' frozen figures and drafted items.

Exact for a target whose responsible branch the reader reads (a secretary or a reviewer of it
or above it: small_cells.exact_for), as the API decides; outside that scope (the member
role) a count target's small actual value, baseline and dated figures are "< 5", with the
progress and, where it would give a figure back, the verdict (small_cells.shown_target). The
goals page reads the same rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from congresses.resolutions import domain
from congresses.resolutions.goals import TargetStatus
from congresses.resolutions.models import Progress, Review, ReviewItem, ReviewKind, ReviewVerdict
from unionrec.small_cells import Hidden, ShownTarget, exact_for, shown_figure, shown_target


@dataclass(frozen=True)
class Row:
    """A target (or a part of a split one) with its figures as the reader sees them."""

    status: TargetStatus
    shown: ShownTarget
    is_part: bool = False


def row(status: TargetStatus, user: Any, *, is_part: bool = False) -> Row:
    exact = exact_for(user, status.target.branch.path)
    return Row(status, shown_target(status, exact=exact), is_part)


def rows(found: Iterable[TargetStatus], user: Any) -> list[Row]:
    """Targets with their parts after them (`is_part`)."""
    flat: list[Row] = []
    for status in found:
        flat.append(row(status, user))
        flat.extend(row(part, user, is_part=True) for part in status.parts)
    return flat


def withheld_verdicts(found: Iterable[Row]) -> frozenset[int]:
    """The ids of the targets whose verdict is withheld (goals.counts_by_verdict leaves them
    out, so that the counts do not give them back)."""
    return frozenset(each.status.target.pk for each in found if not each.shown.verdict)


def any_hidden(found: Iterable[Row]) -> bool:
    """Whether a figure is withheld (the note under the figures)."""
    return any(each.shown.hidden or not each.shown.verdict for each in found)


@dataclass(frozen=True)
class Figure:
    """A dated figure of a target, its value as the reader sees it."""

    figure: Progress
    actual: Decimal | Hidden | None

    @property
    def hidden(self) -> bool:
        return isinstance(self.actual, Hidden)


def figures(target: Any, found: Iterable[Progress], user: Any) -> list[Figure]:
    """A target's dated figures: the history of a small count is withheld as its latest is."""
    exact = exact_for(user, target.branch.path)
    return [Figure(each, shown_figure(target, each.actual, exact=exact)) for each in found]


def frozen_status(frozen: ReviewVerdict, review: Review, starts_on: date) -> TargetStatus:
    """A review's frozen standing of a target (progress.hold_review) as a TargetStatus of the
    review's day, so that it is read as today's standing is."""
    final = review.kind == ReviewKind.END_OF_TERM
    basis = domain.Basis.END_OF_TERM_REVIEW if final else domain.Basis.RUNNING
    return TargetStatus(
        target=frozen.target,
        actual=frozen.actual,
        as_of=review.held_on,
        progress=frozen.progress,
        verdict=domain.Verdict(frozen.verdict) if frozen.verdict else None,
        judging=domain.Judging(review.held_on, basis),
        starts_on=starts_on,
    )


def _with_parts(found: list[TargetStatus]) -> list[TargetStatus]:
    """Each frozen whole with its frozen parts, as goals.statuses holds them, so that a part's
    withheld figure withholds its whole's (small_cells.withholds_a_part)."""
    parts: dict[int, list[TargetStatus]] = {}
    for status in found:
        if status.target.parent_id:
            parts.setdefault(status.target.parent_id, []).append(status)
    return [replace(status, parts=tuple(parts.get(status.target.pk, ()))) for status in found]


@dataclass(frozen=True)
class ShownReview:
    """A review with its frozen standings and its items as the reader sees them."""

    review: Review
    frozen: list[Row]
    items: list[ReviewItem]
    draft_withheld: bool  # the application's draft left out: it states a withheld figure

    @property
    def hidden(self) -> bool:
        return self.draft_withheld or any_hidden(self.frozen)


def review(found: Review, user: Any) -> ShownReview:
    """`found` (its verdicts with their targets' branches, and its items, prefetched) as
    `user` sees it. The end-of-term review's draft (progress.draft_items: items the
    application wrote, `drafted`, each target's actual value in words) is left out when a
    target's actual value is withheld from the reader; an item a secretary wrote or edited is
    theirs to word, and shown."""
    starts_on = found.resolution.congress.term.starts_on
    statuses = [frozen_status(each, found, starts_on) for each in found.verdicts.all()]
    frozen = [row(status, user) for status in _with_parts(statuses)]
    draft_withheld = any(
        isinstance(each.shown.actual, Hidden) for each in frozen if not each.status.target.parent_id
    )
    items = [item for item in found.items.all() if not (draft_withheld and item.drafted)]
    has_draft = any(item.drafted for item in found.items.all())
    return ShownReview(found, frozen, items, draft_withheld and has_draft)
