"""The register's JSON API: branches, their statistics, and members. Same scope rules as the
pages (unionrec.access): out of reach -> 404, within reach but not allowed -> 403."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from unionrec.access import Need, branch_for, check_branch, require_reader, scope_for
from unionrec.api import CodeField, VersionField, parse_day, path_id, service_errors
from unionrec.counts import RowCount
from unionrec.small_cells import exact_for, shown_statistics, threshold

from . import domain, pickers, services
from .counting import count_members
from .disclosure import disclosure, searches_personal, shown_card
from .filters import (
    apply_member_search,
    counts_apart,
    in_branches,
    members_for_list,
    members_in_band,
    members_to_count,
    with_value,
)
from .models import Branch, Gender, Member, MemberStatus
from .statistics import statistics, today
from .statistics_api import STATISTICS_SCHEMA, figures


class BranchSerializer(serializers.ModelSerializer[Branch]):
    parent = serializers.SerializerMethodField()

    class Meta:
        model = Branch
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "depth",
            "founded_on",
            "dissolved_on",
        ]

    def get_parent(self, branch: Branch) -> str | None:
        parent = branch.parent
        return parent.code if parent else None


class BranchChoiceSerializer(BranchSerializer):
    """A branch found by `search`, with the names of the branches above it that the caller can
    see (top first), read beforehand into the context's `above` (members.pickers)."""

    ancestors = serializers.SerializerMethodField()

    class Meta(BranchSerializer.Meta):
        fields = [*BranchSerializer.Meta.fields, "ancestors"]

    def get_parent(self, branch: Branch) -> str | None:
        path = domain.parent_path(branch.path)
        parent = self.context["above"].get(path)
        return parent.code if parent else super().get_parent(branch)

    def get_ancestors(self, branch: Branch) -> list[str]:
        above = self.context["above"]
        paths = domain.ancestor_paths(branch.path)[:-1]
        return [above[path].name for path in paths if path in above]


class BranchViewSet(viewsets.ReadOnlyModelViewSet[Branch]):
    """Branches the caller can see, by code."""

    serializer_class = BranchSerializer
    lookup_field = "code"

    def get_serializer_class(self) -> type[BranchSerializer]:
        return BranchChoiceSerializer if self.action == "list" else BranchSerializer

    lookup_value_regex = "[a-z0-9-]+"

    def get_queryset(self) -> QuerySet[Branch]:
        if getattr(self, "swagger_fake_view", False):
            return Branch.objects.none()
        return Branch.objects.visible_to(self.request.user)

    def get_object(self) -> Branch:
        return branch_for(self.request, self.kwargs["code"], need=Need.STATS)  # type: ignore[arg-type]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "search",
                OpenApiTypes.STR,
                description=(
                    "Find branches by typing: a code from its start, or words of the name "
                    "(diacritics and case ignored). Answers at most "
                    f"{pickers.SEARCH_LIMIT} branches in one page, each with `ancestors`: the "
                    "names of the branches above it that the caller can see, top first."
                ),
            ),
            OpenApiParameter(
                "within",
                OpenApiTypes.STR,
                description="With `search`: only the subtree of the branch with this code.",
            ),
        ],
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Branches the caller can see, in tree order, each with its ancestors' names; with
        `search`, those found by it (one page, no `next`)."""
        branches = self.get_queryset()
        text = request.query_params.get("search")
        if text is None:
            page = self.paginate_queryset(branches) or []
            above = pickers.ancestors_of(branches, page)
            context = {**self.get_serializer_context(), "above": above}
            data = BranchChoiceSerializer(page, many=True, context=context).data
            return self.get_paginated_response(data)
        self.paginator.check_query(request)  # one page, but `page` and `page_size` readable
        among = branches
        within = request.query_params.get("within")
        if within:
            top = branch_for(request, within, need=Need.STATS)  # type: ignore[arg-type]
            among = branches.filter(path__subtree=top.path)
        found = pickers.search_branches(among, text)
        context = {**self.get_serializer_context(), "above": pickers.ancestors_of(branches, found)}
        rows = BranchChoiceSerializer(found, many=True, context=context).data
        return Response(
            {
                "count": len(rows),
                "count_is_estimate": False,
                "next": None,
                "previous": None,
                "results": rows,
            }
        )

    @extend_schema(
        parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, description="Default: today.")],
        responses={200: STATISTICS_SCHEMA},
    )
    @action(detail=True)
    def stats(self, request: Request, code: str) -> Response:
        """Members, women, women's share (a number, one decimal) and sub-units of the branch's
        whole subtree on a day, and the same for each direct child."""
        branch = self.get_object()
        day = parse_day(request.query_params.get("as_of"))
        exact = exact_for(request.user, branch.path)
        result = shown_statistics(statistics(branch, day), exact=exact)
        return Response(
            {
                **figures(result),
                "as_of": day.isoformat(),
                "small_cell": None if exact else threshold(),
                "children": [figures(child) for child in result.children],
            }
        )


class ScopedBranchField(CodeField):
    """A branch by code, looked up only among the branches whose records the caller may read,
    so neither its choices (the browsable API lists them) nor its errors reveal other unions'
    branches."""

    def get_queryset(self) -> QuerySet[Branch]:
        request = self.context.get("request")
        if request is None:
            return Branch.objects.none()
        return Branch.objects.filter(scope_for(request.user).readable_branch_filter())


class CardNumberField(serializers.CharField):
    """A card number cleaned before it is checked (members.domain.clean_card); its pattern and
    uniqueness are the service's checks (members.services), answered 400 beside the field."""

    def to_internal_value(self, data: Any) -> str:
        return domain.clean_card(super().to_internal_value(data))


