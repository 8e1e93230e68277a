"""Shared pieces of the JSON API under /api/v1/."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission


class Pagination(PageNumberPagination):
    """`count`, `next`, `previous`, `results`; `?page=` and `?page_size=` (at most 1000)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


class HasAnyGrant(BasePermission):
    """Authenticated users only; scoping itself is done by unionrec.access per object."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)
