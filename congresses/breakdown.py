"""The members of a congress day by sub-unit, frozen together with the totals.

When a congress is recorded as held, congresses.services.freeze_statistics stores the branch's
totals and this breakdown from one reading of the register (`count_on`), so that every
congress-day document (the congress page, the term summary's page, PDF and workbook, the
dossier, women's representation, the API) shows one breakdown that later changes of the
register cannot move, and whose rows add up to its total: a row per direct sub-unit existing
on the day (its whole subtree), and a row for the members attached to the branch itself,
outside any sub-unit, when there are any.

Before the congress is held nothing is frozen: the documents show the register's figures of
a day no later than today, and say which day (`Breakdown.frozen` is False).

Congresses held before breakdowns were frozen got theirs from the register as of their day
(migration 0005_congress_breakdown). Where those rows do not add up to the totals frozen on
the day (the register changed since, e.g. members imported with earlier join dates), the
breakdown is marked reconstructed; the documents say so, and `breakdown_findings` lists every
stored breakdown that does not add up to its frozen total for check_records. Nothing stored is
rewritten."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import reduce
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congresses.findings import Finding
from congresses.models import Congress, Term
from members.domain import Counts
from members.models import Branch
from members.statistics import BranchStatistics, statistics, today
from unionrec.days import day_text


@dataclass(frozen=True)
class UnitRow:
    """One row of a breakdown: a sub-unit's whole subtree, or (`direct`) the members attached
    to the branch itself."""

    code: str
    name: str
    counts: Counts
    direct: bool = False
    short_name: str = ""

    @property
    def members(self) -> int:
        return self.counts.members

    @property
    def women(self) -> int:
        return self.counts.women

    @property
    def unknown(self) -> int:
        return self.counts.unknown

    @property
    def women_share(self) -> Decimal | None:
        return self.counts.women_share

    @property
    def label(self) -> str:
        """The row's name in the active language."""
        if self.direct:
            return _("Members directly in %(branch)s, not in a sub-unit") % {"branch": self.name}
        return self.name

    @property
    def short_label(self) -> str:
        """The row's short name where the branch has one (for narrow tables)."""
        return self.label if self.direct else self.short_name or self.name

    def stored(self) -> dict[str, Any]:
        """The row as Congress.counted_sub_unit_rows holds it."""
        row: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "short_name": self.short_name,
            "members": self.members,
            "women": self.women,
            "unknown": self.unknown,
        }
        return row | ({"direct": True} if self.direct else {})

    @classmethod
    def from_stored(cls, row: Mapping[str, Any]) -> UnitRow:
        """A stored row; a value missing or not a number (written behind the application)
        reads as 0, and check_records then lists the breakdown if it no longer adds up."""

        def number(key: str) -> int:
            value = row.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else 0

        counts = Counts(number("members"), number("women"), number("unknown"))
        return cls(
            code=str(row.get("code", "")),
            name=str(row.get("name", "")),
            counts=counts,
            direct=row.get("direct") is True,
            short_name=str(row.get("short_name", "")),
        )


@dataclass(frozen=True)
class Breakdown:
    """The members of a congress day by sub-unit, beside the total they break down.

    `frozen`: stored when the congress was recorded as held (else read from the register on
    `day`, which is then no later than today); `reconstructed`: stored later, from the
    register as of the day, and not adding up to the totals frozen on the day."""

    day: date
    frozen: bool
    reconstructed: bool
    total: Counts
    rows: tuple[UnitRow, ...]

    @property
    def sums(self) -> Counts:
        return reduce(lambda a, b: a + b, (row.counts for row in self.rows), Counts())

    @property
    def adds_up(self) -> bool:
        return self.sums == self.total

    @property
    def sub_units(self) -> tuple[UnitRow, ...]:
        """The rows of sub-units, without the branch's own members."""
        return tuple(row for row in self.rows if not row.direct)

    @property
    def mismatch(self) -> str:
        """How the rows differ from the frozen totals, in the active language ("" if they
        add up), saying so when the breakdown was reconstructed."""
        if self.adds_up:
            return ""
        text = _("The rows add up to %(sums)s, not to the totals frozen on %(day)s: %(total)s.") % {
            "sums": counts_text(self.sums),
            "day": day_text(self.day),
            "total": counts_text(self.total),
        }
        if not self.reconstructed:
            return text
        reconstructed = _(
            "Reconstructed later from the register as of %(day)s, which has changed since "
            "(members added or removed with earlier dates)."
        ) % {"day": day_text(self.day)}
        return f"{reconstructed} {text}"

    @property
    def note(self) -> str:
        """What the rows are, in the active language, for every document that shows them:
        frozen on the congress day, reconstructed, or the register's of a day, not frozen."""
        day = day_text(self.day)
        if not self.frozen:
            return _(
                "From the register as of %(day)s, not frozen: the congress is not recorded as "
                "held yet."
            ) % {"day": day}
        if self.adds_up:
            return _(
                "Counted from the register on %(day)s and frozen with the totals when the "
                "congress was recorded as held."
            ) % {"day": day}
        return self.mismatch


