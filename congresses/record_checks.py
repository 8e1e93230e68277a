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

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from congresses import post_rules
from congresses.breakdown import breakdown_findings
from congresses.elections.lifecycle import (
    before_its_congress,
    certified_out_of_order,
    rounds_before_its_day,
)
from congresses.findings import Finding, FindingCheck
from congresses.first_meeting import chair_only_findings
from congresses.lifecycle import before_its_term, held_before_its_day
from congresses.models import Term
from congresses.resolutions.progress import unfinal_end_of_term_verdicts

# Every rule whose stored breaches are listed: (name, function). The name is stable (the
# command's --rule option takes it).
CHECKS: tuple[tuple[str, FindingCheck], ...] = (
    ("post-days", post_rules.day_rule_findings),
    ("post-elected", post_rules.not_elected_findings),
    ("end-of-term-verdicts-final", unfinal_end_of_term_verdicts),
    ("congress-breakdown", breakdown_findings),  # the members per sub-unit add up to the totals
    ("first-meeting-chair-only", chair_only_findings),
    # the order of events (congresses.lifecycle, congresses.elections.lifecycle)
    ("congress-held-before-its-day", held_before_its_day),
    ("congress-before-its-term", before_its_term),
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
