"""django-tables2 tables of the register's screens (exports go through reports/)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Member


class MemberTable(tables.Table):  # type: ignore[misc]
    """The member list. Every sort ends on the name's Vietnamese order (given name first,
    members.domain.name_sort_key) and the id, so pages never overlap; card numbers are masked."""

    full_name = tables.Column(
        verbose_name=_("Full name"),
        order_by=("sort_key", "id"),
        linkify=("members:member", {"pk": tables.A("pk")}),
    )
    branch = tables.Column(
        verbose_name=_("Branch"),
        accessor="branch__display_name",
        order_by=("branch__path", "sort_key", "id"),
    )
    gender = tables.Column(verbose_name=_("Gender"), order_by=("gender", "sort_key", "id"))
    birth_date = tables.DateColumn(
        verbose_name=_("Date of birth"), short=True, order_by=("birth_date", "sort_key", "id")
    )
    card = tables.Column(
        verbose_name=_("Union card"), accessor="masked_card_number", orderable=False
    )
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "sort_key", "id"))

    class Meta:
        model = Member
        fields = ["full_name", "branch", "gender", "birth_date", "card", "status"]
        empty_text = _("No member matches these filters.")
        attrs = {"id": "members"}
        row_attrs = {"data-id": lambda record: record.pk}
