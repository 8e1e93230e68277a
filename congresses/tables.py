"""django-tables2 tables of the congress screens (exports go through reports/)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from congresses.filters import Situation
from congresses.models import CongressStatus
from members.models import Branch
from unionrec.keyset import Key, Ordering


def _url(name: str, pk: int | None) -> str | None:
    """The page of a term or congress, or no link where there is none (or no such page)."""
    if pk is None:
        return None
    try:
        return reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:
        return None


# The calendar's sorts (a column's name, "-" before it for the reverse order), each ending on
# the branch's path (unique), so pages never overlap: the column headers and the keyset pages
# (unionrec.keyset) share them. The term's end and the congress's day are computed
# (congresses.filters.sort_values) and may be missing: those rows come last both ways.
CALENDAR_SORTS: dict[str, tuple[str, ...]] = {
    "branch": ("path",),
    "term_end": ("term_end", "path"),
    "congress_on": ("congress_on", "path"),
}
DEFAULT_SORT = "branch"


def calendar_ordering(sort: str | None) -> Ordering:
    """The calendar's ordering for `?sort=` (tree order when it names no sortable column)."""
    name = sort if sort and sort.removeprefix("-") in CALENDAR_SORTS else DEFAULT_SORT
    descending = name.startswith("-")
    keys = tuple(
        Key(path, nullable=True, nulls_high=not descending) if path != "path" else Key(path, False)
        for path in CALENDAR_SORTS[name.removeprefix("-")]
    )
    return Ordering(name, keys, descending=descending)


class CalendarTable(tables.Table):  # type: ignore[misc]
    """Branches of the congress calendar (congresses.filters.with_calendar): their term, its
    end, the congress to follow and the situations that put the branch on the list. Built on
    the rows of one keyset page (members.tables.PageRows), already in CALENDAR_SORTS order."""

    branch = tables.Column(
        verbose_name=_("Branch"),
        accessor="display_name",
        order_by=CALENDAR_SORTS["branch"],
        linkify=("members:branch", {"code": tables.A("code")}),
    )
    kind = tables.Column(verbose_name=_("Kind"), orderable=False)
    term = tables.Column(
        verbose_name=_("Term"),
        accessor="term_label",
        orderable=False,
        linkify=lambda record: _url("congresses:term", record.term_id),
    )
    term_end = tables.DateColumn(
        verbose_name=_("Term ends"), short=True, order_by=CALENDAR_SORTS["term_end"]
    )
    congress_on = tables.DateColumn(
        verbose_name=_("Congress"),
        short=True,
        order_by=CALENDAR_SORTS["congress_on"],
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
