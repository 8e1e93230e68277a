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


RANGES_MAX = 16  # at most this many runs of consecutive ids are written as ranges (AnyOf)
RANGE_MIN = 8  # ... each of at least this many ids; the others stay in the array


def id_runs(values: list[int]) -> list[tuple[int, int]]:
    """`values` as runs of consecutive integers, (first, last), in increasing order."""
    runs: list[tuple[int, int]] = []
    for value in sorted(set(values)):
        if runs and value == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], value)
        else:
            runs.append((value, value))
    return runs


class AnyOf(Func):
    """`column = ANY(array)` (PostgreSQL): one parameter however long the list, which the
    planner reads as a constant, hashed when a walk checks each row against it; Django's
    `column IN (...)` compiles and sends one parameter per value (a subtree of 7,000 branches:
    20 ms of Python and planning).

    The longest runs of consecutive ids (up to RANGES_MAX, of at least RANGE_MIN ids each) are
    written as ranges before the array, `column BETWEEN a AND b OR ... OR column = ANY(rest)`:
    a subtree's branches created together (an import, the bench's tree) have consecutive ids,
    and the planner weighs an array id by id (a federation's 6,963 ids: about 3 ms to plan a
    page, and a hash probe per row walked, against two comparisons for a range: `page=200`
    of that federation 30 -> 20 ms at 10 M members)."""

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
        runs = id_runs(self.values)
        longest = sorted(runs, key=lambda run: run[0] - run[1])[:RANGES_MAX]  # longest first
        ranges = [run for run in longest if run[1] - run[0] + 1 >= RANGE_MIN]
        terms = [f"{column} BETWEEN %s::{kind} AND %s::{kind}" for _run in ranges]
        values: list[Any] = [part for run in ranges for part in (*params, *run)]
        ranged = set(ranges)
        rest = [n for run in runs if run not in ranged for n in range(run[0], run[1] + 1)]
        if rest or not ranges:
            terms.append(f"{column} = ANY(%s::{kind}[])")
            values += [*params, rest]
        return "(" + " OR ".join(terms) + ")", values
