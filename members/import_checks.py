"""The checks of an import's rows against the file itself and the register, writing nothing.

Each row becomes new, update, unchanged or error. Matching: an existing member with the same
card number (anywhere), else one with the same name and date of birth in the branch's
subtree. Only fields present in the file count, and a blank cell never erases stored data, so
a second import of the same file finds every row "unchanged". Transfers are not made by an
import: a matched member listed under another sub-unit gets a note, not a change.

The register is read in bulk (a few queries per 500 rows), never once per row. The preview of
the whole file (members.imports) gathers the rows checked here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from unionrec.access import Need, scope_for

from . import import_rows as rules
from .domain import clean_name, fold, is_in_subtree
from .models import TAKEN, Branch, Member, MemberStatus

CHUNK = 500
COMPARED = (
    rules.FULL_NAME,
    rules.GENDER,
    rules.BIRTH_DATE,
    rules.CARD_NUMBER,
    rules.JOINED_UNION_ON,
    rules.ETHNICITY,
)
MESSAGES = {
    "unknown_sub_unit": gettext_noop(
        "“%(value)s” is not a sub-unit of %(branch)s: write its code or its name as in the "
        "register."
    ),
    "ambiguous_sub_unit": gettext_noop(
        "Several sub-units of %(branch)s are called “%(value)s”: write the code instead."
    ),
    "sub_unit_out_of_scope": gettext_noop("You have no right to change %(branch)s."),
    "sub_unit_dissolved": gettext_noop(
        "%(branch)s has been dissolved: members cannot be added to it."
    ),
    "duplicate_card": gettext_noop("The same card number is on row %(row)s."),
    "duplicate_person": gettext_noop("The same name and date of birth are on row %(row)s."),
    "same_member": gettext_noop("Row %(row)s already refers to the same member."),
    "card_elsewhere": TAKEN,
    "card_conflict": gettext_noop(
        "This card number belongs to %(name)s, with another name and date of birth: check the "
        "card number."
    ),
    "person_elsewhere": gettext_noop(
        "A member with this name and date of birth belongs to a part of the union you cannot "
        "change."
    ),
    "ambiguous_person": gettext_noop(
        "Several members have this name and date of birth: add the card number to tell them apart."
    ),
    "duplicated_column": gettext_noop(
        "The columns “%(first)s” and “%(second)s” hold the same information: keep one of them."
    ),
    # Notes: shown in the preview, they do not stop the import.
    "other_sub_unit": gettext_noop(
        "The file names %(file)s, but the member is registered in %(branch)s: the import "
        "changes their details only (transfer them from their record)."
    ),
    "outside_branch": gettext_noop(
        "This member is registered in %(branch)s: the import changes their details only."
    ),
    "has_left": gettext_noop("This member is registered as having left the union."),
    "namesake": gettext_noop(
        "A member with the same name and date of birth has another card number (%(card)s): "
        "this row is taken as someone else."
    ),
}


class Action(models.TextChoices):
    NEW = "new", gettext_lazy("New member")
    UPDATE = "update", gettext_lazy("Update")
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")
    ERROR = "error", gettext_lazy("Error")


def message_for(code: str, params: dict[str, Any]) -> str:
    """The message of an issue code in the active language."""
    return gettext(MESSAGES.get(code) or rules.MESSAGES[code]) % params


@dataclass
class Issue:
    """An error or a note about a row (or the file): the column's header as in the file ("" for
    the whole row), a code, its parameters and the message in the language of the preview."""

    column: str
    code: str
    params: dict[str, Any]
    message: str

    @classmethod
    def of(cls, column: str, code: str, **params: Any) -> Issue:
        return cls(column, code, params, message_for(code, params))


@dataclass
class PreviewRow:
    """One data row. `values` are the parsed cells (the sub-unit as written); `branch_id` is
    where a new member goes, or a matched member's current branch; `changes` maps each field
    the import would change to (stored, new)."""

    number: int
    action: Action
    member_id: int | None
    values: dict[str, rules.Value]
    branch_id: int | None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)


def _chunks(items: Iterable[Any]) -> Iterator[list[Any]]:
    items = sorted(items)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


_MEMBER_VALUES = (
    "id",
    "branch_id",
    "branch__path",
    "branch__name",
    "branch__short_name",
    "status",
    "search_key",
    *COMPARED,
)
_BRANCH_VALUES = ("id", "path", "code", "name", "short_name", "dissolved_on")


class RowChecker:
    """The register as the rows need it, read in bulk once, and the rows seen so far."""

    def __init__(
        self,
        branch: Branch,
        columns: rules.Columns,
        user: Any,
        rows: list[rules.ParsedRow],
        now: date,
    ) -> None:
        self.branch, self.columns, self.today = branch, columns, now
        self.scope = None if user is None else scope_for(user)
        subtree = list(Branch.objects.subtree_of(branch).values(*_BRANCH_VALUES))
        self.by_id: dict[int, dict[str, Any]] = {b["id"]: b for b in subtree}
        self.by_code: dict[str, dict[str, Any]] = {b["code"].lower(): b for b in subtree}
        self.by_name: dict[str, list[dict[str, Any]]] = {}
        for b in subtree:
            for spelling in {rules.fold_words(b["name"]), rules.fold_words(b["short_name"])} - {""}:
                self.by_name.setdefault(spelling, []).append(b)
        cards = {r.values[rules.CARD_NUMBER] for r in rows if rules.CARD_NUMBER in r.values}
        self.by_card: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(cards):
            for m in Member.objects.filter(card_number__in=chunk).values(*_MEMBER_VALUES):
                self.by_card[m["card_number"]] = m
        self.persons = {r.number: _person(r.values) for r in rows}
        people = {p for r in rows if (p := self.persons[r.number]) and _card(r) not in self.by_card}
        self.by_person: dict[tuple[str, date], list[dict[str, Any]]] = {}
        for chunk in _chunks(people):
            found = Member.objects.in_subtree(branch).filter(
                search_key__in=sorted({k[0] for k in chunk}),
                birth_date__in=sorted({k[1] for k in chunk}),
            )
            for m in found.values(*_MEMBER_VALUES):
                key = (m["search_key"], m["birth_date"])
                if key in people:
                    self.by_person.setdefault(key, []).append(m)
        self.seen_cards: dict[str, int] = {}
        self.seen_people: dict[tuple[str, date], tuple[int, str]] = {}
        self.seen_members: dict[int, int] = {}
        self.sub_units: dict[str, tuple[dict[str, Any] | None, Issue | None]] = {}

    def header(self, name: str) -> str:
        return self.columns.header(name)

    def writable(self, path: str) -> bool:
        return self.scope is None or self.scope.covers(path, Need.WRITE)

    def check(self, parsed: rules.ParsedRow) -> PreviewRow:
        values = parsed.values
        row = PreviewRow(parsed.number, Action.NEW, None, dict(values), self.branch.pk)
        row.errors = [Issue.of(e.column, e.code, **e.params) for e in parsed.errors]
        target = self.sub_unit(row)
        if target is None:
            row.branch_id = None
        self.duplicates(row)
        member = self.match(row)
        if member is not None:
            self.compare(row, member, target)
        elif target is not None:
            row.branch_id = target["id"]
            if target["dissolved_on"] and target["dissolved_on"] <= self.today:
                name = target["short_name"] or target["name"]
                column = self.header(rules.BRANCH)
                row.errors.append(Issue.of(column, "sub_unit_dissolved", branch=name))
        if row.errors:
            row.action = Action.ERROR
        elif member is not None:
            row.action = Action.UPDATE if row.changes else Action.UNCHANGED
        return row

    def sub_unit(self, row: PreviewRow) -> dict[str, Any] | None:
        """The branch the row names (by code, else by name or short name, within the subtree),
        or the import's branch when the cell is blank; None after an error."""
        text = row.values.get(rules.BRANCH)
        key = text if isinstance(text, str) else ""
        if key not in self.sub_units:
            self.sub_units[key] = self._find_sub_unit(key)
        found, error = self.sub_units[key]
        if error is not None:
            row.errors.append(error)
        return found

    def _find_sub_unit(self, text: str) -> tuple[dict[str, Any] | None, Issue | None]:
        column = self.header(rules.BRANCH)
        if not text:
            found = self.by_id[self.branch.pk]
        else:
            by_code = self.by_code.get(text.lower())
            named = self.by_name.get(rules.fold_words(text), [])
            if by_code is None and len(named) > 1:
                error = Issue.of(column, "ambiguous_sub_unit", value=text, branch=str(self.branch))
                return None, error
            candidate = by_code or (named[0] if named else None)
            if candidate is None:
                error = Issue.of(column, "unknown_sub_unit", value=text, branch=str(self.branch))
                return None, error
            found = candidate
        if not self.writable(found["path"]):
            name = found["short_name"] or found["name"]
            return None, Issue.of(column, "sub_unit_out_of_scope", branch=name)
        return found, None

    def duplicates(self, row: PreviewRow) -> None:
        """Rows after the first with the same card, or the same name and date of birth (unless
        both rows carry different cards), get an error naming the first row."""
        card, person = _card(row), self.persons[row.number]
        if card is not None:
            first = self.seen_cards.setdefault(card, row.number)
            if first != row.number:
                column = self.header(rules.CARD_NUMBER)
                row.errors.append(Issue.of(column, "duplicate_card", row=first))
        if person is not None:
            number, first_card = self.seen_people.setdefault(person, (row.number, card or ""))
            if number != row.number and not (card and first_card and card != first_card):
                column = self.header(rules.FULL_NAME)
                row.errors.append(Issue.of(column, "duplicate_person", row=number))

    def match(self, row: PreviewRow) -> dict[str, Any] | None:
        """The register's member for the row: by card number, else by name and date of birth
        among members without another card. None for a new member or after an error."""
        card, person = row.values.get(rules.CARD_NUMBER), self.persons[row.number]
        if isinstance(card, str) and card in self.by_card:
            member = self.by_card[card]
            column = self.header(rules.CARD_NUMBER)
            if not self.writable(member["branch__path"]):
                row.errors.append(Issue.of(column, "card_elsewhere"))
                return None
            # A card with another name is a correction of the name only if the date of birth
            # confirms it; otherwise the card number is more likely mistyped.
            name = row.values.get(rules.FULL_NAME)
            born = row.values.get(rules.BIRTH_DATE)
            confirmed = born is not None and born == member["birth_date"]
            if isinstance(name, str) and fold(name) != member["search_key"] and not confirmed:
                row.errors.append(Issue.of(column, "card_conflict", name=member["full_name"]))
                return None
        elif person is not None:
            candidates = self.by_person.get(person, [])
            others = [m for m in candidates if card and m["card_number"] not in (None, card)]
            candidates = [m for m in candidates if m not in others]
            for other in others[:1]:
                masked = "•" * max(len(other["card_number"]) - 4, 0) + other["card_number"][-4:]
                column = self.header(rules.CARD_NUMBER)
                row.notes.append(Issue.of(column, "namesake", card=masked))
            if not candidates:
                return None
            column = self.header(rules.FULL_NAME)
            if len(candidates) > 1:
                row.errors.append(Issue.of(column, "ambiguous_person"))
                return None
            member = candidates[0]
            if not self.writable(member["branch__path"]):
                row.errors.append(Issue.of(column, "person_elsewhere"))
                return None
        else:
            return None
        first = self.seen_members.setdefault(member["id"], row.number)
        if first != row.number:
            row.errors.append(Issue.of("", "same_member", row=first))
        return member

    def compare(
        self, row: PreviewRow, member: dict[str, Any], target: dict[str, Any] | None
    ) -> None:
        """Fill `changes` with the fields the file gives and the register holds otherwise; check
        the dates as they would stand together; note a sub-unit the import will not apply."""
        row.member_id, row.branch_id = member["id"], member["branch_id"]
        for name in COMPARED:
            new = row.values.get(name)
            old = member[name]
            if new is not None and new != (clean_name(old) if name == rules.ETHNICITY else old):
                row.changes[name] = (old, new)
        born = row.values.get(rules.BIRTH_DATE, member["birth_date"])
        joined = row.values.get(rules.JOINED_UNION_ON, member["joined_union_on"])
        if (rules.BIRTH_DATE in row.changes or rules.JOINED_UNION_ON in row.changes) and (
            born and joined and joined < born
        ):
            name = (
                rules.JOINED_UNION_ON if rules.JOINED_UNION_ON in row.values else rules.BIRTH_DATE
            )
            row.errors.append(Issue.of(self.header(name), "joined_before_birth"))
        here = member["branch__short_name"] or member["branch__name"]
        column = self.header(rules.BRANCH)
        if rules.BRANCH in row.values and target and target["id"] != member["branch_id"]:
            named = target["short_name"] or target["name"]
            row.notes.append(Issue.of(column, "other_sub_unit", file=named, branch=here))
        elif not is_in_subtree(member["branch__path"], self.branch.path):
            row.notes.append(Issue.of(column, "outside_branch", branch=here))
        if member["status"] == MemberStatus.LEFT:
            row.notes.append(Issue.of("", "has_left"))


def _person(values: dict[str, rules.Value]) -> tuple[str, date] | None:
    """The (folded name, date of birth) that identifies a person without a card."""
    name, born = values.get(rules.FULL_NAME), values.get(rules.BIRTH_DATE)
    if isinstance(name, str) and isinstance(born, date):
        return fold(name), born
    return None


def _card(row: rules.ParsedRow | PreviewRow) -> str | None:
    card = row.values.get(rules.CARD_NUMBER)
    return card if isinstance(card, str) else None
