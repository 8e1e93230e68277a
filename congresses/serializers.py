"""The bodies of the JSON API of terms, congresses, committee posts and delegates
(congresses.api): what a client reads and what it may send. Writes go through
congresses.services; the serializers only check types and the caller's rights on the branch
a new record goes to, and `record_errors` carries the services' refusals to the client (a
Conflict, the record's state refusing the change, as 409)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import APIException, PermissionDenied

from congresses.breakdown import congress_breakdown
from congresses.models import (
    BodyMember,
    Congress,
    CongressKind,
    Delegate,
    DelegateKind,
    Guest,
    ObtainedBy,
    Post,
    PostEnd,
    PostKind,
    Term,
)
from congresses.read_only import Conflict
from members.models import Branch
from unionrec.api import (
    TYPED,
    CodeField,
    ScopedMemberField,
    ShareField,
    service_errors,
    writable,
)


class StateConflict(APIException):
    """The record cannot take the change in its present state: a step its lifecycle does not
    allow now (congresses.lifecycle, congresses.elections.lifecycle), a recognised congress or
    a certified result (congresses.read_only), or a change made from a stale version."""

    status_code = 409
    default_detail = _("The record cannot take this change now.")
    default_code = "conflict"


@contextmanager
def record_errors(**rename: str) -> Iterator[None]:
    """unionrec.api.service_errors for the records of congresses (terms, congresses, posts,
    delegates, elections): a Conflict answers 409 with its message, a permission refusal 403
    with its message, any other refusal 400 beside its field."""
    with service_errors(**rename):
        try:
            yield
        except Conflict as conflict:
            raise StateConflict(" ".join(conflict.messages)) from None
        except DjangoPermissionDenied as refusal:
            raise PermissionDenied(str(refusal) or None) from None


class TermSerializer(serializers.ModelSerializer[Term]):
    branch = CodeField(slug_field="code", queryset=Branch.objects.all(), style=TYPED)
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


class QuorumSerializer(serializers.Serializer[Any]):
    required = serializers.IntegerField(help_text=_("Two thirds of those summoned, rounded up."))  # type: ignore[assignment]
    met = serializers.BooleanField()


class UnitRowSerializer(serializers.Serializer[Any]):
    """The members of one sub-unit's subtree on the congress day, or (`direct`) those attached
    to the branch itself."""

    code = serializers.CharField()
    name = serializers.CharField()
    members = serializers.IntegerField()
    women = serializers.IntegerField()
    unknown = serializers.IntegerField()
    women_share = ShareField(allow_null=True)
    direct = serializers.BooleanField(
        help_text=_("The members attached to the branch itself, not in a sub-unit.")
    )


class StatisticsSerializer(serializers.Serializer[Any]):
    """Figures counted from the register on the congress day, frozen when it was held."""

    members = serializers.IntegerField(source="counted_members", allow_null=True)
    women = serializers.IntegerField(source="counted_women", allow_null=True)
    women_share = ShareField(source="counted_women_share", allow_null=True)
    unknown = serializers.IntegerField(source="counted_unknown", allow_null=True)
    sub_units = serializers.IntegerField(source="counted_sub_units", allow_null=True)
    sub_unit_rows = serializers.SerializerMethodField(
        help_text=_(
            "The members per sub-unit, frozen with the totals (null before the congress is "
            "held); the rows add up to the totals unless sub_unit_rows_reconstructed."
        )
    )
    sub_unit_rows_reconstructed = serializers.BooleanField(
        source="counted_rows_reconstructed",
        help_text=_(
            "The rows were rebuilt later from the register as of the congress day and do not "
            "add up to the totals frozen on the day."
        ),
    )
    age_bands = serializers.DictField(child=serializers.IntegerField(), source="counted_age_bands")
    counted_on = serializers.DateField(allow_null=True)

    @extend_schema_field(UnitRowSerializer(many=True, allow_null=True))
    def get_sub_unit_rows(self, congress: Congress) -> list[dict[str, Any]] | None:
        if congress.counted_on is None:
            return None
        return list(UnitRowSerializer(congress_breakdown(congress).rows, many=True).data)


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
        # Blank while the mandate runs: the schema lists the blank value among the reasons.
        extra_kwargs = {"end_reason": {"allow_blank": True}}

    def validate_term(self, term: Term) -> Term:
        writable(self, term.branch)
        return term


class EndPostSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(help_text=_("The first day without the post."))
    end_reason = serializers.ChoiceField(choices=PostEnd.choices, source="reason")


class DeletePostSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Why the post is deleted (required; at most 100 characters), kept in the history."
        ),
    )


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
