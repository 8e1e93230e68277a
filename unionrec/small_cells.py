"""Small cells: figures about so few people that they would identify someone, hidden from
those who may not read the branch's records (issue 15, item 4).

A women's share of a group of three tells who is a woman. So outside the scope of a secretary
or a reviewer of a branch (`exact_for`: the member role, which sees the statistics and goals
of its branch and the branches above it), every count of people below `UNIONREC_SMALL_CELL`
(5 by default), and every share computed from one, is shown as "< 5" (`Hidden`). So is the
next smallest figure of the same row or column whenever exactly one is hidden there, so that
no hidden count follows by subtraction from an exact total (`hidden_cells`). In scope
(secretaries and reviewers of the branch, superusers) every figure stays exact.

Zero is shown: a 0 counts nobody, so it singles out nobody, and "no women in this unit" is
what a reader needs to see; keeping zeros out of primary suppression is common practice for
that reason. A zero is taken as the complementary cell only when its line has nothing else
left to hide, since hiding a 0 protects little.

Complementary cells are read "< 5" as well, as the issue asks: the note under the table
(`note`) says that a figure so marked may be the one hidden to protect another.

One module for every place such figures leave the scope: the branch page and the branch tree,
the start page, the statistics API (members.statistics_api) and the goals (the goals page, the
resolution page, a target's page: congresses.resolutions.shown; and the API). The
statistics report, the women's representation report and the term summary (pages, PDF and
Excel) need read rights on the branch (unionrec.access, Need.READ), so their reader is always
in scope and sees exact figures.

A split target's parts add up to their whole as a column to its total: when a part's figure
is withheld, so is the whole's (`withholds_a_part`).

What a table cannot see: a reader who also sees the totals of one of its rows elsewhere (a
member's own sub-unit, on its own page and in the tree) may subtract across pages; the
complementary cell is chosen within the table only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from members.statistics import BranchStatistics

from .access import Need, scope_for

Cell = tuple[int, int]  # (row, column)


def threshold() -> int:
    """The smallest count shown outside the scope (`UNIONREC_SMALL_CELL`, 5 by default)."""
    return int(settings.UNIONREC_SMALL_CELL)


def exact_for(user: Any, path: str) -> bool:
    """Whether `user` sees the exact figures of the branch at `path`: a secretary or a reviewer
    of it or of a branch above it, or a superuser; not the member role."""
    return scope_for(user).covers(path, Need.READ)


@dataclass(frozen=True)
class Hidden:
    """A figure withheld: written "< 5" in every language (the `count` and `share` filters),
    `null` in the API with its name listed in the row's `hidden` (`api_figures`)."""

    below: int

    def __str__(self) -> str:
        return _("< %(threshold)s") % {"threshold": self.below}


def is_small(value: int | Decimal, below: int) -> bool:
    """Primary suppression: a count of 1 to below-1 people. Zero is shown (the module's
    docstring says why)."""
    return 0 < value < below


