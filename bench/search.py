"""Name searches as a user reaches them: `GET /api/v1/members/?search=…` through Django's whole
request stack (the test client: middleware, session, authentication, the API's filters and its
page of 25 with its `count`), as a superuser, at the root and within the largest federation;
and, beside each, the page of members alone (members.filters.apply_member_search on the member
list page's query, its subtree as `branch_id IN (…)`), so that the search's own cost is seen
apart from the API's `count` (issue 14 item 3)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.test import Client

from members.filters import apply_member_search, in_branches, members_for_list
from members.models import Member
from members.tables import member_ordering
from unionrec import keyset
from unionrec.access import scope_for

from .measure import LIST_TARGET, PAGE_SIZE, Sample, Section, Timing, time_it

ADMIN = "bench-search-admin"


def searches(sample: Sample) -> list[str]:
    """Common and rare words, two-letter words, a year of birth and a card prefix."""
    member = (
        Member.objects.filter(card_number__isnull=False, birth_date__isnull=False)
        .order_by("pk")
        .first()
    )
    assert member is not None
    words = member.search_key.split()
    rare = f"{words[0]} {words[-1]} {member.birth_date.year}"  # type: ignore[union-attr]
    given = "dung"  # one given name alone: its members sit together in name order
    return [
        "nguyen van",
        "le",
        "vo thi",
        "an",
        "hoang dung",
        given,
        rare,
        "1985",
        member.card_number[:9],
    ]


def search_section(sample: Sample, repeat: int) -> Section:
    section = Section("Member search: the API through Django's request stack, and the page alone")
    section.notes.append(
        "API: GET /api/v1/members/?search=… as a superuser (test client, no socket): "
        "the search, the page of 25 and DRF's count (item 3 of issue 14 replaces the count)"
    )
    logging.getLogger("unionrec.access_log").setLevel(logging.WARNING)
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    admin = get_user_model().objects.filter(username=ADMIN).first()
    if admin is None:
        admin = get_user_model().objects.create_user(ADMIN, is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    scope = scope_for(admin)
    target = "≤ 50 ms (10 M)"

    def add(label: str, action: Callable[[], Any]) -> None:
        section.timings.append(Timing(label, time_it(action, repeat), LIST_TARGET, target))

    for text in searches(sample):
        for place, branch in (("root", None), ("federation", sample.federation)):
            params = {"search": text} | ({"branch": branch.code} if branch else {})
            response = client.get("/api/v1/members/", params)
            assert response.status_code == 200, response.content[:300]
            count = response.json()["count"]
            section.notes.append(f"{text!r} at the {place}: {count:,} members")

            def api(params: dict[str, str] = params) -> None:
                assert client.get("/api/v1/members/", params).status_code == 200

            queryset = apply_member_search(members_for_list(scope, branch, {"search": text}), text)
            if branch is not None:  # as the member list page filters a subtree
                queryset = in_branches(queryset, Q(path__subtree=branch.path))

            def page(queryset: Any = queryset) -> None:  # as the page reads it
                found = queryset.prefetch_related("branch")
                keyset.read_page(found, member_ordering(None), None, PAGE_SIZE)

            add(f"{place}, {text!r}: API page 1 with count", api)
            add(f"{place}, {text!r}: page of {PAGE_SIZE} alone", page)
    return section
