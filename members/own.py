"""A user's own member record: the one lookup of "me" (Member.user), read by the start page,
the download of one's own data and the request for a correction. Nothing here takes an id
from a request: whoever is logged in reaches their own record and no other."""

from __future__ import annotations

from typing import Any

from .models import Member


def own_member(user: Any) -> Member | None:
    """The member record linked to `user`'s account, or None (no record, or not logged in)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.select_related("branch").filter(user=user).first()
