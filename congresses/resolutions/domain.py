"""Pure rules of a resolution's targets: how far a target has come, the day a term's targets
are judged on and the verdict on them that day, and a cascaded target's progress from its
parts (domain-rules §5, §6).

Values in, values out; only the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

# --- Targets of a resolution and their verdicts (issue "Resolutions, targets") -------------------


class TargetKind(StrEnum):
    PERCENTAGE = "percentage"  # e.g. share of units rated strong: 80 %
    COUNT = "count"  # e.g. members trained: 150
    YES_NO = "yes_no"  # e.g. a union office set up: done or not


class Verdict(StrEnum):
    EXCEEDED = "exceeded"
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    NOT_MET = "not_met"


# A target is at risk when its progress lags the share of its period already elapsed by more
# than this many points (0.15: at half-term, less than 35 % of the way is at risk). A margin,
# because progress comes in steps (a yearly review) while time runs every day; 15 points is
# about three quarters of a year in a five-year term, so one late yearly figure is not a
# warning but two are.
AT_RISK_MARGIN = Decimal("0.15")


def elapsed_share(starts_on: date, deadline: date, on: date) -> Decimal:
    """The share of the period [starts_on, deadline] elapsed on `on`, between 0 and 1."""
    if deadline <= starts_on:
        return Decimal(1)
    days = (min(max(on, starts_on), deadline) - starts_on).days
    return Decimal(days) / Decimal((deadline - starts_on).days)


def progress_share(
    kind: str, *, baseline: Decimal | None, target: Decimal, actual: Decimal | None
) -> Decimal:
    """How far a target has come, as a share of the way from its baseline to its target
    value: 0 at the baseline (or with no figure yet), 1 at the target, above 1 beyond it. A
    target below its baseline (a reduction) counts the way down. Yes/no targets are 0 or 1."""
    if kind == TargetKind.YES_NO:
        return Decimal(1) if actual is not None and actual >= 1 else Decimal(0)
    if actual is None:
        return Decimal(0)
    start = baseline if baseline is not None else Decimal(0)
    if target == start:  # keep a level: met when the level holds
        return Decimal(1) if actual >= target else Decimal(0)
    return max(Decimal(0), (actual - start) / (target - start))


def progress_percentage(progress: Decimal) -> Decimal:
    """A progress share as the percentage every page, file and the API show: one decimal,
    half up (0.2196 -> 22.0), uncapped (1.045 -> 104.5)."""
    return (progress * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def bar_percent(progress: Decimal) -> int:
    """How full a progress bar is drawn: the share as a whole percentage capped to 0–100 (the
    figure beside the bar is progress_percentage)."""
    return int(max(Decimal(0), min(progress, Decimal(1))) * 100)


def verdict(
    kind: str,
    *,
    baseline: Decimal | None,
    target: Decimal,
    actual: Decimal | None,
    starts_on: date,
    deadline: date,
    on: date,
    final: bool = False,
    margin: Decimal = AT_RISK_MARGIN,
) -> Verdict:
    """The verdict on a target on day `on`, from its latest actual value:

    - exceeded: beyond the target value (yes/no targets are achieved, never exceeded);
    - achieved: at the target value;
    - not met: the deadline has passed short of it, or the judgement is `final` (the term
      is over: judging_day) and it falls short;
    - at risk: progress lags the share of the period elapsed by more than `margin`;
    - on track: otherwise.
    """
    progress = progress_share(kind, baseline=baseline, target=target, actual=actual)
    return verdict_for_progress(
        progress,
        exact=kind == TargetKind.YES_NO,
        starts_on=starts_on,
        deadline=deadline,
        on=on,
        final=final,
        margin=margin,
    )


def verdict_for_progress(
    progress: Decimal,
    *,
    starts_on: date,
    deadline: date,
    on: date,
    exact: bool = False,
    final: bool = False,
    margin: Decimal = AT_RISK_MARGIN,
) -> Verdict:
    """The verdict for a share of the way already made (progress_share, or a roll-up)."""
    if progress > 1 and not exact:
        return Verdict.EXCEEDED
    if progress >= 1:
        return Verdict.ACHIEVED
    if final or on > deadline:
        return Verdict.NOT_MET
    if progress < elapsed_share(starts_on, deadline, on) - margin:
        return Verdict.AT_RISK
    return Verdict.ON_TRACK


# --- The day a term's targets are judged on -----------------------------------------------------


class Basis(StrEnum):
    """Why a term's targets are judged on the day they are."""

    RUNNING = "running"  # the term runs: judged on the day asked (today by default)
    END_OF_TERM_REVIEW = "end_of_term_review"  # finished: as of its end-of-term review
    TERM_END = "term_end"  # finished, with no end-of-term review: as of the term's end


