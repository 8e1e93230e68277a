"""A target's page: its standing, its parts, the dated figures with notes and evidence; the
forms to record and correct a figure, split the target over sub-units, edit or remove it.

Reached through the target's responsible branch, so the secretary of a sub-unit records the
figures of its part; the resolution's own secretary reaches every part through the subtree."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from congresses.resolutions import goals, progress, services, shown
from congresses.resolutions.forms import CorrectionForm, ProgressForm, SplitForm, TargetForm
from congresses.resolutions.models import Progress, Target
from congresses.resolutions.views.resolutions import confirm_then, day_of
from members.forms import attach_errors
from unionrec.access import Need, check_branch, scope_for
from unionrec.days import day_text


def target_for(request: HttpRequest, pk: int, *, need: Need) -> tuple[Target, Need]:
    """The target and what the user may do with it: reading follows Target.objects.visible_to
    (the API's rule too), so a member opens every target their goals page lists; writing needs
    write rights on the responsible branch."""
    targets = Target.objects.select_related(
        "resolution__congress__term__branch", "branch", "parent"
    )
    if need > Need.READ:
        target = targets.filter(pk=pk).first()
        if target is None:
            raise Http404
        return target, check_branch(request, target.branch, need=need)
    target = targets.visible_to(request.user).filter(pk=pk).first()
    if target is None:
        raise Http404
    return target, scope_for(request.user).level_for(target.branch.path) or Need.STATS


def target_view(request: HttpRequest, target: Target, level: Need, **forms: Form) -> HttpResponse:
    day, day_form = day_of(request)
    status = goals.status_of(target, day)
    can_write = level >= Need.WRITE
    congress = target.resolution.congress
    scope = scope_for(request.user)
    # Its figures as the reader sees them: small counts withheld outside the scope of a
    # secretary or a reviewer of the responsible branch (unionrec.small_cells).
    current = shown.row(status, request.user)
    parts = [shown.row(part, request.user, is_part=True) for part in status.parts]
    history = target.progress.select_related("recorded_by").order_by("-on")
    figures = shown.figures(target, history, request.user)
    context: dict[str, Any] = {
        "target": target,
        "status": status,
        "shown": current.shown,
        "parts": parts,
        "hidden": shown.any_hidden([current, *parts]) or any(figure.hidden for figure in figures),
        "congress": congress,
        "term": congress.term,
        "branch": congress.term.branch,
        "day": day,
        "day_form": day_form,
        "figures": figures,
        "can_write": can_write,
        "can_read_evidence": level >= Need.READ,
        # A sub-unit's secretary may reach a part of a target of the union above them, whose
        # resolution and term they do not see.
        "sees_resolution": scope.level_for(congress.term.branch.path) is not None,
        "reads_term": scope.covers(congress.term.branch.path, Need.READ),
        "split": bool(status.parts),
    }
    if can_write and not status.parts:
        context["progress_form"] = forms.get("progress") or ProgressForm()
    if can_write and scope.covers(congress.term.branch.path, Need.WRITE):
        if not status.parts and not target.parent_id and not target.progress.exists():
            context["split_form"] = forms.get("split") or SplitForm(top=target.branch)
        names = [
            "title",
            "kind",
            "baseline",
            "target_value",
            "unit",
            "deadline",
            "branch",
            "responsible_post",
            "order",
        ]
        initial = {name: getattr(target, name) for name in names}
        top = congress.term.branch
        context["edit_form"] = forms.get("edit") or TargetForm(top=top, initial=initial)
    return render(request, "congresses/target_detail.html", context)


@require_safe
def target_page(request: HttpRequest, pk: int) -> HttpResponse:
    target, level = target_for(request, pk, need=Need.READ)
    return target_view(request, target, level)


def _back(target: Target, anchor: str = "") -> HttpResponse:
    url = reverse("congresses:target", args=[target.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


@require_POST
def progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    target, level = target_for(request, pk, need=Need.WRITE)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["evidence"]
        data = upload.read(settings.UNIONREC_DOCUMENT_MAX_BYTES + 1) if upload else None
        try:
            figure = progress.record_progress(
                target=target,
                on=form.cleaned_data["on"],
                actual=form.cleaned_data["actual"],
                note=form.cleaned_data["note"],
                evidence=data,
                evidence_name=upload.name if upload else "",
                by=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            status = goals.status_of(target, day_of(request)[0])
            messages.success(
                request,
                _("The figure of %(day)s was recorded: %(verdict)s.")
                % {"day": day_text(figure.on), "verdict": status.verdict_label},
            )
            return _back(target, "figures")
    return target_view(request, target, level, progress=form)


def _figure(request: HttpRequest, pk: int, *, need: Need) -> Progress:
    figure = (
        Progress.objects.select_related("target__branch", "target__resolution")
        .filter(pk=pk)
        .first()
    )
    if figure is None:
        raise Http404
    check_branch(request, figure.target.branch, need=need)
    return figure


@require_http_methods(["GET", "POST"])
def progress_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a figure; the old value stays in its history."""
    figure = _figure(request, pk, need=Need.WRITE)
    form = CorrectionForm(
        request.POST or None, initial={"actual": figure.actual, "note": figure.note}
    )
    if request.method == "POST" and form.is_valid():
        try:
            progress.correct_progress(
                figure=figure,
                actual=form.cleaned_data["actual"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The figure was corrected."))
            return _back(figure.target, "figures")
    context = {
        "form": form,
        "figure": figure,
        "target": figure.target,
        "history": figure.history.order_by("-history_date"),
    }
    return render(request, "congresses/progress_form.html", context)


@require_safe
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file as an attachment under a server-set name; never inline or cached."""
    figure = _figure(request, pk, need=Need.READ)
    if not figure.evidence_name:
        raise Http404
    try:
        handle = figure.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = figure.evidence_name.rpartition(".")[2]
    name = f"evidence-{figure.target_id}-{figure.on:%Y%m%d}.{extension}"
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=figure.evidence_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _resolution_writer(request: HttpRequest, pk: int) -> tuple[Target, Need]:
    """Splitting, editing and removing need write rights on the resolution's branch."""
    target, level = target_for(request, pk, need=Need.READ)
    check_branch(request, target.resolution.congress.term.branch, need=Need.WRITE)
    return target, level


@require_POST
def target_split(request: HttpRequest, pk: int) -> HttpResponse:
    target, level = _resolution_writer(request, pk)
    form = SplitForm(request.POST, top=target.branch)
    if form.is_valid():
        try:
            parts = services.split_target(target=target, parts=form.parts(), by=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The target was split over %(n)s sub-unit.",
                    "The target was split over %(n)s sub-units.",
                    len(parts),
                )
                % {"n": len(parts)},
            )
            return _back(target, "parts")
    return target_view(request, target, level, split=form)


@require_POST
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target, level = _resolution_writer(request, pk)
    form = TargetForm(request.POST, top=target.resolution.congress.term.branch)
    if form.is_valid():
        fields = form.target_fields()
        fields["branch"] = fields["branch"] or target.branch
        fields["deadline"] = fields["deadline"] or target.deadline
        fields["order"] = fields["order"] or target.order
        try:
            services.update_target(target=target, by=request.user, **fields)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return _back(target)
    target.refresh_from_db()
    return target_view(request, target, level, edit=form)


@require_POST
def target_remove(request: HttpRequest, pk: int) -> HttpResponse:
    target, _level = _resolution_writer(request, pk)
    congress_id = target.resolution.congress_id
    back = reverse("congresses:resolution", args=[congress_id]) + "#targets"
    if request.POST.get("confirmed") != "yes":
        back = reverse("congresses:target", args=[target.pk])
    return confirm_then(
        request,
        back=back,
        question=_("Remove the target %(title)s with its parts and figures?")
        % {"title": target.title},
        action=lambda: services.remove_target(target=target, by=request.user),
        done=_("The target was removed."),
    )
