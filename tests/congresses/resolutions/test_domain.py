"""congresses.domain: progress and verdicts of a resolution's targets."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congresses.resolutions import domain as resolution_domain
from congresses.resolutions.domain import TargetKind, Verdict

START, END = date(2017, 12, 23), date(2022, 11, 25)
HALF = date(2020, 6, 9)  # about half of the term

ORDER = [Verdict.NOT_MET, Verdict.AT_RISK, Verdict.ON_TRACK, Verdict.ACHIEVED, Verdict.EXCEEDED]


@pytest.mark.parametrize(
    ("kind", "baseline", "target", "actual", "on", "expected"),
    [
        # beyond the target value: exceeded; at it: achieved (whatever the day)
        (TargetKind.COUNT, D(185), D(220), D(230), HALF, Verdict.EXCEEDED),
        (TargetKind.COUNT, D(185), D(220), D(220), HALF, Verdict.ACHIEVED),
        (TargetKind.PERCENTAGE, D(60), D(80), D(80), END, Verdict.ACHIEVED),
        # half-way at half-term: on track; 30 % of the way at half-term: 20 points behind, at risk
        (TargetKind.COUNT, D(185), D(225), D(205), HALF, Verdict.ON_TRACK),
        (TargetKind.COUNT, D(185), D(225), D(197), HALF, Verdict.AT_RISK),
        # within the 15-point margin: 40 % of the way at half-term is still on track
        (TargetKind.COUNT, D(185), D(225), D(201), HALF, Verdict.ON_TRACK),
        # no figure yet at the start of the term: on track; at half-term: at risk
        (TargetKind.COUNT, D(185), D(225), None, START, Verdict.ON_TRACK),
        (TargetKind.COUNT, D(185), D(225), None, HALF, Verdict.AT_RISK),
        # the deadline passed short of the target: not met
        (TargetKind.PERCENTAGE, D(60), D(80), D(79), date(2022, 11, 26), Verdict.NOT_MET),
        # a reduction (target below the baseline) counts the way down
        (TargetKind.COUNT, D(12), D(2), D(7), HALF, Verdict.ON_TRACK),
        (TargetKind.COUNT, D(12), D(2), D(1), HALF, Verdict.EXCEEDED),
        (TargetKind.COUNT, D(12), D(2), D(11), HALF, Verdict.AT_RISK),
        # yes/no: done is achieved, never exceeded; not done late in the term is at risk
        (TargetKind.YES_NO, None, D(1), D(1), HALF, Verdict.ACHIEVED),
        (TargetKind.YES_NO, None, D(1), D(0), START, Verdict.ON_TRACK),
        (TargetKind.YES_NO, None, D(1), D(0), date(2022, 6, 1), Verdict.AT_RISK),
        (TargetKind.YES_NO, None, D(1), None, date(2023, 1, 1), Verdict.NOT_MET),
        # keeping a level (target = baseline): met while the level holds
        (TargetKind.PERCENTAGE, D(100), D(100), D(100), HALF, Verdict.ACHIEVED),
        (TargetKind.PERCENTAGE, D(100), D(100), D(98), END, Verdict.AT_RISK),
        (TargetKind.PERCENTAGE, D(100), D(100), D(98), date(2018, 3, 1), Verdict.ON_TRACK),
    ],
)
def test_verdicts_follow_progress_and_time(kind, baseline, target, actual, on, expected):
    result = resolution_domain.verdict(
        kind, baseline=baseline, target=target, actual=actual, starts_on=START, deadline=END, on=on
    )
    assert result == expected


def test_elapsed_share_is_clamped_to_the_period():
    assert resolution_domain.elapsed_share(START, END, date(2010, 1, 1)) == 0
    assert resolution_domain.elapsed_share(START, END, date(2030, 1, 1)) == 1
    assert resolution_domain.elapsed_share(START, START, START) == 1
    assert D("0.49") < resolution_domain.elapsed_share(START, END, HALF) < D("0.51")


def test_a_cascaded_target_rolls_up_its_parts_by_their_share():
    # 150 members trained, split 100 + 50: 100 and 20 done -> (100×1 + 50×0.4) / 150 = 0.8
    assert resolution_domain.rolled_up([(D(100), D(1)), (D(50), D("0.4"))]) == D("0.8")
    # one part's surplus makes up for another's shortfall, as the whole's total does
    assert resolution_domain.rolled_up([(D(100), D("1.5")), (D(50), D(0))]) == D(1)
    assert resolution_domain.rolled_up([]) == 0


@given(
    baseline=st.integers(0, 500),
    target=st.integers(0, 500),
    actual=st.integers(0, 600),
    more=st.integers(0, 100),
    day=st.integers(0, 2500),
)
def test_more_progress_never_makes_the_verdict_worse(baseline, target, actual, more, day):
    on = date.fromordinal(START.toordinal() - 100 + day)
    kwargs = {
        "baseline": D(baseline),
        "target": D(target),
        "starts_on": START,
        "deadline": END,
        "on": on,
    }
    increasing = target >= baseline
    better = actual + more if increasing else max(0, actual - more)
    worse = resolution_domain.verdict(TargetKind.COUNT, actual=D(actual), **kwargs)
    best = resolution_domain.verdict(TargetKind.COUNT, actual=D(better), **kwargs)
    assert ORDER.index(best) >= ORDER.index(worse)
    if on > END:
        assert worse in (Verdict.NOT_MET, Verdict.ACHIEVED, Verdict.EXCEEDED)


@given(day=st.integers(0, 1800), later=st.integers(0, 600))
def test_time_passing_never_improves_a_target_without_new_figures(day, later):
    first = date.fromordinal(START.toordinal() + day)
    second = date.fromordinal(first.toordinal() + later)
    args = {
        "baseline": D(185),
        "target": D(225),
        "actual": D(200),
        "starts_on": START,
        "deadline": END,
    }
    before = resolution_domain.verdict(TargetKind.COUNT, on=first, **args)
    after = resolution_domain.verdict(TargetKind.COUNT, on=second, **args)
    assert ORDER.index(after) <= ORDER.index(before)


COUNT, SHARE, DONE = TargetKind.COUNT, TargetKind.PERCENTAGE, TargetKind.YES_NO
SUM, AVERAGE = resolution_domain.Measure.SUM, resolution_domain.Measure.WEIGHTED_AVERAGE


@pytest.mark.parametrize(
    ("kind", "target", "baseline", "parts", "expected"),
    [
        # a count: the parts' values add up to the target (weights play no part)
        (COUNT, D(194), None, [(D(100), D(100)), (D(94), D(94))], None),
        (COUNT, D(194), D(0), [(D(1), D(100)), (D(1), D(80))], (SUM, D(180), D(194), D(-14))),
        (COUNT, D(150), None, [(D(100), D(100)), (D(60), D(60))], (SUM, D(160), D(150), D(10))),
        (COUNT, D("194.5"), None, [(D(1), D(100)), (D(1), D("94.5"))], None),
        # with a baseline the parts share out the way to go: 185 → 225 split 25 + 15 adds up
        (COUNT, D(225), D(185), [(D(25), D(25)), (D(15), D(15))], None),
        (COUNT, D(225), D(185), [(D(1), D(130)), (D(1), D(95))], (SUM, D(225), D(40), D(185))),
        # a reduction (12 → 2 accidents) is shared as levels: 1 + 1 adds up to 2
        (COUNT, D(2), D(12), [(D(1), D(1)), (D(1), D(1))], None),
        (COUNT, D(2), D(12), [(D(1), D(1)), (D(1), D(2))], (SUM, D(3), D(2), D(1))),
        # a percentage averages by the weights: 80 % of 10 groups and 90 % of 30 is 87.5 %
        (SHARE, D("87.5"), D(60), [(D(10), D(80)), (D(30), D(90))], None),
        (
            SHARE,
            D(85),
            None,
            [(D(10), D(80)), (D(30), D(90))],
            (AVERAGE, D("87.5"), D(85), D("2.5")),
        ),
        (SHARE, D(80), None, [(D(1), D(70)), (D(1), D(80))], (AVERAGE, D(75), D(80), D(-5))),
        # to the cent the values are stored with: 80 and 90 weighted 1 and 2 is 86.67
        (SHARE, D("86.67"), None, [(D(1), D(80)), (D(2), D(90))], None),
        # a yes/no target is done when its parts are: nothing to add up; nor without parts
        (DONE, D(1), D(0), [(D(1), D(1)), (D(1), D(1))], None),
        (COUNT, D(194), None, [], None),
    ],
)
def test_a_split_warns_when_its_parts_do_not_add_up_to_the_whole(
    kind, target, baseline, parts, expected
):
    gap = resolution_domain.split_gap(kind, target=target, baseline=baseline, parts=parts)
    found = (gap.measure, gap.combined, gap.expected, gap.difference) if gap else None
    assert found == expected
