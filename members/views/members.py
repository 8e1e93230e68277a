"""Pages of the member register: the list with its filters, a member's record with periods
and history, and the secretary's forms to add, edit, transfer and mark a member as left.

Every page reaches members through unionrec.access: a member outside the user's subtrees
answers 404, within them but beyond the user's role 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_tables2 import RequestConfig

from unionrec import keyset
from unionrec.access import (
    Need,
    branch_for,
    check_branch,
    list_branch,
    require_reader,
    scope_for,
)
from unionrec.counts import found_members

from .. import services
from ..counting import count_members
from ..disclosure import disclosure, list_disclosure
from ..filters import MemberListFilter, counts_apart, members_for_list, members_to_count
from ..forms import AddMemberForm, EditMemberForm, LeaveForm, TransferForm, attach_errors
from ..models import Branch, Member, MemberStatus
from ..statistics import counts_on, today
from ..tables import MemberTable, PageRows, member_ordering

PAGE_SIZE = 25


def _member_for(request: HttpRequest, pk: int, *, need: Need) -> tuple[Member, Need]:
    """The member with `pk` and the user's level on their branch (404 out of reach, 403
    beyond the role, as unionrec.access.check_branch)."""
    member = Member.objects.select_related("branch").filter(pk=pk).first()
    if member is None:
        raise Http404
    return member, check_branch(request, member.branch, need=need)


@require_safe
def member_list(request: HttpRequest) -> HttpResponse:
    """Members the user may read, or those of one branch's subtree (`?branch=<code>`),
    filtered and sorted, a page of PAGE_SIZE at a time by keyset (`?cursor=`, see
    unionrec.keyset): first, previous, next and last pages cost the same at any depth. The
    count of what was found comes from the tallies where they know it (members.counting)."""
    scope = scope_for(request.user)
    branch, status = list_branch(request)
    require_reader(request.user)
    sight = list_disclosure(request.user, branch)
    ordering = member_ordering(request.GET.get("sort"), sight)
    members = members_for_list(scope, branch, request.GET, sort=ordering.name)
    filterset = MemberListFilter(
        request.GET, queryset=members.prefetch_related("branch"), request=request, branch=branch
    )
    cursor, refused = keyset.from_query(request.GET.get("cursor"), ordering)
    found = None
    if filterset.is_valid():
        page = keyset.read_page(filterset.qs, ordering, cursor, PAGE_SIZE)
        filters = {k: v for k, v in filterset.form.cleaned_data.items() if k != "branch"}
        if counts_apart(members):
            counted = members_to_count(scope, branch, request.GET)
            filterset = MemberListFilter(
                request.GET, queryset=counted, request=request, branch=branch
            )
        found = count_members(filterset.qs, scope=scope, branch=branch, filters=filters)
    else:
        page = keyset.read_page(members.none(), ordering, None, PAGE_SIZE)
    if not sight.card_number:  # their search matches no card number (members.disclosure)
        filterset.form["search"].label = _("Full name")
    table = MemberTable(PageRows(page.rows), order_by=ordering.name, sight=sight)
    RequestConfig(request, paginate=False).configure(table)  # the headers' sort links
    context: dict[str, Any] = {
        "table": table,
        "filter": filterset,
        "branch": branch,
        "page": page,
        "found": found_members(found) if found is not None else None,
        "bad_cursor": refused,
    }
    if branch is not None:
        context["stats"] = counts_on(branch, today())  # the subtree's figures, not its children's
        context["can_write"] = scope.covers(branch.path, Need.WRITE)
    return render(request, "members/member_list.html", context, status=400 if refused else status)


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    member, level = _member_for(request, pk, need=Need.READ)
    context = {
        "member": member,
        "sight": disclosure(request.user, member.branch),
        "periods": member.periods.select_related("branch").order_by("started_on", "id"),
        "history": member.history.select_related("history_user")[:50],
        "can_write": level >= Need.WRITE,
        "active": member.status == MemberStatus.ACTIVE,
    }
    return render(request, "members/member_detail.html", context)


@require_http_methods(["GET", "POST"])
def add(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("branch")
    if not code:
        raise Http404
    branch = branch_for(request, code, need=Need.WRITE)
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.add_member(branch=branch, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": member.full_name})
            return redirect("members:member", pk=member.pk)
    return render(request, "members/member_form.html", {"form": form, "branch": branch})


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    member, _level = _member_for(request, pk, need=Need.WRITE)
    initial = {name: getattr(member, name) for name in services.MEMBER_FIELDS}
    initial["version"] = member.version
    form = EditMemberForm(request.POST or None, initial=initial)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            services.update_member(
                member=member,
                version=form.cleaned_data["version"],
                by=request.user,
                **form.personal_fields(),
            )
        except services.ConflictError:
            conflict = True
            form.add_error(
                None,
                _(
                    "This member was changed by someone else since you opened the form, so "
                    "nothing was saved. Reload the form to see the current record, then make "
                    "your changes again."
                ),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("members:member", pk=member.pk)
    context = {"form": form, "member": member, "conflict": conflict}
    return render(request, "members/member_form.html", context)


@require_http_methods(["GET", "POST"])
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    member, _level = _member_for(request, pk, need=Need.WRITE)
    # the service says so when the member already belongs to the branch chosen
    branches = Branch.objects.filter(scope_for(request.user).writable_branch_filter())
    form = TransferForm(request.POST or None, branches=branches)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.transfer_member(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s now belongs to %(branch)s.")
                % {"name": moved.full_name, "branch": moved.branch.name},
            )
            return redirect("members:member", pk=member.pk)
    context = {"form": form, "member": member, "active": member.status == MemberStatus.ACTIVE}
    return render(request, "members/member_transfer.html", context)


@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    member, _level = _member_for(request, pk, need=Need.WRITE)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_left(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("%(name)s left the union.") % {"name": member.full_name})
            return redirect("members:member", pk=member.pk)
    context = {"form": form, "member": member, "active": member.status == MemberStatus.ACTIVE}
    return render(request, "members/member_leave.html", context)
