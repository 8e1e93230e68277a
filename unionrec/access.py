"""Who may see and change what: one mechanism for every view and the API.

A user holds grants on branches (members.models.Grant):

- secretary: reads and writes the branch and its whole subtree;
- reviewer (leadership): reads the whole subtree, writes nothing;
- member: reads the aggregate statistics (and later the goals) of the branch and of the
  branches above it; never another member's record.

Superusers may do everything. A record outside the user's reach answers 404, so other unions'
records stay invisible; a record within reach but without the needed level answers 403.
Grants are read afresh on each request, so a removed role bites on the next one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from members.domain import ancestor_paths, is_in_subtree, subtree_bounds
from members.models import Branch, Role

log = logging.getLogger("unionrec.access")


class Need(IntEnum):
    """What a request needs of a branch, weakest first."""

    STATS = 1  # aggregate statistics and goals
    READ = 2  # records of members and everything else in the subtree
    WRITE = 3


ROLE_LEVEL = {Role.SECRETARY: Need.WRITE, Role.REVIEWER: Need.READ}


@dataclass(frozen=True)
class Scope:
    """A user's reach, resolved once per request from their grants."""

    superuser: bool = False
    write_paths: tuple[str, ...] = ()
    read_paths: tuple[str, ...] = ()  # includes write_paths
    member_paths: tuple[str, ...] = ()  # branches of member grants

    def level_for(self, path: str) -> Need | None:
        """The most the user may do with the branch at `path`, or None if it is out of reach."""
        if self.superuser or any(is_in_subtree(path, p) for p in self.write_paths):
            return Need.WRITE
        if any(is_in_subtree(path, p) for p in self.read_paths):
            return Need.READ
        if any(is_in_subtree(own, path) for own in self.member_paths):
            return Need.STATS
        return None

    def _subtrees(self, paths: tuple[str, ...], field: str) -> Q:
        query = Q(pk__in=[])
        for path in paths:
            query |= Q(**{f"{field}__subtree": path})
        return query

    def branch_filter(self, field: str = "path") -> Q:
        """Branches the user may see at all (statistics at least)."""
        if self.superuser:
            return Q()
        above = sorted({p for own in self.member_paths for p in ancestor_paths(own)})
        query = self._subtrees(self.read_paths, field)
        if above:
            query |= Q(**{f"{field}__in": above})
        return query

    def readable_branch_filter(self, field: str = "path") -> Q:
        """Branches whose records (members, terms, ...) the user may read."""
        return Q() if self.superuser else self._subtrees(self.read_paths, field)

    def writable_branch_filter(self, field: str = "path") -> Q:
        return Q() if self.superuser else self._subtrees(self.write_paths, field)

    def member_filter(self) -> Q:
        """Members whose records the user may read: those in the readable subtrees."""
        return self.readable_branch_filter("branch__path")

    @property
    def reads_records(self) -> bool:
        """Whether the user may list records (members, terms, congresses, ...) at all: the
        member role reads aggregate statistics and goals only."""
        return self.superuser or bool(self.read_paths)

    @property
    def is_empty(self) -> bool:
        return not (self.superuser or self.read_paths or self.member_paths)

    def covers(self, path: str, need: Need) -> bool:
        level = self.level_for(path)
        return level is not None and level >= need


def scope_for(user: Any) -> Scope:
    """The user's scope, computed once per user object (that is, once per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_unionrec_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(superuser=True)
    else:
        write, read, member = set(), set(), set()
        for role, path in user.grants.values_list("role", "branch__path"):
            if role == Role.SECRETARY:
                write.add(path)
                read.add(path)
            elif role == Role.REVIEWER:
                read.add(path)
            elif role == Role.MEMBER:
                member.add(path)
        scope = Scope(
            write_paths=_outermost(write),
            read_paths=_outermost(read),
            member_paths=tuple(sorted(member)),
        )
    user._unionrec_scope = scope
    return scope


def _outermost(paths: set[str]) -> tuple[str, ...]:
    """Drop paths that lie inside another path of the set: their subtree is already covered."""
    kept: list[str] = []
    for path in sorted(paths):
        if not kept or not is_in_subtree(path, kept[-1]):
            kept.append(path)
    return tuple(kept)


def require(user: Any, branch: Branch, need: Need = Need.WRITE) -> None:
    """The permission check of every service: PermissionDenied, naming the branch, unless
    `user` may do `need` with `branch`. `user` None is the system itself (the demo data, a
    worker acting for nobody), which may do everything."""
    if user is not None and not scope_for(user).covers(branch.path, need):
        raise PermissionDenied(_("You have no right to change %(branch)s.") % {"branch": branch})


def require_reader(user: Any) -> None:
    """The gate of every list of records, on pages and in the API: PermissionDenied (403)
    for a user whose roles read no records (the member role, or no role at all)."""
    if not scope_for(user).reads_records:
        raise PermissionDenied


def check_branch(request: HttpRequest, branch: Branch, *, need: Need) -> Need:
    """Raise 404 if the branch is outside the user's reach, 403 if within reach but `need`
    is more than the user's role allows; return the level the user has."""
    level = scope_for(request.user).level_for(branch.path)
    if level is None:
        log.warning(
            "out of scope: user=%s path=%s branch=%s",
            request.user.pk,
            log_safe(request.path),
            branch.pk,
        )
        raise Http404
    if level < need:
        log.warning(
            "forbidden: user=%s path=%s branch=%s need=%s",
            request.user.pk,
            log_safe(request.path),
            branch.pk,
            need.name,
        )
        raise PermissionDenied
    return level


def branch_for(request: HttpRequest, code: str, *, need: Need) -> Branch:
    """The branch with `code` if the user's grants reach it (see check_branch). A code with a
    NUL character names no branch: PostgreSQL refuses NUL in a query, so it is not asked."""
    branch = None if "\x00" in code else Branch.objects.filter(code=code).first()
    if branch is None:
        raise Http404
    check_branch(request, branch, need=need)
    return branch


def list_branch(request: HttpRequest) -> tuple[Branch | None, int]:
    """The branch a list is narrowed to (`?branch=<code>`, None for all the user may read),
    and the status its page answers: a code out of reach is shown by the list's filter form
    beside the field, on a page answered 404; a user who reads no records gets the plain 404."""
    code = request.GET.get("branch")
    try:
        return (branch_for(request, code, need=Need.READ) if code else None), 200
    except Http404:
        if not scope_for(request.user).reads_records:
            raise
        return None, 404


def log_safe(text: str) -> str:
    """Text for a log line: no CR/LF, so user input cannot forge a line."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


__all__ = [
    "Need",
    "Scope",
    "branch_for",
    "check_branch",
    "list_branch",
    "log_safe",
    "require",
    "require_reader",
    "scope_for",
    "subtree_bounds",
]
