"""Erasing a member (issue 15; reliability-security test 54): their name, card number, full
date of birth and any text naming them are removed from the whole database, while every count
stays as it was.

What erasure does, in one transaction (`erase_member`):

- The member's row keeps its id, gender, branch, periods and dates of joining and leaving, so
  every tally, statistic and vote total stays the same. Its name becomes a placeholder
  ("Đã xóa #12", in the site's language), its card number is removed, its date of birth
  becomes 1 July of the same year (see BLURRED_MONTH), its ethnicity is cleared, and its
  search and sort keys are computed again from the placeholder.
- Every history row of the member is scrubbed the same way, and one history row records the
  erasure itself (who, when, the reason with any mention of the member removed).
- The search index (members.search): the member's row of SQLite's FTS5 table is replaced and
  the index merged (`optimize`), so no segment keeps the old name's trigrams; the words of the
  old name that no other member's name holds leave `members_name_word`.
- Any text naming the member (the name as written, in capitals, folded, or the card number as
  a word) in any other table, history tables and the admin log included, has those mentions
  replaced; in such a text, the date of birth (dd/mm/yyyy or YYYY-MM-DD) becomes its year.
  Candidates' sort keys follow their names.
- Import previews: rows about the member (by id, name or card) are scrubbed the same way, and
  the uploaded files of those imports (and of imports not checked yet) are deleted.

Kept, and said so (`Erasure.kept`): a person's part in a certified election's result (the
candidate on the sealed ballot, and the posts and delegate seats that result gave) is the
union's official record, kept under its own basis (the union's charter and its archive), and
stays sealed as it was, with the history of those rows: the certified digest covers the
candidates' names (congresses.elections.certification.canonical).

After the transaction commits, `reclaim_space` removes the old bytes from the database files:
SQLite's VACUUM (with secure_delete) and a WAL checkpoint that truncates the log; PostgreSQL's
VACUUM of the touched tables (a dump has only live rows; the dead ones' space is reused)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import domain, search
from .jobs import ImportJob, ImportStatus
from .locks import lock_branches
from .models import Member

# 1 July: the middle of the year of birth. The year stays, so age bands computed by year, and
# every frozen statistic, keep their counts; an age on a given day may be off by up to half a
# year instead of up to a whole one (1 January), so live age bands of a day shift the fewest
# members.
BLURRED_MONTH, BLURRED_DAY = 7, 1
PLACEHOLDER = gettext_noop("Erased #%(id)s")
CERTIFIED_WHY = gettext_noop(
    "part of a certified election result: the union's official record, kept under the union's "
    "charter and archive rules, sealed by its digest"
)
# Tables handled row by row (by the member's id), not searched: the register itself.
OWN_TABLES = ("members_member", "members_historicalmember")
SKIPPED_APPS = ("sessions", "contenttypes")


@dataclass(frozen=True)
class Kept:
    """Records naming the member that stay, and why."""

    record: str
    count: int
    why: str


@dataclass
class Erasure:
    """What an erasure changed (table -> rows) and what it kept."""

    member_id: int
    placeholder: str
    changed: dict[str, int] = field(default_factory=dict)
    kept: list[Kept] = field(default_factory=list)
    files_deleted: int = 0
    space: str = ""  # what reclaim_space did, once the transaction committed

    def count(self, table: str, rows: int = 1) -> None:
        if rows:
            self.changed[table] = self.changed.get(table, 0) + rows


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


def placeholder_for(member_id: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _(PLACEHOLDER) % {"id": member_id}


def is_erased(member: Member) -> bool:
    return member.full_name == placeholder_for(member.pk) and not member.card_number


@transaction.atomic
def erase_member(member: Member, *, reason: str, by: Any) -> Erasure:
    """Erase `member` (see the module's docstring). Refused without a reason, or for a member
    already erased. Counts, tallies and vote totals do not change."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the erasure.")]})
    lock_branches(member.periods.values_list("branch__path", flat=True))
    member = Member.objects.select_for_update(of=("self",)).get(pk=member.pk)
    if is_erased(member):
        raise ValidationError(_("This member has already been erased."))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    person = Person(
        member.full_name, member.card_number, member.birth_date, placeholder_for(member.pk)
    )
    result = Erasure(member.pk, person.placeholder)
    old_key = member.search_key
    kept = _kept_rows(member, result)
    _scrub_member(member, person, reason=reason, by=by, result=result)
    _scrub_texts(person, kept, result)
    _scrub_candidates(member, kept, result)
    _scrub_imports(member, person, result)
    _scrub_json(person, result)
    _reindex(member, old_key)

    def reclaim() -> None:
        result.space = reclaim_space(result.changed)

    transaction.on_commit(reclaim)
    return result


