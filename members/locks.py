"""The one lock of the register's writers: branches with their ancestors, root first.

A writer whose work depends on a subtree locks the branches it works in together with every
ancestor of them, inside its transaction and before it reads what it checks:

- a change of membership periods, since it shifts the tallies of the branch and of every
  ancestor (members.tallies);
- a member import, since a row without a card number matches a member of the import
  branch's whole subtree (members.import_checks): an import into a branch and one into the
  same branch, a sub-unit of it or a branch above it must not check their rows at the same
  time, or both would add the same people;
- the member services (members.services), which lock the branches before the member's row.

Every writer takes branch locks before member rows, and branch locks in one order (by path,
so an ancestor before its descendants): two writers then queue one behind the other and
never wait for each other in a circle (a deadlock). Since every chain starts at its root,
the writers of one tree are serialised.

PostgreSQL: SELECT ... FOR UPDATE, released when the transaction ends. SQLite ignores row
locks; its IMMEDIATE transactions (settings.DATABASES) serialise every writer anyway."""

from __future__ import annotations

from collections.abc import Iterable

from . import domain
from .models import Branch


def lock_branches(paths: Iterable[str]) -> dict[str, int]:
    """Lock the branches at `paths` and all their ancestors until the transaction ends, in
    path order, and return their ids by path. Must run inside a transaction."""
    wanted = sorted({ancestor for path in paths for ancestor in domain.ancestor_paths(path)})
    if not wanted:
        return {}
    return dict(
        Branch.objects.filter(path__in=wanted)
        .select_for_update()
        .order_by("path")
        .values_list("path", "pk")
    )
