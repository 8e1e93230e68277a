"""The JSON API of resolutions, targets and progress (being built: issue 5, item 6)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins

from members.models import Branch

from .api import ScopedViewSet
from .models import Resolution


class ResolutionViewSet(mixins.ListModelMixin, ScopedViewSet):
    model = Resolution
    branch_path = "congress__term__branch__path"

    def base_queryset(self) -> QuerySet[Resolution]:
        return Resolution.objects.select_related("congress__term__branch").order_by("id")

    def branch_of(self, obj: Any) -> Branch:
        return obj.congress.term.branch
