"""Test data built through the services, so the tallies stay exact as in production."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model

from members import services
from members.models import Branch, BranchKind, Gender, Grant, Member, Role


def branch(parent: Branch | None, code: str, kind: str = BranchKind.GRASSROOTS, **extra) -> Branch:
    return services.create_branch(
        parent=parent, code=code, name=extra.pop("name", f"Branch {code}"), kind=kind, **extra
    )


def member(
    at: Branch,
    name: str = "Nguyễn Thị Lan",
    gender: str = Gender.FEMALE,
    started_on: date = date(2015, 1, 1),
    **extra,
) -> Member:
    return services.add_member(
        branch=at, full_name=name, gender=gender, started_on=started_on, **extra
    )


def user(username: str, role: str | None = None, at: Branch | None = None, **extra):
    account = get_user_model().objects.create_user(username=username, password="pw", **extra)
    if role is not None and at is not None:
        Grant.objects.create(user=account, branch=at, role=role)
    return account


@dataclass
class SmallTree:
    """root
    ├── prov (federation)
    │   ├── union (grassroots) ── unit-a, unit-b (sub-unions)
    │   └── other (grassroots)
    └── far (federation) ── far-union"""

    root: Branch
    prov: Branch
    union: Branch
    unit_a: Branch
    unit_b: Branch
    other: Branch
    far: Branch
    far_union: Branch

    @property
    def branches(self) -> list[Branch]:
        """Every branch of the tree, root first, in the order of the fields."""
        return [getattr(self, name) for name in self.__dataclass_fields__]

    def refresh(self) -> None:
        for branch_ in self.branches:
            branch_.refresh_from_db()


def small_tree() -> SmallTree:
    root = branch(None, "root", BranchKind.CONFEDERATION)
    prov = branch(root, "prov", BranchKind.FEDERATION)
    union = branch(prov, "union", BranchKind.GRASSROOTS)
    unit_a = branch(union, "unit-a", BranchKind.SUB_UNION)
    unit_b = branch(union, "unit-b", BranchKind.SUB_UNION)
    other = branch(prov, "other", BranchKind.GRASSROOTS)
    far = branch(root, "far", BranchKind.FEDERATION)
    far_union = branch(far, "far-union", BranchKind.GRASSROOTS)
    return SmallTree(root, prov, union, unit_a, unit_b, other, far, far_union)


PERSONAS = {
    # persona -> (role, branch attribute of SmallTree)
    "secretary": (Role.SECRETARY, "union"),
    "reviewer": (Role.REVIEWER, "prov"),
    "member": (Role.MEMBER, "unit_a"),
}


def persona(tree: SmallTree, name: str):
    role, attr = PERSONAS[name]
    return user(name, role, getattr(tree, attr))


def docx_bytes() -> bytes:
    """A minimal DOCX container with a fixed timestamp, so two calls give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        entry = zipfile.ZipInfo("word/document.xml", date_time=(2017, 12, 23, 8, 0, 0))
        archive.writestr(entry, "<w:document/>")
    return buffer.getvalue()
