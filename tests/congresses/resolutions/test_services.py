"""Resolutions, targets, progress and reviews through the services."""

from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from congresses.resolutions import goals, progress
from congresses.resolutions import services as resolutions
from congresses.resolutions.models import ItemKind, Progress, ReviewKind, Target
from tests.factories import persona

pytestmark = pytest.mark.django_db


def test_a_target_defaults_to_the_term_end_and_the_congress_branch(tree, target):
    assert target.deadline == date(2022, 12, 23)
    assert target.branch == tree.union
    assert (target.baseline, target.target_value) == (D(185), D(225))


def test_directions_are_numbered_in_order_and_a_number_is_taken_once(resolution):
    first = resolutions.add_direction(resolution=resolution, text="Chăm lo đời sống đoàn viên")
    second = resolutions.add_direction(resolution=resolution, text="Xây dựng tổ chức vững mạnh")
    assert (first.number, second.number) == (1, 2)
    with translation.override("en"), pytest.raises(ValidationError, match="exists already"):
        resolutions.add_direction(resolution=resolution, text="Khác", number=2)


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"kind": "percentage", "target_value": 120}, "target_value", "between 0 and 100"),
        ({"kind": "count", "target_value": -5}, "target_value", "cannot be negative"),
        ({"kind": "count", "target_value": "nhiều"}, "target_value", "Enter a number"),
        (
            {"kind": "count", "target_value": 5, "deadline": date(2030, 1, 1)},
            "deadline",
            "within the term",
        ),
        ({"kind": "count"}, "target_value", "Enter the target value"),
    ],
)
def test_targets_refuse_what_their_kind_cannot_take(resolution, fields, field, text):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        resolutions.add_target(resolution=resolution, title="Chỉ tiêu", **fields)
    assert text in " ".join(error.value.message_dict[field])
    assert not Target.objects.exists()


def test_a_target_of_another_union_is_refused(tree, resolution):
    with translation.override("en"), pytest.raises(ValidationError, match="not Branch union"):
        resolutions.add_target(
            resolution=resolution, title="X", kind="count", target_value=3, branch=tree.other
        )


@time_machine.travel(date(2020, 6, 10))
def test_progress_moves_the_verdict(resolution, target):
    status = goals.status_of(target, date(2020, 6, 10))
    assert status.verdict == "at_risk" and status.actual is None  # half-way, nothing recorded
    progress.record_progress(target=target, on=date(2019, 12, 31), actual=197)
    assert goals.status_of(target, date(2020, 6, 10)).verdict == "at_risk"  # 30 %
    progress.record_progress(target=target, on=date(2020, 6, 1), actual=206, note="Sơ kết")
    status = goals.status_of(target, date(2020, 6, 10))
    assert (status.actual, status.verdict, status.percent) == (D(206), "on_track", 52)
    assert goals.status_of(target, date(2019, 12, 31)).actual == D(197)  # as of a day


@time_machine.travel(date(2020, 6, 10))
def test_bad_figures_are_refused_and_nothing_is_overwritten(resolution, target):
    progress.record_progress(target=target, on=date(2019, 12, 31), actual=199)
    with translation.override("en"):
        with pytest.raises(ValidationError, match="already"):
            progress.record_progress(target=target, on=date(2019, 12, 31), actual=250)
        with pytest.raises(ValidationError, match="future"):
            progress.record_progress(target=target, on=date(2021, 1, 1), actual=210)
        with pytest.raises(ValidationError, match="outside the term"):
            progress.record_progress(target=target, on=date(2016, 1, 1), actual=180)
        with pytest.raises(ValidationError, match="negative"):
            progress.record_progress(target=target, on=date(2020, 1, 1), actual=-1)
    assert list(Progress.objects.values_list("actual", flat=True)) == [D(199)]


@time_machine.travel(date(2020, 6, 10))
def test_a_correction_keeps_the_old_value_in_the_history(target):
    figure = progress.record_progress(target=target, on=date(2019, 12, 31), actual=199)
    progress.correct_progress(figure=figure, actual=201, note="Rà soát lại")
    assert [h.actual for h in figure.history.order_by("history_date")] == [D(199), D(201)]


