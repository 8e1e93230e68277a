"""Template filters for figures in the reader's language."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()


def format_share(value: Decimal | float | None, language: str | None = None) -> str:
    """A percentage with one decimal as its language writes it: "49,2 %" in Vietnamese,
    "49.2%" in English; an empty branch has no share ("—")."""
    if value is None:
        return "—"
    language = (language or get_language() or "vi")[:2]
    if language == "vi":
        return f"{Decimal(value):.1f}".replace(".", ",") + " %"
    return f"{Decimal(value):.1f}%"


@register.filter
def share(value: Decimal | float | None) -> str:
    return format_share(value)


@register.filter
def count(value: int | None) -> str:
    """An integer with the language's thousands separator (1.234 / 1,234)."""
    if value is None:
        return "—"
    return number_format(value, force_grouping=True)


@register.filter
def amount(value: Decimal | int | None) -> str:
    """A target's value without needless decimals, in the language's format (1.234,5 /
    1,234.5; 80 not 80.00)."""
    if value is None:
        return "—"
    number = Decimal(value)
    exponent = number.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return number_format(number, decimal_pos=places, force_grouping=True)


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
