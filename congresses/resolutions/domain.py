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
