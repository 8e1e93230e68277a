"""Fast inserts for bulk loads (member imports): rows written with one executemany per table
instead of the ORM's per-value compilation, which costs seconds per 10,000 rows.

Only for rows whose values are already checked (the callers validate them), and for tables
whose generated values (the auto primary key) the caller does not need back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection, models

BATCH = 2000


def _adapter(field: models.Field[Any, Any]) -> Any:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda value: ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    return None


def _columns(model: type[models.Model]) -> tuple[list[Any], list[Any], str]:
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField))
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column or f.attname) for f in fields)
    return fields, [_adapter(f) for f in fields], columns


def _values(row: Mapping[str, Any], fields: list[Any], adapters: list[Any]) -> list[Any]:
    values = []
    for field, adapt in zip(fields, adapters, strict=True):
        value = row.get(field.attname)
        values.append(adapt(value) if adapt is not None and value is not None else value)
    return values


def insert_returning(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """INSERT `rows` as `insert` does and return their new primary keys, in the rows' order
    (multi-row VALUES with RETURNING, as Django's own bulk_create does on both databases)."""
    fields, adapters, columns = _columns(model)
    quote = connection.ops.quote_name
    row_holder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    step = max(1, min(BATCH, 30_000 // max(len(fields), 1)))  # SQLite's variable limit
    pk = model._meta.pk
    assert pk is not None
    returning = quote(pk.column or pk.attname)
    keys: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), step):
            chunk = rows[start : start + step]
            sql = (
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
                + ", ".join([row_holder] * len(chunk))
                + f" RETURNING {returning}"
            )
            cursor.execute(sql, [v for row in chunk for v in _values(row, fields, adapters)])
            keys.extend(pk for (pk,) in cursor.fetchall())
    return keys


def insert(model: type[models.Model], rows: Iterable[Mapping[str, Any]]) -> int:
    """INSERT `rows` (mappings of field attname to value; fields not given take None) into
    `model`'s table, leaving an auto primary key to the database. Returns the rows written."""
    fields, adapters, columns = _columns(model)
    quote = connection.ops.quote_name
    holders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({holders})"  # noqa: S608
    written, batch = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(_values(row, fields, adapters))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                written, batch = written + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def insert_history(
    historical: type[models.Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    user_id: int | None,
    reason: str,
    when: Any,
) -> int:
    """The "created" history rows (django-simple-history's `historical` model) of rows just
    inserted (mappings of attname to value, with their "id"): every tracked field, who, why
    and when."""
    tracked = [
        f.attname for f in historical._meta.concrete_fields if not f.attname.startswith("history_")
    ]
    extra = {
        "history_date": when,
        "history_type": "+",
        "history_change_reason": reason,
        "history_user_id": user_id,
    }
    return insert(historical, ({name: row.get(name) for name in tracked} | extra for row in rows))
