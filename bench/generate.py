"""A national union tree and its members, written straight into the database in bulk.

The tree is shaped like the Vietnamese confederation (performance.md): one confederation, 80
federations, 800 unions above the grassroots, 100,000 grassroots unions and 45,000 sub-units at
full scale (145,881 branches for 10 M members), scaled down in proportion for smaller runs.
Paths are django-treebeard materialized paths computed here (steps of 4 characters, alphabet
0-9A-Z, positions from 1), with `depth` and `numchild` set as treebeard sets them.

Members get Vietnamese-looking names (with the derived `search_key` and `sort_key` the services
would fill), about half are women and a few of unknown gender, and each has one or two
membership periods: about 8 % transferred once, about 15 % left. `Member.branch`, `status`,
`left_on` follow the latest period as the services keep them.

Rows go in with bulk inserts, bypassing the services: PostgreSQL through COPY, SQLite through
executemany in one transaction. The secondary indexes and constraints of the member and period
tables are dropped for the load and rebuilt afterwards (which also validates the data against
them). Congress records follow (bench.records). No django-simple-history rows are written.
The tallies are then rebuilt with members.tallies.rebuild(), which is what the application
does after a bulk load, and the name search index with members.search.rebuild()
(PostgreSQL's trigram index is rebuilt with the other indexes).
"""

from __future__ import annotations

import bisect
import itertools
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, models, transaction

from members import domain, search, tallies
from members.models import (
    Branch,
    BranchKind,
    EndReason,
    Gender,
    LeaveReason,
    Member,
    Membership,
    MemberStatus,
)

from . import names
from .shape import STEPLEN, Shape, path_step, shape_for

if STEPLEN != domain.PATH_STEP:
    raise RuntimeError("bench.shape.STEPLEN must match members.domain.PATH_STEP")

WOMEN_SHARE = 0.495
UNKNOWN_SHARE = 0.015
TRANSFER_SHARE = 0.08
LEFT_SHARE = 0.15
NO_CARD_SHARE = 0.03
FIRST_START = date(1995, 1, 1)
CONFEDERATION_FOUNDED = date(1929, 7, 28)
LEAVE_REASONS = [
    (LeaveReason.LEFT_WORKPLACE.value, 45),
    (LeaveReason.RETIRED.value, 30),
    (LeaveReason.RESIGNED.value, 15),
    (LeaveReason.OTHER.value, 5),
    (LeaveReason.DIED.value, 3),
    (LeaveReason.EXPELLED.value, 2),
]
BATCH = 50_000


# --- Bulk writing ------------------------------------------------------------------------------


