"""Filters of the congress calendar: which branches need the leadership's attention.

The situations are computed in the database: each is an `EXISTS` over the branch's own terms
or congresses, checked branch by branch in the page's order until the page is full, and the
term and congress shown on a row are correlated subqueries that run for the rows of the page
only. Pages are read by keyset (unionrec.keyset), so the last page stops as early as the
first. No Python loop over branches, whatever the size of the tree.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import django_filters
from django import forms
from django.db import models
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.lookups import IsNull
from django.utils.translation import gettext_lazy as _

from congresses.domain import add_months
from congresses.models import Congress, CongressStatus, Term
from congresses.models.querysets import running_on
from members.filters import readable_branches
from members.models import Branch, BranchKind
from members.pickers import BranchFilter
from members.statistics import today
from unionrec import keyset

DEFAULT_MONTHS = 6
MAX_MONTHS = 60

# Union groups hold an all-member meeting, not a congress (domain-rules §2, Guidance 03/HD-TLĐ
# §11), so they have no terms to watch.
CALENDAR_KINDS = [(value, label) for value, label in BranchKind.choices if value != "group"]
# Levels offered in the branch choice besides the user's own branches and their children: a
# province or sector leadership narrows by these; deeper branches are reached by `?branch=`.


class Situation(models.TextChoices):
    ENDING = "ending", _("Term ending soon")
    OVERDUE = "overdue", _("Term ended, no new term")
    NO_TERM = "no_term", _("No term recorded")
    UNRECOGNISED = "unrecognised", _("Congress not yet recognised")


WAITING = [CongressStatus.HELD, CongressStatus.AWAITING_RECOGNITION]


def situation_filters(day: date, months: int) -> dict[str, Q]:
    """Each situation as a filter on branches, on `day` ("" for any of them):

    - ending: the term running on `day` ends within `months` months (its effective end, so an
      extension counts);
    - overdue: the branch has terms and every one has ended (no newer term is recorded);
    - no term: no term is recorded at all;
    - unrecognised: a congress was held or sent for recognition and is not recognised yet.

    Terms are half-open: a term ending on `day` has ended. Each filter is an `EXISTS` over the
    branch's own terms or congresses (an index lookup by branch), so the database walks the
    branches in the page's order and stops at its last row: page 1 of the whole confederation
    reads a few hundred branches, not every term of the subtree first (issue 14 item 7). The
    branches' scope and subtree are the outer query's."""
    horizon = add_months(day, months)
    outer = _probed()
    terms = Term.objects.filter(outer, branch=OuterRef("pk"))
    live = terms.filter(effective_end__gt=day)
    ending = live.filter(starts_on__lte=day, effective_end__lte=horizon)
    unrecognised = Congress.objects.filter(outer, term__branch=OuterRef("pk"), status__in=WAITING)
    return {
        Situation.ENDING: Q(Exists(ending)),
        Situation.OVERDUE: Q(Exists(terms)) & ~Q(Exists(live)),
        Situation.NO_TERM: ~Q(Exists(terms)),
        Situation.UNRECOGNISED: Q(Exists(unrecognised)),
        # overdue or without a term are together "no live term"
        "": Q(Exists(ending)) | ~Q(Exists(live)) | Q(Exists(unrecognised)),
    }


def _probed() -> IsNull:
    """`outer branch id IS NOT NULL`, always true: a condition on the outer row alone keeps
    PostgreSQL from turning the EXISTS into a hash of every term or congress of the tree,
    which it builds before reading the first branch because it costs the probes for every
    branch, not for the page's (10 M members: page 1 of the calendar in tree order 175 ms
    hashed, 1.5 ms probed). Every order of the calendar walks an index and stops at the
    page's last row (calendar_page), so the probes are the page's."""
    return IsNull(OuterRef("pk"), False)


def _flag(condition: Q) -> ExpressionWrapper[Q]:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _started_terms(day: date) -> QuerySet[Term]:
    """The outer branch's terms that have started by `day`, the latest first: the running one,
    or the last that ran."""
    return Term.objects.running_on(day).filter(branch=OuterRef("pk")).order_by("-starts_on")


def _awaited_congress() -> QuerySet[Congress]:
    """The outer branch's awaited congress (Congress.awaited): the oldest held one not yet
    recognised, failing that the next planned one; none when every one is recognised."""
    return Congress.objects.filter(term__branch=OuterRef("pk"), awaited=True)


def sort_values(day: date) -> dict[str, Subquery]:
    """The calendar's sortable values that are not columns of the branch (congresses.tables
    CALENDAR_SORTS), as with_calendar computes them."""
    return {
        "term_end": Subquery(_started_terms(day).values("effective_end")[:1]),
        "congress_on": Subquery(_awaited_congress().values("held_on")[:1]),
    }


def with_calendar(branches: QuerySet[Branch], day: date, months: int) -> QuerySet[Branch]:
    """Branches with what a calendar row shows: the term, its end, the congress, and a boolean
    per situation (`is_<situation>`), each the same rule as situation_filters.

    The term is the latest that has started by `day`: the running one, or the last that ran.
    The congress is the oldest held but unrecognised one, failing that the next planned one.
    These are correlated subqueries: calendar_page runs them for the rows of the page only."""
    horizon = add_months(day, months)
    started = _started_terms(day)
    terms = Term.objects.filter(branch=OuterRef("pk")).order_by("-starts_on")
    congresses = _awaited_congress()
    return branches.annotate(  # type: ignore[no-any-return]
        term_id=Subquery(started.values("pk")[:1]),
        term_label=Subquery(started.values("label")[:1]),
        latest_end=Subquery(terms.values("effective_end")[:1]),
        congress_id=Subquery(congresses.values("pk")[:1]),
        congress_status=Subquery(congresses.values("status")[:1]),
        **sort_values(day),
    ).annotate(
        is_ending=_flag(Q(term_end__gt=day, term_end__lte=horizon)),
        is_overdue=_flag(Q(latest_end__lte=day)),
        is_no_term=_flag(Q(latest_end__isnull=True)),
        is_unrecognised=_flag(Q(congress_status__in=WAITING)),
    )


def calendar_page(
    branches: QuerySet[Branch],
    ordering: keyset.Ordering,
    cursor: keyset.Cursor | None,
    *,
    day: date,
    months: int,
    size: int,
) -> keyset.Page:
    """A keyset page (unionrec.keyset) of the calendar's `branches`, each row with_calendar.

    Two reads: the page's branches by their sort key alone, then what their rows show. In
    tree order the first walks the branches' path index. By a term's end it walks the terms'
    ends (term_end_idx) among the terms running on `day` (Term.next_starts_on tells them
    apart, so a replaced term is skipped in the index), joined to their branches; the
    branches without a term follow (keyset.read_split_page). By a congress's day it walks
    the awaited congresses by day (congress_awaited_idx), then the branches without one. At
    10 M members each reads the branches of one page, not every branch of the list to sort
    them."""
    keys = branches.only("pk", "path")
    column = ordering.keys[0].path
    if column == "term_end":
        running = FilteredRelation("terms", condition=running_on(day, "terms__"))
        valued = (
            keys.alias(running=running)
            .annotate(term_end=F("running__effective_end"))
            .filter(term_end__isnull=False)
        )
        started = Term.objects.running_on(day).filter(_probed(), branch=OuterRef("pk"))
        page = keyset.read_split_page(valued, keys.filter(~Exists(started)), ordering, cursor, size)
    elif column == "congress_on":
        awaited = keys.filter(terms__congress__awaited=True)  # one congress a branch at most
        valued = awaited.annotate(congress_on=F("terms__congress__held_on"))
        missing = keys.filter(~Exists(_awaited_congress().filter(_probed())))
        page = keyset.read_split_page(valued, missing, ordering, cursor, size)
    else:
        page = keyset.read_page(keys, ordering, cursor, size)
    shown = with_calendar(Branch.objects.filter(pk__in=[row.pk for row in page.rows]), day, months)
    found = {row.pk: row for row in shown}
    return replace(page, rows=[found[row.pk] for row in page.rows])


class MonthsFilter(django_filters.NumberFilter):  # type: ignore[misc]
    field_class = forms.IntegerField


class CalendarFilter(django_filters.FilterSet):  # type: ignore[misc]
    """The calendar's filters: a branch's subtree, the kind of branch, one situation (all by
    default) and the horizon in months for terms ending soon."""

    branch = BranchFilter(
        label=_("Branch (with its sub-units)"), queryset=readable_branches, method="in_subtree"
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of branch"), choices=CALENDAR_KINDS, empty_label=_("Any")
    )
    situation = django_filters.ChoiceFilter(
        label=_("Situation"),
        choices=Situation.choices,
        empty_label=_("All situations"),
        method="keep",
    )
    months = MonthsFilter(
        label=_("Terms ending within (months)"),
        min_value=1,
        max_value=MAX_MONTHS,
        method="keep",
    )

    class Meta:
        model = Branch
        fields = ["branch", "kind", "situation", "months"]

    def __init__(self, *args: Any, day: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.day = day or today()
        self.form.fields["months"].widget.attrs["placeholder"] = str(DEFAULT_MONTHS)

    @property
    def horizon_months(self) -> int:
        data = getattr(self.form, "cleaned_data", {})
        return data.get("months") or DEFAULT_MONTHS

    def filter_queryset(self, queryset: QuerySet[Branch]) -> QuerySet[Branch]:
        """Existing branches of the calendar's kinds in one situation (or any), then the
        declared filters (branch, kind); calendar_page reads a page of them for display."""
        data = self.form.cleaned_data
        situations = situation_filters(self.day, self.horizon_months)
        queryset = (
            queryset.existing_on(self.day)  # type: ignore[attr-defined]
            .filter(kind__in=[value for value, _label in CALENDAR_KINDS])
            .filter(situations[data.get("situation") or ""])
        )
        return super().filter_queryset(queryset)  # type: ignore[no-any-return]

    def keep(self, queryset: QuerySet[Branch], name: str, value: Any) -> QuerySet[Branch]:
        """Situation and months shape the query in filter_queryset."""
        return queryset

    def in_subtree(self, queryset: QuerySet[Branch], name: str, value: Branch) -> QuerySet[Branch]:
        return queryset.filter(path__subtree=value.path)
