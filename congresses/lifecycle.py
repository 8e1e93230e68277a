"""The order of a congress's events: which step of its lifecycle the congress can take now,
and why not. One answer for the page (which buttons it offers), the services (which refuse
with the same text, a Conflict) and the API (409).

A congress is planned, then recorded as held once its day has come (domain-rules §2: the
statistics are frozen on that day, which cannot be counted ahead), sent for recognition,
recognised by the level above, and reopened by an administrator. Who may take a step is the
other question, answered by unionrec.access; this module answers only what the record's
state allows.

Stored congresses that break the order (recorded as held before their day) are listed by
`held_before_its_day` (congresses.record_checks)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db.models import DateField, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _

from congresses.findings import Finding
from congresses.models import Congress, CongressStatus, Term
from congresses.read_only import Conflict
from members.statistics import today
from unionrec.days import day_text


@dataclass(frozen=True)
class Actions:
    """The steps of one record's lifecycle, each with the reason it cannot be taken now
    (absent when it can)."""

    refusals: Mapping[str, str]

    def allows(self, action: str) -> bool:
        return action not in self.refusals

    def why_not(self, action: str) -> str | None:
        """The reason `action` cannot be taken now, in the active language; None if it can."""
        return self.refusals.get(action)

    def check(self, action: str) -> None:
        """Conflict with the reason unless `action` can be taken now."""
        reason = self.refusals.get(action)
        if reason is not None:
            raise Conflict(reason)


class CongressAction(StrEnum):
    HOLD = "hold"  # planned -> held
    SUBMIT = "submit"  # held -> awaiting recognition
    RECOGNISE = "recognise"  # awaiting -> recognised
    REOPEN = "reopen"  # recognised -> awaiting


def congress_actions(congress: Congress, *, on: date | None = None) -> Actions:
    """What the congress's state allows on `on` (today by default): a congress is recorded as
    held only when planned, its day has come and its attendance is recorded; sent for
    recognition only when held and its committee's seats are recorded; recognised only when
    awaiting recognition; reopened only when recognised."""
    day = on or today()
    status = congress.status
    refusals: dict[str, str] = {}
    if status != CongressStatus.PLANNED:
        refusals[CongressAction.HOLD] = _("Only a planned congress can be recorded as held.")
    elif congress.held_on > day:
        refusals[CongressAction.HOLD] = _(
            "The congress can be recorded as held from its day, %(day)s."
        ) % {"day": day_text(congress.held_on)}
    elif congress.summoned is None or congress.present is None:
        refusals[CongressAction.HOLD] = _(
            "Record how many were summoned and how many were present first."
        )
    if status != CongressStatus.HELD:
        refusals[CongressAction.SUBMIT] = _("Only a held congress can be sent for recognition.")
    elif not congress.committee_size:
        refusals[CongressAction.SUBMIT] = _("Record the number of executive committee seats first.")
    if status != CongressStatus.AWAITING_RECOGNITION:
        refusals[CongressAction.RECOGNISE] = _(
            "Only a congress awaiting recognition can be recognised."
        )
    if status != CongressStatus.RECOGNISED:
        refusals[CongressAction.REOPEN] = _("Only a recognised congress can be reopened.")
    return Actions(refusals)


# The step each status leads to: the page says why it is not offered yet.
NEXT_STEP = {
    CongressStatus.PLANNED: CongressAction.HOLD,
    CongressStatus.HELD: CongressAction.SUBMIT,
}


def day_problem(congress: Congress, *, on: date | None = None) -> str | None:
    """Why the congress's day cannot be what it is now (a field error under held_on), or
    None: a congress recorded as held cannot be dated after today, and no congress comes
    after one of its own elections (the election would then come before its congress)."""
    if congress.status != CongressStatus.PLANNED and congress.held_on > (on or today()):
        return _("The congress is recorded as held: its day cannot be after today.")
    # domain-rules §2 (ĐL2013 era guidance): the term is counted from the month of its congress
    term_start = congress.term.starts_on
    if congress.held_on < term_start.replace(day=1):
        return _(
            "The congress opens its term, which is counted from the month of the congress: its "
            "formal session cannot come before the month the term starts (%(start)s). Change "
            "the term's start or the congress's day."
        ) % {"start": day_text(term_start)}
    if congress.pk is None:
        return None
    first = congress.elections.order_by("held_on").values_list("held_on", flat=True).first()
    if first is not None and congress.held_on > first:
        return _(
            "An election of this congress is dated %(day)s: the congress cannot come after "
            "it. Change the election's day first."
        ) % {"day": day_text(first)}
    return None


def held_before_its_day(terms: QuerySet[Term]) -> Iterator[Finding]:
    """Congresses recorded as held (or beyond) whose day is still to come: their statistics
    were frozen on a day that had not happened yet."""
    ahead = (
        Congress.objects.filter(term__in=terms, held_on__gt=today())
        .exclude(status=CongressStatus.PLANNED)
        .select_related("term__branch")
        .order_by("held_on", "pk")
    )
    for congress in ahead:
        yield Finding(
            term=congress.term,
            record=_("Congress of %(day)s") % {"day": day_text(congress.held_on)},
            problem=_("It is recorded as %(status)s, but its day has not come yet.")
            % {"status": congress.get_status_display()},
            fix=_(
                "Correct the congress day if it was mistyped; if the congress is still to "
                "come, ask an administrator to correct the record."
            ),
            url=reverse("congresses:congress", args=[congress.pk]),
        )


def before_its_term(terms: QuerySet[Term]) -> Iterator[Finding]:
    """Congresses dated before the month their term starts (day_problem refuses new ones)."""
    early = (
        Congress.objects.filter(
            term__in=terms,
            held_on__lt=TruncMonth("term__starts_on", output_field=DateField()),
        )
        .select_related("term__branch")
        .order_by("held_on", "pk")
    )
    for congress in early:
        start = congress.term.starts_on
        yield Finding(
            term=congress.term,
            record=_("Congress of %(day)s") % {"day": day_text(congress.held_on)},
            problem=_("It is dated before the month its term starts (%(start)s).")
            % {"start": day_text(start)},
            fix=_("Correct the congress day, or the term's start if that was mistyped."),
            url=reverse("congresses:congress", args=[congress.pk]),
        )
