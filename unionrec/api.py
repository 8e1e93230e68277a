"""The toolkit of the JSON API under /api/v1/, shared by the API of every app: the scoped
viewset (lists from the caller's readable subtrees, one object checked against its
branch), a service's refusals as 400s, and the fields that keep records out of reach hidden."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.settings import api_settings

from members.models import Branch, Member
from members.statistics import today
from unionrec.access import Need, branch_for, check_branch, require_reader, scope_for
from unionrec.days import parse_iso_day
from unionrec.query import INT64_MAX, INT64_MIN, TrueFalseField, WholeNumberField

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def path_id(value: str) -> int:
    """An id in the path: digits within the database's range. Anything else is not found (404),
    as an id that names no record is."""
    if not (value.isascii() and value.isdigit()) or len(value) > 19 or int(value) > INT64_MAX:
        raise Http404
    return int(value)


class IdFilter(django_filters.NumberFilter):  # type: ignore[misc]
    """An id (or any whole number) in the query string, e.g. `?term=12`: an integer within the
    database's range, else 400 with `{name: [message]}` (django-filter's NumberFilter takes
    decimals, any size and any digits)."""

    field_class = WholeNumberField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", INT64_MIN)
        kwargs.setdefault("max_value", INT64_MAX)
        super().__init__(*args, **kwargs)


class TrueFalseFilter(django_filters.BooleanFilter):  # type: ignore[misc]
    """A yes-or-no filter, e.g. `?current=true`: true or false (1 or 0), empty for no filter;
    anything else, `null` included, answers 400 with `{name: [message]}` (django-filter's
    BooleanFilter reads what it cannot read as no filter). Every boolean filter of the API
    is one."""

    field_class = TrueFalseField


class VersionField(serializers.IntegerField):
    """`version`, the edit-conflict check: the version of the record the client's data was
    read from; a stale one is refused (409). Optional; a whole number within the database's
    range, else 400 under the field."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)  # versions start at 1
        kwargs.setdefault("max_value", INT64_MAX)
        super().__init__(**kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data == "" and self.allow_null:  # an empty version is no check, as null is
            return True, None
        return super().validate_empty_values(data)


def expected_version(data: Any) -> int | None:
    """The `version` of a body or a query string (any mapping) checked as VersionField checks
    it, for a request whose serializer does not carry it; None when absent, null or empty.
    Anything else answers 400 with `{"version": [message]}`."""
    value = data.get("version") if hasattr(data, "get") else None
    try:
        return VersionField(allow_null=True).run_validation(value)  # type: ignore[no-any-return]
    except ValidationError as error:
        raise ValidationError({"version": error.detail}) from None


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


def in_subtree(request: Request, queryset: QuerySet[Any], code: str, field: str) -> QuerySet[Any]:
    branch = branch_for(request, code, need=Need.READ)
    return queryset.filter(**{f"{field}__subtree": branch.path})


class ScopedViewSet(viewsets.GenericViewSet[Any]):
    """Lists from the readable subtrees; one object by pk, checked against its branch."""

    model: type[Any]
    branch_path = "branch__path"  # from the model to its branch's path
    # The actions that may answer 409 (the record's state, a stale version): a set of their
    # names, or True for every write. The schema documents it (unionrec.schema).
    conflicts: bool | frozenset[str] = False
    lookup_value_regex = "[0-9]+"

    def base_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def branch_of(self, obj: Any) -> Branch:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular building the schema
            return self.model.objects.none()  # type: ignore[no-any-return]
        if self.action == "list":
            require_reader(self.request.user)
        scope = scope_for(self.request.user)
        return self.base_queryset().filter(scope.readable_branch_filter(self.branch_path))

    def get_object(self) -> Any:
        obj = self.base_queryset().filter(pk=path_id(self.kwargs["pk"])).first()
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


class CodeField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A related record by its code (`slug_field`), e.g. a branch. A value that no code can be
    (not text, or text with a NUL character, which PostgreSQL refuses in a query) is refused as
    invalid before the lookup."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


def writable(serializer: serializers.Serializer[Any], branch: Branch) -> None:
    check_branch(serializer.context["request"], branch, need=Need.WRITE)


def unchanged(serializer: serializers.Serializer[Any], data: dict[str, Any], name: str) -> None:
    """Refuse moving an existing object to another parent (`name`): a new one is made instead."""
    instance = serializer.instance
    if name in data and instance is not None and data.pop(name) != getattr(instance, name):
        raise ValidationError({name: [_("This cannot be changed; create a new record.")]})


def parse_day(value: str | None, field: str = "as_of") -> date:
    """The day a query parameter gives as YYYY-MM-DD (unionrec.days.parse_iso_day); today when
    the parameter is absent or empty. Anything else answers 400 with `{field: [message]}`."""
    if not value:
        return today()
    try:
        return parse_iso_day(value)
    except ValueError:
        raise ValidationError({field: [_("Use a date in the form YYYY-MM-DD.")]}) from None
