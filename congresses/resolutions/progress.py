"""The progress of a resolution's targets and the reviews of the term: dated actual values
(with a note and optional evidence), corrections, and the mid-term and end-of-term reviews that
freeze the verdicts of their day, with the achievements and shortcomings of the term.
Keyword-only, typed, atomic; history is kept by django-simple-history.

A figure may be recorded by a secretary of the congress's branch or of the sub-unit
responsible for the target."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from congresses.findings import Finding
from congresses.resolutions import domain, goals
from congresses.resolutions.models import (
    ItemKind,
    Progress,
    Resolution,
    Review,
    ReviewItem,
    ReviewKind,
    ReviewVerdict,
    Target,
    TargetKind,
)
from congresses.resolutions.services import figure_of
from members.statistics import today
from unionrec.access import require
from unionrec.days import day_text

if TYPE_CHECKING:
    from congresses.models import Term

# --- Progress ------------------------------------------------------------------------------------


def _sniff(data: bytes) -> tuple[str, str] | None:
    """Evidence files: PDF, PNG or JPEG, recognised by their first bytes."""
    if data.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    return None


def _refusal(target: Target, value: Decimal | None) -> str:
    """Why the target's kind cannot take `value` (blank if it can)."""
    if value is None:
        return _("Enter the actual value.")
    if target.kind == TargetKind.YES_NO and value not in (0, 1):
        return _("Enter 1 when it is done, 0 when it is not.")
    if target.kind == TargetKind.PERCENTAGE and not 0 <= value <= 100:
        return _("A percentage lies between 0 and 100.")
    if value < 0:
        return _("A count cannot be negative.")
    return ""


@transaction.atomic
def record_progress(
    *,
    target: Target,
    on: date,
    actual: Any,
    note: str = "",
    evidence: bytes | None = None,
    evidence_name: str = "",
    by: Any = None,
) -> Progress:
    """An actual value of a target on a day. Refused on a split target (its parts carry the
    figures), on a day outside the term or in the future, for a value the kind cannot take,
    or when the day already has a figure (correct that one instead: nothing is overwritten).
    The secretary of the responsible sub-unit may record it too."""
    require(by, target.branch)
    if target.parts.exists():
        raise ValidationError(
            _("This target is split over sub-units: record the figures on its parts.")
        )
    term = target.resolution.congress.term
    errors: dict[str, list[str]] = {}
    if on > today():
        errors["on"] = [_("A figure cannot be dated in the future.")]
    elif not term.starts_on <= on <= max(target.deadline, term.end):
        errors["on"] = [
            _("The day lies outside the term (%(start)s – %(end)s).")
            % {"start": day_text(term.starts_on), "end": day_text(term.end)}
        ]
    value = figure_of(actual, "actual")
    refusal = _refusal(target, value)
    if refusal:
        errors["actual"] = [refusal]
    if Progress.objects.filter(target=target, on=on).exists():
        errors["on"] = [
            _("A figure is recorded for %(day)s already; correct that one.") % {"day": day_text(on)}
        ]
    if errors or value is None:
        raise ValidationError(errors)
    recorder = by if getattr(by, "is_authenticated", False) else None
    figure = Progress(target=target, on=on, actual=value, note=note.strip(), recorded_by=recorder)
    if evidence:
        _attach(figure, evidence, evidence_name)
    try:
        with transaction.atomic():
            figure.save()
    except IntegrityError:
        raise ValidationError(
            {
                "on": [
                    _("A figure is recorded for %(day)s already; correct that one.")
                    % {"day": day_text(on)}
                ]
            }
        ) from None
    return figure


