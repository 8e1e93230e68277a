"""The project's SVG bar chart as a pure function: escaped text, a round scale (also when
everything is 0), the cap on the number of bars, and numbers in the caller's format."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from reports.charts import Bar, bar_chart, clip, scale, shown

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """The chart as XML: it must be well-formed (ET raises otherwise)."""
    return ET.fromstring(svg)  # noqa: S314 - our own output, no entities


def texts(svg: str) -> list[str]:
    return [node.text or "" for node in parse(svg).iter(f"{SVG}text")]


def rects(svg: str) -> list[dict[str, float]]:
    return [
        {k: float(v) for k, v in node.attrib.items() if k in {"x", "y", "width", "height"}}
        for node in parse(svg).iter(f"{SVG}rect")
    ]


@pytest.mark.parametrize(
    ("largest", "expected"),
    [
        (0, (1, 1)),
        (1, (1, 1)),
        (3, (3, 1)),
        (4, (4, 1)),
        (5, (6, 2)),
        (8, (8, 2)),
        (9, (10, 5)),
        (38, (40, 10)),
        (185, (200, 50)),
        (1000, (1000, 500)),
        (8_500_000, (10_000_000, 5_000_000)),
    ],
)
def test_the_scale_is_a_round_number_at_or_above_the_largest_bar(largest, expected):
    top, step = scale(largest)
    assert (top, step) == expected
    assert top >= largest and top % step == 0 and top // step <= 4


def test_a_member_supplied_label_is_drawn_as_text_never_as_markup():
    svg = bar_chart(
        [Bar("<script>alert(1)</script>", 10, 5), Bar('=HYPERLINK("x") & "q"', 4, 1)],
        title="Members <b>",
        number=str,
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    drawn = texts(svg)  # the parser unescapes: the reader sees the name as it was typed
    assert "<script>alert(1)</script>" in drawn
    assert '=HYPERLINK("x") & "q"' in drawn
    assert "Members <b>" in drawn


def test_bars_and_the_shaded_part_are_drawn_to_scale():
    svg = bar_chart([Bar("A", 185, 91), Bar("B", 50, 0)], title="t", width=640)
    whole_a, part_a, whole_b, part_b = rects(svg)[-4:]
    assert whole_a["width"] / whole_b["width"] == pytest.approx(185 / 50, rel=1e-4)
    assert part_a["width"] / whole_a["width"] == pytest.approx(91 / 185, rel=1e-4)
    assert part_b["width"] == 0
    assert max(r["x"] + r["width"] for r in rects(svg)) <= 640


def test_all_values_zero_give_a_scale_and_empty_bars_not_an_error():
    svg = bar_chart([Bar("A", 0, 0), Bar("B", 0, 0)], title="t")
    assert all(r["width"] == 0 for r in rects(svg)[-4:])
    assert "0" in texts(svg) and "1" in texts(svg)  # the axis: 0 to 1
    assert "nan" not in svg.lower() and "inf" not in svg.lower()


def test_no_bars_draw_the_empty_text():
    svg = bar_chart([], title="Members", empty_text="No sub-units on this date.")
    assert texts(svg) == ["Members", "No sub-units on this date."]
    assert rects(svg) == []


def test_numbers_are_written_by_the_function_passed_in():
    def vietnamese(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    svg = bar_chart([Bar("A", 12_345, 6_000, note="48,6 %")], title="t", number=vietnamese)
    assert "12.345 · 48,6 %" in texts(svg)
    assert "15.000" in texts(svg)  # an axis tick


def test_only_the_largest_bars_are_drawn_and_the_chart_says_so():
    bars = [Bar(f"unit {i}", value=i, part=0) for i in range(1, 81)]
    svg = bar_chart(bars, title="t", limit=30, cap_note="%(shown)s of %(total)s shown")
    labels = [t for t in texts(svg) if t.startswith("unit ")]
    assert labels == [f"unit {i}" for i in range(51, 81)]  # the 30 largest, in given order
    assert "30 of 80 shown" in texts(svg)
    whole = bar_chart(bars[:30], title="t", cap_note="%(shown)s of %(total)s shown")
    assert not any("shown" in t for t in texts(whole))


def test_ties_at_the_cap_keep_the_first_bars():
    bars = [Bar("a", 5), Bar("b", 5), Bar("c", 5), Bar("d", 9)]
    assert [bar.label for bar in shown(bars, 2)] == ["a", "d"]


def test_relative_bars_span_the_scale_and_shade_the_share():
    svg = bar_chart(
        [Bar("Members", 185, 91), Bar("Elected", 10, 4)],
        title="t",
        relative=True,
        tick_label=lambda t: f"{t}%",
    )
    whole_m, part_m, whole_e, part_e = rects(svg)[-4:]
    assert whole_m["width"] == whole_e["width"]
    assert part_e["width"] / whole_e["width"] == pytest.approx(0.4)
    assert part_m["width"] / whole_m["width"] == pytest.approx(91 / 185, rel=1e-4)
    assert [t for t in texts(svg) if t.endswith("%")] == ["0%", "25%", "50%", "75%", "100%"]


def test_long_labels_are_cut_with_an_ellipsis_and_kept_whole_in_the_tooltip():
    name = "Công đoàn bộ phận Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Hải Phòng"
    svg = bar_chart([Bar(name, 30, 15)], title="t")
    label = next(t for t in texts(svg) if t.startswith("Công"))
    assert label.endswith("…") and len(label) < len(name)
    tooltips = [node.text for node in parse(svg).iter(f"{SVG}title")]
    assert any(t.startswith(name) for t in tooltips)
    assert clip("short", 200) == "short"


def test_the_svg_carries_no_style_attribute_or_script():
    svg = bar_chart([Bar("A", 3, 1)], title="t", legend=("Members", "Women"))
    assert not re.search(r"\sstyle=|<style|<script|on\w+=", svg)
    assert parse(svg).get("role") == "img"
