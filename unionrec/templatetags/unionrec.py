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
def change_reason(value: str | None) -> str:
    """A history row's reason in the reader's language. The services store fixed English
    codes ("moved", "transferred to <code>"); anything else is a user's own text."""
    from django.utils.translation import gettext

    if not value:
        return ""
    if value == "moved":
        return gettext("moved in the tree")
    if value.startswith("transferred to "):
        return gettext("transferred to %(code)s") % {"code": value.removeprefix("transferred to ")}
    if value.startswith("certified: revision "):
        return gettext("certified (revision %(n)s)") % {"n": value.rpartition(" ")[2]}
    if value.startswith("reopened: "):
        return gettext("reopened: %(reason)s") % {"reason": value.removeprefix("reopened: ")}
    if value == "not elected after a correction":
        return gettext("no longer elected after a correction")
    return value
