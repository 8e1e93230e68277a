"""How a list keeps a column out of the planner's reach (members.filters.members_for_list
chooses when): the list's queryset carries the column's unindexed form as an alias, and every
filter and order on that column goes through planned_column, so that the page, its keyset
(unionrec.keyset), the count, the age band and the search all read the same column. Also how a
list hands PostgreSQL a long list of ids (AnyOf)."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, F, Func, QuerySet


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


class AnyOf(Func):
    """`column = ANY(array)` (PostgreSQL): one parameter however long the list, which the
    planner reads as a constant, hashed when a walk checks each row against it; Django's
    `column IN (...)` compiles and sends one parameter per value (a subtree of 7,000 branches:
    20 ms of Python and planning)."""

    output_field = BooleanField()

    def __init__(self, column: str, values: list[int]) -> None:
        super().__init__(F(column))
        self.values = list(values)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        """Elsewhere (SQLite), `column IN (...)`."""
        column, params = compiler.compile(self.get_source_expressions()[0])
        marks = ", ".join(["%s"] * len(self.values)) or "NULL"
        return f"{column} IN ({marks})", [*params, *self.values]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        source = self.get_source_expressions()[0]
        column, params = compiler.compile(source)
        # typed as the column, or psycopg's choice (smallint[] for small numbers) leaves a
        # comparison across types that the planner cannot hash
        kind = source.output_field.cast_db_type(connection)
        return f"{column} = ANY(%s::{kind}[])", [*params, self.values]
