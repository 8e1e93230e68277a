"""How many rows a list holds, without a COUNT(*) over millions of rows: exact up to
UNIONREC_EXACT_COUNT_MAX rows (a count that stops there), beyond it PostgreSQL's planner
estimate, or on SQLite the cap itself as a floor ("10,000+"). Lists that know a cheaper exact
figure (the member list reads the tallies) give it instead (members.counting).

Said in words by `found_members`: "185 members found", "about 4.9 million members found"."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext


def grouped(value: int) -> str:
    """An integer with the language's thousands separator (1.234 / 1,234), as the templates'
    `count` filter writes it (unionrec.templatetags imports the congresses; this module may not)."""
    return number_format(value, force_grouping=True)


@dataclass(frozen=True)
class RowCount:
    """A number of rows; `estimate` when it is not exact, `at_least` when it is a floor."""

    value: int
    estimate: bool = False
    at_least: bool = False


def exact_limit() -> int:
    return int(settings.UNIONREC_EXACT_COUNT_MAX)


def count_rows(queryset: QuerySet[Any], *, drawn_from_few: bool = False) -> RowCount:
    """The rows of `queryset`: exact when there are at most exact_limit() of them (the count
    stops reading there), else an estimate. `drawn_from_few`: the caller expects the rows to
    come out of a thousand or so (a small subtree's members), so counting them is cheap
    whatever the filter, and PostgreSQL's planner is not asked first (an EXPLAIN costs about
    1 ms, as much as the count)."""
    limit = exact_limit()
    plain = queryset.order_by()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql" and not drawn_from_few:
        plan = planner_estimate(plain)
        guess = plan.rows
        # Far beyond the limit, or costly to count up to it (thousands of index probes, for a
        # filter the indexes serve only branch by branch): the estimate is the answer.
        counting_cost = plan.cost * min(1.0, (limit + 1) / max(plan.rows, 1))
        if guess > limit * 10 or counting_cost > exact_count_max_cost():
            return RowCount(guess, estimate=True)
    found = plain[: limit + 1].count()
    if found <= limit:
        return RowCount(found)
    if vendor == "postgresql" and not drawn_from_few:
        return RowCount(max(guess, found), estimate=True)
    return RowCount(limit, estimate=True, at_least=True)


@dataclass(frozen=True)
class Plan:
    """PostgreSQL's estimate of a query: its rows and its total cost (in the planner's units,
    about one per page read in order)."""

    rows: int
    cost: float


def exact_count_max_cost() -> float:
    return float(settings.UNIONREC_EXACT_COUNT_MAX_COST)


def planner_estimate(queryset: QuerySet[Any]) -> Plan:
    """PostgreSQL's estimate of the rows of `queryset` and of the cost of reading them all
    (EXPLAIN; nothing is read). A filter that can match nothing (a search word no name holds)
    is 0 without asking."""
    try:
        sql, params = queryset.values("pk").query.sql_with_params()
    except EmptyResultSet:
        return Plan(0, 0.0)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    top = plan[0]["Plan"]
    return Plan(int(top["Plan Rows"]), float(top["Total Cost"]))


def approximately(value: int) -> str:
    """A large figure rounded as people say it: "4.9 million" / "4,9 triệu", "43,000"."""
    if value >= 1_000_000:
        millions = (Decimal(value) / 1_000_000).quantize(Decimal("0.1"))
        places = 0 if millions == millions.to_integral() else 1
        number = number_format(millions, decimal_pos=places, force_grouping=True)
        return gettext("%(number)s million") % {"number": number}
    digits = len(str(value))
    rounded = round(value, -(digits - 2)) if digits > 2 else value
    return grouped(rounded)


def found_members(found: RowCount) -> str:
    """How many members a list found, in words."""
    if found.at_least:
        return gettext("%(count)s+ members found") % {"count": grouped(found.value)}
    if found.estimate:
        return gettext("About %(count)s members found") % {"count": approximately(found.value)}
    return ngettext("%(count)s member found", "%(count)s members found", found.value) % {
        "count": grouped(found.value)
    }
