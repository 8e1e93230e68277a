"""The pages of every list of the JSON API (REST_FRAMEWORK's DEFAULT_PAGINATION_CLASS; a
module of its own, since DRF imports it while its own viewsets are being defined)."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`count`, `next`, `previous`, `results`; `?page=` and `?page_size=` (at most 1000)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
