"""The congress page and the secretary's congress forms: plan the congress of a term, edit it,
and move it through its lifecycle (held, sent for recognition, recognised, reopened).

Each state allows only what makes sense; a recognised congress shows no edit forms, and the
services refuse changes to it anyway."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from congresses import services
from congresses.breakdown import congress_breakdown
from congresses.elections.results import outcome
from congresses.forms import (
    BodySeatForm,
    CongressForm,
    DelegateForm,
    DocumentForm,
    GuestForm,
    RecogniseForm,
    ReopenForm,
)
from congresses.lifecycle import NEXT_STEP, CongressAction, congress_actions
from congresses.meeting_plan import meeting_plan
from congresses.models import Body, BodyMember, Congress, CongressStatus, Delegate, DelegateKind
from congresses.read_only import Conflict, why_read_only
from congresses.record_checks import term_findings
from congresses.resolutions.models import Resolution
from congresses.resolutions.views.resolutions import previous_review
from congresses.warnings import congress_warnings
from members.filters import age_band_choices
from members.forms import attach_errors
from unionrec.access import Need, scope_for
from unionrec.records import congress_for, term_for


def refuse_if_read_only(request: HttpRequest, congress: Congress) -> HttpResponse | None:
    """Back to the congress page with the reason when the congress may no longer change."""
    reason = why_read_only(congress)
    if reason is None:
        return None
    messages.error(request, reason)
    return redirect("congresses:congress", pk=congress.pk)


def can_recognise(user: Any, congress: Congress) -> bool:
    """Recognition is the higher union's: write rights over the level above."""
    branch = congress.term.branch
    return scope_for(user).covers((branch.parent or branch).path, Need.WRITE)


def _figures(congress: Congress) -> list[dict[str, Any]]:
    """The frozen statistics, each beside the reported figure where that differs."""
    rows = [
        ("members", _("Members"), congress.counted_members, congress.reported_members),
        ("women", _("Women"), congress.counted_women, congress.reported_women),
        ("share", _("Women's share"), congress.counted_women_share, congress.reported_women_share),
        ("sub-units", _("Sub-units"), congress.counted_sub_units, congress.reported_sub_units),
    ]
    return [
        {
            "code": code,
            "label": label,
            "counted": counted,
            "share": code == "share",
            "reported": reported if reported is not None and reported != counted else None,
        }
        for code, label, counted, reported in rows
    ]


def _age_bands(congress: Congress) -> list[tuple[str, int]]:
    counted = congress.counted_age_bands or {}
    bands = [(label, counted.get(code, 0)) for code, label in age_band_choices()]
    if counted.get("unknown"):
        bands.append((_("Date of birth not recorded"), counted["unknown"]))
    return bands


def _delegate_order(delegate: Delegate) -> tuple[bool, int]:
    """Full delegates first, then the alternates, each in their order."""
    return delegate.kind != DelegateKind.FULL, delegate.order


def _bodies(congress: Congress) -> list[tuple[Any, list[BodyMember]]]:
    seats = list(congress.body_members.all())
    grouped = [(label, [s for s in seats if s.body == body]) for body, label in Body.choices]
    return [(label, members) for label, members in grouped if members]


def congress_page(
    request: HttpRequest, congress: Congress, level: Need, *, status: int = 200, **forms: Form
) -> HttpResponse:
    """The congress page; `forms` replaces an empty form by the bound one that was refused.
    It offers the lifecycle steps that congresses.lifecycle allows now (the services refuse
    the others), and says why the next one is not offered yet."""
    term = congress.term
    can_write = level >= Need.WRITE
    read_only = why_read_only(congress)
    editable = can_write and read_only is None
    actions = congress_actions(congress)
    next_step = NEXT_STEP.get(CongressStatus(congress.status))
    context: dict[str, Any] = {
        "congress": congress,
        "term": term,
        "branch": term.branch,
        "quorum": congress.quorum,
        "warnings": congress_warnings(congress),
        "record_problems": term_findings(term),
        "figures": _figures(congress),
        "age_bands": _age_bands(congress) if congress.counted_on else [],
        "breakdown": congress_breakdown(congress),
        "guests": congress.guests.all(),
        "bodies": _bodies(congress),
        "documents": congress.documents.all(),
        "delegates": sorted(congress.delegates.all(), key=_delegate_order),
        "committee": term.posts.committee_on(congress.held_on),
        "elections": [(e, outcome(e)) for e in congress.elections.order_by("held_on", "id")],
        "first_meeting": meeting_plan(term),
        "has_resolution": Resolution.objects.filter(congress=congress).exists(),
        "previous_review": previous_review(congress),
        "can_write": can_write,
        "read_only": read_only,
        "editable": editable,
        "can_hold": editable and actions.allows(CongressAction.HOLD),
        "can_submit": editable and actions.allows(CongressAction.SUBMIT),
        "can_recognise": actions.allows(CongressAction.RECOGNISE)
        and can_recognise(request.user, congress),
        "can_reopen": actions.allows(CongressAction.REOPEN) and request.user.is_superuser,
        "not_yet": actions.why_not(next_step) if editable and next_step else None,
    }
    if editable:
        context |= {
            "guest_form": forms.get("guest") or GuestForm(),
            "seat_form": forms.get("seat") or BodySeatForm(),
            "delegate_form": forms.get("delegate") or DelegateForm(term=term),
            "document_form": forms.get("document") or DocumentForm(),
        }
    if context["can_recognise"]:
        context["recognise_form"] = forms.get("recognise") or RecogniseForm()
    if context["can_reopen"]:
        context["reopen_form"] = forms.get("reopen") or ReopenForm()
    return render(request, "congresses/congress_detail.html", context, status=status)


