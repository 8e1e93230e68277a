"""django-tables2 tables of the congress screens (exports go through reports/)."""

from __future__ import annotations

from datetime import date

import django_tables2 as tables
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from congresses.filters import Situation
from congresses.models import CongressStatus
from members.models import Branch, BranchKind
from members.tables import DrawnTable
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


class CalendarTable(DrawnTable):
    """Branches of the congress calendar (congresses.filters.with_calendar): their term, its
    end, the congress to follow and the situations that put the branch on the list. Built on
    the rows of one keyset page (members.tables.PageRows), already in CALENDAR_SORTS order;
    its rows are drawn by body() (members.tables.DrawnTable)."""

    # the columns' titles and sorts (head()); body() draws their cells
    branch = tables.Column(verbose_name=_("Branch"), order_by=CALENDAR_SORTS["branch"])
    kind = tables.Column(verbose_name=_("Kind"), orderable=False)
    term = tables.Column(verbose_name=_("Term"), orderable=False)
    term_end = tables.Column(verbose_name=_("Term ends"), order_by=CALENDAR_SORTS["term_end"])
    congress_on = tables.Column(verbose_name=_("Congress"), order_by=CALENDAR_SORTS["congress_on"])
    congress_status = tables.Column(verbose_name=_("Congress status"), orderable=False)
    situation = tables.Column(verbose_name=_("Situation"), orderable=False)

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
        template_name = "drawn_table.html"

    def body(self) -> SafeString:
        """The page's rows, the same cells as the columns above: the branch and its kind, the
        term, its end and the congress as links where they have a page, the congress's status
        and the situations ("—" for what is missing)."""
        kinds = {value: str(label) for value, label in BranchKind.choices}
        statuses = {value: str(label) for value, label in CongressStatus.choices}
        short_date = get_format("SHORT_DATE_FORMAT")
        labels = {situation.value: str(situation.label) for situation in Situation}

        def linked(text: str, url: str | None) -> SafeString:
            return format_html('<a href="{}">{}</a>', url, text) if url else format_html("{}", text)

        def day(value: date | None) -> str:
            return dateformat.format(value, short_date) if value else ""

        rows = []
        for n, record in enumerate(self.data.data):
            term = record.term_label and linked(
                record.term_label, _url("congresses:term", record.term_id)
            )
            congress = record.congress_on and linked(
                day(record.congress_on), _url("congresses:congress", record.congress_id)
            )
            situations = format_html_join(
                ", ",
                '<span class="situation" data-situation="{}">{}</span>',
                (
                    (value, label)
                    for value, label in labels.items()
                    if getattr(record, f"is_{value}", False)
                ),
            )
            rows.append(
                format_html(
                    '<tr data-code="{}" class="{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
                    "<td>{}</td><td>{}</td><td>{}</td></tr>",
                    record.code,
                    "odd" if n % 2 else "even",
                    linked(record.display_name, reverse("members:branch", args=[record.code])),
                    kinds.get(record.kind, record.kind),
                    term or "—",
                    day(record.term_end) or "—",
                    congress or "—",
                    statuses.get(record.congress_status, "—"),
                    situations,
                )
            )
        return mark_safe("".join(rows))  # noqa: S308 - each row escaped by format_html