def columns_for(model: type[models.Model], generated: Sequence[str]) -> tuple[list[str], tuple]:
    """Column names for `generated` attribute names followed by every other concrete field, and
    the constant values of those others (their defaults), so that a field added to a model
    later gets its default instead of breaking the load."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    unknown = set(generated) - set(fields)
    if unknown:
        raise RuntimeError(f"{model.__name__} has no fields {sorted(unknown)}")
    extras = []
    extra_columns = []
    for attname, field in fields.items():
        if attname in generated or field.generated:  # the database computes a GeneratedField
            continue
        value = field.get_db_prep_save(field.get_default(), connection)
        if value is None and not field.null:
            raise RuntimeError(
                f"bench cannot fill {model.__name__}.{attname}: no default and not nullable"
            )
        extras.append(value)
        extra_columns.append(field.column)
    return [fields[name].column for name in generated] + extra_columns, tuple(extras)


class Writer:
    """Bulk inserts for the current connection: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        if self.vendor not in {"postgresql", "sqlite"}:
            raise RuntimeError(f"bench supports PostgreSQL and SQLite, not {self.vendor}")

    def insert(self, model: type[models.Model], columns: list[str], rows: Iterator[tuple]) -> None:
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = ", ".join(quote(column) for column in columns)
        if self.vendor == "postgresql":
            with (
                connection.cursor() as cursor,
                cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                write = copy.write_row
                for row in rows:
                    write(row)
        else:
            marks = ", ".join("?" * len(columns))
            connection.connection.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})", rows
            )

    def detach_indexes(self, model: type[models.Model]) -> list[str]:
        """Drop the secondary indexes and constraints of `model`'s table (not its primary key)
        and return the statements that recreate them."""
        table = model._meta.db_table
        quote = connection.ops.quote_name
        drop: list[str] = []
        restore_indexes: list[str] = []
        restore_constraints: list[str] = []
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype IN ('f', 'u', 'c', 'x') "
                    "ORDER BY conname",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    drop.append(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                    restore_constraints.append(
                        f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                    )
                cursor.execute(
                    "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
                    "WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid) "
                    "ORDER BY c.relname",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    drop.append(f"DROP INDEX {quote(name)}")
                    restore_indexes.append(definition)
            else:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                    "AND sql IS NOT NULL ORDER BY name",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    drop.append(f"DROP INDEX {quote(name)}")
                    restore_indexes.append(definition)
            for statement in drop:
                cursor.execute(statement)
        return restore_indexes + restore_constraints


# --- The tree ----------------------------------------------------------------------------------


@dataclass
class Tree:
    shape: Shape
    columns: list[str]
    rows: list[tuple]
    holders: list[int]  # ids of the branches members belong to (grassroots and sub-units)
    holder_cum: list[float]  # cumulative weights of `holders`


def build_tree(shape: Shape, rng: random.Random) -> Tree:
    """The branches in path order, with ids from 1, and where members go."""
    kinds: list[str] = [BranchKind.CONFEDERATION]
    parents: list[int] = [-1]

    def add(kind: str, parent: int) -> int:
        kinds.append(kind)
        parents.append(parent)
        return len(kinds) - 1

    federations = [add(BranchKind.FEDERATION, 0) for _ in range(shape.federations)]
    federation_weight = [rng.lognormvariate(0, 0.6) for _ in federations]
    uppers_of: dict[int, list[int]] = {federation: [] for federation in federations}
    extra = rng.choices(
        federations, weights=federation_weight, k=shape.upper_unions - len(federations)
    )
    for federation in itertools.chain(federations, extra):
        uppers_of[federation].append(add(BranchKind.UPPER_UNION, federation))
    # About one grassroots union in ten sits directly under its federation.
    grassroots = []
    for federation in rng.choices(federations, weights=federation_weight, k=shape.grassroots):
        uppers = uppers_of[federation]
        parent = federation if rng.random() < 0.1 else uppers[rng.randrange(len(uppers))]
        grassroots.append(add(BranchKind.GRASSROOTS, parent))
    weight = [0.0] * len(kinds)
    for node in grassroots:
        weight[node] = rng.lognormvariate(0, 1.1)
    # Larger grassroots unions get the sub-unions; groups sit under sub-unions.
    sub_unions = [
        add(BranchKind.SUB_UNION, parent)
        for parent in rng.choices(
            grassroots, weights=[weight[node] for node in grassroots], k=shape.sub_unions
        )
    ]
    group_parents = sub_unions or grassroots
    for _ in range(shape.groups):
        add(BranchKind.GROUP, group_parents[rng.randrange(len(group_parents))])
    children: list[list[int]] = [[] for _ in kinds]
    for node, parent in enumerate(parents):
        if parent >= 0:
            children[parent].append(node)
    weight.extend([0.0] * (len(kinds) - len(weight)))
    # A unit with sub-units keeps some members itself and shares the rest among them.
    for level, keep in ((grassroots, 0.2), (sub_unions, 0.3)):
        for node in level:
            below = children[node]
            if below:
                share = weight[node] * (1 - keep) / len(below)
                weight[node] *= keep
                for child in below:
                    weight[child] += share

    codes = _codes(kinds)
    labels = _labels(kinds, rng)
    keys = {label: domain.branch_search_key(label) for label in set(labels)}
    columns, extras = columns_for(
        Branch,
        ["id", "path", "depth", "numchild", "code", "name", "search_key", "kind", "founded_on"],
    )
    rows: list[tuple] = []
    ids = [0] * len(kinds)
    stack: list[tuple[int, str, int]] = [(0, path_step(1), 1)]
    while stack:
        node, path, depth = stack.pop()
        ids[node] = len(rows) + 1
        founded = CONFEDERATION_FOUNDED.isoformat() if node == 0 else None
        label = labels[node]
        row = (ids[node], path, depth, len(children[node]), codes[node], label, keys[label])
        rows.append((*row, kinds[node], founded, *extras))
        below = children[node]
        for position in range(len(below), 0, -1):
            stack.append((below[position - 1], path + path_step(position), depth + 1))
    holders = [ids[node] for node in range(len(kinds)) if weight[node] > 0]
    holder_cum = list(
        itertools.accumulate(weight[node] for node in range(len(kinds)) if weight[node] > 0)
    )
    return Tree(shape, columns, rows, holders, holder_cum)


def _codes(kinds: list[str]) -> list[str]:
    prefix = {
        BranchKind.FEDERATION: ("ldld", 3),
        BranchKind.UPPER_UNION: ("cdct", 4),
        BranchKind.GRASSROOTS: ("cdcs", 6),
        BranchKind.SUB_UNION: ("cdbp", 6),
        BranchKind.GROUP: ("tocd", 6),
    }
    counters: dict[str, int] = {}
    codes = []
    for kind in kinds:
        if kind == BranchKind.CONFEDERATION:
            codes.append("vgcl")
            continue
        counters[kind] = counters.get(kind, 0) + 1
        letters, width = prefix[kind]
        codes.append(f"{letters}-{counters[kind]:0{width}d}")
    return codes


def _labels(kinds: list[str], rng: random.Random) -> list[str]:
    counters: dict[str, int] = {}
    labels = []
    for kind in kinds:
        counters[kind] = number = counters.get(kind, 0) + 1
        if kind == BranchKind.CONFEDERATION:
            labels.append("Tổng Liên đoàn Lao động Việt Nam")
        elif kind == BranchKind.FEDERATION:
            labels.append(names.federation_name(number - 1))
        elif kind == BranchKind.UPPER_UNION:
            labels.append(f"Công đoàn cấp trên trực tiếp cơ sở số {number}")
        elif kind == BranchKind.GRASSROOTS:
            workplace = names.WORKPLACES[rng.randrange(len(names.WORKPLACES))]
            place = names.PLACE_WORDS[rng.randrange(len(names.PLACE_WORDS))]
            labels.append(f"Công đoàn {workplace} {place} {number}")
        elif kind == BranchKind.SUB_UNION:
            labels.append(f"Công đoàn bộ phận số {number}")
        else:
            labels.append(f"Tổ công đoàn số {number}")
    return labels


# --- Members and their periods -----------------------------------------------------------------


MEMBER_FIELDS = [
    "id",
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "card_number",
    "joined_union_on",
    "branch_id",
    "status",
    "left_on",
    "leave_reason",
    "search_key",
    "sort_key",
]
PERIOD_FIELDS = ["id", "member_id", "branch_id", "started_on", "ended_on", "end_reason"]


def member_batches(
    tree: Tree,
    count: int,
    rng: random.Random,
    today: date,
    member_extras: tuple,
    period_extras: tuple,
) -> Iterator[tuple[list[tuple], list[tuple]]]:
    """Rows of `count` members and their periods, in batches of BATCH members. Ids from 1."""
    base = date(1940, 1, 1).toordinal()
    today_at = today.toordinal() - base
    days = [date.fromordinal(base + offset).isoformat() for offset in range(today_at + 1)]
    first_at = FIRST_START.toordinal() - base
    start_span = today_at - 1 - first_at  # starts leave room for a transfer and a departure
    if start_span < 1:
        raise RuntimeError("today is too close to the first start day")

    family_cum = list(itertools.accumulate(names.FAMILY_WEIGHTS))
    ethnic_cum = list(itertools.accumulate(names.ETHNICITY_WEIGHTS))
    reason_cum = list(itertools.accumulate(weight for _, weight in LEAVE_REASONS))
    reasons = [reason for reason, _ in LEAVE_REASONS]
    family_total, last_family = family_cum[-1], len(family_cum) - 1
    ethnic_total, last_ethnic = ethnic_cum[-1], len(ethnic_cum) - 1
    reason_total, last_reason = reason_cum[-1], len(reason_cum) - 1
    families, ethnicities = names.FAMILIES, names.ETHNICITIES
    name_sets = (
        (names.WOMEN_MIDDLE, names.WOMEN_GIVEN),
        (names.MEN_MIDDLE, names.MEN_GIVEN),
    )
    keys: dict[str, tuple[str, str]] = {}
    female, male, unknown = Gender.FEMALE.value, Gender.MALE.value, Gender.UNKNOWN.value
    active, left = MemberStatus.ACTIVE.value, MemberStatus.LEFT.value
    transferred, left_union = EndReason.TRANSFERRED.value, EndReason.LEFT.value
    rand, find = rng.random, bisect.bisect
    holders, holder_cum = tree.holders, tree.holder_cum
    holder_total, last_holder = holder_cum[-1], len(holders) - 1
    period_id = 0

    for first in range(1, count + 1, BATCH):
        size = min(BATCH, count + 1 - first)
        places = rng.choices(holders, cum_weights=holder_cum, k=size)
        member_rows: list[tuple] = []
        period_rows: list[tuple] = []
        for offset in range(size):
            member_id = first + offset
            roll = rand()
            if roll < WOMEN_SHARE:
                gender, (middles, givens) = female, name_sets[0]
            elif roll < WOMEN_SHARE + UNKNOWN_SHARE:
                gender, (middles, givens) = unknown, name_sets[int(rand() * 2)]
            else:
                gender, (middles, givens) = male, name_sets[1]
            family = families[find(family_cum, rand() * family_total, 0, last_family)]
            middle = middles[0] if rand() < 0.5 else middles[int(rand() * len(middles))]
            if rand() < 0.12:
                middle = f"{middle} {middles[int(rand() * len(middles))]}"
            full_name = f"{family} {middle} {givens[int(rand() * len(givens))]}"
            derived = keys.get(full_name)
            if derived is None:
                derived = keys[full_name] = (
                    domain.fold(full_name),
                    domain.name_sort_key(full_name),
                )
            start = first_at + int(rand() * start_span)
            birth = start - 6575 - int(rand() * 9860)  # 18 to 45 years old at the start
            branch = places[offset]
            ethnicity = ethnicities[find(ethnic_cum, rand() * ethnic_total, 0, last_ethnic)]
            card = None if rand() < NO_CARD_SHARE else f"VN{member_id:08d}"
            last_start = start
            if rand() < TRANSFER_SHARE:
                moved = start + 1 + int(rand() * (today_at - 1 - start))
                index = find(holder_cum, rand() * holder_total, 0, last_holder)
                to = holders[index]
                if to == branch:
                    to = holders[index - 1] if index else holders[-1]
                period_id += 1
                period_rows.append(
                    (period_id, member_id, branch, days[start], days[moved], transferred)
                )
                branch, last_start = to, moved
            if rand() < LEFT_SHARE:
                left_at = last_start + 1 + int(rand() * (today_at - last_start))
                status, left_on = left, days[left_at]
                reason = reasons[find(reason_cum, rand() * reason_total, 0, last_reason)]
                period_id += 1
                period_rows.append(
                    (period_id, member_id, branch, days[last_start], left_on, left_union)
                )
            else:
                status, left_on, reason = active, None, ""
                period_id += 1
                period_rows.append((period_id, member_id, branch, days[last_start], None, ""))
            member_rows.append(
                (
                    member_id,
                    full_name,
                    gender,
                    days[birth],
                    ethnicity,
                    card,
                    days[start],
                    branch,
                    status,
                    left_on,
                    reason,
                    derived[0],
                    derived[1],
                    *member_extras,
                )
            )
        if period_extras:
            period_rows = [(*row, *period_extras) for row in period_rows]
        yield member_rows, period_rows


# --- The whole load ----------------------------------------------------------------------------


@dataclass
class LoadReport:
    phases: list[tuple[str, float]]
    members: int
    periods: int
    branches: int

    @property
    def total(self) -> float:
        return sum(seconds for _, seconds in self.phases)


def _timed(phases: list[tuple[str, float]], label: str, action: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = action()
    phases.append((label, time.perf_counter() - started))
    return result


def load(
    *, members: int, branches: int, seed: int, today: date, say: Callable[[str], None]
) -> LoadReport:
    """Generate and write the tree, the members and their periods, rebuild the indexes and the
    tallies. The database must hold the migrated, empty schema."""
    from . import records  # it writes with this module's Writer

    rng = random.Random(seed)
    writer = Writer()
    phases: list[tuple[str, float]] = []
    shape = shape_for(branches)
    say(f"Tree: {shape.describe()}")
    tree = _timed(phases, "build the tree in memory", lambda: build_tree(shape, rng))
    member_columns, member_extras = columns_for(Member, MEMBER_FIELDS)
    period_columns, period_extras = columns_for(Membership, PERIOD_FIELDS)
    periods = 0
    if writer.vendor == "sqlite":
        _sqlite_bulk_mode()
    with transaction.atomic():
        if writer.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
                cursor.execute("SET LOCAL synchronous_commit = off")
        _timed(
            phases,
            f"insert {len(tree.rows):,} branches",
            lambda: writer.insert(Branch, tree.columns, iter(tree.rows)),
        )
        restore = writer.detach_indexes(Member) + writer.detach_indexes(Membership)
        started = time.perf_counter()
        done = 0
        for member_rows, period_rows in member_batches(
            tree, members, rng, today, member_extras, period_extras
        ):
            writer.insert(Member, member_columns, iter(member_rows))
            writer.insert(Membership, period_columns, iter(period_rows))
            done += len(member_rows)
            periods += len(period_rows)
            if done % 1_000_000 == 0 or done == members:
                elapsed = time.perf_counter() - started
                say(f"  {done:,} members, {periods:,} periods, {done / elapsed:,.0f} members/s")
        phases.append(
            (
                f"generate and insert {members:,} members, {periods:,} periods",
                time.perf_counter() - started,
            )
        )

        def rebuild_indexes() -> None:
            with connection.cursor() as cursor:
                for statement in restore:
                    cursor.execute(statement)

        _timed(phases, "rebuild member and period indexes, check constraints", rebuild_indexes)
        _timed(phases, "reset id sequences", _reset_sequences)
        counts = _timed(
            phases,
            "congress records (bench.records)",
            lambda: records.generate(rng=rng, today=today, say=say),
        )
        phases[-1] = (
            f"congress records: {counts['terms']:,} terms, {counts['targets']:,} targets, "
            f"{counts['figures']:,} figures",
            phases[-1][1],
        )
        committing = time.perf_counter()
    phases.append(("commit", time.perf_counter() - committing))
    if writer.vendor == "sqlite":
        _timed(phases, "check foreign keys", _sqlite_end_bulk_mode)
    _timed(phases, "ANALYZE", lambda: _analyze(vacuum=False))
    _timed(phases, "members.tallies.rebuild()", tallies.rebuild)
    _timed(phases, "members.search.rebuild() (the name index)", search.rebuild)
    _timed(
        phases,
        "VACUUM ANALYZE" if writer.vendor == "postgresql" else "ANALYZE",
        lambda: _analyze(vacuum=True),
    )
    return LoadReport(phases, members, periods, len(tree.rows))


def _reset_sequences() -> None:
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), [Branch, Member, Membership])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _sqlite_bulk_mode() -> None:
    """Rollback journal instead of WAL (a WAL would write every page twice), no fsync, a 1 GiB
    page cache, temporary sorts in memory, foreign keys checked once at the end."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
        cursor.execute("PRAGMA journal_mode = DELETE")
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA cache_size = -1048576")
        cursor.execute("PRAGMA temp_store = MEMORY")


def _sqlite_end_bulk_mode() -> None:
    """Check every foreign key, then put the file back in WAL mode and reconnect, so the
    timings run with the application's own connection settings."""
    from . import records

    tables = [model._meta.db_table for model in (Branch, Member, Membership, *records.MODELS)]
    connection.check_constraints(table_names=tables)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode = WAL")
    connection.close()


def _analyze(*, vacuum: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        else:
            cursor.execute("ANALYZE")
