"""tests/demo_copy.py: a copied load of the demo leaves the rows a load through the services
leaves, and a load that starts from other rows is not a copy."""

from __future__ import annotations

import pytest
from django.db import transaction

from members import demo as members_demo
from members.models import Branch, BranchKind, BranchTally
from members.statistics import statistics
from tests import demo_copy
from tests.factories import branch, member

pytestmark = pytest.mark.django_db

PARTS = ("members", "congresses", "resolutions")


def _counts() -> dict[str, int]:
    return {table: len(demo_copy._rows(table)) for table in demo_copy._tables()}


def _through_the_services() -> None:
    for part in PARTS:
        demo_copy.import_module(demo_copy.MODULES[part]).load()


def _figures() -> tuple[object, ...]:
    seed = statistics(Branch.objects.get(code="hp-skhcn"))
    return (seed.counts, [(row.branch.code, row.counts) for row in seed.children])


def test_a_copied_load_leaves_what_the_services_leave(monkeypatch):
    with transaction.atomic():
        _through_the_services()
        loaded = _counts()
        tallies = sorted(BranchTally.objects.values_list("branch__code", "day", "members", "women"))
        figures = _figures()
        transaction.set_rollback(True)
    with transaction.atomic():
        demo_copy.load(*PARTS)  # through the services, or a copy of an earlier load
        transaction.set_rollback(True)

    def refused() -> None:
        raise AssertionError("a copy runs no service")

    monkeypatch.setattr(members_demo, "load", refused)
    demo_copy.load(*PARTS)
    assert _counts() == loaded
    assert sorted(BranchTally.objects.values_list("branch__code", "day", "members", "women")) == (
        tallies
    )
    assert _figures() == figures
    assert member(Branch.objects.get(code="hp-skhcn"), "Lê Văn Mới").pk  # the next id is free


def test_a_load_from_other_rows_goes_through_the_services(monkeypatch):
    demo_copy.load("members")
    calls = []
    monkeypatch.setattr(members_demo, "load", lambda: calls.append(1))
    branch(None, "other-root", BranchKind.CONFEDERATION)
    demo_copy.load("members")
    assert calls == [1]
