"""Correction requests (members.corrections): a member asks from their start page; the
secretaries of the member's branch (write rights, unionrec.access) list the requests and
answer them. Asking takes no id from the request: a user asks about their own record only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from unionrec.access import Need, check_branch, scope_for

from ..correction_services import answer_correction, request_correction
from ..corrections import CorrectionRequest, CorrectionStatus
from ..forms import CorrectionAnswerForm, CorrectionRequestForm, attach_errors
from ..own import own_member

ANSWERED_SHOWN = 50  # the latest answered requests listed under the open ones


def _submit(
    request: HttpRequest, form: Form, save: Callable[[dict[str, Any]], object], done: str
) -> None:
    """Check `form`, save its data with `save`, and tell the page it returns to: `done`, or
    each reason the form or the service refused it for (then nothing was saved)."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
    if not form.errors:
        messages.success(request, done)
    for reasons in form.errors.values():
        for reason in reasons:
            messages.error(request, str(reason))


@require_POST
def ask(request: HttpRequest) -> HttpResponse:
    """The start page's form: the request is saved and the start page says so; an invalid
    text is refused with the reason, and nothing is saved."""
    member = own_member(request.user)
    if member is None:
        raise Http404
    _submit(
        request,
        CorrectionRequestForm(request.POST),
        lambda data: request_correction(member=member, by=request.user, text=data["text"]),
        _("Your request was sent to your union's secretary. The answer will appear here."),
    )
    return redirect("home")


@require_http_methods(["GET"])
def request_list(request: HttpRequest) -> HttpResponse:
    """The open requests of the members the user may write to, oldest first, each with its
    answer form, then the latest answered ones. 403 for a user who writes to no branch."""
    scope = scope_for(request.user)
    if not (scope.superuser or scope.write_paths):
        raise PermissionDenied
    requests = CorrectionRequest.objects.answerable_by(request.user).select_related(
        "member__branch", "answered_by"
    )
    context = {
        "open": requests.filter(status=CorrectionStatus.OPEN).order_by("created_at", "id"),
        "answered": requests.filter(status=CorrectionStatus.ANSWERED).order_by(
            "-answered_at", "-id"
        )[:ANSWERED_SHOWN],
        "form": CorrectionAnswerForm(),
    }
    return render(request, "members/correction_list.html", context)


@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A secretary's answer: 404 for a request of a member out of the user's reach, 403 for
    a role that reads the branch but does not write to it (a reviewer)."""
    found = CorrectionRequest.objects.select_related("member__branch").filter(pk=pk).first()
    if found is None:
        raise Http404
    check_branch(request, found.member.branch, need=Need.WRITE)
    _submit(
        request,
        CorrectionAnswerForm(request.POST),
        lambda data: answer_correction(request=found, by=request.user, answer=data["answer"]),
        _("Your answer to %(name)s was saved; they see it on their start page.")
        % {"name": found.member.full_name},
    )
    return redirect("members:corrections")
