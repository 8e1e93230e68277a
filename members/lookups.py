"""Lookups on byte-ordered columns (members.models.ByteOrderCharField): a subtree of the
branch tree and a prefix, each written as a range that the column's index serves on both
databases. Registered when members.models imports this module."""

from __future__ import annotations

from typing import Any

from django.db.models.lookups import Lookup

from . import domain
from .models import ByteOrderCharField


@ByteOrderCharField.register_lookup
class Subtree(Lookup):
    """`path__subtree=P`: the node with path P and all its descendants, as the range
    `path >= P AND path < P || '~'`. The one subtree filter of the project: never
    `__startswith`, which SQLite compiles to an unindexable LIKE ... ESCAPE."""

    lookup_name = "subtree"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if hasattr(self.rhs, "resolve_expression"):
            rhs, rhs_params = self.process_rhs(compiler, connection)
            sql = f"({lhs} >= {rhs} AND {lhs} < ({rhs} || '{domain.PATH_END}'))"
            return sql, (*lhs_params, *rhs_params, *lhs_params, *rhs_params)
        low, high = domain.subtree_bounds(self.rhs)
        return f"({lhs} >= %s AND {lhs} < %s)", (*lhs_params, low, *lhs_params, high)


PREFIX_END = "\U0010ffff"  # after every character: the upper bound of a prefix range


@ByteOrderCharField.register_lookup
class Prefix(Lookup):
    """`code__prefix=P`: values that start with P, as the range `>= P AND < P || U+10FFFF`,
    which the column's byte-ordered index serves on both databases (`__startswith` compiles to
    a LIKE that SQLite cannot serve from an index)."""

    lookup_name = "prefix"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"({lhs} >= %s AND {lhs} < %s)", (
            *lhs_params,
            self.rhs,
            *lhs_params,
            self.rhs + PREFIX_END,
        )
