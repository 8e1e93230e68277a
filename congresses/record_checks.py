"""Records already stored that break a rule the services now enforce.

A rule added to a service refuses new input; rows written before it (or behind the
application) stay as they are: nothing is rewritten silently and no migration stops on them.
Each rule that can be broken by stored data also offers a *finding* function here: it reads
the terms given and says, for each record that breaks the rule, what is wrong and what to do.
`python manage.py check_records` lists them all; the term and congress pages show those of
their term.

A finding function takes a queryset of terms and yields Findings; it lives beside its rule
(the service module that refuses the same state) and is listed in CHECKS below."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from congresses.elections.lifecycle import (
    before_its_congress,
    certified_out_of_order,
    rounds_before_its_day,
)
from congresses.lifecycle import held_before_its_day
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

# Every rule whose stored breaches are listed: (name, function). The name is stable (the
# command's --rule option takes it).
CHECKS: tuple[tuple[str, FindingCheck], ...] = (
    # the order of events (congresses.lifecycle, congresses.elections.lifecycle)
    ("congress-held-before-its-day", held_before_its_day),
    ("election-before-its-congress", before_its_congress),
    ("rounds-before-the-election", rounds_before_its_day),
    ("certified-out-of-order", certified_out_of_order),
)


def findings(terms: QuerySet[Term], rules: Iterable[str] | None = None) -> Iterator[Finding]:
    """Every finding over `terms`, rule by rule, in the order of CHECKS."""
    wanted = set(rules) if rules is not None else None
    for name, check in CHECKS:
        if wanted is None or name in wanted:
            yield from check(terms)


def term_findings(term: Term) -> list[Finding]:
    """The findings of one term, for its pages."""
    return list(findings(Term.objects.filter(pk=term.pk)))