def _kept_rows(member: Member, result: Erasure) -> dict[type[models.Model], set[int]]:
    """The rows of certified results that name `member`, by model (history models included)."""
    from congresses.elections.models import Candidate, ElectionStatus
    from congresses.models import Delegate, Post

    certified = {"election__status": ElectionStatus.CERTIFIED, "member": member}
    kept: dict[type[models.Model], set[int]] = {}
    for model, label in (
        (Candidate, _("candidacies in certified elections")),
        (Post, _("posts given by certified elections")),
        (Delegate, _("delegate seats given by certified elections")),
    ):
        ids = set(model.objects.filter(**certified).values_list("pk", flat=True))
        if ids:
            kept[model] = kept[model.history.model] = ids  # type: ignore[attr-defined]
            result.kept.append(Kept(str(label), len(ids), _(CERTIFIED_WHY)))
    return kept


def _scrub_member(member: Member, person: Person, *, reason: str, by: Any, result: Erasure) -> None:
    history = Member.history.model  # type: ignore[attr-defined]
    for row in history.objects.filter(id=member.pk):
        row.full_name, row.card_number, row.ethnicity = person.placeholder, None, ""
        row.birth_date = blurred(row.birth_date)
        row.history_change_reason = person.scrub(row.history_change_reason or "") or None
        row.save(update_fields=[
            "full_name", "card_number", "ethnicity", "birth_date", "history_change_reason"
        ])  # fmt: skip
        result.count(history._meta.db_table)
    user = member.user
    member.full_name = person.placeholder
    member.search_key = domain.fold(person.placeholder)
    member.sort_key = domain.name_sort_key(person.placeholder)
    member.card_number, member.ethnicity, member.user = None, "", None
    member.birth_date = blurred(member.birth_date)
    member.version += 1
    member._change_reason = person.scrub(f"erased: {reason}")  # type: ignore[attr-defined]
    member._history_user = by  # type: ignore[attr-defined]
    member.save()
    result.count(Member._meta.db_table)
    if user is not None:  # the account stays (it may hold grants); its names go
        type(user).objects.filter(pk=user.pk).update(first_name="", last_name="", email="")
        result.count(user._meta.db_table)


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField)) and not f.primary_key
    ]


def _scrub_texts(person: Person, kept: dict[type[models.Model], set[int]], result: Erasure) -> None:
    """Every text column of every other table: the rows mentioning the member, scrubbed."""
    for model in apps.get_models():
        table = model._meta.db_table
        if table in OWN_TABLES or model._meta.app_label in SKIPPED_APPS or model._meta.proxy:
            continue
        names = _text_fields(model)
        if not names:
            continue
        mentions = models.Q()
        for name in names:
            for needle in person.needles:
                mentions |= models.Q(**{f"{name}__icontains": needle})
        rows = model._default_manager.filter(mentions)
        kept_ids = kept.get(model)
        if kept_ids:
            key = "id" if hasattr(model, "history_id") else "pk"
            rows = rows.exclude(**{f"{key}__in": kept_ids})
        for row in rows.only("pk", *names):
            changed = {n: person.scrub(v) for n in names if (v := getattr(row, n)) is not None}
            changed = {n: v for n, v in changed.items() if v != getattr(row, n)}
            if changed:
                model._default_manager.filter(pk=row.pk).update(**changed)
                result.count(table)


def _scrub_candidates(
    member: Member, kept: dict[type[models.Model], set[int]], result: Erasure
) -> None:
    """Candidates outside certified results: their sort keys follow their scrubbed names."""
    from congresses.elections.models import Candidate

    rows = Candidate.objects.filter(member=member).exclude(pk__in=kept.get(Candidate, ()))
    for candidate in rows:
        key = domain.name_sort_key(candidate.person_name)
        if key != candidate.sort_key:
            Candidate.objects.filter(pk=candidate.pk).update(sort_key=key)


