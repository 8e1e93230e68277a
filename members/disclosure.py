"""Which of a member's personal data a user sees: the one rule of the member list, the member's
page, the API and every export (issue 15, item 1; reliability-security test 55).

Asked for a user and a branch, `disclosure` answers from the user's role there
(unionrec.access.Scope.level_for):

- FULL: a secretary of the branch (or of a branch above it) and a superuser see every field.
- SUMMARY: a reviewer (leadership) sees the age band (members.domain.AGE_BANDS) instead of the
  date of birth, the card number masked (members.domain.mask_card: its last four characters)
  and no ethnicity. A list shown to them is not sorted by date of birth, which would tell the
  order of births within a band (members.tables.member_ordering). Their searches do not
  match card numbers (`searches_personal`), so the hidden characters cannot be recovered by
  probing prefixes.
- NOTHING: the member role, and anyone else, sees nothing about other members. Pages and the
  API refuse their records before this rule is asked (unionrec.access.require_reader and
  check_branch); the answer exists so that no field is shown by default.

A list or a file has one set of columns for all its rows: `list_disclosure` is the weakest
answer over the list (a branch's subtree, or everything the user reads), so a reviewer of the
level above sees age bands even of the sub-unit they are also secretary of, unless the list is
narrowed to it. A JSON record answers for itself: the API asks `disclosure` for each member's
branch.

Lists and files of many members (the list page, the roster workbook and PDF) show card numbers
masked to every role, secretaries included (test 55: a page is read over a shoulder, a file is
forwarded); a secretary reads the full number on the member's page and through the API."""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import Any

from unionrec.access import Need, scope_for

from . import domain
from .models import Branch


class Disclosure(IntEnum):
    """How much of other members' personal data a user sees, least first."""

    NOTHING = 0
    SUMMARY = 1  # age band, masked card number
    FULL = 2

    @property
    def birth_date(self) -> bool:
        """Whether the full date of birth is shown (else the age band), and a list may be
        sorted by it."""
        return self is Disclosure.FULL

    @property
    def ethnicity(self) -> bool:
        """Whether the member's ethnicity is shown (sensitive data, like union membership
        itself: what a reviewer's reports need of it is counted, not listed)."""
        return self is Disclosure.FULL

    @property
    def card_number(self) -> bool:
        """Whether the full card number may be shown (else masked)."""
        return self is Disclosure.FULL


_BY_LEVEL: dict[Need | None, Disclosure] = {
    Need.WRITE: Disclosure.FULL,
    Need.READ: Disclosure.SUMMARY,
}


def disclosure(user: Any, branch: Branch) -> Disclosure:
    """What `user` sees of the members of `branch` (see the module's docstring)."""
    return _BY_LEVEL.get(scope_for(user).level_for(branch.path), Disclosure.NOTHING)


def list_disclosure(user: Any, branch: Branch | None) -> Disclosure:
    """What `user` sees of every member of a list: of `branch`'s subtree, or without one of
    all the branches the user reads. The weakest answer over the list: a subtree's branches
    are all written by whoever writes its top, and the outermost branches the user reads
    (Scope.read_paths) each answer for their subtree."""
    scope = scope_for(user)
    if scope.superuser:
        return Disclosure.FULL
    if branch is not None:
        return disclosure(user, branch)
    if not scope.read_paths:
        return Disclosure.NOTHING
    return min(
        _BY_LEVEL.get(scope.level_for(path), Disclosure.NOTHING) for path in scope.read_paths
    )


def searches_personal(user: Any, branch: Branch | None) -> bool:
    """Whether a search of `user`'s over the list of `branch` (None: all they read) matches
    the personal fields a reviewer does not see, card numbers and years of birth: only where
    they see every full number and date the match could find, so a masked number cannot be
    recovered by searching its prefixes, nor a date of birth by searching years
    (members.search.search, `personal`)."""
    sight = list_disclosure(user, branch)
    return sight.card_number and sight.birth_date


def shown_birth(birth_date: date | None, sight: Disclosure, day: date) -> date | str | None:
    """A date of birth as `sight` shows it: the date, the code of its age band on `day`
    (members.domain.AGE_BANDS), or None (unknown, or nothing shown)."""
    if sight.birth_date:
        return birth_date
    if sight is Disclosure.NOTHING:
        return None
    return domain.age_band(birth_date, day)


def shown_card(card: str | None, sight: Disclosure, *, listed: bool = False) -> str | None:
    """A card number as `sight` shows it: whole, or masked on a list or file (`listed`) and
    to anyone who is not a secretary of the member's branch; None stays None."""
    if card is None or (sight.card_number and not listed):
        return card
    return domain.mask_card(card) if sight else ""