@time_machine.travel(date(2020, 6, 10))
def test_a_split_target_rolls_up_its_parts_by_weight(tree, resolution):
    trained = resolutions.add_target(
        resolution=resolution,
        title="Bồi dưỡng nghiệp vụ",
        kind="count",
        baseline=0,
        target_value=150,
    )
    a, b = resolutions.split_target(
        target=trained, parts=[(tree.unit_a, 100, None), (tree.unit_b, 50, None)]
    )
    assert (a.weight, b.weight) == (D(100), D(50))
    progress.record_progress(target=a, on=date(2020, 6, 1), actual=100)
    progress.record_progress(target=b, on=date(2020, 6, 1), actual=20)
    status = goals.status_of(trained, date(2020, 6, 10))
    assert status.progress == D("0.8") and status.actual == D(120)
    assert [p.verdict for p in status.parts] == ["achieved", "on_track"]
    with translation.override("en"), pytest.raises(ValidationError, match="split"):
        progress.record_progress(target=trained, on=date(2020, 6, 1), actual=120)
    with translation.override("en"), pytest.raises(ValidationError, match="not a sub-unit"):
        resolutions.split_target(target=trained, parts=[(tree.other, 10, None)])


@time_machine.travel(date(2020, 6, 10))
def test_the_sub_units_secretary_records_its_part_only(tree, resolution):
    from tests.factories import user

    trained = resolutions.add_target(
        resolution=resolution, title="Bồi dưỡng", kind="count", target_value=150
    )
    a, _b = resolutions.split_target(
        target=trained, parts=[(tree.unit_a, 100, None), (tree.unit_b, 50, None)]
    )
    unit_secretary = user("unit-sec", "secretary", tree.unit_a)
    progress.record_progress(target=a, on=date(2020, 6, 1), actual=40, by=unit_secretary)
    with pytest.raises(PermissionDenied):
        progress.record_progress(target=_b, on=date(2020, 6, 1), actual=10, by=unit_secretary)
    with pytest.raises(PermissionDenied):
        resolutions.add_target(
            resolution=resolution,
            title="X",
            kind="count",
            target_value=1,
            by=persona(tree, "reviewer"),
        )


@time_machine.travel(date(2023, 1, 10))
def test_the_end_of_term_review_freezes_verdicts_and_drafts_its_items(resolution, target):
    strong = resolutions.add_target(
        resolution=resolution,
        title="Công đoàn vững mạnh",
        kind="percentage",
        baseline=60,
        target_value=80,
    )
    progress.record_progress(target=target, on=date(2022, 12, 1), actual=231)
    progress.record_progress(target=strong, on=date(2022, 12, 1), actual=75)
    with translation.override("en"):  # the draft is written in the secretary's language
        review = progress.hold_review(
            resolution=resolution, kind=ReviewKind.END_OF_TERM, held_on=date(2022, 12, 20)
        )
    # the end-of-term review judges the term: final, so 75 of 80 is not met (not "at risk")
    frozen = {v.target_id: v.verdict for v in review.verdicts.all()}
    assert frozen == {target.pk: "exceeded", strong.pk: "not_met"}
    assert {(i.kind, i.text, i.drafted) for i in review.items.all()} == {
        (
            ItemKind.ACHIEVEMENT,
            "Phát triển đoàn viên mới: exceeded, 231\u00a0đoàn viên against 225\u00a0đoàn viên.",
            True,
        ),
        (ItemKind.SHORTCOMING, "Công đoàn vững mạnh: not met, 75\u00a0% against 80\u00a0%.", True),
    }
    # a later figure does not change what the review found; it counts while the term runs,
    # and once the term is over the term is judged as of its review again
    progress.record_progress(target=strong, on=date(2022, 12, 22), actual=82)
    assert review.verdicts.get(target=strong).verdict == "not_met"
    assert goals.status_of(strong, date(2022, 12, 22)).verdict == "exceeded"
    assert goals.status_of(strong, date(2023, 1, 10)).verdict == "not_met"
    with translation.override("en"), pytest.raises(ValidationError, match="already"):
        progress.hold_review(
            resolution=resolution, kind=ReviewKind.END_OF_TERM, held_on=date(2022, 12, 21)
        )
