"""How a member list keeps a column out of the planner's reach (members.filters.members_for_list
chooses when): the list's queryset carries the column's unindexed form as an alias, and every
filter on that column goes through planned_column, so that the page, the count, the age band
and the search by year all filter the same column."""

from __future__ import annotations

from typing import Any

from django.db.models import Func, QuerySet


class Unindexed(Func):
    """`+column`: SQLite's way to keep a column's value and type while no index serves it."""

    template = "+%(expressions)s"


def planned_column(queryset: QuerySet[Any], column: str) -> str:
    """The name to filter `column` by in `queryset`: the column itself, or its unindexed alias
    when the list walks and hides it (members_for_list)."""
    alias = f"unindexed_{column}"
    return alias if alias in queryset.query.annotations else column
