"""Erasing a member (issue 15; reliability-security test 54): their name, card number, full
date of birth and any text naming them are removed from the whole database, while every count
stays as it was.

What erasure does, in one transaction (`erase_member`):

- The member's row keeps its id, gender, branch, periods and dates of joining and leaving, so
  every tally, statistic and vote total stays the same. Its name becomes a placeholder
  ("Đã xóa #12", in the site's language), its card number is removed, its date of birth
  becomes 1 July of the same year (erasure_texts.BLURRED_MONTH says why), its ethnicity is
  cleared, its search and sort keys are computed again from the placeholder, and a linked
  user account loses its names and e-mail (the account stays: it may hold grants).
- Every history row of the member is scrubbed the same way, and one history row records the
  erasure itself (who, when, the reason with any mention of the member removed).
- The search index (members.search): the member's row of SQLite's FTS5 table is replaced and
  the index merged (`optimize`), so no segment keeps the old name's trigrams; the words of the
  old name that no other member's name holds leave `members_name_word`.
- Any text naming the member in any other table, history tables and the admin log included,
  and the import previews that read them and those imports' files (members.erasure_texts).

Kept, and said so (`Erasure.kept`): a person's part in a certified election's result (the
candidate on the sealed ballot, the posts and delegate seats that result gave: the rows of
every model whose default manager has `sealed()`, congresses.elections.models.SealedQuerySet)
is the union's official record, kept under its own basis (the union's charter and archive),
and stays sealed as it was, with the history of those rows: the certified digest covers the
candidates' names. The register does not import the congresses app; it asks each model.

After the transaction commits, `reclaim_space` removes the old bytes from the database files:
SQLite's VACUUM (with secure_delete) and a WAL checkpoint that truncates the log; PostgreSQL's
VACUUM of the touched tables (a dump has only live rows; the dead ones' space is reused)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from unionrec.history_lock import unlocked

from . import domain, search
from .erasure_texts import Person, blurred, scrub_imports, scrub_json, scrub_texts
from .locks import lock_branches
from .models import Member

PLACEHOLDER = gettext_noop("Erased #%(id)s")
SEALED_WHY = gettext_noop(
    "part of a certified election result, the union's official record under its own basis "
    "(its charter and archive), kept sealed as it was"
)


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

    def count(self, table: str) -> None:
        self.changed[table] = self.changed.get(table, 0) + 1

    def lines(self) -> list[str]:
        """The report of the command and the admin action, in the active language."""
        lines = [
            _("Member #%(id)s erased: now %(name)s.")
            % {"id": self.member_id, "name": self.placeholder}
        ]
        for table, rows in sorted(self.changed.items()):
            lines.append(_("Rows changed in %(table)s: %(rows)s.") % {"table": table, "rows": rows})
        if self.files_deleted:
            lines.append(_("Import files deleted: %(count)s.") % {"count": self.files_deleted})
        for kept in self.kept:
            lines.append(
                _("Kept: %(record)s (%(count)s), %(why)s.")
                % {"record": kept.record, "count": kept.count, "why": _(kept.why)}
            )
        if not self.kept:
            lines.append(_("Kept: nothing naming the member."))
        if self.space:
            lines.append(_("Free space: %(what)s.") % {"what": self.space})
        return lines


def placeholder_for(member_id: int) -> str:
    """The name an erased member keeps, in the site's language (what is stored)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(PLACEHOLDER) % {"id": member_id}


def is_erased(member: Member) -> bool:
    return member.full_name == placeholder_for(member.pk) and not member.card_number


@transaction.atomic
def erase_member(member: Member, *, reason: str, by: AbstractBaseUser | None) -> Erasure:
    """Erase `member` (see the module's docstring). Refused without a reason, or for a member
    already erased. No count, tally or vote total changes."""
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
    kept = _sealed_rows(member, result)
    with unlocked():  # the one path that rewrites history rows (unionrec.history_lock)
        _scrub_member(member, person, reason=reason, by=by, result=result)
        scrub_texts(person, kept, result.count)
        result.files_deleted = scrub_imports(member.pk, person, result.count)
        scrub_json(person, result.count)
    _reindex(member, old_key)

    def reclaim() -> None:
        result.space = reclaim_space(result.changed)

    transaction.on_commit(reclaim)
    return result