def _scrub_json(person: Person, result: Erasure) -> None:
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
                result.count(model._meta.db_table)


def _walk(value: Any, scrub: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [_walk(item, scrub) for item in value]
    if isinstance(value, dict):
        return {scrub(k): _walk(v, scrub) for k, v in value.items()}
    return value


PERSONAL_CELLS = {"full_name", "card_number", "birth_date", "ethnicity"}


def _preview_row(row: dict[str, Any], person: Person) -> dict[str, Any]:
    """A preview row about the member: every text scrubbed, their name the placeholder, their
    card and ethnicity gone, their date of birth blurred (old and new values alike)."""
    row = _walk(row, person.scrub)
    for part in ("values", "changes"):
        cells = row.get(part) or {}
        for name in cells.keys() & PERSONAL_CELLS:
            cells[name] = _walk(cells[name], lambda text, n=name: _cell(n, text, person))
    return row


def _cell(name: str, text: str, person: Person) -> str:
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
    return blurred(day).isoformat()  # type: ignore[union-attr]


def _scrub_imports(member: Member, person: Person, result: Erasure) -> None:
    """Import previews that read the member: their rows about them scrubbed, their files
    deleted; files of imports not checked yet are deleted too (they may list the member)."""
    from .import_lifetime import delete_file

    for job in ImportJob.objects.only("pk", "preview", "file", "status").iterator():
        preview = job.preview or {}
        rows = preview.get("rows") or []
        about = {
            r.get("number")
            for r in rows
            if isinstance(r, dict) and (r.get("member_id") == member.pk or _names(r, person))
        }
        if about or _names(preview, person):
            preview["rows"] = [
                _preview_row(r, person) if r.get("number") in about else r
                for r in rows
            ]
            preview = _walk(preview, person.scrub)
            ImportJob.objects.filter(pk=job.pk).update(preview=preview)
            result.count(ImportJob._meta.db_table)
        unchecked = job.status in (ImportStatus.QUEUED, ImportStatus.CHECKING)
        if job.file and (about or unchecked):
            delete_file(job)
            result.files_deleted += 1


def _names(value: Any, person: Person) -> bool:
    if isinstance(value, str):
        return person.mentioned_in(value)
    if isinstance(value, dict):
        return any(_names(k, person) or _names(v, person) for k, v in value.items())
    if isinstance(value, list):
        return any(_names(v, person) for v in value)
    return False


def _reindex(member: Member, old_key: str) -> None:
    """The search index holds the placeholder, and no word only the old name had."""
    search.index_members([(member.pk, member.search_key)])
    gone = sorted(set(old_key.split()) - set(member.search_key.split()))
    with connection.cursor() as cursor:
        for word in gone:
            if connection.vendor == "postgresql":  # the GIN index of the names' words (0010)
                holds = "string_to_array(search_key, ' ') @> ARRAY[%s]::text[]"
                param: str = word
            else:
                holds = "(' ' || search_key || ' ') LIKE %s ESCAPE '\\'"
                param = "% " + re.sub(r"([\\%_])", r"\\\1", word) + " %"
            cursor.execute(
                f"DELETE FROM {search.WORDS} WHERE word = %s AND NOT EXISTS "
                f"(SELECT 1 FROM members_member WHERE {holds})",
                [word, param],
            )
        if connection.vendor == "sqlite":  # merge the segments: deleted trigrams are dropped
            cursor.execute(f"INSERT INTO {search.FTS} ({search.FTS}) VALUES ('optimize')")


def reclaim_space(tables: Iterable[str] = ()) -> str:
    """Remove the old bytes of an erasure from the database's files; outside a transaction.
    Returns what it did, in words for the command."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA secure_delete = ON")
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = cursor.fetchone()[0]
            return "VACUUM; WAL checkpoint " + ("busy: run VACUUM again" if busy else "truncated")
        names = sorted({*tables, search.WORDS})
        for table in names:
            cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")
        return "VACUUM " + ", ".join(names)