@dataclass(frozen=True)
class Judging:
    """The day a term's targets are judged on, and why that day."""

    day: date
    basis: Basis

    @property
    def final(self) -> bool:
        """A finished term's judgement is final: no time is left, so a target is achieved
        (or exceeded) or not met, never on track or at risk (domain-rules §5: the
        end-of-term report states each target's result)."""
        return self.basis != Basis.RUNNING


def judging_day(
    *, starts_on: date, ends_on: date, on: date, review_on: date | None = None
) -> Judging | None:
    """The day to judge the targets of the term [starts_on, ends_on) on, asked on day `on`
    (today, or the day a page was asked for):

    - before the term starts: None, no verdict (nothing has been tried yet);
    - while the term runs: `on` itself;
    - once it is over: the day of its end-of-term review (`review_on`) if one was held (the
      congress judges the term by it, domain-rules §2 agenda item 5), else the term's end.
      Every day after the term ends gives the same judgement.
    """
    if on < starts_on:
        return None
    if on < ends_on:
        return Judging(on, Basis.RUNNING)
    if review_on is not None:
        return Judging(review_on, Basis.END_OF_TERM_REVIEW)
    return Judging(ends_on, Basis.TERM_END)


def rolled_up(parts: list[tuple[Decimal, Decimal]]) -> Decimal:
    """A cascaded target's progress from its parts: each part's progress weighted by its
    share of the split. `parts` holds (weight, progress) pairs. With the parts' own target
    values as weights this is the parts' total against the whole: 150 trained of 100 + 50
    split is the whole target, even if one sub-unit trained them all."""
    total = sum((weight for weight, _progress in parts), Decimal(0))
    if total <= 0:
        return Decimal(0)
    return sum((weight * progress for weight, progress in parts), Decimal(0)) / total


# --- Whether a split target's parts add up to the whole -----------------------------------------


class Measure(StrEnum):
    """How a split target's parts are put together to compare them with the whole."""

    SUM = "sum"  # a count: the parts' values added up
    WEIGHTED_AVERAGE = "weighted_average"  # a percentage: the parts' values by their weights


@dataclass(frozen=True)
class SplitGap:
    """A split whose parts do not add up to the whole: what they come to (`combined`, by
    `measure`), what they should come to (`expected`), and from where (`baseline`, set when
    the parts of a count share out the way from the whole's baseline to its target)."""

    measure: Measure
    combined: Decimal
    expected: Decimal
    target: Decimal
    baseline: Decimal | None = None

    @property
    def difference(self) -> Decimal:
        """Above 0: the parts come to more than the whole; below 0: they fall short."""
        return self.combined - self.expected


CENT = Decimal("0.01")  # the targets' values are stored with two decimals


def split_gap(
    kind: str,
    *,
    target: Decimal,
    baseline: Decimal | None,
    parts: list[tuple[Decimal, Decimal]],
) -> SplitGap | None:
    """How a split target's parts (weight, target value) miss the whole, or None when they
    add up (or there is nothing to add up: no parts, a yes/no target).

    - A count: the parts' values added up equal the way the whole goes, from its baseline
      (blank: 0) to its target value. The parts have no baseline of their own, so each one
      counts from 0 and its value is its share of that way; rolled_up then gives the whole
      the parts' total (185 → 225 split 25 + 15: the 40 new members; 0 → 194 split 100 +
      80: 14 short). A target at or below its baseline (a reduction, a level kept) has no
      way up to share: its parts are levels, adding up to its target value.
    - A percentage: a share does not add up, it averages. The whole's share is the parts'
      shares weighted by their sizes (80 % of 10 groups and 90 % of 30 is 87.5 % of the 40),
      so the parts' values weighted as the split weighs them (the same weights rolled_up
      uses) equal the whole's target value, to the cent the values are stored with (half
      up); its baseline plays no part, since each part is a level, not a way to go.

    The split is kept either way: a gap is a warning (a sub-unit may take on more than its
    share), never a refusal."""
    if not parts or kind == TargetKind.YES_NO:
        return None
    if kind == TargetKind.PERCENTAGE:
        total_weight = sum((weight for weight, _value in parts), Decimal(0))
        if total_weight <= 0:
            return None
        weighted = sum((weight * value for weight, value in parts), Decimal(0))
        average = (weighted / total_weight).quantize(CENT, rounding=ROUND_HALF_UP)
        if average == target:
            return None
        return SplitGap(Measure.WEIGHTED_AVERAGE, average, target, target)
    # only a rise has a way to share out: a reduction or a level kept is shared as levels
    start = baseline if baseline is not None and 0 < baseline < target else Decimal(0)
    total = sum((value for _weight, value in parts), Decimal(0))
    if total == target - start:
        return None
    return SplitGap(Measure.SUM, total, target - start, target, start or None)
