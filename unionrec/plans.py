"""How a list keeps a column out of the planner's reach (members.filters.members_for_list
chooses when): the list's queryset carries the column's unindexed form as an alias, and every
filter and order on that column goes through planned_column, so that the page, its keyset
(unionrec.keyset), the count, the age band and the search all read the same column."""

from __future__ import annotations

from typing import Any

from django.db.models import Func, QuerySet


class Unindexed(Func):
    """A column's value and type that no index serves: `+column` on SQLite; on PostgreSQL
    `(column || '')` for text and `(column + 0)` for numbers and dates."""

    template = "+%(expressions)s"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        text = self.output_field.get_internal_type() in ("CharField", "TextField")
        template = "(%(expressions)s || '')" if text else "(%(expressions)s + 0)"
        return self.as_sql(compiler, connection, template=template, **extra)


def planned_column(queryset: QuerySet[Any], column: str) -> str:
    """The name to filter or order `column` by in `queryset`: the column itself, or its
    unindexed alias when the list hides it (members_for_list)."""
    alias = f"unindexed_{column}"
    return alias if alias in queryset.query.annotations else column


def hides_columns(queryset: QuerySet[Any]) -> bool:
    """Whether `queryset` hides any column from the planner (a walking list)."""
    return any(name.startswith("unindexed_") for name in queryset.query.annotations)
