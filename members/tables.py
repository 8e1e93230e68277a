"""django-tables2 tables of the register's screens (exports go through reports/)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableData

from unionrec.keyset import Ordering, ordering

from .disclosure import Disclosure
from .filters import age_band_choices, age_band_label
from .models import Gender, Member, MemberStatus

# The member list's sorts (a column's name, "-" before it for the reverse order), each ending on
# the name's Vietnamese order (given name first, members.domain.name_sort_key) and the id, so
# pages never overlap: the table's column headers and the keyset pages share them.
MEMBER_SORTS: dict[str, tuple[str, ...]] = {
    "full_name": ("sort_key", "id"),
    "branch": ("branch__path", "sort_key", "id"),
    "gender": ("gender", "sort_key", "id"),
    "birth_date": ("birth_date", "sort_key", "id"),
    "status": ("status", "sort_key", "id"),
}
DEFAULT_SORT = "full_name"
PK_MARK = 987654321  # stands for a member's id in an address built once (MemberTable.body)


def member_ordering(sort: str | None, sight: Disclosure = Disclosure.FULL) -> Ordering:
    """The list's ordering for `?sort=` (the name order when it names no column sortable by
    someone who sees the list with `sight`: the date of birth only by those who see it)."""
    column = (sort or "").removeprefix("-")
    offered = column in MEMBER_SORTS and (column != "birth_date" or sight.birth_date)
    name = sort if sort and offered else DEFAULT_SORT
    return ordering(Member, name, MEMBER_SORTS[name.removeprefix("-")])


class PageRows(TableData):  # type: ignore[misc]
    """The rows of one keyset page (unionrec.keyset.read_page), already in the list's order:
    the table shows which column sorts them but does not sort them again."""

    def __len__(self) -> int:
        return len(self.data)

    def order_by(self, aliases: Any) -> None:
        return None


class DrawnTable(tables.Table):  # type: ignore[misc]
    """A table of one keyset page whose header (head()) and rows (a subclass's body()) are
    drawn in Python, in a template of its own: django-tables2 keeps the columns, their order
    and their sort links. Cell by cell through its column machinery a page of 25 rows took
    5 ms (the member list, issue 17 item 5) to 60 ms (the calendar's dates and links),
    drawn here about 1 ms."""

    def head(self) -> SafeString:
        """The header row: each column's title, a link that sorts by it (the next direction,
        from the top: the page's cursor is left out) where it sorts, and the sorted column
        marked for assistive technology (aria-sort)."""
        query = self.request.GET.copy() if self.request is not None else None
        sorted_by = self.order_by[0] if self.order_by else ""
        cells = []
        for column in self.columns:
            attrs = column.attrs["th"].as_html()
            title: object = column.header
            if column.orderable and query is not None:
                query[self.prefixed_order_by_field] = column.order_by_alias.next
                query.pop("cursor", None)
                title = format_html('<a href="?{}">{}</a>', query.urlencode(), title)
                if sorted_by.removeprefix("-") == column.name:
                    way = "descending" if sorted_by.startswith("-") else "ascending"
                    attrs = format_html('{} aria-sort="{}"', attrs, way)
            cells.append((attrs, title))
        return format_html_join("", '<th {} scope="col">{}</th>', cells)


class MemberTable(DrawnTable):
    """The member list; card numbers are masked. Its `sight` (members.disclosure, over the
    whole list) says whether it shows dates of birth or, under "Age", age bands."""

    full_name = tables.Column(
        verbose_name=_("Full name"),
        order_by=MEMBER_SORTS["full_name"],
        linkify=("members:member", {"pk": tables.A("pk")}),
    )
    branch = tables.Column(
        verbose_name=_("Branch"),
        accessor="branch__display_name",
        order_by=MEMBER_SORTS["branch"],
    )
    gender = tables.Column(verbose_name=_("Gender"), order_by=MEMBER_SORTS["gender"])
    birth_date = tables.DateColumn(
        verbose_name=_("Date of birth"), short=True, order_by=MEMBER_SORTS["birth_date"]
    )
    card = tables.Column(
        verbose_name=_("Union card"), accessor="masked_card_number", orderable=False
    )
    status = tables.Column(verbose_name=_("Status"), order_by=MEMBER_SORTS["status"])

    class Meta:
        model = Member
        fields = ["full_name", "branch", "gender", "birth_date", "card", "status"]
        empty_text = _("No member matches these filters.")
        attrs = {"id": "members"}
        # the header and the rows are drawn by head() and body() (see the template)
        template_name = "drawn_table.html"

    def __init__(self, *args: Any, sight: Disclosure, **kwargs: Any) -> None:
        if not sight.birth_date:
            age = tables.Column(verbose_name=_("Age"), orderable=False)  # see member_ordering
            kwargs["extra_columns"] = [("birth_date", age)]
        super().__init__(*args, **kwargs)
        self.sight = sight

    def body(self) -> SafeString:
        """The page's rows: the cells of the columns above, the date of birth as the table's
        `sight` shows it (else the age band). Drawn here, not cell by cell in the template,
        with each label translated and the record's address built once a page: 25 rows take
        about 1 ms instead of 5 (issue 17 item 5)."""
        genders = {value: str(label) for value, label in Gender.choices}
        statuses = {value: str(label) for value, label in MemberStatus.choices}
        # /members/<pk>/ with the number put in: reverse() costs 40 µs a row
        address = reverse("members:member", args=[PK_MARK]).split(str(PK_MARK))
        short_date = get_format("SHORT_DATE_FORMAT")
        bands = dict(age_band_choices())
        rows = []
        for n, member in enumerate(self.data.data):
            if self.sight.birth_date:
                born = dateformat.format(member.birth_date, short_date) if member.birth_date else ""
            else:
                born = age_band_label(member.birth_date, bands)
            rows.append(
                format_html(
                    '<tr data-id="{}" class="{}"><td><a href="{}">{}</a></td><td>{}</td>'
                    "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    member.pk,
                    "odd" if n % 2 else "even",
                    f"{address[0]}{member.pk}{address[1]}",
                    member.full_name,
                    member.branch.display_name,
                    genders.get(member.gender, member.gender),
                    born or "—",
                    member.masked_card_number or "—",
                    statuses.get(member.status, member.status),
                )
            )
        return mark_safe("".join(rows))  # noqa: S308 - each row escaped by format_html
