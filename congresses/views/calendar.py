"""The congress calendar for the leadership: branches whose term ends soon, whose term has
ended without a new one, that have no term recorded, or whose congress awaits recognition.

For users who read a subtree (secretaries, reviewers; superusers see every branch); the
member role is refused. `?branch=<code>` narrows to one subtree: 404 outside the user's
reach, as every page of the register. Pages of PAGE_SIZE rows by keyset (`?cursor=`, see
unionrec.keyset), in every sort the column headers offer; a `?page=N` of an old bookmark is
ignored (the first page)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from congresses.filters import CalendarFilter, calendar_page
from congresses.tables import CalendarTable, calendar_ordering
from members.models import Branch
from members.statistics import today
from members.tables import PageRows
from unionrec import keyset
from unionrec.access import list_branch, require_reader, scope_for

PAGE_SIZE = 25


@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    branch, status = list_branch(request)
    require_reader(request.user)
    day = today()
    branches = Branch.objects.filter(scope.readable_branch_filter())
    ordering = calendar_ordering(request.GET.get("sort"))
    filterset = CalendarFilter(request.GET, queryset=branches, request=request, day=day)
    cursor, refused = keyset.from_query(request.GET.get("cursor"), ordering)
    found = filterset.qs if filterset.is_valid() else branches.none()
    months = filterset.horizon_months
    page = calendar_page(found, ordering, cursor, day=day, months=months, size=PAGE_SIZE)
    table = CalendarTable(PageRows(page.rows), order_by=ordering.name)
    RequestConfig(request, paginate=False).configure(table)  # the headers' sort links
    context = {
        "table": table,
        "filter": filterset,
        "branch": branch,
        "page": page,
        "day": day,
        "months": months,
        "bad_cursor": refused,
    }
    return render(request, "congresses/calendar.html", context, status=400 if refused else status)
