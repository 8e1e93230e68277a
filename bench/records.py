"""Congress records for the generated tree, written in bulk like the tree and the members.

For every branch of the calendar's kinds (all but union groups, which hold no congress): a
term, the congress that opened it and, for the root, the federations, the upper unions and a
share of the grassroots unions, the resolution of that congress with directions, a campaign and
a handful of numeric targets with yearly figures, so that the calendar and the goals page have
something to show at national scale. Shares are quotas over the branches in a shuffled order
(not independent rolls), so even a tiny tree has every situation:

- most branches have a current term (five years, started over the last five years, so about
  one in five ends within the next 12 months), and many a previous one before it;
- NO_TERM_SHARE have no term at all, OVERDUE_SHARE a term that ended with no newer one (the
  calendar's "overdue"), EXTENDED_SHARE a term past its end but extended by the higher union;
- UNRECOGNISED_SHARE have a current term opened in the last months whose congress is held or
  awaiting recognition; every other congress of a started term is recognised;
- NEXT_SHARE of the terms ending within 12 months have their next term recorded already, with
  its congress planned.

The rows respect the models' constraints and the services' rules that check_records reads
(a congress is held within its term's first month, never after today when held; figures fall
within the term and not after today; a split target's parts add up to it), but bypass the
services: no history rows, and a held congress has no frozen statistics (`counted_on` empty,
as congresses recorded before freezing existed). No reviews, posts, delegates or elections.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, models

from congresses.domain import add_months, default_term_end, label_for
from congresses.models import Congress, CongressKind, CongressStatus, Term
from congresses.resolutions.models import (
    Campaign,
    Direction,
    Progress,
    Resolution,
    Target,
    TargetKind,
)
from congresses.services import term_years
from members.models import Branch, BranchKind

from .generate import Writer, columns_for

NO_TERM_SHARE = 0.03
OVERDUE_SHARE = 0.04
EXTENDED_SHARE = 0.02
UNRECOGNISED_SHARE = 0.05
PREVIOUS_SHARE = 0.7  # of the branches with a term: the term before it is recorded too
NEXT_SHARE = 0.4  # of the terms ending within 12 months: the next term is planned already
GRASSROOTS_RESOLUTION_SHARE = 0.25
SPLIT_PARTS = 5  # a target of the root, a federation or an upper union split over sub-units

MODELS: list[type[models.Model]] = [
    Term,
    Congress,
    Resolution,
    Direction,
    Campaign,
    Target,
    Progress,
]

NAMES = {  # the rows made, as generate() counts them
    Term: "terms",
    Congress: "congresses",
    Resolution: "resolutions",
    Direction: "directions",
    Campaign: "campaigns",
    Target: "targets",
    Progress: "figures",
}

DIRECTIONS = [
    "Đại diện, chăm lo và bảo vệ quyền, lợi ích hợp pháp, chính đáng của đoàn viên và người "
    "lao động; tham gia xây dựng quan hệ lao động hài hòa, ổn định, tiến bộ.",
    "Tuyên truyền, giáo dục chính trị, tư tưởng, pháp luật cho đoàn viên và người lao động.",
    "Phát triển đoàn viên, xây dựng tổ chức công đoàn vững mạnh.",
    "Đẩy mạnh các phong trào thi đua yêu nước, lao động sáng tạo.",
    "Chuyển đổi số trong hoạt động công đoàn: hồ sơ đoàn viên, sinh hoạt và báo cáo.",
    "Làm tốt công tác kiểm tra, giám sát và công tác nữ công.",
]
CAMPAIGNS = [
    "Lao động giỏi, lao động sáng tạo",
    "Giỏi việc nước, đảm việc nhà",
    "Xanh - Sạch - Đẹp, bảo đảm an toàn, vệ sinh lao động",
]
# (title, kind, baseline range, target range as a multiple of the baseline or a range, unit)
MEMBERS_TITLE = "Số đoàn viên công đoàn"
TRAINED_TITLE = "Đoàn viên được bồi dưỡng nghiệp vụ công đoàn"
OTHER_TARGETS: list[tuple[str, str, tuple[float, float], tuple[float, float], str]] = [
    ("Tỷ lệ công đoàn cơ sở đạt vững mạnh", TargetKind.PERCENTAGE, (55, 75), (80, 95), "%"),
    ("Tỷ lệ nữ trong Ban Chấp hành", TargetKind.PERCENTAGE, (20, 35), (35, 45), "%"),
    (
        "Tỷ lệ đoàn viên được tuyên truyền pháp luật",
        TargetKind.PERCENTAGE,
        (70, 85),
        (95, 100),
        "%",
    ),
    ("Ký kết thỏa ước lao động tập thể", TargetKind.YES_NO, (0, 0), (1, 1), ""),
    ("Sáng kiến, cải tiến được công nhận", TargetKind.COUNT, (0, 0), (5, 40), "sáng kiến"),
]
# Members and congress sizes by kind: (delegates or members summoned, executive committee)
SIZES = {
    BranchKind.CONFEDERATION: ((1000, 1100), (150, 175)),
    BranchKind.FEDERATION: ((250, 450), (35, 45)),
    BranchKind.UPPER_UNION: ((120, 250), (15, 27)),
    BranchKind.GRASSROOTS: ((20, 300), (5, 15)),
    BranchKind.SUB_UNION: ((8, 60), (3, 7)),
}
SCALE = {  # the members count target's order of magnitude by kind
    BranchKind.CONFEDERATION: 10_000_000,
    BranchKind.FEDERATION: 120_000,
    BranchKind.UPPER_UNION: 12_000,
    BranchKind.GRASSROOTS: 120,
}


@dataclass
class _Rows:
    """The rows of each model, ids assigned here (from the table's highest id + 1)."""

    next_id: dict[type[models.Model], int]
    rows: dict[type[models.Model], list[tuple[Any, ...]]] = field(default_factory=dict)

    def add(self, model: type[models.Model], *values: Any) -> int:
        pk = self.next_id[model]
        self.next_id[model] = pk + 1
        self.rows.setdefault(model, []).append((pk, *values))
        return pk


@dataclass(frozen=True)
class _Node:
    id: int
    path: str
    kind: str
    depth: int


def _day(value: date) -> str:
    return value.isoformat()


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def generate(*, rng: random.Random, today: date, say: Callable[[str], None]) -> dict[str, int]:
    """Write the congress records of the branches in the database; returns the rows made by
    model name. The congress tables must be empty of generated rows (ids continue after the
    highest present)."""
    writer = Writer()
    nodes = [
        _Node(*row)
        for row in Branch.objects.exclude(kind=BranchKind.GROUP)
        .order_by("path")
        .values_list("id", "path", "kind", "depth")
    ]
    children: dict[str, list[_Node]] = {}
    for node in nodes:
        if node.depth > 1 and node.depth <= 4:
            children.setdefault(node.path[:-4], []).append(node)
    next_id = {
        model: (model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1
        for model in MODELS
    }
    made = _Rows(next_id)
    order = list(range(1, len(nodes)))  # the root (first in path order) always has a term
    rng.shuffle(order)
    quotas: dict[int, str] = {}
    start = 0
    for situation, share in (
        ("no_term", NO_TERM_SHARE),
        ("overdue", OVERDUE_SHARE),
        ("extended", EXTENDED_SHARE),
        ("unrecognised", UNRECOGNISED_SHARE),
    ):
        count = max(1, round(len(order) * share)) if len(order) >= 10 else 0
        for index in order[start : start + count]:
            quotas[index] = situation
        start += count

    five_years = (today - add_months(today, -60)).days
    for index, node in enumerate(nodes):
        situation = quotas.get(index, "current")
        if situation == "no_term":
            continue
        years = term_years(node.kind)
        if situation == "overdue":  # ended within the last three years
            starts = add_months(today, -12 * years) - timedelta(days=1 + rng.randrange(3 * 365))
        elif situation == "extended":  # ended within 18 months, extended past today
            starts = add_months(today, -12 * years) - timedelta(days=30 + rng.randrange(500))
        elif situation == "unrecognised":  # opened by a congress of the last months
            starts = today - timedelta(days=rng.randrange(240))
        else:
            starts = today - timedelta(days=rng.randrange(five_years))
        ends = default_term_end(starts, years)
        extended = None
        if situation == "extended":
            extended = min(today + timedelta(days=30 + rng.randrange(270)), add_months(ends, 30))
        if rng.random() < PREVIOUS_SHARE:
            before = add_months(starts, -12 * years)
            term = _term(made, node, before, starts, None)
            _congress(made, rng, node, term, before, CongressStatus.RECOGNISED, today)
        status = CongressStatus.RECOGNISED
        if situation == "unrecognised":
            status = rng.choice([CongressStatus.HELD, CongressStatus.AWAITING_RECOGNITION])
        term = _term(made, node, starts, ends, extended)
        congress = _congress(made, rng, node, term, starts, status, today)
        end = extended or ends
        if situation == "current" and end <= add_months(today, 12) and rng.random() < NEXT_SHARE:
            following = _term(made, node, end, default_term_end(end, years), None)
            _congress(made, rng, node, following, end, CongressStatus.PLANNED, today)
        wants_resolution = node.kind in SCALE and (
            node.kind != BranchKind.GRASSROOTS or rng.random() < GRASSROOTS_RESOLUTION_SHARE
        )
        if wants_resolution:
            _resolution(made, rng, node, congress, starts, end, today, children)

    counts: dict[str, int] = {}
    for model in MODELS:
        rows = made.rows.get(model, [])
        columns, extras = columns_for(model, _FIELDS[model])
        writer.insert(model, columns, (row + extras for row in rows))
        counts[NAMES[model]] = len(rows)
    _reset_sequences()
    Term.objects.link()  # written in bulk, past Term.save and Congress.save
    Congress.objects.mark_all_awaited()
    say(
        "  congress records: "
        + ", ".join(f"{count:,} {name}" for name, count in counts.items())
        + f" ({sum(1 for q in quotas.values() if q == 'no_term'):,} branches without a term)"
    )
    return counts


_FIELDS: dict[type[models.Model], list[str]] = {
    Term: [
        "id",
        "branch_id",
        "label",
        "ordinal",
        "starts_on",
        "ends_on",
        "extended_until",
        "extension_decision",
        "extension_decided_on",
    ],
    Congress: [
        "id",
        "term_id",
        "kind",
        "status",
        "held_on",
        "venue",
        "summoned",
        "present",
        "committee_size",
        "recognition_decision",
        "recognised_on",
    ],
    Resolution: ["id", "congress_id", "adopted_on", "preamble"],
    Direction: ["id", "resolution_id", "number", "text"],
    Campaign: ["id", "resolution_id", "name", "starts_on", "ends_on", "order"],
    Target: [
        "id",
        "resolution_id",
        "parent_id",
        "title",
        "kind",
        "baseline",
        "target_value",
        "unit",
        "deadline",
        "branch_id",
        "weight",
        "order",
    ],
    Progress: ["id", "target_id", "on", "actual", "note", "recorded_at"],
}


def _term(made: _Rows, node: _Node, starts: date, ends: date, extended: date | None) -> int:
    decision, decided = "", None
    if extended is not None:
        decision, decided = f"{node.id % 900 + 10}/QĐ-CĐCT", _day(ends - timedelta(days=30))
    return made.add(
        Term,
        node.id,
        label_for(starts, ends),
        None,
        _day(starts),
        _day(ends),
        _day(extended) if extended else None,
        decision,
        decided,
    )


def _congress(
    made: _Rows, rng: random.Random, node: _Node, term: int, held: date, status: str, today: date
) -> int:
    """The congress that opens `term`, held on its first day; one recognised after today's
    date would be still awaiting recognition."""
    (low, high), (seats_low, seats_high) = SIZES[BranchKind(node.kind)]
    summoned = rng.randint(low, high)
    delegate = node.depth <= 3 or summoned > 150
    recognised_on = held + timedelta(days=rng.randint(15, 60))
    if status == CongressStatus.RECOGNISED and recognised_on > today:
        status = CongressStatus.AWAITING_RECOGNITION
    planned = status == CongressStatus.PLANNED
    recognised = status == CongressStatus.RECOGNISED
    return made.add(
        Congress,
        term,
        CongressKind.DELEGATE if delegate else CongressKind.ALL_MEMBER,
        status,
        _day(held),
        "Hội trường trụ sở công đoàn",
        None if planned else summoned,
        None if planned else summoned - rng.randrange(max(1, summoned // 10)),
        None if planned else rng.randint(seats_low, seats_high),
        f"{rng.randint(10, 999)}/QĐ-CĐ" if recognised else "",
        _day(recognised_on) if recognised else None,
    )


def _resolution(
    made: _Rows,
    rng: random.Random,
    node: _Node,
    congress: int,
    starts: date,
    end: date,
    today: date,
    children: dict[str, list[_Node]],
) -> None:
    resolution = made.add(
        Resolution,
        congress,
        _day(starts),
        "Đại hội thống nhất các phương hướng, nhiệm vụ và chỉ tiêu của nhiệm kỳ.",
    )
    for number, text in enumerate(rng.sample(DIRECTIONS, 3), start=1):
        made.add(Direction, resolution, number, text)
    made.add(Campaign, resolution, rng.choice(CAMPAIGNS), _day(starts), _day(end), 1)
    scale = SCALE[BranchKind(node.kind)]
    members = Decimal(round(scale * rng.uniform(0.5, 1.5)))
    trained = Decimal(round(members * Decimal(rng.uniform(0.05, 0.3))))
    others = rng.sample(OTHER_TARGETS, rng.randint(2, 4))
    specs: list[tuple[str, str, Decimal | None, Decimal, str]] = [
        (MEMBERS_TITLE, TargetKind.COUNT, members, members * Decimal("1.08"), "đoàn viên"),
        (TRAINED_TITLE, TargetKind.COUNT, Decimal(0), max(trained, Decimal(10)), "lượt"),
    ]
    for title, kind, (base_low, base_high), (goal_low, goal_high), unit in others:
        base = Decimal(round(rng.uniform(base_low, base_high), 1))
        goal = Decimal(round(rng.uniform(goal_low, goal_high), 1 if kind == "percentage" else 0))
        specs.append((title, kind, base, max(goal, base + 1) if kind != "yes_no" else goal, unit))
    below = children.get(node.path, []) if node.depth <= 3 else []
    for order, (title, kind, baseline, goal, unit) in enumerate(specs, start=1):
        target = made.add(
            Target,
            resolution,
            None,
            title,
            kind,
            _money(baseline) if baseline is not None else None,
            _money(goal),
            unit,
            _day(end),
            node.id,
            None,
            order,
        )
        if title == TRAINED_TITLE and below:
            parts = rng.sample(below, min(SPLIT_PARTS, len(below)))
            shares = _shares(int(goal), len(parts))
            for number, (part, value) in enumerate(zip(parts, shares, strict=True), start=1):
                pk = made.add(
                    Target,
                    resolution,
                    target,
                    title,
                    kind,
                    None,
                    _money(Decimal(value)),
                    unit,
                    _day(end),
                    part.id,
                    _money(Decimal(value)),
                    number,
                )
                _figures(made, rng, pk, kind, Decimal(0), Decimal(value), starts, end, today)
        else:
            _figures(made, rng, target, kind, baseline, goal, starts, end, today)


def _shares(total: int, count: int) -> list[int]:
    """`total` in `count` whole shares above 0 that add up to it (the first ones take the
    remainder)."""
    base, rest = divmod(max(total, count), count)
    return [base + (1 if index < rest else 0) for index in range(count)]


def _figures(
    made: _Rows,
    rng: random.Random,
    target: int,
    kind: str,
    baseline: Decimal | None,
    goal: Decimal,
    starts: date,
    end: date,
    today: date,
) -> None:
    """Year-end figures from the term's start to today at a pace of the target's own: ahead of
    time for some, on track for most, lagging for a third (so every verdict appears)."""
    roll = rng.random()
    pace = rng.uniform(1.05, 1.4) if roll < 0.25 else rng.uniform(0.85, 1.05)
    if roll > 0.7:
        pace = rng.uniform(0.2, 0.75)
    start = baseline or Decimal(0)
    span = (end - starts).days
    for year in range(starts.year, today.year + 1):
        day = date(year, 12, 31)
        if day <= starts or day > today or day > end:
            continue
        reached = Decimal(min(1.2, pace * (day - starts).days / span))
        if kind == TargetKind.YES_NO:
            actual = Decimal(1 if reached >= 1 else 0)
        else:
            actual = start + (goal - start) * reached
            actual = min(actual, Decimal(100)) if kind == TargetKind.PERCENTAGE else actual
            actual = actual.quantize(Decimal("1" if kind == TargetKind.COUNT else "0.1"))
        recorded = datetime(year + 1, 1, 5, 2, 0, tzinfo=UTC)
        made.add(
            Progress,
            target,
            _day(day),
            _money(actual),
            "Số liệu báo cáo cuối năm",
            Progress._meta.get_field("recorded_at").get_db_prep_save(recorded, connection),
        )


def _reset_sequences() -> None:
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), MODELS)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
