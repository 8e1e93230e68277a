"""Finding and scrubbing the text that names an erased member (members.erasure), in every
table of the database but the register's own rows: what a text naming them becomes, the
import previews that read them, and the files of those imports.

A text names the member when it holds their name as written (in any case), folded
(members.domain.fold) or their card number, each as a whole word. In such a text the name
becomes the placeholder, the card number goes, and the date of birth (dd/mm/yyyy or
YYYY-MM-DD) becomes its year; a date alone is left, since it may be any other day."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property, partial
from typing import Any

from django.apps import apps
from django.db import models

from . import domain
from .jobs import ImportJob, ImportStatus

# 1 July: the middle of the year of birth. The year stays, so every age band counted by year,
# and every frozen statistic, keeps its count; an age on a given day is off by half a year at
# most instead of a whole one (1 January), so the age bands of a day shift the fewest members.
BLURRED_MONTH, BLURRED_DAY = 7, 1
# Tables scrubbed row by row by the member's id, not searched: the register's own.
OWN_TABLES = ("members_member", "members_historicalmember")
SKIPPED_APPS = ("sessions", "contenttypes")
PERSONAL_CELLS = {"full_name", "card_number", "birth_date", "ethnicity"}
Kept = Mapping[type[models.Model], set[int]]  # rows left as they are, by model


@dataclass(frozen=True)
class Person:
    """What identifies the member in text: the patterns to replace and their replacements."""

    name: str
    card: str | None
    birth_date: date | None
    placeholder: str

    @cached_property
    def names(self) -> re.Pattern[str]:
        words = {self.name, domain.fold(self.name)} - {""}
        if self.card:
            words.add(self.card)
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    @property
    def needles(self) -> list[str]:
        """Substrings a database filter looks for before the text is read."""
        found = [self.name, self.name.upper(), domain.fold(self.name)]
        return [n for n in {*found, self.card or ""} if n]

    def mentioned_in(self, text: str) -> bool:
        return bool(self.names.search(text))

    def scrub(self, text: str) -> str:
        """`text` without the member's name or card; their date of birth as its year."""
        if not self.mentioned_in(text):
            return text
        text = self.names.sub(lambda m: "" if m.group(0) == self.card else self.placeholder, text)
        if self.birth_date:
            year = str(self.birth_date.year)
            for written in (self.birth_date.isoformat(), self.birth_date.strftime("%d/%m/%Y")):
                text = text.replace(written, year)
        return text


def blurred(birth_date: date | None) -> date | None:
    return None if birth_date is None else date(birth_date.year, BLURRED_MONTH, BLURRED_DAY)


def text_fields(model: type[models.Model], shortest: int) -> list[str]:
    """The columns of `model` that may hold free text `shortest` characters long: not a
    choice (a status, a history row's type), not a key, not shorter."""
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
        and not (f.primary_key or f.choices)
        and (f.max_length or shortest) >= shortest
    ]


def scrub_texts(person: Person, kept: Kept, count: Callable[[str], None]) -> None:
    """Every text column of every other table (history tables and the admin log included):
    the rows mentioning the member, scrubbed, but the `kept` ones. A sort key beside a name
    (a candidate's `sort_key` of `person_name`) follows the name."""
    for model in apps.get_models():
        table = model._meta.db_table
        if table in OWN_TABLES or model._meta.app_label in SKIPPED_APPS or model._meta.proxy:
            continue
        names = text_fields(model, min(map(len, person.needles)))
        if not names:
            continue
        mentions = models.Q()
        for name in names:
            for needle in person.needles:
                mentions |= models.Q(**{f"{name}__icontains": needle})
        rows = model._default_manager.filter(mentions)
        sortable = {f.attname for f in model._meta.concrete_fields}
        kept_ids = kept.get(model)
        if kept_ids:
            key = "id" if hasattr(model, "history_id") else "pk"
            rows = rows.exclude(**{f"{key}__in": kept_ids})
        for row in rows.only("pk", *names):
            changed = {n: person.scrub(v) for n in names if (v := getattr(row, n)) is not None}
            changed = {n: v for n, v in changed.items() if v != getattr(row, n)}
            if changed and "person_name" in changed and "sort_key" in sortable:
                changed["sort_key"] = domain.name_sort_key(changed["person_name"])
            if changed:
                model._default_manager.filter(pk=row.pk).update(**changed)
                count(table)


def scrub_json(person: Person, count: Callable[[str], None]) -> None:
    """JSON columns of every other table (an export's filters, a task's arguments, a
    congress's frozen rows): any text in them naming the member, scrubbed. Read in Python,
    since SQLite stores JSON with non-ASCII letters escaped."""
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        if not names or model is ImportJob or model._meta.proxy:
            continue
        for row in model._default_manager.only("pk", *names).iterator():
            changed = {n: v for n in names if _names(v := getattr(row, n), person)}
            if changed:
                scrubbed = {n: _walk(v, person.scrub) for n, v in changed.items()}
                model._default_manager.filter(pk=row.pk).update(**scrubbed)
                count(model._meta.db_table)


def _walk(value: Any, scrub: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [_walk(item, scrub) for item in value]
    if isinstance(value, dict):
        return {scrub(k): _walk(v, scrub) for k, v in value.items()}
    return value


def _preview_row(row: dict[str, Any], person: Person) -> dict[str, Any]:
    """A preview row about the member: every text scrubbed, their name the placeholder, their
    card and ethnicity gone, their date of birth blurred (old and new values alike)."""
    row = _walk(row, person.scrub)
    for part in ("values", "changes"):
        cells = row.get(part) or {}
        for name in cells.keys() & PERSONAL_CELLS:
            cells[name] = _walk(cells[name], partial(_cell, name, person=person))
    return row


def _cell(name: str, text: str, *, person: Person) -> str:
    if not text:
        return text
    if name == "birth_date":
        return _blur_iso(text)
    return person.placeholder if name == "full_name" else ""


def _blur_iso(text: str) -> str:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return date(day.year, BLURRED_MONTH, BLURRED_DAY).isoformat()


def scrub_imports(member_id: int, person: Person, count: Callable[[str], None]) -> int:
    """Import previews that read the member: their rows about them scrubbed, their files
    deleted; files of imports not checked yet are deleted too (they may list the member).
    Returns how many files were deleted."""
    from .import_lifetime import delete_file

    deleted = 0
    for job in ImportJob.objects.only("pk", "preview", "file", "status").iterator():
        preview = job.preview or {}
        rows = preview.get("rows") or []
        about = {
            r.get("number")
            for r in rows
            if isinstance(r, dict) and (r.get("member_id") == member_id or _names(r, person))
        }
        if about or _names(preview, person):
            preview["rows"] = [
                _preview_row(r, person) if r.get("number") in about else r for r in rows
            ]
            preview = _walk(preview, person.scrub)
            ImportJob.objects.filter(pk=job.pk).update(preview=preview)
            count(ImportJob._meta.db_table)
        unchecked = job.status in (ImportStatus.QUEUED, ImportStatus.CHECKING)
        if job.file and (about or unchecked):
            delete_file(job)
            deleted += 1
    return deleted


def _names(value: Any, person: Person) -> bool:
    if isinstance(value, str):
        return person.mentioned_in(value)
    if isinstance(value, dict):
        return any(_names(k, person) or _names(v, person) for k, v in value.items())
    if isinstance(value, list):
        return any(_names(v, person) for v in value)
    return False
