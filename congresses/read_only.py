"""Whether a record of a congress may still change: one rule for the services, the pages and
the API (domain-rules §2: the level above recognises a congress's results).

- A congress that the level above has recognised is read-only, with everything recorded at
  it (its parts, delegates and posts, its elections); an administrator reopens it.
- A certified election result is read-only (its counts are sealed by their digest); an
  administrator reopens it with a reason.

The services call `check_open` and raise Conflict, which the API answers with 409
(congresses.serializers.record_errors, for the congress and elections APIs alike); the pages
ask `why_read_only` before they offer a change, and show its text where they refuse one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from congresses.elections.models import Election
    from congresses.models import Congress


class Conflict(ValidationError):
    """The change cannot be made in the record's present state (read-only, a lifecycle step
    not open now, or changed by someone else meanwhile). Pages and the API answer 409."""


def why_read_only(congress: Congress, election: Election | None = None) -> str | None:
    """Why the congress (or one of its elections) may not change now, in the active
    language; None while it may."""
    if election is not None and election.is_certified:
        return _(
            "The result is certified and read-only; an administrator can reopen it with a reason."
        )
    if congress.is_read_only:
        return _("The congress is recognised and read-only; an administrator can reopen it.")
    return None


def check_open(congress: Congress, election: Election | None = None) -> None:
    """Conflict with the reason unless the congress (or the election) may still change."""
    reason = why_read_only(congress, election)
    if reason is not None:
        raise Conflict(reason)
