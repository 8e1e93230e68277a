"""Every write to resolutions: the resolution of a congress, its directions, campaigns and
targets (split over sub-units). Keyword-only, typed, atomic; history is kept by
django-simple-history. The targets' progress and the reviews of the term are
congresses.resolutions.progress.

Secretaries of the congress's branch write the resolution."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congresses.models import Congress, PostKind
from congresses.resolutions.models import (
    Campaign,
    Direction,
    Resolution,
    ReviewVerdict,
    Target,
    TargetKind,
)
from members.models import Branch
from unionrec.access import require
from unionrec.days import day_text

# --- The resolution, its directions and campaigns ------------------------------------------


@transaction.atomic
def create_resolution(
    *, congress: Congress, adopted_on: date | None = None, preamble: str = "", by: Any = None
) -> Resolution:
    """The resolution the congress adopted (on the congress day unless said otherwise)."""
    require(by, congress.term.branch)
    if Resolution.objects.filter(congress=congress).exists():
        raise ValidationError(_("This congress has its resolution already."))
    adopted_on = adopted_on or congress.held_on
    if adopted_on < (congress.preparatory_on or congress.held_on):
        raise ValidationError(
            {"adopted_on": [_("The resolution is adopted at the congress, not before it.")]}
        )
    return Resolution.objects.create(
        congress=congress, adopted_on=adopted_on, preamble=preamble.strip()
    )


@transaction.atomic
def update_resolution(*, resolution: Resolution, by: Any = None, **fields: Any) -> Resolution:
    if set(fields) - {"adopted_on", "preamble"}:
        raise ValueError(f"not editable here: {sorted(set(fields) - {'adopted_on', 'preamble'})}")
    require(by, resolution.branch)
    for name, value in fields.items():
        setattr(resolution, name, value.strip() if isinstance(value, str) else value)
    resolution.save()
    return resolution


@transaction.atomic
def add_direction(
    *, resolution: Resolution, text: str, number: int | None = None, by: Any = None
) -> Direction:
    require(by, resolution.branch)
    if not text.strip():
        raise ValidationError({"text": [_("Write the direction.")]})
    taken = set(resolution.directions.values_list("number", flat=True))
    number = number or (max(taken, default=0) + 1)
    if number in taken:
        raise ValidationError({"number": [_("Direction %(n)s exists already.") % {"n": number}]})
    return Direction.objects.create(resolution=resolution, number=number, text=text.strip())


@transaction.atomic
def update_direction(*, direction: Direction, text: str, by: Any = None) -> Direction:
    require(by, direction.resolution.branch)
    if not text.strip():
        raise ValidationError({"text": [_("Write the direction.")]})
    direction.text = text.strip()
    direction.save()
    return direction


@transaction.atomic
def remove_direction(*, direction: Direction, by: Any = None) -> None:
    require(by, direction.resolution.branch)
    direction.delete()


@transaction.atomic
def add_campaign(
    *,
    resolution: Resolution,
    name: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
    description: str = "",
    by: Any = None,
) -> Campaign:
    require(by, resolution.branch)
    if not name.strip():
        raise ValidationError({"name": [_("Name the campaign.")]})
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": [_("A campaign ends after it starts.")]})
    order = resolution.campaigns.count() + 1
    return Campaign.objects.create(
        resolution=resolution,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        description=description.strip(),
        order=order,
    )


@transaction.atomic
def remove_campaign(*, campaign: Campaign, by: Any = None) -> None:
    require(by, campaign.resolution.branch)
    campaign.delete()


# --- Targets ------------------------------------------------------------------------------------

TARGET_FIELDS = {
    "title",
    "kind",
    "baseline",
    "target_value",
    "unit",
    "deadline",
    "branch",
    "responsible_post",
    "order",
}


def figure_of(value: Any, field: str) -> Decimal | None:
    """A figure typed on a form or sent to the API as a Decimal (None when blank);
    ValidationError on `field` when it is not a finite number."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: [_("Enter a number.")]}) from None
    if not number.is_finite():
        raise ValidationError({field: [_("Enter a number.")]})
    return number