def _sealed_rows(member: Member, result: Erasure) -> dict[type[models.Model], set[int]]:
    """The rows of certified results that name `member`, by model, history models included."""
    kept: dict[type[models.Model], set[int]] = {}
    for model in apps.get_models():
        sealed = getattr(model._default_manager, "sealed", None)
        if sealed is None:
            continue
        ids = set(sealed().filter(member=member).values_list("pk", flat=True))
        if ids:
            kept[model] = kept[model.history.model] = ids  # type: ignore[attr-defined]
            result.kept.append(Kept(str(model._meta.verbose_name_plural), len(ids), SEALED_WHY))
    return kept


PERSONAL_FIELDS = ["full_name", "card_number", "ethnicity", "birth_date", "history_change_reason"]


def _scrub_member(
    member: Member, person: Person, *, reason: str, by: AbstractBaseUser | None, result: Erasure
) -> None:
    history = Member.history.model
    for row in history.objects.filter(id=member.pk):
        row.full_name, row.card_number, row.ethnicity = person.placeholder, None, ""
        row.birth_date = blurred(row.birth_date)
        row.history_change_reason = person.scrub(row.history_change_reason or "") or None
        row.save(update_fields=PERSONAL_FIELDS)
        result.count(history._meta.db_table)
    user = member.user
    member.full_name = person.placeholder
    member.search_key = domain.fold(person.placeholder)
    member.sort_key = domain.name_sort_key(person.placeholder)
    member.card_number, member.ethnicity = None, ""
    member.birth_date = blurred(member.birth_date)
    member.version += 1
    room = history._meta.get_field("history_change_reason").max_length
    member._change_reason = person.scrub(f"erased: {reason}")[:room]  # type: ignore[attr-defined]
    member._history_user = by  # type: ignore[attr-defined]
    member.save()
    result.count(Member._meta.db_table)
    if user is not None:
        type(user).objects.filter(pk=user.pk).update(first_name="", last_name="", email="")
        result.count(user._meta.db_table)


# members.search's tables (migration 0006): a word leaves when no member's name holds it.
WORD_UNUSED_POSTGRESQL = (
    "DELETE FROM members_name_word WHERE word = %s AND NOT EXISTS (SELECT 1 FROM members_member"
    " WHERE string_to_array(search_key, ' ') @> ARRAY[%s]::text[])"
)
WORD_UNUSED_SQLITE = (
    "DELETE FROM members_name_word WHERE word = %s AND NOT EXISTS (SELECT 1 FROM members_member"
    " WHERE (' ' || search_key || ' ') LIKE %s ESCAPE '\\')"
)


def _reindex(member: Member, old_key: str) -> None:
    """The search index holds the placeholder, and no word only the old name had."""
    search.index_members([(member.pk, member.search_key)])
    gone = sorted(set(old_key.split()) - set(member.search_key.split()))
    with connection.cursor() as cursor:
        for word in gone:
            if connection.vendor == "postgresql":  # the GIN index of the names' words (0010)
                cursor.execute(WORD_UNUSED_POSTGRESQL, [word, word])
            else:
                cursor.execute(
                    WORD_UNUSED_SQLITE, [word, "% " + re.sub(r"([\\%_])", r"\\\1", word) + " %"]
                )
        if connection.vendor == "sqlite":  # merge the segments: deleted trigrams are dropped
            cursor.execute(
                "INSERT INTO members_member_fts (members_member_fts) VALUES ('optimize')"
            )


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
        names = sorted({*tables, "members_name_word"})
        for table in names:
            cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")
        return "VACUUM " + ", ".join(names)
