"""The resolution page of a congress: its directions, campaigns and targets with their
progress and verdicts on a day, the reviews of the term; and the secretary's forms to record
the resolution, add or remove directions, campaigns and targets. Target pages are in
targets.py, reviews in reviews.py.

Reached through the congress's branch (unionrec.access): 404 outside the user's subtrees, 403
beyond the role; removals ask for confirmation first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congresses.models import Congress
from congresses.resolutions import goals, services, shown
from congresses.resolutions.forms import (
    CampaignForm,
    DirectionForm,
    ItemForm,
    ResolutionForm,
    ReviewForm,
    TargetForm,
)
from congresses.resolutions.models import Campaign, Direction, Resolution, ReviewKind
from members.forms import attach_errors
from members.statistics import today
from unionrec.access import Need, check_branch
from unionrec.forms import DayForm
from unionrec.records import congress_for


def day_of(request: HttpRequest) -> tuple[date, DayForm]:
    """The day of `?on=dd/mm/yyyy`, else today (an invalid day shows its error)."""
    form = DayForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["on"]:
        return form.cleaned_data["on"], form
    return today(), form


REVIEW_PARTS = ("items", "verdicts__target__branch")  # what a review shows (shown.review)


def previous_review(congress: Congress) -> Any:
    """The end-of-term review of the branch's previous term, if it was recorded."""
    from congresses.resolutions.models import Review

    previous = congress.term.previous
    if previous is None:
        return None
    return (
        Review.objects.filter(resolution__congress__term=previous, kind=ReviewKind.END_OF_TERM)
        .select_related("resolution__congress__term")
        .prefetch_related(*REVIEW_PARTS)
        .first()
    )


def resolution_view(
    request: HttpRequest, congress: Congress, level: Need, **forms: Form
) -> HttpResponse:
    resolution = Resolution.objects.filter(congress=congress).first()
    day, day_form = day_of(request)
    can_write = level >= Need.WRITE
    found = goals.statuses(resolution, day) if resolution else []
    targets = shown.rows(found, request.user)  # small counts withheld outside the scope
    previous = previous_review(congress)
    context: dict[str, Any] = {
        "congress": congress,
        "term": congress.term,
        "branch": congress.term.branch,
        "resolution": resolution,
        "day": day,
        "day_form": day_form,
        "judged": goals.judged_text(goals.judging_day(congress.term, day)),
        "rows": targets,
        "hidden": shown.any_hidden(targets),
        "counts": goals.counts_by_verdict(found, withheld=shown.withheld_verdicts(targets)),
        "can_write": can_write,
        "can_read_records": level >= Need.READ,
        "previous_review": shown.review(previous, request.user) if previous else None,
    }
    if resolution is not None:
        context |= {
            "directions": resolution.directions.all(),
            "campaigns": resolution.campaigns.all(),
            "reviews": [
                shown.review(review, request.user)
                for review in resolution.reviews.select_related(
                    "resolution__congress__term"
                ).prefetch_related(*REVIEW_PARTS)
            ],
        }
    if can_write and resolution is None:
        context["resolution_form"] = forms.get("resolution") or ResolutionForm(
            initial={"adopted_on": congress.held_on}
        )
    elif can_write:
        context |= {
            "direction_form": forms.get("direction") or DirectionForm(),
            "campaign_form": forms.get("campaign") or CampaignForm(),
            "target_form": forms.get("target") or TargetForm(top=congress.term.branch),
            "review_form": forms.get("review") or ReviewForm(initial={"held_on": today()}),
            "item_form": ItemForm(),
        }
    return render(request, "congresses/resolution_detail.html", context)


