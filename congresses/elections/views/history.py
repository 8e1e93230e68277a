"""The history of an election as its page shows it: who changed what and when, with the old
and the new value of every changed field (django-simple-history keeps a row per change of
the election, its candidates, rounds and votes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from congresses.elections.models import Candidate, Election, Round, RoundVote

SHOWN = {
    Election: (
        "status",
        "kind",
        "elected_by",
        "seats",
        "held_on",
        "summoned",
        "present",
        "rules",
        "denominator",
        "threshold",
        "tie_break",
        "vacancy_allowed",
        "max_rounds",
    ),
    Candidate: ("person_name", "gender", "member_id"),
    Round: ("seats", "issued", "collected", "valid", "invalid", "blank", "decision"),
    RoundVote: ("votes", "won_by_lot"),
}
LIMIT = 100


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Entry:
    when: datetime
    who: Any
    kind: str  # "+" created, "~" changed, "-" deleted
    what: str
    changes: tuple[Change, ...]
    reason: str


def _label(model: type[Model], name: str) -> str:
    return str(model._meta.get_field(name.removesuffix("_id")).verbose_name)


def _display(model: type[Model], name: str, value: Any) -> Any:
    field = model._meta.get_field(name.removesuffix("_id"))
    choices = dict(getattr(field, "flatchoices", None) or ())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return choices.get(value, value if value not in (None, "") else "—")


def _entries(model: type[Model], records: list[Any], what: dict[int, str]) -> list[Entry]:
    """Each record beside the one before it of the same row."""
    fields = SHOWN[model]
    previous: dict[int, Any] = {}
    entries = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        previous[record.id] = record
        changes: tuple[Change, ...] = ()
        if before is not None and record.history_type == "~":
            changes = tuple(
                Change(
                    _label(model, name),
                    _display(model, name, getattr(before, name)),
                    _display(model, name, getattr(record, name)),
                )
                for name in fields
                if getattr(before, name) != getattr(record, name)
            )
            if not changes and not record.history_change_reason:
                continue  # only the version moved
        if model is RoundVote and record.history_type == "+":
            continue  # the votes as entered are in the round's table
        entry = Entry(
            when=record.history_date,
            who=record.history_user,
            kind=record.history_type,
            what=what.get(record.id, ""),
            changes=changes,
            reason=record.history_change_reason or "",
        )
        entries.append(entry)
    return entries


def election_history(election: Election) -> list[Entry]:
    """The newest LIMIT changes of the election, its candidates, rounds and votes."""
    rounds = list(Round.history.filter(election_id=election.pk))
    candidates = list(Candidate.history.filter(election_id=election.pk))
    votes = list(RoundVote.history.filter(round_id__in={r.id for r in rounds}))
    number = {r.id: r.number for r in rounds}
    name = {c.id: c.person_name for c in candidates}
    entries = _entries(
        Election,
        list(Election.history.filter(id=election.pk)),
        {election.pk: election.get_kind_display()},
    )
    entries += _entries(
        Candidate,
        candidates,
        {c.id: _("Candidate %(name)s") % {"name": c.person_name} for c in candidates},
    )
    entries += _entries(
        Round, rounds, {r.id: _("Round %(number)s") % {"number": r.number} for r in rounds}
    )
    entries += _entries(
        RoundVote,
        votes,
        {
            v.id: _("Round %(number)s · %(name)s")
            % {"number": number.get(v.round_id, "?"), "name": name.get(v.candidate_id, "?")}
            for v in votes
        },
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:LIMIT]
