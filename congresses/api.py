"""The JSON API of terms, congresses, committee posts and delegates, under /api/v1/.

Same scope rules as the register (unionrec.access): lists hold the caller's readable subtrees;
an object outside them answers 404, one within them but beyond the caller's role 403; the
member role lists nothing here. Every write goes through congresses.services with the fields
the service takes and nothing more; its ValidationError becomes a 400 with its messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, OuterRef, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from congresses import services
from congresses.models import (
    BodyMember,
    Congress,
    CongressKind,
    CongressStatus,
    Delegate,
    DelegateKind,
    Guest,
    ObtainedBy,
    Post,
    PostEnd,
    PostKind,
    Term,
)
from members.models import Branch, Member
from members.statistics import today
from unionrec.access import Need, branch_for, check_branch, scope_for
from unionrec.api import parse_day

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@contextmanager
def service_errors(**rename: str) -> Iterator[None]:
    """A service's ValidationError as a 400: field messages under the API's field names
    (`rename` maps a service's name to the API's), the rest under non_field_errors."""
    try:
        yield
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            detail = {
                api_settings.NON_FIELD_ERRORS_KEY
                if field == NON_FIELD_ERRORS
                else rename.get(field, field): messages
                for field, messages in error.message_dict.items()
            }
        else:
            detail = {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
        raise ValidationError(detail) from None


def require_reader(request: Request) -> None:
    """Lists are for roles that read records; the member role sees statistics only."""
    scope = scope_for(request.user)
    if not (scope.superuser or scope.read_paths):
        raise PermissionDenied


def in_subtree(request: Request, queryset: QuerySet[Any], code: str, field: str) -> QuerySet[Any]:
    branch = branch_for(request, code, need=Need.READ)
    return queryset.filter(**{f"{field}__subtree": branch.path})


class ScopedViewSet(viewsets.GenericViewSet[Any]):
    """Lists from the readable subtrees; one object by pk, checked against its branch."""

    model: type[Any]
    branch_path = "branch__path"  # from the model to its branch's path
    lookup_value_regex = "[0-9]+"

    def base_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def branch_of(self, obj: Any) -> Branch:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular building the schema
            return self.model.objects.none()  # type: ignore[no-any-return]
        if self.action == "list":
            require_reader(self.request)
        scope = scope_for(self.request.user)
        return self.base_queryset().filter(scope.readable_branch_filter(self.branch_path))

    def get_object(self) -> Any:
        obj = self.base_queryset().filter(pk=self.kwargs["pk"]).first()
        if obj is None:
            raise Http404
        need = Need.READ if self.request.method in SAFE_METHODS else Need.WRITE
        check_branch(self.request, self.branch_of(obj), need=need)
        return obj

    def fresh(self, pk: int) -> Any:
        """The object as the list shows it (annotations, prefetches), after a write."""
        return self.base_queryset().get(pk=pk)


@extend_schema_field(OpenApiTypes.DOUBLE)
class ShareField(serializers.Field):  # type: ignore[type-arg]
    """A percentage as a JSON number with one decimal (members.domain.share), or null."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Decimal) -> float:
        return float(value)


# Related records are typed in by id or code: the browsable API would otherwise list them in a
# select, including records outside the caller's reach.
TYPED = {"base_template": "input.html"}


class ScopedMemberField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A member the caller may read: any other id is refused as not existing."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(style=TYPED, **kwargs)

    def get_queryset(self) -> QuerySet[Member]:
        return Member.objects.visible_to(self.context["request"].user)


def writable(serializer: serializers.Serializer[Any], branch: Branch) -> None:
    check_branch(serializer.context["request"], branch, need=Need.WRITE)


def unchanged(serializer: serializers.Serializer[Any], data: dict[str, Any], name: str) -> None:
    """Refuse moving an existing object to another parent (`name`): a new one is made instead."""
    instance = serializer.instance
    if name in data and instance is not None and data.pop(name) != getattr(instance, name):
        raise ValidationError({name: [_("This cannot be changed; create a new record.")]})


# --- Terms --------------------------------------------------------------------------------


