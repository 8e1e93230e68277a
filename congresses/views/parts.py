"""The parts of a congress a secretary records on its page: guests, seats of its bodies,
delegates to the higher congress and documents. Adding is a POST from the congress page;
removing asks for confirmation first (a second POST); a download checks the scope again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congresses import committees, parts
from congresses.forms import BodySeatForm, DelegateForm, DocumentForm, GuestForm
from congresses.models import BodyMember, Congress, Delegate, Document, Guest
from congresses.views.congresses import congress_page, refuse_if_read_only
from members.forms import attach_errors
from unionrec.access import Need, check_branch
from unionrec.records import congress_for


def _part[M: Model](request: HttpRequest, model: type[M], pk: int, *, need: Need) -> M:
    """A guest, seat, delegate or document, reached through its congress's branch."""
    record = model._default_manager.select_related("congress__term__branch").filter(pk=pk).first()
    if record is None:
        raise Http404
    check_branch(request, record.congress.term.branch, need=need)  # type: ignore[attr-defined]
    return record


def _url(congress: Congress, anchor: str) -> str:
    return reverse("congresses:congress", args=[congress.pk]) + f"#{anchor}"


def _back(congress: Congress, anchor: str) -> HttpResponse:
    return redirect(_url(congress, anchor))


def _remove(
    request: HttpRequest,
    congress: Congress,
    *,
    what: str,
    anchor: str,
    action: Callable[[], Any],
) -> HttpResponse:
    """The first POST shows what will be removed; the second, confirmed, removes it."""
    if refused := refuse_if_read_only(request, congress):
        return refused
    if request.POST.get("confirmed") != "yes":
        context = {"congress": congress, "what": what, "back": _url(congress, anchor)}
        return render(request, "congresses/confirm_remove.html", context)
    try:
        action()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Removed: %(what)s.") % {"what": what})
    return _back(congress, anchor)


# --- Guests -----------------------------------------------------------------------------------


@require_POST
def guest_add(request: HttpRequest, pk: int) -> HttpResponse:
    congress, level = congress_for(request, pk, need=Need.WRITE)
    if refused := refuse_if_read_only(request, congress):
        return refused
    form = GuestForm(request.POST)
    if form.is_valid():
        try:
            guest = parts.add_guest(congress=congress, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Guest %(name)s was added.") % {"name": guest.name})
            return _back(congress, "guests")
    return congress_page(request, congress, level, guest=form)


@require_POST
def guest_remove(request: HttpRequest, pk: int) -> HttpResponse:
    guest = _part(request, Guest, pk, need=Need.WRITE)
    what = _("the guest %(name)s") % {"name": guest.name}
    action = lambda: parts.remove_guest(guest=guest, by=request.user)  # noqa: E731
    return _remove(request, guest.congress, what=what, anchor="guests", action=action)


# --- Seats of the congress's bodies ---------------------------------------------------------


@require_POST
def seat_add(request: HttpRequest, pk: int) -> HttpResponse:
    congress, level = congress_for(request, pk, need=Need.WRITE)
    if refused := refuse_if_read_only(request, congress):
        return refused
    form = BodySeatForm(request.POST)
    if form.is_valid():
        try:
            seat = parts.add_body_member(congress=congress, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("%(seat)s was added.") % {"seat": seat})
            return _back(congress, "bodies")
    return congress_page(request, congress, level, seat=form)


@require_POST
def seat_remove(request: HttpRequest, pk: int) -> HttpResponse:
    seat = _part(request, BodyMember, pk, need=Need.WRITE)
    what = _("%(name)s from the %(body)s") % {"name": seat.name, "body": seat.get_body_display()}
    action = lambda: parts.remove_body_member(seat=seat, by=request.user)  # noqa: E731
    return _remove(request, seat.congress, what=what, anchor="bodies", action=action)


# --- Delegates to the higher congress ---------------------------------------------------------


@require_POST
def delegate_add(request: HttpRequest, pk: int) -> HttpResponse:
    congress, level = congress_for(request, pk, need=Need.WRITE)
    if refused := refuse_if_read_only(request, congress):
        return refused
    form = DelegateForm(request.POST, term=congress.term)
    if form.is_valid():
        try:
            delegate = committees.add_delegate(
                congress=congress, by=request.user, **form.delegate_fields()
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("%(delegate)s was added.") % {"delegate": delegate})
            return _back(congress, "delegates")
    return congress_page(request, congress, level, delegate=form)


@require_POST
def delegate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    delegate = _part(request, Delegate, pk, need=Need.WRITE)
    what = str(delegate)
    action = lambda: committees.remove_delegate(delegate=delegate, by=request.user)  # noqa: E731
    return _remove(request, delegate.congress, what=what, anchor="delegates", action=action)


# --- Documents --------------------------------------------------------------------------------


@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    congress, level = congress_for(request, pk, need=Need.WRITE)
    if refused := refuse_if_read_only(request, congress):
        return refused
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        # One byte over the cap is enough for the service to refuse a file that is too large.
        data = upload.read(settings.UNIONREC_DOCUMENT_MAX_BYTES + 1)
        try:
            parts.attach_document(
                congress=congress,
                kind=form.cleaned_data["kind"],
                name=upload.name or "",
                data=data,
                by=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The document was attached."))
            return _back(congress, "documents")
    return congress_page(request, congress, level, document=form)


@require_safe
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """The stored file as an attachment under a name the server sets, with the type found when
    it was uploaded; never rendered inline, never cached."""
    document = _part(request, Document, pk, need=Need.READ)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = document.stored_name.rpartition(".")[2]
    filename = f"congress-{document.congress_id}-{document.kind}-{document.pk}.{extension}"
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
