"""The JSON API of resolutions, their targets and the targets' progress, under /api/v1/: for a
members' app that shows the goals of the member's union, and for secretaries who record the
figures.

Goals are read under the scope rules of statistics (unionrec.access, Need.STATS): unlike the
register's lists, the member role lists the resolutions of its own branch and of the branches
above it (Scope.branch_filter), and readers those of their subtrees. A target is reached through
its resolution's branch, or through its responsible branch for those who may read that (the
secretary of a sub-unit records the figures of its part of a higher union's target). Out of
reach is 404; recording a figure needs write rights on the target's responsible branch, else
403. The standing of every target is congresses.resolutions.goals on the day asked for (`?on=`,
default today); the verdicts are computed, never stored. The figures go through
congresses.resolutions.progress, whose refusals are 400s under `on` and `actual` (a split
target's under non_field_errors). Evidence files are not uploaded here (the target page takes
them); a figure links its file for those who may read the responsible branch."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from congresses.models import Term
from congresses.resolutions import goals
from congresses.resolutions.goals import TargetStatus
from congresses.resolutions.models import Progress, Resolution, ResolutionQuerySet, Target, Verdict
from congresses.resolutions.progress import correct_progress, record_progress
from congresses.resolutions.serializers import (
    CorrectionSerializer,
    NewFigureSerializer,
    RecordedSerializer,
    ResolutionSerializer,
    TargetDetailSerializer,
    TargetStatusSerializer,
)
from members.models import Branch
from members.statistics import today
from unionrec.access import Need, branch_for, check_branch, scope_for
from unionrec.api import (
    IdFilter,
    ScopedViewSet,
    TrueFalseFilter,
    parse_day,
    path_id,
    service_errors,
    unchanged,
)
from unionrec.small_cells import exact_for, shown_target

RESOLUTION_BRANCH = "congress__term__branch__path"
TARGET_RESOLUTION_BRANCH = "resolution__congress__term__branch__path"

ON_QUERY = OpenApiParameter(
    "on",
    OpenApiTypes.DATE,
    OpenApiParameter.QUERY,
    required=False,
    description="The day the targets' standing is asked for (YYYY-MM-DD); default: today. "
    "A running term's targets are judged on it; a finished term's as of its end-of-term "
    "review (or its end), whatever the day; a term not yet begun has no verdict (judged_on).",
)
VERDICT_QUERY = OpenApiParameter(
    "verdict",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    many=True,
    explode=True,
    enum=Verdict.values,
    description="Only targets with this verdict on the day (repeat it for several). Verdicts "
    "are computed, not stored: the standing of every target the other filters leave is "
    "computed first, then filtered and paged, so narrow big lists by resolution or branch.",
)
FIGURE_PATH = OpenApiParameter(
    "figure", OpenApiTypes.INT, OpenApiParameter.PATH, description="The figure's id."
)


def day_asked(request: Request) -> date:
    return parse_day(request.query_params.get("on"), "on")


def goals_subtree(
    request: Request, queryset: QuerySet[Any], code: str, field: str
) -> QuerySet[Any]:
    """`?branch=`: the subtree of a branch whose goals the caller may see; a branch out of
    reach is 404, as in the rest of the API."""
    branch = branch_for(request, code, need=Need.STATS)
    return queryset.filter(**{f"{field}__subtree": branch.path})


def standing(targets: list[Target], on: date) -> list[TargetStatus]:
    """The standing of each target on `on`, in the order given: their resolutions are read
    once each (goals.statuses_of), whatever the number of targets."""
    resolutions = list({target.resolution_id: target.resolution for target in targets}.values())
    found = goals.statuses_of(resolutions, on)
    by_pk = {s.target.pk: s for tops in found.values() for s in goals.flatten(tops)}
    return [by_pk[target.pk] for target in targets]


# --- Resolutions -------------------------------------------------------------------------------


class ResolutionFilter(django_filters.FilterSet):  # type: ignore[misc]
    branch = django_filters.CharFilter(method="in_branch", label=_("branch code (its subtree)"))
    term = IdFilter(field_name="congress__term")
    current = TrueFalseFilter(method="current_today", label=_("current today"))

    class Meta:
        model = Resolution
        fields = ["branch", "term", "current"]

    def in_branch(
        self, queryset: QuerySet[Resolution], name: str, value: str
    ) -> QuerySet[Resolution]:
        return goals_subtree(self.request, queryset, value, RESOLUTION_BRANCH)

    def current_today(
        self, queryset: QuerySet[Resolution], name: str, value: bool
    ) -> QuerySet[Resolution]:
        """Resolutions of terms running today."""
        current = Term.objects.current_on(today()).values("pk")
        if value:
            return queryset.filter(congress__term__in=current)
        return queryset.exclude(congress__term__in=current)


class ResolutionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Resolutions of the branches whose goals the caller may see, root first: directions,
    campaigns and the standing of every target on the day, with the parts of split ones."""

    model = Resolution
    serializer_class = ResolutionSerializer
    filterset_class = ResolutionFilter
    branch_path = RESOLUTION_BRANCH

    def base_queryset(self) -> ResolutionQuerySet:
        return (
            Resolution.objects.select_related("congress__term__branch")
            .prefetch_related("directions", "campaigns")
            .order_by(RESOLUTION_BRANCH, "congress__term__starts_on", "id")
        )

    def branch_of(self, obj: Resolution) -> Branch:
        return obj.congress.term.branch

    def get_queryset(self) -> QuerySet[Resolution]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular building the schema
            return Resolution.objects.none()
        return self.base_queryset().visible_to(self.request.user)

    def get_object(self) -> Resolution:
        resolution = self.base_queryset().filter(pk=path_id(self.kwargs["pk"])).first()
        if resolution is None:
            raise Http404
        check_branch(self.request, self.branch_of(resolution), need=Need.STATS)
        return resolution

    def _data(self, resolutions: list[Resolution], on: date, *, many: bool) -> Any:
        statuses = goals.statuses_of(resolutions, on)
        context = {**self.get_serializer_context(), "on": on, "statuses": statuses}
        found = resolutions if many else resolutions[0]
        return ResolutionSerializer(found, many=many, context=context).data

    @extend_schema(parameters=[ON_QUERY])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        on = day_asked(request)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # the API always pages (unionrec.pagination.Pagination)
        return self.get_paginated_response(self._data(page, on, many=True))

    @extend_schema(parameters=[ON_QUERY])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        resolution = self.get_object()
        return Response(self._data([resolution], day_asked(request), many=False))


