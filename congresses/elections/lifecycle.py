"""The order of an election's events: which step it can take now and why not, and the day a
result is certified. One answer for the election page (which forms and buttons it offers),
the services of rounds and certification (which refuse with the same text, a Conflict) and
the API (409).

An election is held on its congress's day, or on the day of the new committee's first meeting
(never before the congress: congresses.elections.services). Its rounds are counted that day,
so they are entered only once the day has come, and its result is certified on a day the
secretary enters: not before the election (the count), not in the future. A 2017 result
typed in now is certified as of 2017, and its counting minutes say so.

Stored records that break the order are listed by the finding functions at the end
(congresses.record_checks)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _

from congresses.elections import domain
from congresses.elections.models import Election, ElectionStatus, Round
from congresses.elections.results import Outcome, next_step_text, outcome
from congresses.findings import Finding
from congresses.lifecycle import Actions
from congresses.models import Term
from congresses.read_only import why_read_only
from members.statistics import today
from unionrec.days import day_text


class ElectionAction(StrEnum):
    ROUND = "round"  # enter the next round's counts
    DECIDE = "decide"  # record the congress's decision after a round
    CERTIFY = "certify"  # entered -> certified
    REOPEN = "reopen"  # certified -> entered


def _round_refusal(result: Outcome) -> str | None:
    """Why the count calls for no round now, or None when it does."""
    if result.error:
        return _("The stored rounds do not follow the rules: %(problem)s") % {
            "problem": result.error
        }
    awaiting = result.state.awaiting
    if awaiting == domain.Awaiting.NOTHING:
        return _("The count is complete: no further round is due.")
    if awaiting == domain.Awaiting.DECISION:
        return _("The congress decides first: vote again for the open seats, or leave them vacant.")
    if awaiting == domain.Awaiting.LOT:
        return _("The tie is settled by lot: record who drew the seat.")
    if not result.next_candidates:
        return _("The ballot has no candidates: add them first.")
    return None


def election_actions(
    election: Election, result: Outcome | None = None, *, on: date | None = None
) -> Actions:
    """What the election's state allows on `on` (today by default). Nothing changes once the
    result is certified or the congress recognised (congresses.read_only), except that a
    certified result of a congress not yet recognised can be reopened. Otherwise a round is
    entered, and the result certified, only once the election's day has come; a round only
    when the count calls for one, a decision only when one is open, certification only when
    the count is complete."""
    result = result if result is not None else outcome(election)
    day = on or today()
    congress = election.congress
    refusals: dict[str, str] = {}
    if not election.is_certified:
        refusals[ElectionAction.REOPEN] = _("Only a certified result can be reopened.")
    elif (recognised := why_read_only(congress)) is not None:
        refusals[ElectionAction.REOPEN] = recognised
    read_only = why_read_only(congress, election)
    if read_only is not None:
        for action in (ElectionAction.ROUND, ElectionAction.DECIDE, ElectionAction.CERTIFY):
            refusals[action] = read_only
        return Actions(refusals)
    to_come = {"day": day_text(election.held_on)}
    if election.held_on > day:
        refusals[ElectionAction.ROUND] = (
            _("Rounds are entered from the election's day, %(day)s.") % to_come
        )
    elif (no_round := _round_refusal(result)) is not None:
        refusals[ElectionAction.ROUND] = no_round
    if not result.decisions:
        refusals[ElectionAction.DECIDE] = _("No decision is open now: %(next)s") % {
            "next": next_step_text(result)
        }
    if election.held_on > day:
        refusals[ElectionAction.CERTIFY] = (
            _("The result can be certified from the election's day, %(day)s.") % to_come
        )
    elif not result.complete:
        refusals[ElectionAction.CERTIFY] = _("The count is not complete: %(next)s") % {
            "next": next_step_text(result)
        }
    return Actions(refusals)


def certified_on_problem(election: Election, day: date, *, on: date | None = None) -> str | None:
    """Why `day` cannot be the day the result is certified (a field error under
    certified_on), or None: not before the election's day, the day it was counted, and not
    in the future."""
    if day < election.held_on:
        return _(
            "A result is certified on or after the day of its election (%(day)s), not before."
        ) % {"day": day_text(election.held_on)}
    if day > (on or today()):
        return _("The day of certification cannot be in the future.")
    return None


def _entered_day() -> TruncDate:
    """A round's entry time as a day of the union's calendar (settings.UNIONREC_TIME_ZONE,
    as members.statistics.today)."""
    return TruncDate("entered_at", tzinfo=ZoneInfo(settings.UNIONREC_TIME_ZONE))


def first_entered_on(election: Election) -> date | None:
    """The day the election's first stored round was entered, or None without rounds."""
    first: date | None = (
        Round.objects.filter(election=election)
        .annotate(day=_entered_day())
        .aggregate(first=Min("day"))["first"]
    )
    return first


