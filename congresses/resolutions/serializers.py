"""The bodies of the resolutions API (congresses.resolutions.api): a resolution with its
directions, campaigns and the standing of its targets on a day as congresses.resolutions.goals
reads it (the one read model behind the resolution page and the members' goals page too), a
target's dated figures, and a figure as a secretary records or corrects it.

Nothing personal leaves through them: who recorded a figure (Progress.recorded_by) is never
serialised, and an evidence file is linked (the target page's download, which checks the rights
again) only for those who may read the target's responsible branch, as on the page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from congresses.resolutions import goals
from congresses.resolutions.domain import Basis, Measure, SplitGap
from congresses.resolutions.goals import TargetStatus
from congresses.resolutions.models import (
    Campaign,
    Direction,
    Progress,
    Resolution,
    TargetKind,
    Verdict,
)
from congresses.resolutions.split_gaps import split_text
from unionrec.access import Need, scope_for
from unionrec.small_cells import Hidden, exact_for, shown_target, small_figure

CENTS = Decimal("0.01")  # the targets' values are stored with two decimals
FOUR_PLACES = Decimal("0.0001")  # progress, as the reviews freeze it
WITHHELD = ["actual", "baseline", "progress", "percent", "verdict"]  # a target's figures withheld


@extend_schema_field(OpenApiTypes.DOUBLE)
class NumberField(serializers.Field):  # type: ignore[type-arg]
    """A decimal value as a JSON number rounded to `places` (or null): the app computes with
    numbers, not with the strings DRF makes of decimals."""

    def __init__(self, *, places: Decimal = CENTS, **kwargs: Any) -> None:
        self.places = places
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Decimal) -> float:
        return float(value.quantize(self.places))


# One component for the kinds of target: the field appears in several components, and "kind"
# names other choice sets elsewhere in the API.
@extend_schema_field({"type": "string", "enum": TargetKind.values}, component_name="TargetKind")
class TargetKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=TargetKind.choices, **kwargs)


# --- A target's standing --------------------------------------------------------------------


class PartStatusSerializer(serializers.Serializer[TargetStatus]):
    """A target and where it stands on the day (congresses.resolutions.goals.TargetStatus)."""

    id = serializers.IntegerField(source="target.pk")
    resolution = serializers.IntegerField(source="target.resolution_id")
    parent = serializers.IntegerField(  # type: ignore[assignment]
        source="target.parent_id",
        allow_null=True,
        help_text=_("For a part of a split target: the whole target's id."),
    )
    title = serializers.CharField(source="target.title")
    kind = TargetKindField(source="target.kind")
    baseline = NumberField(
        source="target.baseline",
        allow_null=True,
        help_text=_("The value at the start of the term."),
    )
    target_value = NumberField(source="target.target_value")
    unit = serializers.CharField(source="target.unit")
    deadline = serializers.DateField(source="target.deadline")
    branch = serializers.CharField(
        source="target.branch.code", help_text=_("The code of the responsible branch.")
    )
    branch_name = serializers.CharField(source="target.branch.display_name")
    responsible_post = serializers.CharField(
        source="target.responsible_post",
        help_text=_(
            "The committee post that answers for the target, as the posts' kind "
            "(e.g. chair); blank: none named."
        ),
    )
    weight = NumberField(
        source="target.weight",
        allow_null=True,
        help_text=_("For a part of a split target: how much it counts in the whole."),
    )
    actual = NumberField(
        allow_null=True,
        help_text=_(
            "The latest figure on or before the day (null: none yet); for a split "
            "target, the value its parts' progress stands for."
        ),
    )
    as_of = serializers.DateField(
        allow_null=True, help_text=_("The day of that figure (the latest part's for a split one).")
    )
    progress = NumberField(
        places=FOUR_PLACES,
        allow_null=True,
        help_text=_(
            "The share of the way from the baseline to the target value, 4 decimals: "
            "0 at the baseline, 1 at the target, above 1 beyond it; null when withheld "
            "with a small actual value (see hidden)."
        ),
    )
    percent = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "The progress as a whole percentage capped to 0–100, for a progress bar; null "
            "when withheld."
        ),
    )
    hidden = serializers.SerializerMethodField(
        help_text=_(
            "The figures withheld (null above): outside the scope of a secretary or a "
            "reviewer of the responsible branch, a count target's actual value or baseline "
            "below UNIONREC_SMALL_CELL, with the progress that would give it back, and the "
            "verdict where it would (unionrec.small_cells). Empty when every figure is exact."
        )
    )
    verdict = serializers.ChoiceField(
        choices=Verdict.choices,
        allow_null=True,
        help_text=_(
            "Computed for judged_on from the progress and the share of the target's period "
            "gone by; final (exceeded, achieved or not met) once the term is over; null "
            "before the term begins; null too when withheld (see hidden). Never stored."
        ),
    )
    judged_on = serializers.DateField(
        allow_null=True,
        help_text=_(
            "The day the verdict is judged on: the day asked while the term runs; once it "
            "is over, its end-of-term review's day, or its end if no review was held; null "
            "before the term begins. The pages and reports judge on the same day."
        ),
    )
    judged_as = serializers.ChoiceField(
        choices=[basis.value for basis in Basis],
        allow_null=True,
        help_text=_(
            "Why that day: running (the term runs), end_of_term_review or term_end (the "
            "term is over); null before the term begins."
        ),
    )

    @extend_schema_field({"type": "array", "items": {"type": "string", "enum": WITHHELD}})
    def get_hidden(self, status: TargetStatus) -> list[str]:
        shown = shown_target(status, exact=_exact(self.context, status.target))
        found = [
            name for name in ("actual", "baseline") if isinstance(getattr(shown, name), Hidden)
        ]
        found += ["progress", "percent"] if shown.progress is None else []
        return found + ([] if shown.verdict else ["verdict"])

    def to_representation(self, instance: TargetStatus) -> dict[str, Any]:
        data = super().to_representation(instance)
        for name in data["hidden"]:
            data[name] = None
        return data  # type: ignore[no-any-return]


def _exact(context: dict[str, Any], target: Any) -> bool:
    """Whether the request's user sees the target's exact figures (unionrec.small_cells); a
    serializer given no request withholds them."""
    request = context.get("request")
    return request is not None and exact_for(request.user, target.branch.path)


class SplitGapSerializer(serializers.Serializer[SplitGap]):
    """A split whose parts do not add up to the whole (congresses.resolutions.domain.split_gap),
    with the warning the target page shows."""

    measure = serializers.ChoiceField(
        choices=[measure.value for measure in Measure],
        help_text=_(
            "How the parts are put together: sum (a count) or weighted_average (a percentage)."
        ),
    )
    parts = NumberField(source="combined", help_text=_("What the parts come to."))
    expected = NumberField(
        help_text=_(
            "What they should come to: the target value, or for a count with a baseline the "
            "way from the baseline to the target value."
        )
    )
    difference = NumberField(
        help_text=_("parts minus expected: below 0 the parts fall short, above 0 they exceed.")
    )
    message = serializers.SerializerMethodField(
        help_text=_("The warning, with the difference, in the language of the request.")
    )

    def get_message(self, gap: SplitGap) -> str:
        """The warning in the language of the request."""
        return split_text(gap)


class TargetStatusSerializer(PartStatusSerializer):
    """A target's standing with the standing of its parts, if it is split over sub-units (a
    part is never split again)."""

    parts = PartStatusSerializer(
        many=True, help_text=_("The parts of a split target, each with its own standing.")
    )
    split_warning = SplitGapSerializer(
        source="split_gap",
        read_only=True,
        allow_null=True,
        help_text=_(
            "Set when the parts of a split target do not add up to it (the split is kept); "
            "null when they do, or the target is not split."
        ),
    )


class FigureSerializer(serializers.ModelSerializer[Progress]):
    """A dated figure of a target: who recorded it is not part of it. The context holds the
    request, for the evidence link."""

    actual = NumberField(
        allow_null=True, help_text=_("Null when withheld: a small count (unionrec.small_cells).")
    )
    has_evidence = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Progress
        fields = ["id", "on", "actual", "note", "has_evidence", "evidence"]
        read_only_fields = fields

    def to_representation(self, instance: Progress) -> dict[str, Any]:
        """A small count of a count target is null outside the scope (unionrec.small_cells)."""
        data = super().to_representation(instance)
        target = instance.target
        if not _exact(self.context, target) and small_figure(target, instance.actual):
            data["actual"] = None
        return data  # type: ignore[no-any-return]

    def get_has_evidence(self, figure: Progress) -> bool:
        return bool(figure.evidence_name)

    def get_evidence(self, figure: Progress) -> str | None:
        """The download of the evidence file (the target page's: a signed-in session, not a
        token) for those who may read the responsible branch; null for everyone else."""
        request = self.context.get("request")
        if not figure.evidence_name or request is None:
            return None
        if not scope_for(request.user).covers(figure.target.branch.path, Need.READ):
            return None
        return request.build_absolute_uri(reverse("congresses:evidence", args=[figure.pk]))


class TargetDetailSerializer(TargetStatusSerializer):
    """A target's standing on the day and its figures up to that day, oldest first."""

    on = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.DATE)
    def get_on(self, status: TargetStatus) -> date:
        return self.context["on"]  # type: ignore[no-any-return]

    @extend_schema_field(FigureSerializer(many=True))
    def get_history(self, status: TargetStatus) -> list[dict[str, Any]]:
        """A split target has none of its own: its parts carry the figures."""
        figures = FigureSerializer(self.context["history"], many=True, context=self.context)
        return figures.data  # type: ignore[return-value]


