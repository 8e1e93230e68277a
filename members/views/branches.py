"""Pages of the branch tree: the tree with member counts, a branch's page with its statistics
for a chosen day, and the secretary's forms to add, edit and move branches."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from unionrec.access import Need, Scope, branch_for, scope_for
from unionrec.forms import AsOfForm
from unionrec.small_cells import Hidden, exact_for, shown_count, shown_statistics

from .. import domain, services
from ..forms import BranchForm, MoveBranchForm, attach_errors
from ..models import Branch, BranchTally
from ..statistics import statistics, today

TREE_PAGE_SIZE = 200


def tree(request: HttpRequest) -> HttpResponse:
    """Every branch the user can see, in tree order, with today's members and women.

    The page's branches are chosen first, then only they read their tallies: annotated
    before the OFFSET, the tallies were read for every branch skipped too (1.2 s for the
    last of 730 pages of the national tree on PostgreSQL, `make bench`)."""
    day = today()
    latest = BranchTally.objects.filter(branch=OuterRef("pk")).on_or_before(day)
    branches = Branch.objects.visible_to(request.user).order_by("path")
    page = Paginator(branches.values_list("pk", flat=True), TREE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(
        Branch.objects.filter(pk__in=list(page.object_list))
        .annotate(
            member_count=Subquery(latest.values("members")[:1]),
            women_count=Subquery(latest.values("women")[:1]),
        )
        .order_by("path")
    )
    top = min((b.depth for b in page), default=1)
    hidden = False
    for each in page.object_list:  # the branches above a member's: small counts withheld
        exact = exact_for(request.user, each.path)
        each.member_count = shown_count(each.member_count or 0, exact=exact)
        each.women_count = shown_count(each.women_count or 0, exact=exact)
        hidden = hidden or any(
            isinstance(value, Hidden) for value in (each.member_count, each.women_count)
        )
    context = {"page": page, "top": top, "day": day, "hidden": hidden}
    return render(request, "members/branch_tree.html", context)


def detail(request: HttpRequest, code: str) -> HttpResponse:
    branch = branch_for(request, code, need=Need.STATS)
    level = scope_for(request.user).level_for(branch.path)
    can_read = level is not None and level >= Need.READ
    form = AsOfForm(request.GET or None)
    day = today()
    if form.is_valid() and form.cleaned_data["as_of"]:
        day = form.cleaned_data["as_of"]
    visible = Branch.objects.visible_to(request.user)
    ancestors = visible.filter(path__in=domain.ancestor_paths(branch.path)[:-1])
    context = {
        "branch": branch,
        # outside a secretary's or a reviewer's scope small counts are withheld
        "stats": shown_statistics(statistics(branch, day), exact=can_read),
        "form": form,
        "day": day,
        "ancestors": ancestors,
        "can_read": can_read,
        "can_write": level is not None and level >= Need.WRITE,
        "can_move": level is not None and may_move(scope_for(request.user), branch),
    }
    if context["can_read"]:
        context["history"] = branch.history.select_related("history_user")[:20]
        context["moves"] = branch.moves.select_related("old_parent", "new_parent", "moved_by")
    return render(request, "members/branch_detail.html", context)


@require_http_methods(["GET", "POST"])
def add_child(request: HttpRequest, code: str) -> HttpResponse:
    parent = branch_for(request, code, need=Need.WRITE)
    form = BranchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.create_branch(parent=parent, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Branch %(name)s was created.") % {"name": child.name})
            return redirect("members:branch", code=child.code)
    return render(request, "members/branch_form.html", {"form": form, "parent": parent})


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, code: str) -> HttpResponse:
    branch = branch_for(request, code, need=Need.WRITE)
    initial = {
        f: getattr(branch, f) for f in ("name", "short_name", "kind", "founded_on", "dissolved_on")
    }
    form = BranchForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_branch(branch=branch, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("members:branch", code=branch.code)
    return render(request, "members/branch_form.html", {"form": form, "branch": branch})


def may_move(scope: Scope, branch: Branch) -> bool:
    """Whether the user may move the branch: it needs write rights over the branch and over its
    present parent, which loses it (the root never moves). The branch page offers the move
    only then; the move page refuses it otherwise."""
    parent_path = domain.parent_path(branch.path)
    return parent_path is not None and scope.covers(parent_path, Need.WRITE)


@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, code: str) -> HttpResponse:
    branch = branch_for(request, code, need=Need.WRITE)
    parent = branch.parent
    scope = scope_for(request.user)
    # The branch itself is visible, hence 403.
    if parent is None or not may_move(scope, branch):
        raise PermissionDenied
    # the service says why the present parent or the branch's own subtree cannot be chosen
    parents = Branch.objects.filter(scope.writable_branch_filter())
    form = MoveBranchForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_branch(
                branch=branch,
                new_parent=form.cleaned_data["new_parent"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The branch was moved."))
            return redirect("members:branch", code=branch.code)
    return render(request, "members/branch_move.html", {"form": form, "branch": branch})