@require_safe
def congress_detail(request: HttpRequest, pk: int) -> HttpResponse:
    congress, level = congress_for(request, pk, need=Need.READ)
    return congress_page(request, congress, level)


@require_http_methods(["GET", "POST"])
def congress_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan the congress that opens the term."""
    term, _level = term_for(request, pk, need=Need.WRITE)
    existing = Congress.objects.filter(term=term).first()
    if existing is not None:
        messages.info(request, _("This term has its congress already."))
        return redirect("congresses:congress", pk=existing.pk)
    form = CongressForm(request.POST or None, planning=True, initial={"held_on": term.starts_on})
    if request.method == "POST" and form.is_valid():
        try:
            congress = services.create_congress(term=term, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The congress was planned."))
            return redirect("congresses:congress", pk=congress.pk)
    return render(request, "congresses/congress_form.html", {"form": form, "term": term})


@require_http_methods(["GET", "POST"])
def congress_edit(request: HttpRequest, pk: int) -> HttpResponse:
    congress, _level = congress_for(request, pk, need=Need.WRITE)
    if refused := refuse_if_read_only(request, congress):
        return refused
    initial = {name: getattr(congress, name) for name in CongressForm.base_fields}
    form = CongressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_congress(congress=congress, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("congresses:congress", pk=congress.pk)
    context = {"form": form, "term": congress.term, "congress": congress}
    return render(request, "congresses/congress_form.html", context)


def refused(
    request: HttpRequest, congress: Congress, level: Need, conflict: Conflict
) -> HttpResponse:
    """The page again with the reason the congress's state refuses the step (409)."""
    for text in conflict.messages:
        messages.error(request, text)
    congress.refresh_from_db()
    return congress_page(request, congress, level, status=409)


def _step(
    request: HttpRequest,
    congress: Congress,
    level: Need,
    action: Callable[..., Congress],
    done: str,
) -> HttpResponse:
    """A lifecycle button: the service moves the status, or its refusal shows on the page."""
    try:
        action(congress, by=request.user)
    except Conflict as conflict:
        return refused(request, congress, level, conflict)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, done)
    return redirect("congresses:congress", pk=congress.pk)


@require_POST
def record_held(request: HttpRequest, pk: int) -> HttpResponse:
    congress, level = congress_for(request, pk, need=Need.WRITE)
    done = _("The congress was recorded as held; its statistics are frozen.")
    return _step(request, congress, level, services.record_held, done)


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    congress, level = congress_for(request, pk, need=Need.WRITE)
    done = _("The congress was sent to the higher union for recognition.")
    return _step(request, congress, level, services.submit_for_recognition, done)


@require_POST
def recognise(request: HttpRequest, pk: int) -> HttpResponse:
    congress, level = congress_for(request, pk, need=Need.WRITE)
    if not can_recognise(request.user, congress):
        raise PermissionDenied
    form = RecogniseForm(request.POST)
    if form.is_valid():
        try:
            services.recognise(
                congress,
                decision=form.cleaned_data["recognition_decision"],
                decided_on=form.cleaned_data["recognised_on"],
                by=request.user,
            )
        except Conflict as conflict:
            return refused(request, congress, level, conflict)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The congress is recognised."))
            return redirect("congresses:congress", pk=congress.pk)
    return congress_page(request, congress, level, recognise=form)


@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators only (the service refuses anyone else: 403); the reason is required."""
    congress, level = congress_for(request, pk, need=Need.READ)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen(congress, reason=form.cleaned_data["reason"], by=request.user)
        except Conflict as conflict:
            return refused(request, congress, level, conflict)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The congress was reopened for corrections."))
            return redirect("congresses:congress", pk=congress.pk)
    return congress_page(request, congress, level, reopen=form)
