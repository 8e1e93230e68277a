"""The pages of every list of the JSON API (REST_FRAMEWORK's DEFAULT_PAGINATION_CLASS; a
module of its own, since DRF imports it while its own viewsets are being defined).

A viewset that names a `keyset` (the fields of its order, the last one unique) is paged by
cursor (unionrec.keyset): `next` and `previous` carry `?cursor=`, and any page costs what the
first does. `?page=N` still answers on those lists, for clients written against page numbers,
while N × page size stays within UNIONREC_API_PAGE_NUMBER_MAX_ROWS; deeper, a 400 says to
follow `next`. A viewset may count its rows itself (`count_rows(queryset)`, a
unionrec.counts.RowCount); otherwise the count is unionrec.counts.count_rows on keyset lists
and an exact count on the others. Every list says whether its count is an estimate."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from . import keyset
from .counts import RowCount, count_rows, grouped
from .query import query_number

BAD_CURSOR = _(
    "This cursor is not valid: it was changed, cut short or made for another list. Start "
    "again from the list's first page and follow its next and previous links."
)


def page_number_limit() -> int:
    return int(settings.UNIONREC_API_PAGE_NUMBER_MAX_ROWS)


class Pagination(PageNumberPagination):
    """`count`, `count_is_estimate`, `next`, `previous`, `results`; `?page=` and
    `?page_size=` (at most 1000: more is read as 1000), and `?cursor=` on the lists paged by
    keyset. A page or page size that is not a whole number from 1 answers 400 under its name
    (unionrec.query)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
    cursor_query_param = "cursor"

    keyset_page: keyset.Page | None = None
    row_count: RowCount | None = None

    def get_page_size(self, request: Request) -> int:
        """`?page_size=`: a whole number from 1, at most max_page_size (a larger one is read
        as max_page_size); absent or empty, the default. Anything else answers 400 (DRF's
        reads it as the default)."""
        size = query_number(request, self.page_size_query_param, default=self.page_size)
        return min(size, self.max_page_size)

    def page_number(self, request: Request) -> int:
        """`?page=`: a whole number from 1; absent or empty, 1. Anything else answers 400
        (DRF's reads `last` as the last page and answers the rest 404). A page past the end
        is not found (404)."""
        return query_number(request, self.page_query_param, default=1)

    def get_page_number(self, request: Request, paginator: Any) -> int:
        return self.page_number(request)

    def reads_by_number(self, request: Request) -> bool:
        """Whether a keyset list's page is asked for by a number past the first, without a
        cursor: read by OFFSET (_by_number), which a list may plan for (members.api)."""
        number = request.query_params.get(self.page_query_param, "1")
        return number not in ("", "1") and not request.query_params.get(self.cursor_query_param)

    def check_query(self, request: Request) -> None:
        """Refuse unreadable paging parameters on a list that answers one page whatever they
        say (a search), as a paged list would."""
        self.get_page_size(request)
        self.page_number(request)

    def paginate_queryset(  # type: ignore[override]  # lists are querysets here
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any] | None:
        fields = getattr(view, "keyset", None)
        self.request = request
        if not fields:
            self.keyset_page = None
            rows = super().paginate_queryset(queryset, request, view)
            assert self.page is not None  # page_size is always set
            self.row_count = RowCount(self.page.paginator.count)
            return rows
        size = self.get_page_size(request)
        assert size is not None  # page_size is set
        ordering = keyset.ordering(queryset.model, "api:" + ",".join(fields), fields)
        text = request.query_params.get(self.cursor_query_param)
        if text:
            self.keyset_page = self._from_cursor(queryset, ordering, text, size)
        else:
            self.keyset_page = self._by_number(queryset, ordering, request, size)
        counter = getattr(view, "count_rows", None)
        self.row_count = counter(queryset) if counter else count_rows(queryset)
        return self.keyset_page.rows

    def _from_cursor(
        self, queryset: QuerySet[Any], ordering: keyset.Ordering, text: str, size: int
    ) -> keyset.Page:
        try:
            cursor = keyset.decode(text, ordering)
        except keyset.InvalidCursor:
            cursor = None
        if cursor is None:
            raise ValidationError({self.cursor_query_param: [BAD_CURSOR]})
        return keyset.read_page(queryset, ordering, cursor, size)

    def _by_number(
        self, queryset: QuerySet[Any], ordering: keyset.Ordering, request: Request, size: int
    ) -> keyset.Page:
        """`?page=N` read by OFFSET, within page_number_limit() rows: the page's ids first
        (unionrec.keyset.ids_first), so that the rows before it are passed over in an index."""
        number = self.page_number(request)
        if number * size > page_number_limit():
            message = _(
                "Page numbers reach only the first %(rows)s rows of a list. To read further, "
                "follow the `next` link of each page (its `cursor`)."
            ) % {"rows": grouped(page_number_limit())}
            raise ValidationError({self.page_query_param: [message]})
        if number == 1:
            return keyset.read_page(queryset, ordering, None, size)
        start = (number - 1) * size
        marked = keyset.ids_first(queryset)  # the rows it skips are read from an index alone
        order = ordering.order_by(queryset=marked)
        rows = keyset.read_rows(marked, marked.order_by(*order)[start : start + size + 1])
        if not rows:
            raise NotFound(self.invalid_page_message.format(page_number=number, message=""))
        return keyset.Page(rows[:size], ordering, has_previous=True, has_next=len(rows) > size)

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        assert self.request is not None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_next_link(self) -> str | None:
        if self.keyset_page is None:
            return super().get_next_link()
        return self._link(self.keyset_page.next_cursor)

    def get_previous_link(self) -> str | None:
        if self.keyset_page is None:
            return super().get_previous_link()
        return self._link(self.keyset_page.previous_cursor)

    def get_paginated_response(self, data: Any) -> Response:
        assert self.row_count is not None
        return Response(
            {
                "count": self.row_count.value,
                "count_is_estimate": self.row_count.estimate,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = super().get_paginated_response_schema(schema)
        described["required"] = [*described["required"], "count_is_estimate"]
        described["properties"]["count_is_estimate"] = {
            "type": "boolean",
            "example": False,
            "description": (
                "true when `count` is not exact: beyond UNIONREC_EXACT_COUNT_MAX rows "
                "(10,000) a list that the tallies cannot count gives PostgreSQL's planner "
                "estimate, or on SQLite that limit itself (read it as 'more than')."
            ),
        }
        described["properties"]["next"]["description"] = (
            "The next page. On lists paged by cursor it carries `cursor`; follow it rather "
            "than counting pages."
        )
        return described

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] in (self.page_query_param, self.page_size_query_param):
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Rows per page: {self.page_size} by default, at most {self.max_page_size} "
                    f"(a larger number is read as {self.max_page_size})."
                )
        if getattr(view, "keyset", None):
            parameters.append(
                {
                    "name": self.cursor_query_param,
                    "required": False,
                    "in": "query",
                    "description": (
                        "Where the page starts: take it from `next` or `previous`. A cursor "
                        "that was changed answers 400."
                    ),
                    "schema": {"type": "string"},
                }
            )
            for parameter in parameters:
                if parameter["name"] == self.page_query_param:
                    parameter["description"] = (
                        "A page number, for older clients: page × page_size may not exceed "
                        "UNIONREC_API_PAGE_NUMBER_MAX_ROWS (10,000); deeper pages answer 400. "
                        "Follow `next` instead."
                    )
        return parameters
