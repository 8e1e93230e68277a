"""The roster's rows (reports.datasets.roster): plain tuples read in chunks, never model
instances, with each branch's name looked up once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.disclosure import Disclosure
from members.models import Member
from reports.datasets.roster import build_roster

pytestmark = pytest.mark.django_db


def test_rows_come_without_model_instances_and_branches_are_looked_up_once(people):
    queryset = Member.objects.order_by("sort_key", "id")
    with CaptureQueriesContext(connection) as queries:
        rows = list(build_roster(queryset, language="en", sight=Disclosure.FULL).rows)
    assert len(rows) == 8 and all(isinstance(row, tuple) for row in rows)
    assert len(queries.captured_queries) == 2  # the members, then the branch names