@require_safe
def resolution_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Read as the goals are (Resolution.objects.visible_to, the API's rule too): a member
    reads the resolution of their branch and of the branches above it, not the term's other
    records."""
    congress, level = congress_for(request, pk, need=Need.STATS)
    return resolution_view(request, congress, level)


def _back(congress: Congress, anchor: str = "") -> HttpResponse:
    url = reverse("congresses:resolution", args=[congress.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _resolution(request: HttpRequest, pk: int) -> tuple[Congress, Need, Resolution]:
    congress, level = congress_for(request, pk, need=Need.WRITE)
    resolution = Resolution.objects.filter(congress=congress).first()
    if resolution is None:
        raise Http404
    return congress, level, resolution


def _save(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[Form],
    key: str,
    anchor: str,
    action: Callable[[Resolution, dict[str, Any]], Any],
    done: str,
    **form_kwargs: Any,
) -> HttpResponse:
    """A form posted from the resolution page: the service writes or says why not."""
    congress, level, resolution = _resolution(request, pk)
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            action(resolution, form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, done)
            return _back(congress, anchor)
    return resolution_view(request, congress, level, **{key: form})


@require_POST
def resolution_add(request: HttpRequest, pk: int) -> HttpResponse:
    congress, level = congress_for(request, pk, need=Need.WRITE)
    form = ResolutionForm(request.POST)
    if form.is_valid():
        try:
            services.create_resolution(congress=congress, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("The resolution was recorded: add its directions and targets.")
            )
            return _back(congress)
    return resolution_view(request, congress, level, resolution=form)


@require_POST
def direction_add(request: HttpRequest, pk: int) -> HttpResponse:
    def action(resolution: Resolution, data: dict[str, Any]) -> Any:
        return services.add_direction(resolution=resolution, by=request.user, **data)

    return _save(
        request,
        pk,
        form_class=DirectionForm,
        key="direction",
        anchor="directions",
        action=action,
        done=_("The direction was added."),
    )


@require_POST
def campaign_add(request: HttpRequest, pk: int) -> HttpResponse:
    def action(resolution: Resolution, data: dict[str, Any]) -> Any:
        return services.add_campaign(resolution=resolution, by=request.user, **data)

    return _save(
        request,
        pk,
        form_class=CampaignForm,
        key="campaign",
        anchor="campaigns",
        action=action,
        done=_("The campaign was added."),
    )


@require_POST
def target_add(request: HttpRequest, pk: int) -> HttpResponse:
    congress, _level = congress_for(request, pk, need=Need.WRITE)

    def action(resolution: Resolution, data: dict[str, Any]) -> Any:
        return services.add_target(resolution=resolution, by=request.user, **data)

    return _save(
        request,
        pk,
        form_class=TargetForm,
        key="target",
        anchor="targets",
        action=action,
        done=_("The target was added."),
        top=congress.term.branch,
    )


def confirm_then(
    request: HttpRequest, *, question: str, back: str, action: Callable[[], Any], done: str
) -> HttpResponse:
    """The first POST asks; the second, confirmed, does it."""
    if request.POST.get("confirmed") != "yes":
        context = {"question": question, "back": back}
        return render(request, "congresses/confirm.html", context)
    try:
        action()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, done)
    return redirect(back)


def _part[M: Model](request: HttpRequest, model: type[M], pk: int) -> M:
    record = (
        model._default_manager.select_related("resolution__congress__term__branch")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise Http404
    check_branch(request, record.resolution.congress.term.branch, need=Need.WRITE)  # type: ignore[attr-defined]
    return record


@require_POST
def direction_remove(request: HttpRequest, pk: int) -> HttpResponse:
    direction = _part(request, Direction, pk)
    back = reverse("congresses:resolution", args=[direction.resolution.congress_id]) + "#directions"
    return confirm_then(
        request,
        question=_("Remove direction %(n)s?") % {"n": direction.number},
        back=back,
        action=lambda: services.remove_direction(direction=direction, by=request.user),
        done=_("The direction was removed."),
    )


@require_POST
def campaign_remove(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _part(request, Campaign, pk)
    back = reverse("congresses:resolution", args=[campaign.resolution.congress_id]) + "#campaigns"
    return confirm_then(
        request,
        question=_("Remove the campaign %(name)s?") % {"name": campaign.name},
        back=back,
        action=lambda: services.remove_campaign(campaign=campaign, by=request.user),
        done=_("The campaign was removed."),
    )
