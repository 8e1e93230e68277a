"""Filters for member lists: the page's filter form and the API share these helpers."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from unionrec.access import Scope, scope_for

from . import domain, search
from .counting import from_tallies
from .models import Branch, Gender, Member, MemberStatus
from .pickers import BranchFilter
from .statistics import today


def apply_member_search(queryset: QuerySet[Member], text: str) -> QuerySet[Member]:
    """Names are matched folded (no diacritics, no case, đ as d), each word of the search on
    its own, anywhere in the name, so "hoang dung" finds "Hoàng Dũng" and "Hoàng Văn Dũng";
    text with a digit is also a card number, matched from its start. The text is cleaned as
    names are stored (members.domain.fold and clean_card), so a pasted zero-width space, soft
    hyphen or full-width letter finds the same members as the name typed plainly. A word that
    is a year (four digits) finds the members born that year, so namesakes part: "lan 1985"
    finds Lan born in 1985. Served by indexes on both databases (members.search)."""
    return search.search(queryset, text)


def members_in_band(queryset: QuerySet[Member], band: str) -> QuerySet[Member]:
    """Members whose age today falls in `band` (one of members.domain.AGE_BANDS)."""
    if band not in {code for code, _low, _high in domain.AGE_BANDS}:
        return queryset.none()
    earliest, latest = domain.birth_dates_for_band(band, today())
    queryset = queryset.filter(birth_date__lte=latest)
    if earliest is not None:
        queryset = queryset.filter(birth_date__gte=earliest)
    return queryset


# --- The member list page -------------------------------------------------------------------


def age_band_choices() -> list[tuple[str, str]]:
    """AGE_BANDS as (code, label) in the active language (called per request, not at import)."""
    choices = []
    for code, low, high in domain.AGE_BANDS:
        if low == 0 and high is not None:
            label = gettext("Under %(high)s") % {"high": high}
        elif high is None:
            label = gettext("%(low)s and over") % {"low": low}
        else:
            label = gettext("%(low)s to %(last)s") % {"low": low, "last": high - 1}
        choices.append((code, label))
    return choices


def readable_branches(request: HttpRequest | None) -> QuerySet[Branch]:
    """Branches whose members the user may read, in tree order: where the subtree filter looks
    the typed code up, so a code outside them is refused by the form as well as by the view."""
    user = getattr(request, "user", None)
    branches: QuerySet[Branch] = Branch.objects.filter(scope_for(user).readable_branch_filter())
    return branches.order_by("path")


class MemberListFilter(django_filters.FilterSet):  # type: ignore[misc]
    """The filters of the member list: a branch's subtree, gender, status, age band and a
    search on names (diacritics and case ignored) or card numbers. The branch is typed as its
    code (members.pickers), among the branches the requesting user may read."""

    branch = BranchFilter(
        label=_("Branch (with its sub-units)"), queryset=readable_branches, method="in_subtree"
    )
    gender = django_filters.ChoiceFilter(
        label=_("Gender"), choices=Gender.choices, empty_label=_("Any")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=MemberStatus.choices, empty_label=_("Any")
    )
    age_band = django_filters.ChoiceFilter(
        label=_("Age"), choices=[], method="in_band", empty_label=_("Any")
    )
    search = django_filters.CharFilter(
        label=_("Name or card number"), method="search_names", max_length=150
    )

    class Meta:
        model = Member
        fields = ["branch", "gender", "status", "age_band", "search"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["age_band"].extra["choices"] = age_band_choices()

    def in_subtree(self, queryset: QuerySet[Member], name: str, value: Branch) -> QuerySet[Member]:
        return in_branches(queryset, Q(path__subtree=value.path))

    def in_band(self, queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        return members_in_band(queryset, value)

    def search_names(self, queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        return apply_member_search(queryset, value)


# --- Choosing the plan of a member list -----------------------------------------------------

WALK_MIN_MEMBERS = 2000  # below this, any plan is fast
WALK_MIN_SHARE = 20  # walk when the listed members are at least 1/20 of the register


def in_branches(queryset: QuerySet[Member], branches: Q) -> QuerySet[Member]:
    """Members of the branches matching `branches`, written as `branch_id IN (subquery)`.
    When the list walks (see members_for_list), the branch id is hidden behind `+ 0`, so that
    no index on it can serve the filter."""
    ids = Branch.objects.filter(branches).values("pk")
    if "unindexed_branch" in queryset.query.annotations:
        # an alias the stubs cannot see: passed by name so that mypy does not look it up
        return queryset.filter(**{"unindexed_branch__in": ids})
    return queryset.filter(branch_id__in=ids)


def members_for_list(scope: Scope, branch: Branch | None, *, by_name: bool) -> QuerySet[Member]:
    """The members a list shows, in a form the database can page quickly.

    SQLite otherwise reads every member of a large subtree through the branch index and sorts
    them all before returning 25 (82 ms for 50,000 members, seconds at 1 M, `make bench`).
    When the list is sorted by name and holds a good share of the register, hiding the branch
    id from the planner makes it walk the name index in order and stop after the page
    (1.5–2 ms). For a small subtree that walk would read far past its few members, so the
    plan is chosen by the subtree's size, read from the tallies. PostgreSQL plans both well."""
    queryset = Member.objects.all()
    if by_name and connection.vendor == "sqlite" and _is_large(scope, branch):
        queryset = queryset.alias(unindexed_branch=F("branch_id") + 0)
    return in_branches(queryset, scope.readable_branch_filter())


def _is_large(scope: Scope, branch: Branch | None) -> bool:
    total = from_tallies(Scope(superuser=True), None, None) or 0
    listed = from_tallies(scope, branch, None) or 0
    return listed >= WALK_MIN_MEMBERS and listed * WALK_MIN_SHARE >= total