class TermSerializer(serializers.ModelSerializer[Term]):
    branch = serializers.SlugRelatedField(
        slug_field="code", queryset=Branch.objects.all(), style=TYPED
    )
    label = serializers.CharField(  # type: ignore[assignment]
        max_length=40, required=False, help_text=_("Default: the years, e.g. 2017–2022.")
    )
    ends_on = serializers.DateField(
        required=False, help_text=_("Default: the term length of the branch's kind (5 years).")
    )
    effective_end = serializers.DateField(
        read_only=True, help_text=_("The extension's end if extended, else ends_on.")
    )
    previous = serializers.IntegerField(source="previous_id", read_only=True, allow_null=True)
    next = serializers.IntegerField(source="next_id", read_only=True, allow_null=True)

    class Meta:
        model = Term
        fields = [
            "id",
            "branch",
            "label",
            "ordinal",
            "starts_on",
            "ends_on",
            "extended_until",
            "extension_decision",
            "extension_decided_on",
            "effective_end",
            "previous",
            "next",
        ]
        read_only_fields = ["id", "extended_until", "extension_decision", "extension_decided_on"]
        validators: list[Any] = []  # the service checks labels after normalising them

    def validate_branch(self, branch: Branch) -> Branch:
        writable(self, branch)
        return branch


class ExtendSerializer(serializers.Serializer[Any]):
    until = serializers.DateField()
    decision = serializers.CharField(max_length=80)
    decided_on = serializers.DateField()