# --- Resolutions ------------------------------------------------------------------------------


class DirectionSerializer(serializers.ModelSerializer[Direction]):
    class Meta:
        model = Direction
        fields = ["number", "text"]
        read_only_fields = fields


class CampaignSerializer(serializers.ModelSerializer[Campaign]):
    class Meta:
        model = Campaign
        fields = ["name", "starts_on", "ends_on", "description"]
        read_only_fields = fields


class ResolutionSerializer(serializers.ModelSerializer[Resolution]):
    """A congress's resolution and the standing of its targets on the day. The context holds
    `on` and `statuses`, the targets' standing by resolution id (goals.statuses_of)."""

    congress = serializers.IntegerField(source="congress_id", read_only=True)
    branch = serializers.CharField(source="congress.term.branch.code", read_only=True)
    branch_name = serializers.CharField(source="congress.term.branch.display_name", read_only=True)
    term = serializers.IntegerField(source="congress.term_id", read_only=True)
    term_label = serializers.CharField(source="congress.term.label", read_only=True)
    directions = DirectionSerializer(many=True, read_only=True)
    campaigns = CampaignSerializer(many=True, read_only=True)
    on = serializers.SerializerMethodField()
    verdicts = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()

    class Meta:
        model = Resolution
        fields = [
            "id",
            "congress",
            "branch",
            "branch_name",
            "term",
            "term_label",
            "adopted_on",
            "preamble",
            "directions",
            "campaigns",
            "on",
            "verdicts",
            "targets",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATE)
    def get_on(self, resolution: Resolution) -> date:
        """The day the targets' standing is of."""
        return self.context["on"]  # type: ignore[no-any-return]

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_verdicts(self, resolution: Resolution) -> dict[str, int]:
        """How many targets (parts included) have each verdict; a verdict withheld from the
        caller (see a target's hidden) is not counted."""
        found = self.context["statuses"][resolution.pk]
        withheld = {
            status.target.pk
            for status in goals.flatten(found)
            if not shown_target(status, exact=_exact(self.context, status.target)).verdict
        }
        return goals.counts_by_verdict(found, withheld=withheld)

    @extend_schema_field(TargetStatusSerializer(many=True))
    def get_targets(self, resolution: Resolution) -> list[dict[str, Any]]:
        """The targets in their order, each with its parts."""
        found = self.context["statuses"][resolution.pk]
        rows = TargetStatusSerializer(found, many=True, context=self.context)
        return rows.data  # type: ignore[return-value]


# --- Writing figures --------------------------------------------------------------------------


class NewFigureSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(
        help_text=_("The day of the figure: within the term, not in the future, one a day.")
    )
    actual = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text=_("A count; a percentage from 0 to 100; for a yes/no target 1 (done) or 0."),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CorrectionSerializer(serializers.Serializer[Any]):
    """A correction of a figure: the value, the note, or both; its day stays."""

    on = serializers.DateField(
        required=False, help_text=_("If given, the figure's own day: a day cannot be changed.")
    )
    actual = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class RecordedSerializer(serializers.Serializer[Any]):
    """A figure as stored, and its target's standing today after it."""

    figure = FigureSerializer()
    target = TargetStatusSerializer()
