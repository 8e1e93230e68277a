"""The query sets of the terms and congresses: what a term or a congress is to the calendar,
told from its own row (congresses.filters walks them)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When

if TYPE_CHECKING:
    from .congresses import Congress, Term  # noqa: F401 - named in the generic bases


def running_on(day: date, prefix: str = "") -> Q:
    """The condition on a term (its fields behind `prefix`, "terms__" from a branch) of being
    its branch's latest term started by `day`: started, and no later term started since
    (next_starts_on, the start of the branch's next term, empty for the latest)."""
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}next_starts_on__isnull": True}) | Q(**{f"{prefix}next_starts_on__gt": day})
    )


class TermQuerySet(models.QuerySet["Term"]):
    def visible_to(self, user: Any) -> TermQuerySet:
        from unionrec.access import scope_for

        return self.filter(scope_for(user).readable_branch_filter("branch__path"))

    def current_on(self, day: date) -> TermQuerySet:
        return self.filter(starts_on__lte=day, effective_end__gt=day)

    def running_on(self, day: date) -> TermQuerySet:
        """Each branch's latest term started by `day`: the running one, or the last that ran
        (the calendar's term). One per branch, told from the term's own row (running_on)."""
        return self.filter(running_on(day))

    def link(self) -> int:
        """Set next_starts_on on these terms from their branches' terms (one UPDATE)."""
        following = self.model.objects.filter(
            branch_id=OuterRef("branch_id"), starts_on__gt=OuterRef("starts_on")
        ).order_by("starts_on")
        return self.update(next_starts_on=Subquery(following.values("starts_on")[:1]))


class CongressQuerySet(models.QuerySet["Congress"]):
    def visible_to(self, user: Any) -> CongressQuerySet:
        from unionrec.access import scope_for

        return self.filter(scope_for(user).readable_branch_filter("term__branch__path"))

    def awaited_first(self) -> CongressQuerySet:
        """These congresses not recognised yet, in the order the calendar picks one for their
        branch: the held ones (held or awaiting recognition) before the planned, each by day."""
        from .congresses import CongressStatus

        planned_last = Case(When(status=CongressStatus.PLANNED, then=Value(1)), default=Value(0))
        return self.exclude(status=CongressStatus.RECOGNISED).order_by(
            planned_last, "held_on", "pk"
        )

    def mark_awaited(self) -> None:
        """Set `awaited` on the congresses of one branch (these): on the first of
        awaited_first, off on the others. Run by every save and delete of a congress."""
        first = self.awaited_first().values_list("pk", flat=True).first()
        marked = self.filter(awaited=True)
        if first is None:
            marked.update(awaited=False)
            return
        marked.exclude(pk=first).update(awaited=False)
        self.filter(pk=first, awaited=False).update(awaited=True)

    def mark_all_awaited(self) -> None:
        """mark_awaited for every branch at once, after a bulk load that bypassed save()."""
        held_by = self.model.objects.filter(term__branch_id=OuterRef("term__branch_id"))
        first = held_by.awaited_first().values("pk")[:1]
        self.update(awaited=False)
        chosen = self.awaited_first().order_by().annotate(first=Subquery(first))
        self.filter(pk__in=chosen.filter(pk=models.F("first")).values("pk")).update(awaited=True)
