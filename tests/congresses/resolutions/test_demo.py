"""The demo resolutions of hp-skhcn: 2017–2022 with yearly progress and its reviews, and the
2022–2027 resolution of the term running now."""

from datetime import date

import pytest
import time_machine

from congresses.resolutions import demo as demo_resolutions
from congresses.resolutions import goals
from congresses.resolutions.models import Progress, Resolution, ReviewKind
from members.statistics import statistics

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(_seed_for_module, db):
    """The whole demo, loaded once for this module (tests/conftest.py)."""
    return {r.congress.term.label: r for r in Resolution.objects.select_related("congress__term")}


def test_the_2017_resolution_has_directions_cascaded_targets_and_both_reviews(loaded):
    resolution = loaded["2017–2022"]
    assert resolution.directions.count() == 5 and resolution.campaigns.count() == 3
    found = goals.statuses(resolution, date(2022, 10, 20))
    trained = next(s for s in found if s.target.parts.exists())
    assert len(trained.parts) == 6
    assert sum(p.target.target_value for p in trained.parts) == trained.target.target_value
    assert {r.kind for r in resolution.reviews.all()} == {
        ReviewKind.MID_TERM,
        ReviewKind.END_OF_TERM,
    }
    end = resolution.reviews.get(kind=ReviewKind.END_OF_TERM)
    assert end.items.filter(kind="achievement").exists()
    assert end.items.filter(kind="shortcoming").exists()
    assert end.verdicts.count() == len(goals.flatten(found))


def test_membership_figures_are_counted_from_the_register(loaded):
    union = loaded["2017–2022"].congress.term.branch
    figures = Progress.objects.filter(
        target__title="Số đoàn viên công đoàn", target__resolution=loaded["2017–2022"]
    )
    assert figures.count() == 5
    for figure in figures:
        assert figure.actual == statistics(union, figure.on).members


@time_machine.travel(date(2026, 12, 1))
def test_the_current_term_shows_a_target_at_risk(loaded):
    found = goals.statuses(loaded["2022–2027"], date(2026, 12, 1))
    verdicts = {s.target.title: s.verdict for s in found}
    assert verdicts["Số hóa toàn bộ hồ sơ đoàn viên trên phần mềm của Tổng Liên đoàn"] == "at_risk"


def test_loading_again_adds_nothing(loaded):
    before = Progress.objects.count()
    assert "exist already" in demo_resolutions.load()[0]
    assert Progress.objects.count() == before
