"""The congress calendar for the leadership: branches whose term ends soon, whose term has
ended without a new one, that have no term recorded, or whose congress awaits recognition.

For users who read a subtree (secretaries, reviewers; superusers see every branch); the
member role is refused. `?branch=<code>` narrows to one subtree: 404 outside the user's
reach, as every page of the register."""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django_tables2 import LazyPaginator, RequestConfig

from congresses.filters import CalendarFilter
from congresses.tables import CalendarTable
from members.models import Branch
from members.statistics import today
from unionrec.access import list_branch, require_reader, scope_for

PAGE_SIZE = 25


def _paginate(table: CalendarTable, page: str | None) -> None:
    """A page of PAGE_SIZE rows read with one query and no COUNT(*) (LazyPaginator)."""
    try:
        table.paginate(paginator_class=LazyPaginator, per_page=PAGE_SIZE, page=page or 1)
    except (EmptyPage, PageNotAnInteger):
        table.paginate(paginator_class=LazyPaginator, per_page=PAGE_SIZE, page=1)


@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    branch, status = list_branch(request)
    require_reader(request.user)
    day = today()
    branches = Branch.objects.filter(scope.readable_branch_filter())
    filterset = CalendarFilter(request.GET, queryset=branches, request=request, day=day)
    table = CalendarTable(filterset.qs if filterset.is_valid() else branches.none())
    RequestConfig(request, paginate=False).configure(table)  # sorting from ?sort=
    _paginate(table, request.GET.get("page"))
    context = {
        "table": table,
        "filter": filterset,
        "branch": branch,
        "day": day,
        "months": filterset.horizon_months,
    }
    return render(request, "congresses/calendar.html", context, status=status)
