"""The term summary's dataset (reports.datasets.summary) equals the database's own aggregates
(a direct count of the membership periods, the posts held, the records of the congress)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from congresses.elections.models import Election
from members.models import Branch
from members.statistics import direct_count
from reports.datasets.minutes import counting_minutes
from reports.datasets.summary import term_summary
from tests.reports.conftest import AS_OF, DAY, executives

pytestmark = pytest.mark.django_db


def test_the_term_summary_of_the_seed_case(seed):
    counts = direct_count(Branch.objects.get(code="hp-skhcn"), DAY)  # the files' 185 and 91
    assert (counts.members, counts.women) == (185, 91)
    summary = term_summary(seed, as_of=AS_OF)
    figures = summary.figures
    assert (figures.members, figures.women, str(figures.women_share)) == (185, 91, "49.2")
    assert len(summary.sub_units) == figures.sub_units == 6
    assert sum(unit.members for unit in summary.sub_units) == 185
    assert summary.executive_size == 9
    assert summary.congress.held_on == DAY and summary.congress.quorum_met
    executive = next(e for e in summary.elections if e.kind == "executive")
    assert (executive.seats, executive.candidates, len(executive.elected)) == (9, 11, 9)
    assert {line.name for line in summary.committee if line.post == "executive"} == set(
        executives(seed)
    )
    assert summary.directions and summary.targets and summary.reviews
    training = next(t for t in summary.targets if t.target_value == 120)  # 112 of 120
    assert str(training.progress_percentage) == "93.3"


def test_the_title_is_the_minutes_title_and_the_share_present_is_rounded_as_every_share(seed):
    summary = term_summary(seed, as_of=AS_OF)
    minutes = counting_minutes(Election.objects.filter(congress__term=seed).first())
    for language in ("vi", "en"):
        with translation.override(language):
            assert summary.congress_text == minutes.congress_text
    congress = summary.congress
    assert (congress.summoned, congress.present) == (185, 176)
    assert congress.present_share == Decimal("95.1")