# What the schema says of the fields a reviewer sees otherwise or not (members.disclosure).
BORN = _("Only for a secretary of the member's branch; a reviewer gets `age_band` instead.")
SECRETARY_ONLY = _("Only for a secretary of the member's branch; left out for a reviewer.")
BANDS = [code for code, _low, _high in domain.AGE_BANDS]


class MemberSerializer(serializers.ModelSerializer[Member]):
    """A member as the caller may see them: a secretary of the member's branch (or of a branch
    above it) gets every field; a reviewer gets `age_band` and no `birth_date`, no `ethnicity`,
    and `card_number` masked (all but its last four characters hidden)."""

    branch = ScopedBranchField(slug_field="code")
    card_number = CardNumberField(
        max_length=40,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text=_(
            "The union card number; masked (all but its last four characters hidden) for a "
            "caller who is not secretary of the member's branch."
        ),
    )
    age_band = serializers.SerializerMethodField(
        help_text=_("The member's age band today; null when the date of birth is unknown.")
    )
    gender = serializers.ChoiceField(choices=Gender.choices, default=Gender.UNKNOWN)
    joined_on = serializers.DateField(
        source="joined_union_on",
        required=False,
        allow_null=True,
        help_text=_("Date the member joined the union."),
    )
    started_on = serializers.DateField(
        write_only=True,
        required=False,
        help_text=_("Start of membership in this branch; default: joined_on, else today."),
    )
    # The edit-conflict check of an update (members.services.update_member): read with the
    # member, sent back with the change; ignored on creation.
    version = VersionField(
        allow_null=True,
        help_text=_(
            "The member's version your data was read from: if someone changed the member "
            "since, the update is refused with 409. Leave it out to skip the check."
        ),
    )

    class Meta:
        model = Member
        fields = [
            "id",
            "full_name",
            "gender",
            "birth_date",
            "age_band",
            "ethnicity",
            "card_number",
            "joined_on",
            "branch",
            "status",
            "left_on",
            "leave_reason",
            "processing_basis",
            "consent_on",
            "version",
            "started_on",
        ]
        read_only_fields = ["id", "status", "left_on", "leave_reason"]
        # Blank while the member is active: the schema lists the blank value among the reasons.
        extra_kwargs = {"leave_reason": {"allow_blank": True}, "birth_date": {"help_text": BORN}}
        extra_kwargs["ethnicity"] = {"help_text": SECRETARY_ONLY}

    @extend_schema_field(serializers.ChoiceField(choices=BANDS, allow_null=True))
    def get_age_band(self, member: Member) -> str | None:
        return domain.age_band(member.birth_date, today())

    def to_representation(self, instance: Member) -> dict[str, Any]:
        """The fields the caller sees of this member (members.disclosure): the date of birth
        and ethnicity left out and the card number masked for anyone but a secretary of its
        branch."""
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        sight = disclosure(getattr(request, "user", None), instance.branch)
        if not sight.birth_date:
            data.pop("birth_date", None)
        if not sight.ethnicity:
            data.pop("ethnicity", None)
        data["card_number"] = shown_card(instance.card_number, sight)
        return data

    def validate_branch(self, branch: Branch) -> Branch:
        request = self.context["request"]
        check_branch(request, branch, need=Need.WRITE)
        return branch