class TermFilter(django_filters.FilterSet):  # type: ignore[misc]
    branch = django_filters.CharFilter(method="in_branch", label=_("branch code (its subtree)"))
    current = django_filters.BooleanFilter(method="current_today", label=_("current today"))

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

    def base_queryset(self) -> QuerySet[Term]:
        return with_neighbours(Term.objects.select_related("branch")).order_by(
            "branch__path", "starts_on"
        )

    def branch_of(self, obj: Term) -> Branch:
        return obj.branch

    def perform_create(self, serializer: TermSerializer) -> None:  # type: ignore[override]
        with service_errors():
            term = services.create_term(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.fresh(term.pk)

    def perform_update(self, serializer: TermSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        unchanged(serializer, data, "branch")
        assert serializer.instance is not None
        with service_errors():
            term = services.update_term(term=serializer.instance, by=self.request.user, **data)
        serializer.instance = self.fresh(term.pk)

    @extend_schema(request=ExtendSerializer, responses=TermSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str) -> Response:
        """Record the higher union's extension of the term (at most 30 months)."""
        term = self.get_object()
        body = ExtendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors(extended_until="until", extension_decision="decision"):
            services.extend_term(term=term, by=request.user, **body.validated_data)
        return Response(TermSerializer(self.fresh(term.pk)).data)


# --- Congresses -------------------------------------------------------------------------------


class QuorumSerializer(serializers.Serializer[Any]):
    required = serializers.IntegerField(help_text=_("Two thirds of those summoned, rounded up."))  # type: ignore[assignment]
    met = serializers.BooleanField()


class StatisticsSerializer(serializers.Serializer[Any]):
    """Figures counted from the register on the congress day, frozen when it was held."""

    members = serializers.IntegerField(source="counted_members", allow_null=True)
    women = serializers.IntegerField(source="counted_women", allow_null=True)
    women_share = ShareField(source="counted_women_share", allow_null=True)
    unknown = serializers.IntegerField(source="counted_unknown", allow_null=True)
    sub_units = serializers.IntegerField(source="counted_sub_units", allow_null=True)
    age_bands = serializers.DictField(child=serializers.IntegerField(), source="counted_age_bands")
    counted_on = serializers.DateField(allow_null=True)


class ReportedSerializer(serializers.Serializer[Any]):
    """Figures the secretary reports where they differ from the register, with the reason."""

    members = serializers.IntegerField(
        source="reported_members", min_value=0, allow_null=True, required=False
    )
    women = serializers.IntegerField(
        source="reported_women", min_value=0, allow_null=True, required=False
    )
    women_share = ShareField(source="reported_women_share", allow_null=True)
    sub_units = serializers.IntegerField(
        source="reported_sub_units", min_value=0, allow_null=True, required=False
    )
    reason = serializers.CharField(source="reported_reason", allow_blank=True, required=False)


class GuestSerializer(serializers.ModelSerializer[Guest]):
    class Meta:
        model = Guest
        fields = ["name", "title", "organisation", "order"]


class BodySeatSerializer(serializers.ModelSerializer[BodyMember]):
    class Meta:
        model = BodyMember
        fields = ["body", "name", "role", "member", "order"]


class CongressSerializer(serializers.ModelSerializer[Congress]):
    term = serializers.PrimaryKeyRelatedField(
        queryset=Term.objects.select_related("branch"), style=TYPED
    )
    branch = serializers.CharField(source="term.branch.code", read_only=True)
    kind = serializers.ChoiceField(choices=CongressKind.choices, default=CongressKind.ALL_MEMBER)
    quorum = QuorumSerializer(read_only=True, allow_null=True)
    statistics = StatisticsSerializer(source="*", read_only=True)
    reported = ReportedSerializer(source="*", required=False)
    guests = GuestSerializer(many=True, read_only=True)
    bodies = BodySeatSerializer(source="body_members", many=True, read_only=True)

    class Meta:
        model = Congress
        fields = [
            "id",
            "term",
            "branch",
            "kind",
            "status",
            "preparatory_on",
            "held_on",
            "venue",
            "higher_consent",
            "extraordinary_reason",
            "summoned",
            "present",
            "quorum",
            "committee_size",
            "statistics",
            "reported",
            "recognition_decision",
            "recognised_on",
            "guests",
            "bodies",
        ]
        read_only_fields = ["id", "status", "recognition_decision", "recognised_on"]

    def validate_term(self, term: Term) -> Term:
        writable(self, term.branch)
        return term


class DecisionSerializer(serializers.Serializer[Any]):
    decision = serializers.CharField(max_length=80)
    decided_on = serializers.DateField()


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()


class CongressFilter(django_filters.FilterSet):  # type: ignore[misc]
    branch = django_filters.CharFilter(method="in_branch", label=_("branch code (its subtree)"))
    term = django_filters.NumberFilter(field_name="term")
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
        with service_errors():
            congress = services.create_congress(by=self.request.user, **data)
        serializer.instance = self.fresh(congress.pk)

    def perform_update(self, serializer: CongressSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        unchanged(serializer, data, "term")
        assert serializer.instance is not None
        with service_errors():
            services.update_congress(congress=serializer.instance, by=self.request.user, **data)
        serializer.instance = self.fresh(serializer.instance.pk)

    def _step(self, step: Any, **rename: str) -> Response:
        congress = self.get_object()
        with service_errors(**rename):
            step(congress)
        return Response(CongressSerializer(self.fresh(congress.pk)).data)

    @extend_schema(request=None, responses=CongressSerializer)
    @action(detail=True, methods=["post"])
    def held(self, request: Request, pk: str) -> Response:
        """planned → held: the congress took place; its statistics are frozen now."""
        return self._step(lambda c: services.record_held(c, by=request.user))

    @extend_schema(request=None, responses=CongressSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """held → awaiting recognition by the higher union."""
        return self._step(lambda c: services.submit_for_recognition(c, by=request.user))

    @extend_schema(request=DecisionSerializer, responses=CongressSerializer)
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

    @extend_schema(request=ReasonSerializer, responses=CongressSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        """recognised → awaiting recognition, for a correction; administrators only."""
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._step(lambda c: services.reopen(c, by=request.user, **body.validated_data))


# --- Committee posts and delegates ----------------------------------------------------------


class PostSerializer(serializers.ModelSerializer[Post]):
    term = serializers.PrimaryKeyRelatedField(
        queryset=Term.objects.select_related("branch"), style=TYPED
    )
    branch = serializers.CharField(source="term.branch.code", read_only=True)
    kind = serializers.ChoiceField(choices=PostKind.choices)
    obtained_by = serializers.ChoiceField(choices=ObtainedBy.choices)
    member = ScopedMemberField(required=False, allow_null=True)
    person_name = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        help_text=_("Default: the member's name; required for someone from outside."),
    )

    class Meta:
        model = Post
        fields = [
            "id",
            "term",
            "branch",
            "kind",
            "member",
            "person_name",
            "starts_on",
            "ends_on",
            "obtained_by",
            "end_reason",
            "recognition_decision",
            "recognised_on",
            "consent_decision",
            "order",
        ]
        read_only_fields = ["id", "ends_on", "end_reason"]

    def validate_term(self, term: Term) -> Term:
        writable(self, term.branch)
        return term


class EndPostSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(help_text=_("The first day without the post."))
    end_reason = serializers.ChoiceField(choices=PostEnd.choices, source="reason")


class PostFilter(django_filters.FilterSet):  # type: ignore[misc]
    branch = django_filters.CharFilter(method="in_branch", label=_("branch code (its subtree)"))
    term = django_filters.NumberFilter(field_name="term")
    on = django_filters.CharFilter(method="held_on", label=_("held on this day (YYYY-MM-DD)"))
    kind = django_filters.ChoiceFilter(choices=PostKind.choices)

    class Meta:
        model = Post
        fields = ["branch", "term", "on", "kind"]

    def in_branch(self, queryset: QuerySet[Post], name: str, value: str) -> QuerySet[Post]:
        return in_subtree(self.request, queryset, value, "term__branch__path")

    def held_on(self, queryset: QuerySet[Post], name: str, value: str) -> QuerySet[Post]:
        return queryset.held_on(parse_day(value, "on"))  # type: ignore[attr-defined,no-any-return]


# The committee's order, chair first (as services.committee_on lists it).
POST_RANK = Case(
    *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(PostKind.values)),
    default=Value(len(PostKind.values)),
)


class PostViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    """Committee posts (mandates) of terms; `?on=` lists the committee of a day. Secretaries
    add posts and end them; a post is never deleted, so earlier committees stay listed."""

    model = Post
    serializer_class = PostSerializer
    filterset_class = PostFilter
    branch_path = "term__branch__path"

    def base_queryset(self) -> QuerySet[Post]:
        return Post.objects.select_related("term__branch").order_by(
            "term__branch__path", "term__starts_on", POST_RANK, "order", "starts_on", "id"
        )

    def branch_of(self, obj: Post) -> Branch:
        return obj.term.branch

    def perform_create(self, serializer: PostSerializer) -> None:  # type: ignore[override]
        with service_errors():
            post = services.add_post(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.fresh(post.pk)

    @extend_schema(request=EndPostSerializer, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        """The holder leaves the post on `on` (resigned, died, transferred, ...)."""
        post = self.get_object()
        body = EndPostSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors(reason="end_reason"):
            services.end_post(post=post, by=request.user, **body.validated_data)
        return Response(PostSerializer(self.fresh(post.pk)).data)


class DelegateSerializer(serializers.ModelSerializer[Delegate]):
    congress = serializers.PrimaryKeyRelatedField(
        queryset=Congress.objects.select_related("term__branch"), style=TYPED
    )
    branch = serializers.CharField(source="congress.term.branch.code", read_only=True)
    kind = serializers.ChoiceField(choices=DelegateKind.choices)
    member = ScopedMemberField(required=False, allow_null=True)
    person_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    order = serializers.IntegerField(
        min_value=1, required=False, help_text=_("Default: after the last of the same kind.")
    )

    class Meta:
        model = Delegate
        fields = ["id", "congress", "branch", "kind", "member", "person_name", "order"]
        read_only_fields = ["id"]
        validators: list[Any] = []  # the service checks the order

    def validate_congress(self, congress: Congress) -> Congress:
        writable(self, congress.term.branch)
        return congress


class DelegateFilter(django_filters.FilterSet):  # type: ignore[misc]
    congress = django_filters.NumberFilter(field_name="congress")
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
    branch_path = "congress__term__branch__path"

    def base_queryset(self) -> QuerySet[Delegate]:
        return Delegate.objects.select_related("congress__term__branch").order_by(
            "congress__held_on", "congress_id", DELEGATE_RANK, "order", "id"
        )

    def branch_of(self, obj: Delegate) -> Branch:
        return obj.congress.term.branch

    def perform_create(self, serializer: DelegateSerializer) -> None:  # type: ignore[override]
        with service_errors():
            delegate = services.add_delegate(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.fresh(delegate.pk)
