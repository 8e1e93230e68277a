"""Shared pieces of the JSON API under /api/v1/."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission

from members.statistics import today
from unionrec.days import parse_iso_day


class Pagination(PageNumberPagination):
    """`count`, `next`, `previous`, `results`; `?page=` and `?page_size=` (at most 1000)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


class HasAnyGrant(BasePermission):
    """Authenticated users only; scoping itself is done by unionrec.access per object."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)


def parse_day(value: str | None, field: str = "as_of") -> date:
    """The day a query parameter gives as YYYY-MM-DD (unionrec.days.parse_iso_day); today when
    the parameter is absent or empty. Anything else answers 400 with `{field: [message]}`."""
    if not value:
        return today()
    try:
        return parse_iso_day(value)
    except ValueError:
        raise ValidationError({field: [_("Use a date in the form YYYY-MM-DD.")]}) from None
