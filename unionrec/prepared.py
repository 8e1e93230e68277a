"""A query that Django builds and compiles once per process and database, then runs with new
values: for the few hot queries whose building and compiling cost more than the database's
answer (members.statistics: about 2 ms of Python for a query that the database answers in
under 1 ms, measured on the bench's tree).

The query is written with the ORM as usual, so the rules it spells (a subtree as a path
range, the latest tally on or before a day, a branch existing on a day) keep their one home.
It is built once from stand-in values (an unlikely integer, date and string for each named
value); the stand-ins are then found among the compiled parameters and replaced by the real
values on each call. A parameter that only contains a string stand-in (the upper bound of a
subtree, `path || '~'`) gets the real value in its place; one that holds no stand-in (a
literal of the query) is kept as it is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connections
from django.db.models import QuerySet


def _stand_in(name: str, value: Any, n: int) -> Any:
    if isinstance(value, bool):
        raise TypeError(f"{name}: a flag would make the query itself differ; build two queries")
    if isinstance(value, int):
        return 987_654_321 + n  # within every integer column's range, or Django drops it
    if isinstance(value, date):  # a date before any register, unique per value
        return date(1001 + n, 7, 13)
    if isinstance(value, str):
        return f"\x01stand-in-{n}\x01"
    raise TypeError(f"{name}: no stand-in for a {type(value).__name__}")


@dataclass(frozen=True)
class Slot:
    """Where a compiled parameter comes from: a named value (`name`, kept in the type of
    `param` when that is an integer, since psycopg gets integers wrapped by Django, Int4 for
    an integer column), a text holding a stand-in (`text` replaced in `param`), or a literal."""

    param: Any
    name: str | None = None
    text: str | None = None

    def fill(self, values: dict[str, Any]) -> Any:
        if self.name is None:
            return self.param
        value = values[self.name]
        if self.text is not None:
            return self.param.replace(self.text, str(value))
        return type(self.param)(value) if isinstance(self.param, int) else value


def _slot(param: Any, stand_ins: dict[str, Any]) -> Slot:
    for name, stand_in in stand_ins.items():
        if isinstance(param, type(stand_in)) and param == stand_in:
            return Slot(param, name)
        text = str(stand_in)  # a date reaches SQLite as its ISO text
        if isinstance(param, str) and text in param:
            return Slot(param, name, text)
    return Slot(param)


class Prepared:
    """`Prepared(build).rows(alias, **values)`: the rows of `build(**values)` as tuples, with
    the SQL of `build` compiled once per database alias. `build` must use each value only as a
    query parameter (never to choose what the query looks like)."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]]) -> None:
        self.build = build
        self.compiled: dict[tuple[str, tuple[str, ...]], tuple[str, list[Slot]]] = {}

    def compile(self, alias: str, values: dict[str, Any]) -> tuple[str, list[Slot]]:
        stand_ins = {
            name: _stand_in(name, value, n) for n, (name, value) in enumerate(values.items())
        }
        queryset = self.build(**stand_ins).using(alias)
        sql, params = queryset.query.get_compiler(alias).as_sql()
        return sql, [_slot(param, stand_ins) for param in params]

    def rows(self, alias: str = "default", **values: Any) -> list[tuple[Any, ...]]:
        key = (alias, tuple(sorted(values)))
        if key not in self.compiled:
            self.compiled[key] = self.compile(alias, values)
        sql, slots = self.compiled[key]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [slot.fill(values) for slot in slots])
            rows: list[tuple[Any, ...]] = cursor.fetchall()
            return rows
