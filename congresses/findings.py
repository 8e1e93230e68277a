"""A stored record that breaks a rule (see congresses.record_checks, which lists every rule's
finding function). Its own module so that the rules' modules import it without importing the
list of rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from congresses.models import Term


@dataclass(frozen=True)
class Finding:
    """One stored record that breaks one rule: where it is, what is wrong, what to do."""

    term: Term
    record: str  # the record, as a user names it ("Chair: Nguyễn Văn A, from 23/12/2017")
    problem: str  # what is wrong, in the active language
    fix: str  # what to do about it
    url: str  # the page where it is fixed


FindingCheck = Callable[[QuerySet[Term]], Iterable[Finding]]