def day_problem(election: Election) -> str | None:
    """Why the election's day cannot move to what it is now, with rounds entered (a field
    error under held_on), or None: the rounds were entered on or after it."""
    first = first_entered_on(election)
    if first is not None and election.held_on > first:
        return _(
            "Rounds of this election were entered on %(entered)s: it was held on that day or "
            "before."
        ) % {"entered": day_text(first)}
    return None


# --- Stored records that break the order (congresses.record_checks) ---------------------------


def _record(election: Election) -> str:
    return _("Election of the %(what)s, %(day)s") % {
        "what": election.get_kind_display(),
        "day": day_text(election.held_on),
    }


def _url(election: Election) -> str:
    return reverse("congresses:election", args=[election.pk])


def _elections(terms: QuerySet[Term]) -> QuerySet[Election]:
    return (
        Election.objects.filter(congress__term__in=terms)
        .select_related("congress__term__branch")
        .order_by("congress__held_on", "held_on", "pk")
    )


def before_its_congress(terms: QuerySet[Term]) -> Iterator[Finding]:
    """Elections dated before the congress that holds them."""
    for election in _elections(terms).filter(held_on__lt=F("congress__held_on")):
        yield Finding(
            term=election.congress.term,
            record=_record(election),
            problem=_("It is dated before its congress (%(day)s).")
            % {"day": day_text(election.congress.held_on)},
            fix=_(
                "Correct the election's day or the congress day; a certified result is "
                "reopened by an administrator first."
            ),
            url=_url(election),
        )


def rounds_before_its_day(terms: QuerySet[Term]) -> Iterator[Finding]:
    """Elections with rounds entered before the election's day: counts of a vote that had
    not taken place."""
    early = (
        Round.objects.filter(election__congress__term__in=terms)
        .annotate(day=_entered_day())
        .filter(day__lt=F("election__held_on"))
        .values("election")
        .annotate(first=Min("day"))
    )
    first = {row["election"]: row["first"] for row in early}
    for election in _elections(terms).filter(pk__in=first):
        yield Finding(
            term=election.congress.term,
            record=_record(election),
            problem=_("Its rounds were entered on %(entered)s, before the election's day.")
            % {"entered": day_text(first[election.pk])},
            fix=_(
                "Correct the election's day if it was mistyped; otherwise delete the rounds "
                "and enter them once the election is held. A certified result is reopened by "
                "an administrator first."
            ),
            url=_url(election),
        )


def certified_out_of_order(terms: QuerySet[Term]) -> Iterator[Finding]:
    """Certified results whose day of certification is missing, before the election's day,
    or in the future."""
    wrong = (
        Q(certified_on__isnull=True)
        | Q(certified_on__lt=F("held_on"))
        | Q(certified_on__gt=today())
    )
    for election in _elections(terms).filter(wrong, status=ElectionStatus.CERTIFIED):
        if election.certified_on is None:
            problem = _("Its day of certification is not recorded.")
        elif election.certified_on < election.held_on:
            problem = _("It is certified on %(certified)s, before the election's day.") % {
                "certified": day_text(election.certified_on)
            }
        else:
            problem = _("It is certified on %(certified)s, a day still to come.") % {
                "certified": day_text(election.certified_on)
            }
        yield Finding(
            term=election.congress.term,
            record=_record(election),
            problem=problem,
            fix=_(
                "An administrator reopens the result; certify it again with the day it was "
                "certified."
            ),
            url=_url(election),
        )
