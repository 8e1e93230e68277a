"""How every write to an election is made, for the services of its setup, its rounds and its
certification: the row is locked, the writer's right and the result's state are checked
(congresses.read_only), a change made from a stale page is refused, and the saved change
takes the next version and the status its count gives.

Writes that come from a page or a tally carry the election's `version` they were made from:
a stale one is a Conflict, so two people entering the same result cannot overwrite each
other's work."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from congresses.elections.models import Election, ElectionStatus
from congresses.elections.results import Outcome
from congresses.read_only import Conflict, check_open
from unionrec.access import require


def locked(election: Election) -> Election:
    """The election row and its congress's, locked for the transaction (PostgreSQL; SQLite's
    IMMEDIATE transactions serialise writers anyway), with its term and branch read. Two
    people entering the same round queue here: the second then finds the first's round (and
    a newer version) and is refused with a Conflict. The branch row is read, not locked:
    branches are locked root first by members.locks, and a branch locked here out of that
    order could deadlock with an import."""
    return (
        Election.objects.select_for_update(of=("self", "congress"))
        .select_related("congress__term__branch")
        .get(pk=election.pk)
    )


def check_version(election: Election, expected: int | None) -> None:
    """Conflict when the writer's page showed another version than the stored one."""
    if expected is not None and expected != election.version:
        raise Conflict(
            _(
                "Someone else changed this election meanwhile (version %(now)s, your page showed "
                "%(then)s). Reload the page and enter your change again."
            )
            % {"now": election.version, "then": expected}
        )


def open_for_change(
    election: Election, *, by: Any, expected_version: int | None = None
) -> Election:
    """The election locked for a change: refused without write rights on its branch, from a
    stale version, once certified, or when its congress is recognised."""
    election = locked(election)
    require(by, election.congress.term.branch)
    check_version(election, expected_version)
    check_open(election.congress, election)
    return election


def save_change(election: Election, outcome_: Outcome | None = None, reason: str = "") -> None:
    """Save a change: the next version, and the status that the count's state gives."""
    if outcome_ is not None and election.status != ElectionStatus.CERTIFIED:
        election.status = ElectionStatus.ENTERED if outcome_.complete else ElectionStatus.DRAFT
    election.version += 1  # the row is locked (select_for_update; SQLite: IMMEDIATE)
    if reason:
        election._change_reason = reason  # type: ignore[attr-defined]
    election.save()