def _attach(figure: Progress, data: bytes, name: str) -> None:
    cap = getattr(settings, "UNIONREC_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
    if len(data) > cap:
        raise ValidationError(
            {"evidence": [_("The file is larger than %(mb)s MB.") % {"mb": cap // (1024 * 1024)}]}
        )
    sniffed = _sniff(data)
    if sniffed is None:
        raise ValidationError({"evidence": [_("Evidence can be a PDF, PNG or JPEG file.")]})
    content_type, extension = sniffed
    figure.evidence_name = f"{uuid.uuid4().hex}.{extension}"
    figure.evidence_original = " ".join(name.split())[:255] or figure.evidence_name
    figure.evidence_type = content_type
    figure.evidence.save(figure.evidence_name, ContentFile(data), save=False)


@transaction.atomic
def correct_progress(
    *, figure: Progress, actual: Any, note: str | None = None, by: Any = None
) -> Progress:
    """Correct a recorded figure (refused, as when recording it, for a value the kind cannot
    take); the old value stays in its history."""
    require(by, figure.target.branch)
    value = figure_of(actual, "actual")
    refusal = _refusal(figure.target, value)
    if refusal or value is None:
        raise ValidationError({"actual": [refusal]})
    figure.actual = value
    if note is not None:
        figure.note = note.strip()
    figure.save()
    return figure


# --- Reviews of the term ----------------------------------------------------------------------


@transaction.atomic
def hold_review(*, resolution: Resolution, kind: str, held_on: date, by: Any = None) -> Review:
    """A mid-term or end-of-term review: every target's verdict of `held_on` is frozen with
    it, so later figures do not change what the review found. The end-of-term review's
    verdicts are final (achieved, exceeded or not met: domain.Judging.final), the ones the
    term's pages show once it is over; it starts with a draft of achievements and
    shortcomings written from them."""
    require(by, resolution.branch)
    if kind not in ReviewKind.values:
        raise ValidationError({"kind": [_("Choose the kind of review.")]})
    term = resolution.congress.term
    if held_on > today() or not term.starts_on <= held_on <= term.end:
        raise ValidationError(
            {"held_on": [_("The review is held within the term, and not in the future.")]}
        )
    if resolution.reviews.filter(kind=kind).exists():
        raise ValidationError({"kind": [_("This review is recorded already.")]})
    review = Review.objects.create(
        resolution=resolution,
        kind=kind,
        held_on=held_on,
        held_by=by if getattr(by, "is_authenticated", False) else None,
    )
    # The end-of-term review judges the term (domain-rules §2, agenda item 5): its verdicts
    # are final, as every page shows them once the term is over (goals.judging_day).
    final = kind == ReviewKind.END_OF_TERM
    basis = domain.Basis.END_OF_TERM_REVIEW if final else domain.Basis.RUNNING
    found = goals.flatten(goals.judged(resolution, domain.Judging(held_on, basis)))
    ReviewVerdict.objects.bulk_create(
        ReviewVerdict(
            review=review,
            target=s.target,
            actual=s.actual,
            progress=s.progress.quantize(Decimal("0.0001")),
            verdict=s.verdict_code,
        )
        for s in found
    )
    if kind == ReviewKind.END_OF_TERM:
        draft_items(review, [s for s in found if s.target.parent_id is None])
    return review


def unfinal_end_of_term_verdicts(terms: QuerySet[Term]) -> Iterator[Finding]:
    """End-of-term reviews held before their verdicts were final, which froze a target as on
    track or at risk: the term's pages judge it final as of the review's day (hold_review)."""
    unfinal = (domain.Verdict.ON_TRACK.value, domain.Verdict.AT_RISK.value)
    reviews = Review.objects.filter(
        kind=ReviewKind.END_OF_TERM,
        resolution__congress__term__in=terms,
        verdicts__verdict__in=unfinal,
    ).select_related("resolution__congress__term__branch")
    for review in reviews.distinct().order_by("held_on", "pk"):
        resolution = review.resolution
        judging = domain.Judging(review.held_on, domain.Basis.END_OF_TERM_REVIEW)
        now = {s.target.pk: s for s in goals.flatten(goals.judged(resolution, judging))}
        url = reverse("congresses:resolution", args=[resolution.congress_id])
        for frozen in review.verdicts.filter(verdict__in=unfinal).select_related("target"):
            status = now.get(frozen.target_id)
            yield Finding(
                term=resolution.congress.term,
                record=_("End-of-term review of %(day)s: %(target)s")
                % {"day": day_text(review.held_on), "target": frozen.target.title},
                problem=_(
                    "The review froze “%(frozen)s”, but a finished term's targets are judged "
                    "final: its pages show “%(verdict)s” as of that day."
                )
                % {
                    "frozen": goals.verdict_text(frozen.verdict),
                    "verdict": status.verdict_label if status else goals.verdict_text(None),
                },
                fix=_(
                    "The review stays as it was held. If the congress's record should explain "
                    "the difference, say so in the review's achievements or shortcomings."
                ),
                url=f"{url}#review-{review.pk}",
            )


def draft_items(review: Review, found: list[goals.TargetStatus]) -> list[ReviewItem]:
    """A first draft of the review: each target achieved or exceeded is an achievement, each
    not met (or still at risk) a shortcoming, stated with its figures."""
    from unionrec.templatetags.unionrec import quantity  # numbers in the draft's language

    items = []
    for order, status in enumerate(found, start=1):
        target = status.target
        values = {
            "title": target.title,
            "actual": quantity(status.actual, target.unit),
            "target": quantity(target.target_value, target.unit),
        }
        if target.kind == TargetKind.YES_NO:
            done = status.verdict == domain.Verdict.ACHIEVED
            if not done and status.verdict == domain.Verdict.ON_TRACK:
                continue
            kind = ItemKind.ACHIEVEMENT if done else ItemKind.SHORTCOMING
            text = _("%(title)s: done.") if done else _("%(title)s: not done.")
        elif status.verdict == domain.Verdict.EXCEEDED:
            kind, text = (
                ItemKind.ACHIEVEMENT,
                _("%(title)s: exceeded, %(actual)s against %(target)s."),
            )
        elif status.verdict == domain.Verdict.ACHIEVED:
            kind, text = ItemKind.ACHIEVEMENT, _("%(title)s: achieved, %(actual)s.")
        elif status.verdict in (domain.Verdict.NOT_MET, domain.Verdict.AT_RISK):
            kind, text = (
                ItemKind.SHORTCOMING,
                _("%(title)s: not met, %(actual)s against %(target)s."),
            )
        else:
            continue
        items.append(
            ReviewItem(review=review, kind=kind, text=text % values, order=order, drafted=True)
        )
    created: list[ReviewItem] = bulk_create_with_history(items, ReviewItem)  # with history rows
    return created


@transaction.atomic
def add_item(*, review: Review, kind: str, text: str, by: Any = None) -> ReviewItem:
    require(by, review.resolution.branch)
    if kind not in ItemKind.values:
        raise ValidationError({"kind": [_("Choose achievement or shortcoming.")]})
    if not text.strip():
        raise ValidationError({"text": [_("Write the item.")]})
    order = review.items.filter(kind=kind).count() + 1
    return ReviewItem.objects.create(review=review, kind=kind, text=text.strip(), order=order)


@transaction.atomic
def update_item(*, item: ReviewItem, text: str, by: Any = None) -> ReviewItem:
    require(by, item.review.resolution.branch)
    if not text.strip():
        raise ValidationError({"text": [_("Write the item.")]})
    item.text, item.drafted = text.strip(), False
    item.save()
    return item


@transaction.atomic
def remove_item(*, item: ReviewItem, by: Any = None) -> None:
    require(by, item.review.resolution.branch)
    item.delete()
