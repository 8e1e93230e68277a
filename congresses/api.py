"""The JSON API of terms, congresses, committee posts and delegates, under /api/v1/.

Same scope rules as the register (unionrec.access): lists hold the caller's readable subtrees;
an object outside them answers 404, one within them but beyond the caller's role 403; the
member role lists nothing here. Every write goes through congresses.services with the fields
the service takes and nothing more; its ValidationError becomes a 400 with its messages, and a
change the record's state does not take (a lifecycle step not open now, a recognised congress)
a 409 (congresses.serializers.record_errors).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Case, OuterRef, QuerySet, Subquery, Value, When
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congresses import committees, services
from congresses.models import (
    Congress,
    CongressKind,
    CongressStatus,
    Delegate,
    DelegateKind,
    Post,
    PostKind,
    Term,
)
from congresses.models.committees import POST_RANK
from congresses.serializers import (
    CongressSerializer,
    DecisionSerializer,
    DelegateSerializer,
    DeletePostSerializer,
    EndPostSerializer,
    ExtendSerializer,
    PostSerializer,
    ReasonSerializer,
    TermSerializer,
    record_errors,
)
from members.models import Branch
from members.statistics import today
from unionrec.api import (
    IdFilter,
    ScopedViewSet,
    TrueFalseFilter,
    in_subtree,
    parse_day,
    unchanged,
)

STEP_REFUSED = OpenApiResponse(
    description="The congress's state does not take this step now (congresses.lifecycle): "
    "the detail says why, e.g. its day has not come yet."
)

# --- Terms --------------------------------------------------------------------------------


class TermFilter(django_filters.FilterSet):  # type: ignore[misc]
    branch = django_filters.CharFilter(method="in_branch", label=_("branch code (its subtree)"))
    current = TrueFalseFilter(method="current_today", label=_("current today"))

    class Meta:
        model = Term
        fields = ["branch", "current"]

    def in_branch(self, queryset: QuerySet[Term], name: str, value: str) -> QuerySet[Term]:
        return in_subtree(self.request, queryset, value, "branch__path")

    def current_today(self, queryset: QuerySet[Term], name: str, value: bool) -> QuerySet[Term]:
        current = Term.objects.current_on(today()).values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)


def with_neighbours(terms: QuerySet[Term]) -> QuerySet[Term]:
    """Terms with the ids of the branch's previous and next terms, in the same query."""
    same = Term.objects.filter(branch=OuterRef("branch"))
    before = same.filter(starts_on__lt=OuterRef("starts_on")).order_by("-starts_on")
    after = same.filter(starts_on__gt=OuterRef("starts_on")).order_by("starts_on")
    return terms.annotate(
        previous_id=Subquery(before.values("pk")[:1]), next_id=Subquery(after.values("pk")[:1])
    )


class TermViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """Terms of office in the caller's readable subtrees; secretaries create and edit them."""

    model = Term
    serializer_class = TermSerializer
    filterset_class = TermFilter
    conflicts = True  # every write: record_errors' 409 (unionrec.schema)

    def base_queryset(self) -> QuerySet[Term]:
        return with_neighbours(Term.objects.select_related("branch")).order_by(
            "branch__path", "starts_on"
        )

    def branch_of(self, obj: Term) -> Branch:
        return obj.branch

    def perform_create(self, serializer: TermSerializer) -> None:  # type: ignore[override]
        with record_errors():
            term = services.create_term(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.fresh(term.pk)

    def perform_update(self, serializer: TermSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        unchanged(serializer, data, "branch")
        assert serializer.instance is not None
        with record_errors():
            term = services.update_term(term=serializer.instance, by=self.request.user, **data)
        serializer.instance = self.fresh(term.pk)

    @extend_schema(request=ExtendSerializer, responses=TermSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str) -> Response:
        """Record the higher union's extension of the term (at most 30 months)."""
        term = self.get_object()
        body = ExtendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with record_errors(extended_until="until", extension_decision="decision"):
            services.extend_term(term=term, by=request.user, **body.validated_data)
        return Response(TermSerializer(self.fresh(term.pk)).data)


# --- Congresses -------------------------------------------------------------------------------


class CongressFilter(django_filters.FilterSet):  # type: ignore[misc]
    branch = django_filters.CharFilter(method="in_branch", label=_("branch code (its subtree)"))
    term = IdFilter(field_name="term")
    status = django_filters.MultipleChoiceFilter(choices=CongressStatus.choices)
    kind = django_filters.ChoiceFilter(choices=CongressKind.choices)

    class Meta:
        model = Congress
        fields = ["branch", "term", "status", "kind"]

    def in_branch(self, queryset: QuerySet[Congress], name: str, value: str) -> QuerySet[Congress]:
        return in_subtree(self.request, queryset, value, "term__branch__path")


class CongressViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """Congresses with their frozen statistics, guests and bodies; secretaries plan and edit
    them and move them through their lifecycle (held, submitted, recognised)."""

    model = Congress
    serializer_class = CongressSerializer
    filterset_class = CongressFilter
    conflicts = True  # every write: record_errors' 409 (unionrec.schema)
    branch_path = "term__branch__path"

    def base_queryset(self) -> QuerySet[Congress]:
        return (
            Congress.objects.select_related("term__branch")
            .prefetch_related("guests", "body_members")
            .order_by("-held_on", "id")
        )

    def branch_of(self, obj: Congress) -> Branch:
        return obj.term.branch

    def perform_create(self, serializer: CongressSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        with record_errors():
            congress = services.create_congress(by=self.request.user, **data)
        serializer.instance = self.fresh(congress.pk)

    def perform_update(self, serializer: CongressSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        unchanged(serializer, data, "term")
        assert serializer.instance is not None
        with record_errors():
            services.update_congress(congress=serializer.instance, by=self.request.user, **data)
        serializer.instance = self.fresh(serializer.instance.pk)

    def _step(self, step: Any, **rename: str) -> Response:
        congress = self.get_object()
        with record_errors(**rename):
            step(congress)
        return Response(CongressSerializer(self.fresh(congress.pk)).data)

    @extend_schema(request=None, responses={200: CongressSerializer, 409: STEP_REFUSED})
    @action(detail=True, methods=["post"])
    def held(self, request: Request, pk: str) -> Response:
        """planned → held: the congress took place; its statistics are frozen now. Only
        once its day has come and its attendance is recorded (409 otherwise)."""
        return self._step(lambda c: services.record_held(c, by=request.user))

    @extend_schema(request=None, responses={200: CongressSerializer, 409: STEP_REFUSED})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """held → awaiting recognition by the higher union."""
        return self._step(lambda c: services.submit_for_recognition(c, by=request.user))

    @extend_schema(
        request=DecisionSerializer, responses={200: CongressSerializer, 409: STEP_REFUSED}
    )
    @action(detail=True, methods=["post"])
    def recognise(self, request: Request, pk: str) -> Response:
        """awaiting → recognised, with the higher union's decision (needs write rights on the
        level above); the congress becomes read-only."""
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._step(
            lambda c: services.recognise(c, by=request.user, **body.validated_data),
            recognition_decision="decision",
            recognised_on="decided_on",
        )

    @extend_schema(request=ReasonSerializer, responses={200: CongressSerializer, 409: STEP_REFUSED})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        """recognised → awaiting recognition, for a correction; administrators only."""
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._step(lambda c: services.reopen(c, by=request.user, **body.validated_data))


# --- Committee posts and delegates ----------------------------------------------------------


class PostFilter(django_filters.FilterSet):  # type: ignore[misc]
    branch = django_filters.CharFilter(method="in_branch", label=_("branch code (its subtree)"))
    term = IdFilter(field_name="term")
    on = django_filters.CharFilter(method="held_on", label=_("held on this day (YYYY-MM-DD)"))
    kind = django_filters.ChoiceFilter(choices=PostKind.choices)

    class Meta:
        model = Post
        fields = ["branch", "term", "on", "kind"]

    def in_branch(self, queryset: QuerySet[Post], name: str, value: str) -> QuerySet[Post]:
        return in_subtree(self.request, queryset, value, "term__branch__path")

    @extend_schema_field(OpenApiTypes.DATE)
    def held_on(self, queryset: QuerySet[Post], name: str, value: str) -> QuerySet[Post]:
        return queryset.held_on(parse_day(value, "on"))  # type: ignore[attr-defined,no-any-return]


class PostViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    """Committee posts (mandates) of terms; `?on=` lists the committee of a day. Secretaries
    add posts and end them (an ended mandate stays, so earlier committees stay listed); a post
    entered by mistake is deleted with a reason, kept in its history."""

    model = Post
    serializer_class = PostSerializer
    filterset_class = PostFilter
    conflicts = True  # every write: record_errors' 409 (unionrec.schema)
    branch_path = "term__branch__path"

    def base_queryset(self) -> QuerySet[Post]:
        return Post.objects.select_related("term__branch").order_by(
            "term__branch__path", "term__starts_on", POST_RANK, "order", "starts_on", "id"
        )

    def branch_of(self, obj: Post) -> Branch:
        return obj.term.branch

    def perform_create(self, serializer: PostSerializer) -> None:  # type: ignore[override]
        with record_errors():
            post = committees.add_post(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.fresh(post.pk)

    @extend_schema(request=EndPostSerializer, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        """The holder leaves the post on `on` (resigned, died, transferred, ...)."""
        post = self.get_object()
        body = EndPostSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with record_errors(reason="end_reason"):
            committees.end_post(post=post, by=request.user, **body.validated_data)
        return Response(PostSerializer(self.fresh(post.pk)).data)

    @extend_schema(request=DeletePostSerializer, responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        """Delete a post entered by mistake, with the reason in the body (400 without one).
        Not for a mandate that was held: that one ends (`end`)."""
        post = self.get_object()
        body = DeletePostSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with record_errors():
            committees.delete_post(post=post, by=request.user, **body.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DelegateFilter(django_filters.FilterSet):  # type: ignore[misc]
    congress = IdFilter(field_name="congress")
    kind = django_filters.ChoiceFilter(choices=DelegateKind.choices)

    class Meta:
        model = Delegate
        fields = ["congress", "kind"]


# Full delegates first, then alternates.
DELEGATE_RANK = Case(
    *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(DelegateKind.values)),
    default=Value(len(DelegateKind.values)),
)


class DelegateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    """Delegates a congress elected to the higher union's congress; secretaries add them."""

    model = Delegate
    serializer_class = DelegateSerializer
    filterset_class = DelegateFilter
    conflicts = True  # every write: record_errors' 409 (unionrec.schema)
    branch_path = "congress__term__branch__path"

    def base_queryset(self) -> QuerySet[Delegate]:
        return Delegate.objects.select_related("congress__term__branch").order_by(
            "congress__held_on", "congress_id", DELEGATE_RANK, "order", "id"
        )

    def branch_of(self, obj: Delegate) -> Branch:
        return obj.congress.term.branch

    def perform_create(self, serializer: DelegateSerializer) -> None:  # type: ignore[override]
        with record_errors():
            delegate = committees.add_delegate(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.fresh(delegate.pk)
