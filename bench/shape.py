"""The size and shape of the generated tree, and treebeard paths (no Django needed)."""

from __future__ import annotations

from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # django-treebeard's MP_Node alphabet
STEPLEN = 4  # MP_Node.steplen, members.domain.PATH_STEP
# Bump when the generated data changes, so that --keep does not reuse an older database.
# 2: the name search index filled; 3: branches' search keys; 4: congress records (bench.records)
GENERATOR_VERSION = "4"

FULL_MEMBERS = 10_000_000
FULL_SHAPE = {"federations": 80, "upper_unions": 800, "grassroots": 100_000, "sub_units": 45_000}
FULL_BRANCHES = 1 + sum(FULL_SHAPE.values())  # 145,881
MIN_BRANCHES = 10


def default_branches(members: int) -> int:
    """Branches for `members` members at the full-scale ratio (145,881 per 10 M)."""
    return max(MIN_BRANCHES, round(members * FULL_BRANCHES / FULL_MEMBERS))


@dataclass(frozen=True)
class Shape:
    federations: int
    upper_unions: int
    grassroots: int
    sub_unions: int
    groups: int

    @property
    def branches(self) -> int:
        below = self.federations + self.upper_unions + self.grassroots
        return 1 + below + self.sub_unions + self.groups

    def describe(self) -> str:
        return (
            f"1 confederation, {self.federations:,} federations, {self.upper_unions:,} upper "
            f"unions, {self.grassroots:,} grassroots unions, {self.sub_unions:,} sub-unions, "
            f"{self.groups:,} groups ({self.branches:,} branches)"
        )


def shape_for(branches: int) -> Shape:
    """The full-scale proportions scaled to `branches` (at least 2 federations and at least as
    many upper unions as federations); sub-units are two thirds sub-unions, one third groups."""
    if branches < MIN_BRANCHES:
        raise ValueError(f"--branches must be at least {MIN_BRANCHES}")
    scale = (branches - 1) / (FULL_BRANCHES - 1)
    federations = max(2, round(FULL_SHAPE["federations"] * scale))
    upper_unions = max(federations, round(FULL_SHAPE["upper_unions"] * scale))
    sub_units = round(FULL_SHAPE["sub_units"] * scale)
    grassroots = branches - 1 - federations - upper_unions - sub_units
    sub_unions = round(sub_units * 2 / 3)
    return Shape(federations, upper_unions, grassroots, sub_unions, sub_units - sub_unions)


def path_step(position: int) -> str:
    """treebeard's step for the `position`-th child (from 1): 1 -> "0001", 36 -> "0010"."""
    if not 0 < position < len(ALPHABET) ** STEPLEN:
        raise ValueError(f"position {position} does not fit a step of {STEPLEN}")
    digits = []
    for _ in range(STEPLEN):
        position, rest = divmod(position, len(ALPHABET))
        digits.append(ALPHABET[rest])
    return "".join(reversed(digits))