# --- Targets and their figures --------------------------------------------------------------


def _verdict_shown(user: Any, status: TargetStatus) -> bool:
    """Whether `user` sees the target's verdict (unionrec.small_cells)."""
    exact = exact_for(user, status.target.branch.path)
    return shown_target(status, exact=exact).verdict


class TargetFilter(django_filters.FilterSet):  # type: ignore[misc]
    resolution = IdFilter(field_name="resolution")
    branch = django_filters.CharFilter(
        method="in_branch", label=_("responsible branch code (its subtree)")
    )

    class Meta:
        model = Target
        fields = ["resolution", "branch"]

    def in_branch(self, queryset: QuerySet[Target], name: str, value: str) -> QuerySet[Target]:
        return goals_subtree(self.request, queryset, value, "branch__path")


# The order of goals.flatten: resolutions as listed, each whole target followed by its parts.
FLAT_ORDER = (
    TARGET_RESOLUTION_BRANCH,
    "resolution__congress__term__starts_on",
    "resolution_id",
    Coalesce("parent__order", "order"),
    Coalesce("parent_id", "id"),
    F("parent_id").asc(nulls_first=True),
    "order",
    "id",
)


class TargetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Targets within the caller's reach, wholes and parts alike, each with its standing on
    the day; secretaries of the responsible branch record and correct their figures."""

    model = Target
    serializer_class = TargetStatusSerializer
    filterset_class = TargetFilter
    branch_path = TARGET_RESOLUTION_BRANCH

    def base_queryset(self) -> QuerySet[Target]:
        return Target.objects.select_related("resolution__congress__term__branch", "branch")

    def branch_of(self, obj: Target) -> Branch:
        return obj.resolution.congress.term.branch

    def get_queryset(self) -> QuerySet[Target]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular building the schema
            return Target.objects.none()
        return self.base_queryset().visible_to(self.request.user).order_by(*FLAT_ORDER)

    def get_object(self) -> Target:
        """The target if the caller may read it (Target.objects.visible_to, the rule of the
        target's page too), else 404: the same answer as the list."""
        readable = self.base_queryset().visible_to(self.request.user)
        target = readable.filter(pk=path_id(self.kwargs["pk"])).first()
        if target is None:
            raise Http404
        return target

    def _writable(self) -> Target:
        """The target, if the caller may record its figures: write rights on its responsible
        branch (the service checks them again)."""
        target = self.get_object()
        if not scope_for(self.request.user).covers(target.branch.path, Need.WRITE):
            raise PermissionDenied
        return target

    @extend_schema(
        parameters=[ON_QUERY, VERDICT_QUERY], responses=TargetStatusSerializer(many=True)
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        on = day_asked(request)
        wanted = request.query_params.getlist("verdict")
        unknown = [value for value in wanted if value not in Verdict.values]
        if unknown:
            message = _("Select a valid choice. %(value)s is not one of the available choices.")
            raise ValidationError({"verdict": [message % {"value": unknown[0]}]})
        targets = self.filter_queryset(self.get_queryset())
        if wanted:
            # A verdict withheld from the caller (unionrec.small_cells) matches no filter.
            kept = [
                s
                for s in standing(list(targets), on)
                if s.verdict in wanted and _verdict_shown(request.user, s)
            ]
            page = self.paginate_queryset(kept)
        else:
            paged = self.paginate_queryset(targets)
            page = standing(paged, on) if paged is not None else None
        assert page is not None  # the API always pages (unionrec.pagination.Pagination)
        context = self.get_serializer_context()  # whose figures are exact (small_cells)
        rows = TargetStatusSerializer(page, many=True, context=context)  # type: ignore[arg-type]
        return self.get_paginated_response(rows.data)

    @extend_schema(parameters=[ON_QUERY], responses=TargetDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The target's standing on the day, its parts, and its figures up to that day."""
        target = self.get_object()
        on = day_asked(request)
        history = target.progress.filter(on__lte=on).order_by("on", "id")
        context = {**self.get_serializer_context(), "on": on, "history": history}
        return Response(TargetDetailSerializer(goals.status_of(target, on), context=context).data)

    def _recorded(self, figure: Progress, **kwargs: Any) -> Response:
        found = {"figure": figure, "target": goals.status_of(figure.target, today())}
        context = self.get_serializer_context()
        return Response(RecordedSerializer(found, context=context).data, **kwargs)

    @extend_schema(
        request=NewFigureSerializer,
        responses={201: RecordedSerializer},
        description="Record the target's actual value on a day (with a note), for secretaries "
        "of its responsible branch or above; the answer holds the figure and the target's "
        "standing today after it. Refused (400, under `on` or `actual`) for a day in the "
        "future, outside the term or with a figure already (correct that one), and for a "
        "value the kind cannot take; a split target (under non_field_errors) takes its "
        "figures on its parts. Evidence files are attached on the target's page.",
    )
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: str) -> Response:
        target = self._writable()
        body = NewFigureSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            figure = record_progress(target=target, by=request.user, **body.validated_data)
        return self._recorded(figure, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        parameters=[FIGURE_PATH],
        request=CorrectionSerializer,
        responses=RecordedSerializer,
        description="Correct a figure's value or note (the old value stays in its history); "
        "a day cannot be changed. The answer holds the figure and the target's standing "
        "today after it.",
    )
    @action(detail=True, methods=["patch"], url_path=r"progress/(?P<figure>[^/.]+)")
    def correct(self, request: Request, pk: str, figure: str) -> Response:
        target = self._writable()
        found = target.progress.filter(pk=path_id(figure)).first()
        if found is None:
            raise Http404
        body = CorrectionSerializer(found, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        unchanged(body, data, "on")
        with service_errors():
            corrected = correct_progress(
                figure=found,
                actual=data.get("actual", found.actual),
                note=data.get("note"),
                by=request.user,
            )
        return self._recorded(corrected)
