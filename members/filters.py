"""Filters for member lists: the page's filter form and the API share these helpers."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from . import domain
from .models import Member
from .statistics import today


def apply_member_search(queryset: QuerySet[Member], text: str) -> QuerySet[Member]:
    """Names are matched folded (no diacritics, no case, đ as d), each word of the search on
    its own, so "hoang dung" finds "Hoàng Dũng" and "Hoàng Văn Dũng"; a card number is
    matched from its start."""
    words = domain.fold(text).split(" ")
    if not any(words):
        return queryset
    names = Q()
    for word in words:
        names &= Q(search_key__contains=word)
    card = text.strip().upper()
    return queryset.filter(names | Q(card_number__startswith=card))


def members_in_band(queryset: QuerySet[Member], band: str) -> QuerySet[Member]:
    """Members whose age today falls in `band` (one of members.domain.AGE_BANDS)."""
    if band not in {code for code, _low, _high in domain.AGE_BANDS}:
        return queryset.none()
    earliest, latest = domain.birth_dates_for_band(band, today())
    queryset = queryset.filter(birth_date__lte=latest)
    if earliest is not None:
        queryset = queryset.filter(birth_date__gte=earliest)
    return queryset