def _validate_target(target: Target) -> None:
    errors: dict[str, list[str]] = {}
    resolution = target.resolution
    term = resolution.congress.term
    home = term.branch
    if not target.title.strip():
        errors["title"] = [_("Give the target a title.")]
    if target.kind not in TargetKind.values:
        errors["kind"] = [_("Choose the kind of target.")]
    if target.kind == TargetKind.YES_NO:
        target.baseline, target.target_value, target.unit = Decimal(0), Decimal(1), ""
    if target.kind == TargetKind.PERCENTAGE:
        for name in ("baseline", "target_value"):
            value = getattr(target, name)
            if value is not None and not Decimal(0) <= value <= Decimal(100):
                errors[name] = [_("A percentage lies between 0 and 100.")]
        target.unit = target.unit or "%"
    if target.kind == TargetKind.COUNT:
        for name in ("baseline", "target_value"):
            value = getattr(target, name)
            if value is not None and value < 0:
                errors[name] = [_("A count cannot be negative.")]
    if not term.starts_on < target.deadline <= term.end:
        errors["deadline"] = [
            _("The deadline lies within the term (%(start)s – %(end)s).")
            % {"start": day_text(term.starts_on), "end": day_text(term.end)}
        ]
    if not target.branch.path.startswith(home.path):
        errors["branch"] = [
            _("%(branch)s is not %(home)s or one of its sub-units.")
            % {"branch": target.branch.display_name, "home": home.display_name}
        ]
    if target.responsible_post and target.responsible_post not in PostKind.values:
        errors["responsible_post"] = [_("Choose a post from the list.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_target(
    *,
    resolution: Resolution,
    title: str,
    kind: str,
    target_value: Any = None,
    baseline: Any = None,
    unit: str = "",
    deadline: date | None = None,
    branch: Branch | None = None,
    responsible_post: str = "",
    order: int | None = None,
    by: Any = None,
) -> Target:
    """A target of the term: by default due at the end of the term and the responsibility of
    the congress's branch."""
    term = resolution.congress.term
    require(by, term.branch)
    value = figure_of(target_value, "target_value")
    if value is None and kind != TargetKind.YES_NO:
        raise ValidationError({"target_value": [_("Enter the target value.")]})
    target = Target(
        resolution=resolution,
        title=" ".join(title.split()),
        kind=kind,
        baseline=figure_of(baseline, "baseline"),
        target_value=value or Decimal(1),
        unit=unit.strip(),
        deadline=deadline or term.end,
        branch=branch or term.branch,
        responsible_post=responsible_post,
        order=order or resolution.targets.filter(parent__isnull=True).count() + 1,
    )
    _validate_target(target)
    if order:  # take the place: the targets from there on move one down, each audited
        for later in resolution.targets.filter(parent__isnull=True, order__gte=order):
            later.order += 1
            later.save(update_fields=["order"])
    target.save()
    return target


@transaction.atomic
def update_target(*, target: Target, by: Any = None, **fields: Any) -> Target:
    unknown = set(fields) - TARGET_FIELDS - {"weight"}
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    require(by, target.resolution.branch)
    for name, value in fields.items():
        if name in ("baseline", "target_value", "weight"):
            value = figure_of(value, name)
        setattr(target, name, value)
    if target.parent_id and (target.weight is None or target.weight <= 0):
        raise ValidationError({"weight": [_("A part counts with a weight above 0.")]})
    _validate_target(target)
    target.save()
    return target


@transaction.atomic
def split_target(
    *, target: Target, parts: list[tuple[Branch, Any, Any]], by: Any = None
) -> list[Target]:
    """Split a target over sub-units: each part is (sub-unit, its own target value, its
    weight in the whole); the weight defaults to the part's target value for a count, else
    1. The whole's progress is then rolled up from the parts, and figures are recorded on the
    parts only."""
    require(by, target.resolution.branch)
    if target.parent_id:
        raise ValidationError(_("A part cannot be split again; split the whole target."))
    if target.progress.exists():
        raise ValidationError(
            _("Figures are recorded on this target itself: a target with figures cannot be split.")
        )
    if not parts:
        raise ValidationError({"parts": [_("Name at least one sub-unit.")]})
    home = target.branch
    made, seen = [], set()
    for index, (branch, value, weight) in enumerate(parts, start=1):
        if branch.pk == home.pk or not branch.path.startswith(home.path):
            raise ValidationError(
                {
                    "parts": [
                        _("%(branch)s is not a sub-unit of %(home)s.")
                        % {"branch": branch.display_name, "home": home.display_name}
                    ]
                }
            )
        if branch.pk in seen or target.parts.filter(branch=branch).exists():
            raise ValidationError(
                {"parts": [_("%(branch)s has a part already.") % {"branch": branch.display_name}]}
            )
        seen.add(branch.pk)
        number = figure_of(value, "parts") if target.kind != TargetKind.YES_NO else Decimal(1)
        if number is None:
            raise ValidationError({"parts": [_("Enter the target value of each part.")]})
        default = number if target.kind == TargetKind.COUNT else Decimal(1)
        share = figure_of(weight, "parts") or default
        if share <= 0:
            raise ValidationError({"parts": [_("A part counts with a weight above 0.")]})
        part = Target(
            resolution=target.resolution,
            parent=target,
            title=target.title,
            kind=target.kind,
            baseline=None,
            target_value=number,
            unit=target.unit,
            deadline=target.deadline,
            branch=branch,
            weight=share,
            order=index,
        )
        _validate_target(part)
        part.save()
        made.append(part)
    return made


@transaction.atomic
def remove_target(*, target: Target, by: Any = None) -> None:
    """Remove a target with its parts and figures (the history keeps them)."""
    require(by, target.resolution.branch)
    if ReviewVerdict.objects.filter(target__in=[target, *target.parts.all()]).exists():
        raise ValidationError(_("A review froze this target's verdict: it stays on record."))
    target.delete()