def hidden_cells(
    cells: Sequence[Sequence[int]],
    *,
    below: int,
    column_totals: bool = True,
    row_totals: bool = False,
) -> frozenset[Cell]:
    """The cells of a table of counts to hide. `cells[r][c]` holds the counts; with
    `column_totals` the last row is the total of the rows above it (each column adds up), with
    `row_totals` the last column is the total of the columns before it (each row adds up).

    Primary: every count from 1 to `below` - 1. Complementary: wherever a line that adds up
    (a column with its total, a row with its total) has exactly one hidden cell, the smallest
    shown cell of that line above zero is hidden too (a zero only if nothing else is left), so
    the hidden one does not follow from the total by subtraction; repeated until no line has a
    lone hidden cell. A table without totals is checked cell by cell."""
    hidden = {
        (r, c)
        for r, row in enumerate(cells)
        for c, value in enumerate(row)
        if is_small(value, below)
    }
    lines: list[list[Cell]] = []
    width = max((len(row) for row in cells), default=0)
    if column_totals:
        lines += [[(r, c) for r in range(len(cells)) if c < len(cells[r])] for c in range(width)]
    if row_totals:
        lines += [[(r, c) for c in range(len(row))] for r, row in enumerate(cells)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(cell in hidden for cell in line) != 1:
                continue
            shown = [cell for cell in line if cell not in hidden]
            if not shown:
                continue
            # Ties go to the first row (or column), so the same table hides the same cells.
            nonzero = [cell for cell in shown if cells[cell[0]][cell[1]] > 0]
            pick = min(nonzero or shown, key=lambda cell: (cells[cell[0]][cell[1]], cell))
            hidden.add(pick)
            changed = True
    return frozenset(hidden)


@dataclass(frozen=True)
class ShownFigures:
    """A statistics row as a reader outside the scope sees it (the attributes of
    members.statistics.BranchFigures, each a number or `Hidden`)."""

    branch: Any
    members: int | Hidden
    women: int | Hidden
    women_share: Decimal | Hidden | None
    sub_units: int
    unknown: int | Hidden = 0


@dataclass(frozen=True)
class ShownStatistics(ShownFigures):
    """A branch's statistics with its rows (members.statistics.BranchStatistics) as shown to
    their reader: `hidden` says whether anything is withheld (the note under the table)."""

    day: Any = None
    children: tuple[ShownFigures, ...] = ()
    direct: ShownFigures | None = None
    hidden: bool = False


COLUMNS = ("members", "women", "unknown")  # the counts of a statistics row


def _shown(
    branch: Any, share: Decimal | None, sub_units: int, figures: dict[str, int | Hidden]
) -> ShownFigures:
    """A row with its share withheld when either of its counts is."""
    members, women = figures["members"], figures["women"]
    if isinstance(members, Hidden):
        share_shown: Decimal | Hidden | None = members
    elif isinstance(women, Hidden):
        share_shown = women
    else:
        share_shown = share
    return ShownFigures(branch, members, women, share_shown, sub_units, figures["unknown"])


def shown_statistics(stats: BranchStatistics, *, exact: bool) -> ShownStatistics:
    """`stats` as a reader sees them: exact in scope (`exact_for`), else with small cells
    hidden. The table is the direct sub-units and the members attached to the branch itself
    (a row even when it is empty: it follows from the totals anyway), with the totals under
    it; each column (members, women, unknown gender) adds up to its total, so each is a line
    of `hidden_cells`. A share is withheld with either of its counts."""
    below = threshold()
    counts = [*(row.counts for row in stats.children), stats.direct, stats.counts]
    cells = [[getattr(each, name) for name in COLUMNS] for each in counts]
    hidden = frozenset() if exact else hidden_cells(cells, below=below)

    def figures(r: int) -> dict[str, int | Hidden]:
        return {
            name: Hidden(below) if (r, c) in hidden else cells[r][c]
            for c, name in enumerate(COLUMNS)
        }

    n = len(stats.children)
    total = _shown(stats.branch, stats.women_share, stats.sub_units, figures(n + 1))
    return ShownStatistics(
        branch=stats.branch,
        members=total.members,
        women=total.women,
        women_share=total.women_share,
        sub_units=stats.sub_units,
        unknown=total.unknown,
        day=stats.day,
        children=tuple(
            _shown(row.branch, row.women_share, row.sub_units, figures(r))
            for r, row in enumerate(stats.children)
        ),
        direct=_shown(stats.branch, stats.direct.women_share, 0, figures(n)),
        hidden=bool(hidden),
    )


def shown_count(value: int, *, exact: bool) -> int | Hidden:
    """One count standing alone (a branch in the tree, a target's figure): hidden when small
    outside the scope."""
    below = threshold()
    return Hidden(below) if not exact and is_small(value, below) else value


def note(*, in_table: bool = True) -> str:
    """The sentence under figures that withhold small counts; `in_table` for a table with
    totals, whose complementary cells it explains too."""
    below = {"threshold": threshold()}
    if not in_table:
        return (
            _(
                "Counts below %(threshold)s are shown as “< %(threshold)s” so that nobody can be "
                "identified. A secretary or a reviewer of the branch sees the exact figures."
            )
            % below
        )
    return (
        _(
            "Counts below %(threshold)s, and the shares computed from them, are shown as "
            "“< %(threshold)s” so that nobody can be identified; so is the next smallest figure "
            "of the same column, so that a hidden count cannot be found by subtracting the others "
            "from the total. A secretary or a reviewer of the branch sees the exact figures."
        )
        % below
    )


def api_value(value: int | Decimal | Hidden | None) -> int | float | None:
    """A figure as the API writes it: a number, or null when withheld (or a share of nobody)."""
    if isinstance(value, Hidden) or value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def hidden_names(**figures: object) -> list[str]:
    """The API's `hidden` of a row: the names of its figures withheld (an empty list when every
    figure is exact), so that a null share of an empty branch is told from a withheld one."""
    return [name for name, value in figures.items() if isinstance(value, Hidden)]


@dataclass(frozen=True)
class ShownTarget:
    """A target's figures as its reader sees them. A count target counts people (members
    trained, admitted, ...): outside the scope its actual value and its baseline are withheld
    when small, and with either of them its progress, which would give it back (`progress`
    None: with the actual, the baseline and the target value, two of them and the progress
    give the third). The verdict stays, as a range, unless it leaves a withheld figure a single
    possible value (`verdict` False: "achieved" says the actual is the target value).
    Percentages and yes/no targets are shown: a percentage typed by the secretary names no
    count the application could check."""

    actual: Decimal | Hidden | None
    baseline: Decimal | Hidden | None
    progress: Decimal | None  # the progress in percent, None when withheld
    percent: int | None  # how full the bar is drawn, None when withheld
    verdict: bool = True  # whether the verdict is shown

    @property
    def hidden(self) -> bool:
        """Whether a figure is withheld (the note under the targets)."""
        return isinstance(self.actual, Hidden) or isinstance(self.baseline, Hidden)


def small_figure(target: Any, value: Decimal | None) -> bool:
    """Whether `value` is a figure of `target` withheld outside the scope: a count of people
    (`Target.counts_people`: a count target) from 1 to below the threshold."""
    return target.counts_people and value is not None and is_small(value, threshold())


def _verdict_gives_back(status: Any, *, actual: bool, baseline: bool, below: int) -> bool:
    """Whether `status`'s verdict leaves a withheld figure (`actual`, `baseline`: which are)
    a single possible value: the reader knows a hidden count is a whole number from 1 to
    `below` - 1 and sees the target value, so each pair of such values that the target's
    verdict rule (TargetStatus.verdict_if) judges the same is still possible."""
    if status.verdict is None or not (actual or baseline):
        return False
    small = [Decimal(value) for value in range(1, below)]
    actuals = small if actual else [status.actual]
    baselines = small if baseline else [status.target.baseline]
    fits = [
        (a, b)
        for a in actuals
        for b in baselines
        if status.verdict_if(actual=a, baseline=b) == status.verdict
    ]
    return (actual and len({a for a, _ in fits}) <= 1) or (
        baseline and len({b for _, b in fits}) <= 1
    )


def withholds_a_part(status: Any) -> bool:
    """Whether a part of the split target `status` (goals.TargetStatus), or a part of a part,
    has a figure withheld outside the scope. Its whole is then withheld too: the whole's
    progress is its parts' progress by their weights (goals.rolled_up), so from an exact whole
    and the other parts a lone withheld part would follow by subtraction. Hiding the whole,
    the table's total, is the complementary cell of a split target; its parts stay as they are.
    Asked without knowing the reader's scope of each part, it answers for a reader outside all
    of them: a secretary of one part's sub-unit sees the whole withheld as well."""
    return any(
        small_figure(part.target, part.actual)
        or small_figure(part.target, part.target.baseline)
        or withholds_a_part(part)
        for part in status.parts
    )


def shown_target(status: Any, *, exact: bool) -> ShownTarget:
    """A congresses.resolutions.goals.TargetStatus as its reader sees it (ShownTarget): a
    split target's actual value and progress withheld as well when a part's are
    (`withholds_a_part`)."""
    target = status.target
    actual, baseline = status.actual, target.baseline
    if exact:
        return ShownTarget(actual, baseline, status.progress_percentage, status.percent)
    below = threshold()
    small_actual = small_figure(target, actual)
    small_baseline = small_figure(target, baseline)
    whole = withholds_a_part(status)  # the complementary cell of a split target
    withheld = small_actual or small_baseline or whole
    return ShownTarget(
        actual=Hidden(below) if small_actual or whole else actual,
        baseline=Hidden(below) if small_baseline else baseline,
        progress=None if withheld else status.progress_percentage,
        percent=None if withheld else status.percent,
        verdict=not _verdict_gives_back(
            status, actual=small_actual, baseline=small_baseline, below=below
        ),
    )


def shown_figure(target: Any, value: Decimal | None, *, exact: bool) -> Decimal | Hidden | None:
    """One recorded figure of `target` (a dated figure, a review's frozen actual) as its reader
    sees it: a small count withheld outside the scope."""
    return Hidden(threshold()) if not exact and small_figure(target, value) else value
