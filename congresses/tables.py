"""django-tables2 tables of the congress screens (exports go through reports/)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.db.models import F, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from congresses.filters import Situation
from congresses.models import CongressStatus
from members.models import Branch


def _url(name: str, pk: int | None) -> str | None:
    """The page of a term or congress, or no link where there is none (or no such page)."""
    if pk is None:
        return None
    try:
        return reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:
        return None


def _nulls_last(queryset: QuerySet[Any], field: str, descending: bool) -> QuerySet[Any]:
    """Rows without a value last in both directions (SQLite and PostgreSQL differ by default),
    then tree order, so pages never overlap."""
    key = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return queryset.order_by(key, "path")


class CalendarTable(tables.Table):  # type: ignore[misc]
    """Branches of the congress calendar (congresses.filters.with_calendar): their term, its
    end, the congress to follow and the situations that put the branch on the list."""

    branch = tables.Column(
        verbose_name=_("Branch"),
        accessor="display_name",
        order_by=("path",),
        linkify=("members:branch", {"code": tables.A("code")}),
    )
    kind = tables.Column(verbose_name=_("Kind"), orderable=False)
    term = tables.Column(
        verbose_name=_("Term"),
        accessor="term_label",
        orderable=False,
        linkify=lambda record: _url("congresses:term", record.term_id),
    )
    term_end = tables.DateColumn(verbose_name=_("Term ends"), short=True)
    congress_on = tables.DateColumn(
        verbose_name=_("Congress"),
        short=True,
        linkify=lambda record: _url("congresses:congress", record.congress_id),
    )
    congress_status = tables.Column(verbose_name=_("Congress status"), orderable=False)
    situation = tables.Column(verbose_name=_("Situation"), empty_values=(), orderable=False)

    class Meta:
        model = Branch
        fields = [
            "branch",
            "kind",
            "term",
            "term_end",
            "congress_on",
            "congress_status",
            "situation",
        ]
        empty_text = _("No branch needs attention with these filters.")
        attrs = {"id": "calendar"}
        row_attrs = {"data-code": lambda record: record.code}

    def order_term_end(self, queryset: QuerySet[Any], descending: bool) -> tuple[Any, bool]:
        return _nulls_last(queryset, "term_end", descending), True

    def order_congress_on(self, queryset: QuerySet[Any], descending: bool) -> tuple[Any, bool]:
        return _nulls_last(queryset, "congress_on", descending), True

    def render_congress_status(self, value: str) -> str:
        return str(CongressStatus(value).label)

    def render_situation(self, record: Branch) -> str:
        found = [
            (situation.value, situation.label)
            for situation in Situation
            if getattr(record, f"is_{situation.value}", False)
        ]
        return format_html_join(
            ", ", '<span class="situation" data-situation="{}">{}</span>', found
        ) or format_html("")
