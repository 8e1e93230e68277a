"""The JSON API of elections under /api/v1/elections/ (being built: see issue 4, item 7)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins

from members.models import Branch

from .api import ScopedViewSet
from .models import Election


class ElectionViewSet(mixins.ListModelMixin, ScopedViewSet):
    model = Election
    branch_path = "congress__term__branch__path"

    def base_queryset(self) -> QuerySet[Election]:
        return Election.objects.select_related("congress__term__branch").order_by("id")

    def branch_of(self, obj: Any) -> Branch:
        return obj.congress.term.branch
