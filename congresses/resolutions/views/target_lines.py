"""The goals page's target lines (an `<li>` each), drawn in Python.

A federation's page lists a few hundred targets; through the template, whose blocks of
translated text and filters were compiled for each line, they cost about two thirds of the
page (goals of a federation at 10 M members: 134 ms, issue 14 item 7). The markup, the
sentences (the same messages of the catalogue) and the formats are those the template drew."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from unionrec.templatetags.unionrec import format_share, quantity

if TYPE_CHECKING:
    from congresses.resolutions.views.goals import Line


def _said(message: str, **values: Any) -> str:
    """A translated sentence with its values, each escaped (as {% blocktranslate %} does)."""
    return escape(gettext(message)) % {name: escape(str(value)) for name, value in values.items()}


def _day(value: Any) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _title(line: Line, url: str, *, compact: bool) -> str:
    """The target's title as a link; a part names its branch first, and in a full section
    (where it sits under its parent) links only "details"."""
    target = line.status.target
    part_of = ""
    if line.is_part:
        part_of = f'<span class="part-of">{escape(target.branch.display_name)}</span>'
        if compact:
            part_of += " · "
    if not line.is_part or compact:
        return f'{part_of}<a href="{url}">{escape(target.title)}</a>'
    return f'{part_of} <a href="{url}" class="muted">{escape(gettext("details"))}</a>'


def _badge(line: Line) -> str:
    if line.shown.verdict:
        code = escape(line.status.verdict_code or "none")
        return f'<span class="badge verdict verdict-{code}">{escape(str(line.label))}</span>'
    withheld = escape(gettext("Verdict withheld: a small count"))
    return f'<span class="badge verdict verdict-withheld">{withheld}</span>'


def _bar(line: Line) -> str:
    if line.shown.progress is None:
        withheld = escape(gettext("Progress withheld: a small count"))
        return f'<div class="bar-row"><span class="percent withheld">{withheld}</span></div>'
    share = escape(format_share(line.shown.progress))
    label = _said("%(percent)s of the way", percent=format_share(line.shown.progress))
    return (
        f'<div class="bar-row"><progress class="bar" max="100" value="{line.shown.percent}"'
        f' aria-label="{label}">{share}</progress> <span class="percent">{share}</span></div>'
    )


def _figures(line: Line) -> str:
    """The actual value, the target value and the baseline (a yes/no target: done or not),
    as of when, and the deadline."""
    status, target, shown = line.status, line.status.target, line.shown
    spans: list[str] = []
    if target.kind == "yes_no":
        if status.percent == 100:
            said = gettext("Done")
        elif status.as_of:
            said = gettext("Not done yet")
        else:
            said = gettext("No figure recorded yet")
        spans.append(f"<span>{escape(said)}</span>")
    else:
        actual = escape(gettext("No figure recorded yet"))
        if status.as_of:
            actual = _said("Now %(actual)s", actual=quantity(shown.actual, target.unit))
        spans.append(f'<span class="actual">{actual}</span>')
        value = _said("Target %(value)s", value=quantity(target.target_value, target.unit))
        spans.append(f'<span class="target-value">{value}</span>')
        if target.baseline is not None:
            baseline = _said("Baseline %(value)s", value=quantity(shown.baseline, target.unit))
            spans.append(f"<span>{baseline}</span>")
    if status.as_of:
        spans.append(f'<span class="as-of">{_said("as of %(day)s", day=_day(status.as_of))}</span>')
    spans.append(f"<span>{_said('due %(day)s', day=_day(target.deadline))}</span>")
    return f'<p class="target-figures">{" ".join(spans)}</p>'


def drawn(lines: Iterable[Line], *, compact: bool) -> SafeString:
    """The `<li>` of each line, in order; `compact` for the subtree list's sections. Every
    text from the records or the catalogue is escaped where it is put in."""
    items = []
    for line in lines:
        status, target = line.status, line.status.target
        url = escape(reverse("congresses:target", args=[target.pk]))
        judged = status.judged_on.isoformat() if status.judged_on else ""
        part = " part" if line.is_part else ""
        items.append(
            f'<li class="target{part}" data-target="{target.pk}"'
            f' data-verdict="{escape(line.verdict_code)}" data-judged-on="{judged}">'
            f'<div class="target-head"><span class="target-title">'
            f"{_title(line, url, compact=compact)}</span> {_badge(line)}</div>"
            f"{_bar(line)}{_figures(line)}</li>"
        )
    return mark_safe("\n".join(items))  # noqa: S308 (every value escaped above)
