"""Reviews of the term (sơ kết, tổng kết) and the comparison of two terms' targets.

A review freezes every target's verdict on its day; the end-of-term review's achievements and
shortcomings start as a draft written from those verdicts, which the secretary edits. The
comparison puts a term's targets beside the previous term's, matched by title, each judged by
the read model (congresses.resolutions.goals) as every other page judges it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from congresses.models import Term
from congresses.resolutions import goals, progress
from congresses.resolutions.forms import ItemForm, ReviewForm
from congresses.resolutions.models import Resolution, Review, ReviewItem
from congresses.resolutions.views.resolutions import confirm_then, resolution_view
from members.domain import fold
from members.forms import attach_errors
from members.statistics import today
from unionrec.access import Need, check_branch
from unionrec.records import congress_for, term_for


def _to_resolution(congress_id: int, anchor: str = "reviews") -> HttpResponse:
    return redirect(reverse("congresses:resolution", args=[congress_id]) + f"#{anchor}")


@require_POST
def review_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Hold a review of the congress's resolution (pk: the congress)."""
    congress, level = congress_for(request, pk, need=Need.WRITE)
    resolution = Resolution.objects.filter(congress=congress).first()
    if resolution is None:
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            review = progress.hold_review(
                resolution=resolution, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("%(review)s recorded; its verdicts are frozen.")
                % {"review": review.get_kind_display()},
            )
            return _to_resolution(congress.pk, f"review-{review.pk}")
    return resolution_view(request, congress, level, review=form)


def _review(request: HttpRequest, pk: int) -> Review:
    review = Review.objects.select_related("resolution__congress__term__branch").filter(pk=pk)
    found = review.first()
    if found is None:
        raise Http404
    check_branch(request, found.resolution.congress.term.branch, need=Need.WRITE)
    return found


@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    congress = review.resolution.congress
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            progress.add_item(review=review, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("The item was added."))
    return _to_resolution(congress.pk, f"review-{review.pk}")


def _item(request: HttpRequest, pk: int) -> ReviewItem:
    item = (
        ReviewItem.objects.select_related("review__resolution__congress__term__branch")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    check_branch(request, item.review.resolution.congress.term.branch, need=Need.WRITE)
    return item


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = ItemForm(request.POST or None, initial={"kind": item.kind, "text": item.text})
    if request.method == "POST" and form.is_valid():
        try:
            progress.update_item(item=item, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return _to_resolution(item.review.resolution.congress_id, f"review-{item.review_id}")
    return render(request, "congresses/review_item_form.html", {"form": form, "item": item})


@require_POST
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    back = reverse("congresses:resolution", args=[item.review.resolution.congress_id])
    return confirm_then(
        request,
        question=_("Remove this item of the review?"),
        back=back + "#reviews",
        action=lambda: progress.remove_item(item=item, by=request.user),
        done=_("The item was removed."),
    )


# --- Two terms side by side ----------------------------------------------------------------


def _outcomes(term: Term, day: date) -> list[goals.TargetStatus]:
    """The term's targets as judged when asked on `day` (goals.judging_day: a finished term
    as of its end-of-term review or its end)."""
    resolution = (
        Resolution.objects.filter(congress__term=term).select_related("congress__term").first()
    )
    return goals.statuses(resolution, day) if resolution is not None else []


def _judged(term: Term, day: date) -> str:
    """When the term's outcomes are judged, for the column's heading."""
    return goals.judged_text(goals.judging_day(term, day))


Row = tuple[goals.TargetStatus | None, goals.TargetStatus | None]


def paired(before: list[goals.TargetStatus], after: list[goals.TargetStatus]) -> list[Row]:
    """Targets of the two terms matched by title (folded); the rest on their own rows."""
    earlier = {fold(status.target.title): status for status in before}
    rows: list[Row] = []
    for status in after:
        rows.append((earlier.pop(fold(status.target.title), None), status))
    rows.extend((status, None) for status in earlier.values())
    return rows


@require_safe
def term_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """The targets of a term beside its previous term's. A branch's first term has no earlier
    term: the page says so and points to the term's own targets, no half-empty table."""
    term, _level = term_for(request, pk, need=Need.READ)
    previous = term.previous
    context: dict[str, Any] = {"term": term, "branch": term.branch, "previous": previous}
    if previous is None:
        context["resolution"] = Resolution.objects.filter(congress__term=term).first()
        return render(request, "congresses/term_compare.html", context)
    day = today()
    context |= {
        "rows": paired(_outcomes(previous, day), _outcomes(term, day)),
        "previous_judged": _judged(previous, day),
        "judged": _judged(term, day),
    }
    return render(request, "congresses/term_compare.html", context)
