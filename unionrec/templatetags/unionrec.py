"""Template filters for figures in the reader's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

from unionrec.small_cells import Hidden

register = template.Library()


NBSP = "\u00a0"  # NO-BREAK SPACE: a number and its unit never wrap apart


def with_unit(number: str, unit: str | None) -> str:
    """A formatted number and its unit as one phrase that never breaks across lines: joined
    by a no-break space in every language ("49,2 %", "49.2 %", "150 đoàn viên").
    ISO 80000-1 and the SI Brochure (5.4.7) write a space between a number and "%", as
    Vietnamese does; English follows the same rule here, so a percentage reads one way
    whether it comes from a share or from a target whose unit is "%". A blank unit leaves
    the number alone. docs/architecture.md, "Languages and formats"."""
    unit = (unit or "").strip()
    return f"{number}{NBSP}{unit}" if unit else number


def format_share(value: Decimal | float | Hidden | None, language: str | None = None) -> str:
    """A percentage with one decimal as its language writes it: "49,2 %" in Vietnamese,
    "49.2 %" in English (with_unit); an empty branch has no share ("—"), a share of a small
    count is withheld ("< 5", unionrec.small_cells)."""
    if value is None:
        return "—"
    if isinstance(value, Hidden):
        return str(value)
    language = (language or get_language() or "vi")[:2]
    number = f"{Decimal(value):.1f}"
    return with_unit(number.replace(".", ",") if language == "vi" else number, "%")


@register.filter
def share(value: Decimal | float | Hidden | None) -> str:
    return format_share(value)


@register.filter
def percent(value: int | None) -> str:
    """A whole percentage, such as how far an export has come: "40 %" (with_unit)."""
    if value is None:
        return "—"
    return with_unit(count(value), "%")


@register.filter
def count(value: int | Hidden | None) -> str:
    """An integer with the language's thousands separator (1.234 / 1,234); a small count
    withheld is "< 5" (unionrec.small_cells)."""
    if value is None:
        return "—"
    if isinstance(value, Hidden):
        return str(value)
    return number_format(value, force_grouping=True)


@register.filter
def amount(value: Decimal | int | Hidden | None) -> str:
    """A target's value without needless decimals, in the language's format (1.234,5 /
    1,234.5; 80 not 80.00); a small count withheld is "< 5" (unionrec.small_cells)."""
    if value is None:
        return "—"
    if isinstance(value, Hidden):
        return str(value)
    number = Decimal(value)
    exponent = number.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return number_format(number, decimal_pos=places, force_grouping=True)


@register.filter
def quantity(value: Decimal | int | Hidden | None, unit: str | None) -> str:
    """A target's figure with its unit, never wrapped apart: "1.234,5 đoàn viên",
    "80 %" (amount, with_unit); no figure is "—", without a unit."""
    if value is None:
        return "—"
    if isinstance(value, Hidden):  # a small count withheld (unionrec.small_cells)
        return with_unit(str(value), unit)
    return with_unit(amount(value), unit)


@register.filter
def verdict_label(value: str) -> str:
    """A target's verdict code in the reader's language (blank: not yet judged)."""
    from congresses.resolutions.goals import verdict_text

    return verdict_text(value)


@register.filter
def change_reason(value: str | None) -> str:
    """A history row's reason in the reader's language. The services store fixed English
    codes ("moved", "transferred to <code>"); anything else is a user's own text."""
    from django.utils.translation import gettext

    if not value:
        return ""
    if value == "moved":
        return gettext("moved in the tree")
    if value == "names cleaned":  # members migration 0005
        return gettext("invisible characters removed and full-width letters folded")
    if value.startswith("transferred to "):
        return gettext("transferred to %(code)s") % {"code": value.removeprefix("transferred to ")}
    if value.startswith("certified: revision "):
        return gettext("certified (revision %(n)s)") % {"n": value.rpartition(" ")[2]}
    if value.startswith("reopened: "):
        return gettext("reopened: %(reason)s") % {"reason": value.removeprefix("reopened: ")}
    if value == "not elected after a correction":
        return gettext("no longer elected after a correction")
    return value


@register.filter
def reads_records(user: object) -> bool:
    """Whether the user may list records (unionrec.access.Scope.reads_records): the menu links
    only to lists its user may open."""
    from unionrec.access import scope_for

    return scope_for(user).reads_records


@register.filter
def sees_branch(user: object, branch: object) -> bool:
    """Whether the user may open the branch's page (unionrec.access.Scope.level_for): a member
    sees the figures of a sibling sub-unit in a table, but its name links nowhere."""
    from unionrec.access import scope_for

    return scope_for(user).level_for(branch.path) is not None  # type: ignore[attr-defined]


@register.simple_tag
def small_cells_note(in_table: bool = True) -> str:
    """The sentence under figures whose small counts are withheld (unionrec.small_cells)."""
    from unionrec.small_cells import note

    return note(in_table=in_table)


@register.filter
def age_band(birth_date: date | None) -> str:
    """The label of the age band a date of birth falls in today (members.filters.age_band_label)."""
    from members.filters import age_band_label

    return age_band_label(birth_date)
