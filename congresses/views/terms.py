"""Pages of terms: a branch's terms, a term with its extension and its committee on a chosen
day, and the secretary's forms to open a term, record an extension and add or end posts.

Forms on the term page post to actions of their own; on a refusal the page is shown again
with the typed input and the errors beside the fields (status 200, nothing written)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from congresses import committees, services
from congresses.forms import DeletePostForm, EndPostForm, ExtensionForm, PostForm, TermForm
from congresses.meeting_plan import meeting_plan
from congresses.models import Congress, Post, Term
from congresses.post_rules import deleted_posts, why_not_deletable
from congresses.record_checks import term_findings
from members.forms import attach_errors
from members.statistics import today
from unionrec.access import Need, Scope, branch_for, scope_for
from unionrec.forms import DayForm
from unionrec.records import term_for


@require_safe
def term_list(request: HttpRequest, code: str) -> HttpResponse:
    """The branch's terms, newest first, the one running today marked."""
    branch = branch_for(request, code, need=Need.READ)
    day = today()
    terms = list(
        Term.objects.filter(branch=branch).select_related("congress").order_by("-starts_on")
    )
    for term in terms:
        term.current = term.is_current(day)  # type: ignore[attr-defined]
    context = {
        "branch": branch,
        "terms": terms,
        "day": day,
        "can_write": scope_for(request.user).covers(branch.path, Need.WRITE),
    }
    return render(request, "congresses/term_list.html", context)


@require_http_methods(["GET", "POST"])
def term_add(request: HttpRequest, code: str) -> HttpResponse:
    """A new term: by default it starts the day the latest one ends and lasts the usual five
    years (the service computes the end and the label when they are left blank)."""
    branch = branch_for(request, code, need=Need.WRITE)
    latest = Term.objects.filter(branch=branch).order_by("-starts_on").first()
    initial: dict[str, Any] = {}
    if latest is not None:
        initial["starts_on"] = latest.end
        initial["ordinal"] = latest.ordinal + 1 if latest.ordinal else None
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.create_term(branch=branch, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Term %(label)s was created.") % {"label": term.label})
            return redirect("congresses:term", pk=term.pk)
    return render(request, "congresses/term_form.html", {"form": form, "branch": branch})


def _committee_day(term: Term, day: date) -> date:
    """Today if it falls in the term, else the term's first or last day."""
    if day >= term.end:
        return term.end - timedelta(days=1)
    return max(day, term.starts_on)


def _readable(scope: Scope, post: Post) -> bool:
    """Whether the post's holder is a member whose record the user may open."""
    return post.member is not None and scope.covers(post.member.branch.path, Need.READ)


def _term_page(request: HttpRequest, term: Term, level: Need, **forms: Form) -> HttpResponse:
    day_form = DayForm(request.GET or None)
    day = _committee_day(term, today())
    if request.method == "GET" and day_form.is_valid() and day_form.cleaned_data["on"]:
        day = day_form.cleaned_data["on"]
    scope = scope_for(request.user)
    committee = list(term.posts.committee_on(day).select_related("election"))
    congress = Congress.objects.filter(term=term).first()
    context: dict[str, Any] = {
        "term": term,
        "branch": term.branch,
        "congress": congress,
        "previous": term.previous,
        "next": term.next,
        "current": term.is_current(today()),
        "day": day,
        "day_form": day_form,
        "committee": committee,
        "linked": {post.pk for post in committee if _readable(scope, post)},
        "can_write": level >= Need.WRITE,
        "record_problems": term_findings(term),
        "first_meeting": meeting_plan(term),
        "deleted_posts": deleted_posts(term),
    }
    if context["can_write"]:
        context["deletable"] = {
            post.pk for post in committee if why_not_deletable(post, congress) is None
        }
        open_posts = term.posts.filter(ends_on__isnull=True).order_by("order", "id")
        context |= {
            "extension_form": forms.get("extension") or ExtensionForm(),
            "post_form": forms.get("post") or PostForm(term=term, initial={"starts_on": day}),
            "end_form": forms.get("end") or EndPostForm(posts=open_posts),
            "has_open_posts": open_posts.exists(),
        }
    return render(request, "congresses/term_detail.html", context)


@require_safe
def term_detail(request: HttpRequest, pk: int) -> HttpResponse:
    term, level = term_for(request, pk, need=Need.READ)
    return _term_page(request, term, level)


@require_POST
def term_extend(request: HttpRequest, pk: int) -> HttpResponse:
    term, level = term_for(request, pk, need=Need.WRITE)
    form = ExtensionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.extend_term(
                term=term,
                until=data["extended_until"],
                decision=data["extension_decision"],
                decided_on=data["extension_decided_on"],
                by=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The extension was recorded."))
            return redirect("congresses:term", pk=term.pk)
    term.refresh_from_db()  # the service may have changed the instance before refusing
    return _term_page(request, term, level, extension=form)


@require_POST
def post_add(request: HttpRequest, pk: int) -> HttpResponse:
    term, level = term_for(request, pk, need=Need.WRITE)
    form = PostForm(request.POST, term=term)
    if form.is_valid():
        try:
            post = committees.add_post(term=term, by=request.user, **form.post_fields())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s holds the post %(post)s from %(day)s.")
                % {
                    "name": post.person_name,
                    "post": post.get_kind_display(),
                    "day": date_format(post.starts_on, "SHORT_DATE_FORMAT"),
                },
            )
            return redirect("congresses:term", pk=term.pk)
    return _term_page(request, term, level, post=form)


@require_POST
def post_end(request: HttpRequest, pk: int) -> HttpResponse:
    term, level = term_for(request, pk, need=Need.WRITE)
    form = EndPostForm(request.POST, posts=term.posts.filter(ends_on__isnull=True))
    if form.is_valid():
        try:
            post = committees.end_post(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("The mandate of %(name)s as %(post)s ends on %(day)s.")
                % {
                    "name": post.person_name,
                    "post": post.get_kind_display(),
                    "day": date_format(form.cleaned_data["on"], "SHORT_DATE_FORMAT"),
                },
            )
            return redirect("congresses:term", pk=term.pk)
    return _term_page(request, term, level, end=form)


@require_POST
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """A post entered by mistake, deleted with a reason: the first POST (the term page's
    button) shows what will be deleted and asks for the reason; the second, confirmed,
    deletes it, or shows the page again with the refusal beside the field."""
    post = Post.objects.select_related("election").filter(pk=pk).first()
    if post is None:
        raise Http404
    term, _level = term_for(request, post.term_id, need=Need.WRITE)
    back = reverse("congresses:term", args=[term.pk]) + "#committee"
    confirmed = request.POST.get("confirmed") == "yes"
    form = DeletePostForm(request.POST if confirmed else None)
    if confirmed and form.is_valid():
        try:
            committees.delete_post(post=post, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("The post %(post)s of %(name)s was deleted.")
                % {"post": post.get_kind_display(), "name": post.person_name},
            )
            return redirect(back)
    context = {"term": term, "post": post, "form": form, "back": back}
    return render(request, "congresses/post_delete.html", context)
