"""Horizontal bar charts as SVG text, drawn by the project (no chart library, no script).

One chart serves the page and the PDF: the page embeds it inline (the CSP allows no style
attributes, so everything is drawn with presentation attributes: x, y, width, height, fill),
and WeasyPrint lays the same markup out in the PDF, where its text stays text.

Guarantees of `bar_chart`:
- every piece of text (the title, the labels, the notes, the legend) is escaped with
  `html.escape`, so a branch named `<script>` is drawn as those characters;
- numbers are written by the `number` function the caller passes, so the chart uses the
  report's language (1.234 in Vietnamese, 1,234 in English);
- the scale is a round number (1, 2 or 5 times a power of ten) above the largest bar, and is
  1 when every value is 0, so there is no division by zero and no bar runs off the chart;
- at most `limit` bars are drawn, the largest ones (ties kept in the given order), shown in
  the given order; the chart then says how many of how many it shows (`cap_note`).

Standard library only; no Django, so it can be tested as a pure function."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

FONT = "DejaVu Sans, Noto Sans, sans-serif"
FONT_SIZE = 11
WHOLE_FILL = "#d9d2ce"  # the whole bar (members)
PART_FILL = "#b3261e"  # its shaded part (women)
INK = "#1d1b1a"
MUTED = "#6b6461"
GRID = "#e4dedb"
MARGIN = 8
GAP = 6  # between bars
TICKS = 4  # the scale is split in about this many steps
VALUE_WIDTH = 118  # room right of the longest bar for its figures
CHAR_WIDTH = 0.56  # an average glyph's advance, in font sizes (DejaVu Sans, mixed case)
DEFAULT_LIMIT = 30


@dataclass(frozen=True)
class Bar:
    """One bar: `value` as its length, `part` of it shaded (0 ≤ part ≤ value), and `note`,
    already formatted text written after the value (e.g. the women's share)."""

    label: str
    value: int
    part: int = 0
    note: str = ""


def scale(largest: int, *, ticks: int = TICKS) -> tuple[int, int]:
    """(top, step) of an axis from 0 that holds `largest`: the step is the smallest of 1, 2,
    5, 10, 20, 50, ... that covers `largest` in `ticks` steps, the top the first multiple of
    the step at or above `largest` (at least one step). 185 -> (200, 50); 0 -> (1, 1)."""
    largest = max(largest, 0)
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            step = multiple * magnitude
            if step * ticks >= largest:
                return max(step, -(-largest // step) * step), step
        magnitude *= 10


def shown(bars: Sequence[Bar], limit: int) -> list[Bar]:
    """The `limit` largest bars, in their given order (the first ones win a tie)."""
    if len(bars) <= limit:
        return list(bars)
    ranked = sorted(range(len(bars)), key=lambda i: (-bars[i].value, i))[:limit]
    return [bars[i] for i in sorted(ranked)]


def clip(text: str, room: float, size: float = FONT_SIZE) -> str:
    """`text` cut with an ellipsis to what fits in `room` user units (an estimate)."""
    most = max(1, int(room / (size * CHAR_WIDTH)))
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _text(x: float, y: float, content: str, **attributes: str | float) -> str:
    extra = "".join(
        f' {name.replace("_", "-")}="{escape(str(v))}"' for name, v in attributes.items()
    )
    return f'<text x="{x:g}" y="{y:g}"{extra}>{escape(content)}</text>'


def _rect(x: float, y: float, width: float, height: float, fill: str) -> str:
    return (
        f'<rect x="{x:g}" y="{y:g}" width="{max(width, 0):g}" height="{height:g}" fill="{fill}"/>'
    )


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    number: Callable[[int], str] = str,
    width: int = 640,
    bar_height: int = 16,
    label_share: float = 0.36,
    limit: int = DEFAULT_LIMIT,
    legend: tuple[str, str] = ("", ""),
    cap_note: str = "%(shown)s of %(total)s shown: the largest.",
    empty_text: str = "Nothing to show.",
    relative: bool = False,
    tick_label: Callable[[int], str] | None = None,
    ident: str = "chart",
) -> str:
    """An SVG bar chart of `bars` (see the module's docstring for its guarantees).

    `legend` names the whole bar and its part ("Members", "Women"); either may be empty.
    `cap_note` is a %-format with `shown` and `total`, written when bars are left out.
    With `relative`, every bar spans the whole scale (100) and its part is drawn as its share
    of the bar, for comparing shares of groups of different sizes; `tick_label` then writes
    the axis (0, 25, 50, 75, 100), by default with `number`. `ident` makes the ids of the
    chart's title unique on a page."""
    drawn = shown(bars, max(limit, 1))
    label_width = round(width * label_share)
    left, right = label_width, width - MARGIN - VALUE_WIDTH
    room = right - left
    if relative:
        top, step = 100, 25
    else:
        top, step = scale(max((bar.value for bar in drawn), default=0))
    axis_text = tick_label or number

    y = MARGIN + FONT_SIZE + 2
    body = [_text(MARGIN, y, title, font_weight="bold", fill=INK)]
    if len(drawn) < len(bars):
        y += FONT_SIZE + 6
        note = cap_note % {"shown": number(len(drawn)), "total": number(len(bars))}
        body.append(_text(MARGIN, y, note, fill=MUTED, font_style="italic"))
    if any(legend):
        y += FONT_SIZE + 8
        x = float(MARGIN)
        for fill, name in zip((WHOLE_FILL, PART_FILL), legend, strict=True):
            if name:
                body.append(_rect(x, y - FONT_SIZE + 1, 10, 10, fill))
                body.append(_text(x + 14, y, name, fill=INK))
                x += 14 + len(name) * FONT_SIZE * CHAR_WIDTH + 16
    if not drawn:
        y += FONT_SIZE + 10
        body.append(_text(MARGIN, y, empty_text, fill=MUTED))
        return _svg(body, width, y + MARGIN, title, ident)

    plot_top = y + 10
    plot_bottom = plot_top + len(drawn) * (bar_height + GAP)
    for tick in range(0, top + 1, step):
        x = left + room * tick / top
        body.append(
            f'<line x1="{x:g}" y1="{plot_top - 2:g}" x2="{x:g}" '
            f'y2="{plot_bottom:g}" stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(
            _text(
                x,
                plot_bottom + FONT_SIZE + 3,
                axis_text(tick),
                fill=MUTED,
                text_anchor="middle",
                font_size=FONT_SIZE - 1,
            )
        )
    for index, bar in enumerate(drawn):
        row_y = plot_top + index * (bar_height + GAP)
        whole = room if relative and bar.value else room * max(bar.value, 0) / top
        part_of = bar.value if relative else top
        part = room * min(max(bar.part, 0), max(bar.value, 0)) / part_of if part_of else 0
        baseline = row_y + bar_height / 2 + FONT_SIZE / 2 - 1.5
        figures = number(bar.value) + (f" · {bar.note}" if bar.note else "")
        body.append("<g>")
        body.append(f"<title>{escape(bar.label)}: {escape(figures)}</title>")
        body.append(
            _text(
                left - 6,
                baseline,
                clip(bar.label, label_width - MARGIN - 6),
                fill=INK,
                text_anchor="end",
            )
        )
        body.append(_rect(left, row_y, whole, bar_height, WHOLE_FILL))
        body.append(_rect(left, row_y, part, bar_height, PART_FILL))
        body.append(_text(left + whole + 4, baseline, figures, fill=INK))
        body.append("</g>")
    height = plot_bottom + FONT_SIZE + 3 + MARGIN
    return _svg(body, width, height, title, ident)


def _svg(body: list[str], width: float, height: float, title: str, ident: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{escape(ident)}-title" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" font-family="{FONT}" font-size="{FONT_SIZE}">'
        f'<title id="{escape(ident)}-title">{escape(title)}</title>' + "".join(body) + "</svg>"
    )
