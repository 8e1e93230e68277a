"""The statistics' dataset (reports.datasets.statistics) equals a direct count of the
membership periods, row by row and in total, on a day and on the day compared with."""

from __future__ import annotations

from datetime import date

import pytest

from members.models import Branch
from members.statistics import direct_count
from reports.datasets.statistics import statistics_report
from tests.reports.conftest import DAY

pytestmark = pytest.mark.django_db

LATER = date(2022, 12, 31)


def test_statistics_rows_and_totals_equal_a_direct_count(seed_union):
    report = statistics_report(seed_union, as_of=LATER, compare_on=DAY)
    assert report.total.members == direct_count(seed_union, LATER).members
    assert report.total.members_before == 185
    for row in report.rows:
        unit = Branch.objects.get(code=row.code)
        assert (row.members, row.women) == (
            direct_count(unit, LATER).members,
            direct_count(unit, LATER).women,
        )
        assert row.members_before == direct_count(unit, DAY).members
    assert (
        sum(r.members for r in report.rows) + (report.direct.members if report.direct else 0)
        == report.total.members
    )