class MemberFilter(django_filters.FilterSet):
    branch = django_filters.CharFilter(method="in_branch", label=_("branch code (its subtree)"))
    gender = django_filters.ChoiceFilter(choices=Gender.choices, method="with_value")
    status = django_filters.ChoiceFilter(choices=MemberStatus.choices, method="with_value")
    search = django_filters.CharFilter(method="search_names", label=_("name or card number"))
    age_band = django_filters.CharFilter(method="in_band")

    class Meta:
        model = Member
        fields = ["branch", "gender", "status", "search", "age_band"]

    def in_branch(self, queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        branch = branch_for(self.request, value, need=Need.READ)  # type: ignore[arg-type]
        return in_branches(queryset, Q(path__subtree=branch.path))  # keeps the list's plan

    def search_names(self, queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        code = self.data.get("branch")
        branch = branch_for(self.request, code, need=Need.READ) if code else None  # type: ignore[arg-type]
        personal = searches_personal(self.request.user, branch)  # type: ignore[union-attr]
        return apply_member_search(queryset, value, personal=personal)

    def in_band(self, queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        return members_in_band(queryset, value)

    def with_value(self, queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        return with_value(queryset, name, value)


class MemberViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Member],
):
    """Members in the caller's readable subtrees; secretaries create and update."""

    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    conflicts = frozenset({"update", "partial_update"})  # a stale version (unionrec.schema)
    keyset = ("sort_key", "id")  # paged by cursor in name order (unionrec.pagination)

    def get_queryset(self) -> QuerySet[Member]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular building the schema
            return Member.objects.none()
        if self.action == "list":
            require_reader(self.request.user)
            scope = scope_for(self.request.user)
            branch = self._branch()
            params = self.request.query_params
            # The branches of a page are read apart (a join before the page's sort and LIMIT
            # would read every branch when the search reads its members and sorts them).
            numbered = self.paginator.reads_by_number(self.request)  # type: ignore[union-attr]
            members = members_for_list(scope, branch, params, numbered=numbered)
            return members.prefetch_related("branch")
        return Member.objects.visible_to(self.request.user).select_related("branch")

    def _branch(self) -> Branch | None:
        code = self.request.query_params.get("branch")
        return branch_for(self.request, code, need=Need.READ) if code else None  # type: ignore[arg-type]

    def count_rows(self, queryset: QuerySet[Member]) -> RowCount:
        """`count`: from the tallies for the active members of a subtree, of one gender or
        all (members.counting), else exact up to a limit and estimated beyond."""
        params = self.request.query_params
        filters = {name: params.get(name) for name in ("gender", "status", "search", "age_band")}
        scope = scope_for(self.request.user)
        branch = self._branch()
        if counts_apart(queryset):
            counted = members_to_count(scope, branch, params)
            queryset = self.filterset_class(params, queryset=counted, request=self.request).qs
        return count_members(queryset, scope=scope, branch=branch, filters=filters)

    def get_object(self) -> Member:
        found = Member.objects.select_related("branch").filter(pk=path_id(self.kwargs["pk"]))
        member = found.first()
        if member is None:
            raise Http404
        need = Need.READ if self.request.method in ("GET", "HEAD", "OPTIONS") else Need.WRITE
        check_branch(self.request, member.branch, need=need)  # type: ignore[arg-type]
        return member

    def perform_create(self, serializer: MemberSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        data.pop("version", None)
        with service_errors():
            serializer.instance = services.add_member(by=self.request.user, **data)

    def perform_update(self, serializer: MemberSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        data.pop("started_on", None)
        member = serializer.instance
        assert member is not None
        new_branch = data.pop("branch", member.branch)
        if new_branch != member.branch:
            raise ValidationError(
                {"branch": [_("Use a transfer to move a member to another branch.")]}
            )
        try:
            with service_errors():
                serializer.instance = services.update_member(
                    member=member, by=self.request.user, **data
                )
        except services.ConflictError:
            raise MemberConflict from None


class MemberConflict(APIException):
    """Someone else changed the member since the client read it (its `version`)."""

    status_code = 409
    default_detail = _("The member was changed by someone else; reload and retry.")