def counts_text(counts: Counts) -> str:
    """ "185 members (91 women, 0 of gender not recorded)" in the active language: a plural
    phrase for each count that names a noun."""
    members = ngettext("%(n)s member", "%(n)s members", counts.members) % {"n": counts.members}
    women = ngettext("%(n)s woman", "%(n)s women", counts.women) % {"n": counts.women}
    return _("%(members)s (%(women)s, %(unknown)s of gender not recorded)") % {
        "members": members,
        "women": women,
        "unknown": counts.unknown,
    }


def rows_of(figures: BranchStatistics) -> tuple[UnitRow, ...]:
    """The breakdown of a branch's statistics: its children's rows, then the members attached
    to the branch itself when there are any (members.statistics.BranchStatistics.direct), so
    that the rows add up to the branch's total."""
    rows = [
        UnitRow(c.branch.code, c.branch.name, c.counts, short_name=c.branch.short_name)
        for c in figures.children
    ]
    direct = figures.direct
    if direct != Counts():
        own = figures.branch
        rows.append(UnitRow(own.code, own.name, direct, direct=True, short_name=own.short_name))
    return tuple(rows)


def count_on(branch: Branch, day: date) -> tuple[BranchStatistics, tuple[UnitRow, ...]]:
    """The branch's statistics on `day` and their breakdown, from one reading of the register
    (what freezing a congress stores)."""
    figures = statistics(branch, day)
    return figures, rows_of(figures)


def rows_for_storage(rows: Iterable[UnitRow]) -> list[dict[str, Any]]:
    """The rows as Congress.counted_sub_unit_rows holds them (a JSON list)."""
    return [row.stored() for row in rows]


def stored_rows(congress: Congress) -> tuple[UnitRow, ...]:
    rows = congress.counted_sub_unit_rows
    if not isinstance(rows, list):
        return ()
    return tuple(UnitRow.from_stored(row) for row in rows if isinstance(row, Mapping))


def frozen_total(congress: Congress) -> Counts:
    """The totals frozen on the congress day (a figure not stored reads as 0)."""
    return Counts(
        congress.counted_members or 0, congress.counted_women or 0, congress.counted_unknown or 0
    )


def congress_breakdown(congress: Congress) -> Breakdown:
    """The breakdown every congress-day document shows: the frozen one once the congress is
    recorded as held, else the register's on the congress day or today, whichever is earlier."""
    if congress.counted_on is not None:
        return Breakdown(
            day=congress.counted_on,
            frozen=True,
            reconstructed=congress.counted_rows_reconstructed,
            total=frozen_total(congress),
            rows=stored_rows(congress),
        )
    day = min(congress.held_on, today())
    figures, rows = count_on(congress.term.branch, day)
    return Breakdown(day=day, frozen=False, reconstructed=False, total=figures.counts, rows=rows)


def breakdown_findings(terms: QuerySet[Term]) -> Iterator[Finding]:
    """Held congresses whose stored breakdown by sub-unit does not add up to the totals frozen
    on their day (for check_records)."""
    held = Congress.objects.filter(term__in=terms, counted_on__isnull=False).select_related(
        "term__branch"
    )
    for congress in held.order_by("term__branch__path", "held_on"):
        found = congress_breakdown(congress)
        if found.adds_up:
            continue
        yield Finding(
            term=congress.term,
            record=_("Congress of %(day)s: members per sub-unit") % {"day": day_text(found.day)},
            problem=found.mismatch,
            fix=_(
                "Nothing is rewritten: the documents show both figures. Check the register's "
                "members of that day; if the congress itself reported other figures, record "
                "them as the reported figures with the reason."
            ),
            url=reverse("congresses:congress", args=[congress.pk]) + "#statistics",
        )
