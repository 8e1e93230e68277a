"""Demo data: the worked example of the project (shared/seed), recorded through the services.

The union of the Hải Phòng Department of Science and Technology (code hp-skhcn) held its
congress on 23/12/2017 with 6 sub-units and 185 members, 91 of them women. The names below are
generated; the figures are the seed's. A few members join and leave after the congress so that
today's figures differ from the congress day's, as they would in life.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from . import services
from .models import Branch, BranchKind, Gender, Grant, LeaveReason, Member, Role

CONGRESS_DAY = date(2017, 12, 23)
DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo logins, created only by load_demo


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    short_name: str
    members: int
    women: int


CHAIN = [
    (
        "vgcl",
        "Tổng Liên đoàn Lao động Việt Nam",
        "Tổng LĐLĐ Việt Nam",
        BranchKind.CONFEDERATION,
        date(1929, 7, 28),
    ),
    (
        "hp-ldld",
        "Liên đoàn Lao động thành phố Hải Phòng",
        "LĐLĐ Hải Phòng",
        BranchKind.FEDERATION,
        date(1946, 1, 1),
    ),
    (
        "hp-cdvc",
        "Công đoàn Viên chức thành phố Hải Phòng",
        "CĐ Viên chức TP",
        BranchKind.UPPER_UNION,
        date(1994, 1, 1),
    ),
    (
        "hp-skhcn",
        "Công đoàn Sở Khoa học và Công nghệ Hải Phòng",
        "CĐ Sở KH&CN",
        BranchKind.GRASSROOTS,
        date(1996, 5, 1),
    ),
]

SUB_UNITS = [
    Unit("hp-skhcn-vp", "Công đoàn bộ phận Văn phòng Sở", "CĐBP Văn phòng", 38, 20),
    Unit("hp-skhcn-ql", "Công đoàn bộ phận các phòng quản lý", "CĐBP Phòng quản lý", 35, 17),
    Unit(
        "hp-skhcn-tdc",
        "Công đoàn bộ phận Chi cục Tiêu chuẩn Đo lường Chất lượng",
        "CĐBP Chi cục TĐC",
        32,
        16,
    ),
    Unit(
        "hp-skhcn-ud",
        "Công đoàn bộ phận Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
        "CĐBP Trung tâm Ứng dụng",
        30,
        15,
    ),
    Unit(
        "hp-skhcn-kt",
        "Công đoàn bộ phận Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng",
        "CĐBP Trung tâm Kỹ thuật",
        28,
        13,
    ),
    Unit(
        "hp-skhcn-tt",
        "Công đoàn bộ phận Trung tâm Thông tin khoa học và công nghệ",
        "CĐBP Trung tâm Thông tin",
        22,
        10,
    ),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương",
          "Lý", "Đinh", "Mai", "Phan", "Trịnh", "Lương", "Đào"]  # fmt: skip # names as a paragraph
MIDDLE = {
    Gender.FEMALE: ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Thùy", "Hồng", "Bích", "Kim"],
    Gender.MALE: ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thành", "Xuân", "Mạnh"],
}
GIVEN = {
    Gender.FEMALE: ["Hà", "Lan", "Hương", "Mai", "Linh", "Trang", "Thảo", "Ngọc", "Hằng", "Dung",
                    "Yến", "Nhung", "Phương", "Huyền", "Oanh", "Ánh", "Giang", "Hạnh", "Thủy"],
    Gender.MALE: ["Dũng", "Hùng", "Tuấn", "Nam", "Long", "Sơn", "Hải", "Cường", "Đạt", "Khánh",
                  "Phong", "Quân", "Thắng", "Trung", "Việt", "Anh", "Bình", "Đông", "Huy"],
}  # fmt: skip # names read as a paragraph

USERS = [
    # username, superuser, role, branch code
    ("admin", True, None, None),
    ("secretary", False, Role.SECRETARY, "hp-skhcn"),
    ("reviewer", False, Role.REVIEWER, "hp-cdvc"),
    ("member", False, Role.MEMBER, "hp-skhcn-vp"),
]

LOGINS = [
    ("admin", "superuser: everything, and the admin site"),
    ("secretary", "secretary of hp-skhcn (reads and writes it and its 6 sub-units)"),
    ("reviewer", "reviewer of hp-cdvc, the city civil servants' union (reads its subtree)"),
    ("member", "member of hp-skhcn-vp (own branch's statistics)"),
]


def _name(rng: random.Random, gender: str) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"


def _day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _ensure_branches() -> dict[str, Branch]:
    branches: dict[str, Branch] = {}
    parent = None
    for code, name, short, kind, founded in CHAIN:
        branch = Branch.objects.filter(code=code).first()
        if branch is None:
            branch = services.create_branch(
                parent=parent,
                code=code,
                name=name,
                short_name=short,
                kind=kind,
                founded_on=founded,
            )
        branches[code] = branch
        parent = branch
    for unit in SUB_UNITS:
        branch = Branch.objects.filter(code=unit.code).first()
        if branch is None:
            branch = services.create_branch(
                parent=branches["hp-skhcn"],
                code=unit.code,
                name=unit.name,
                short_name=unit.short_name,
                kind=BranchKind.SUB_UNION,
                founded_on=date(2005, 1, 1),
            )
        branches[unit.code] = branch
    return branches


def _add_members(branches: dict[str, Branch]) -> None:
    """185 members on the congress day (91 women), then some joining and leaving later."""
    rng = random.Random(2017)
    serial = 1700001
    for unit in SUB_UNITS:
        genders = [Gender.FEMALE] * unit.women + [Gender.MALE] * (unit.members - unit.women)
        rng.shuffle(genders)
        for gender in genders:
            born = _day_between(rng, date(1962, 1, 1), date(1995, 12, 31))
            joined = _day_between(
                rng, max(born.replace(year=born.year + 22), date(1990, 1, 1)), date(2017, 11, 30)
            )
            services.add_member(
                branch=branches[unit.code],
                full_name=_name(rng, gender),
                gender=gender,
                birth_date=born,
                ethnicity="Kinh",
                card_number=f"HP{serial}",
                joined_union_on=joined,
                started_on=max(joined, date(2005, 1, 1)),
            )
            serial += 1
    # After the congress: newcomers, departures and one transfer.
    for year in range(2018, 2023):
        for _ in range(3):
            gender = rng.choice([Gender.FEMALE, Gender.MALE])
            unit = rng.choice(SUB_UNITS)
            joined = _day_between(rng, date(year, 2, 1), date(year, 11, 30))
            services.add_member(
                branch=branches[unit.code],
                full_name=_name(rng, gender),
                gender=gender,
                birth_date=_day_between(rng, date(1990, 1, 1), date(1999, 12, 31)),
                ethnicity="Kinh",
                card_number=f"HP{serial}",
                joined_union_on=joined,
            )
            serial += 1
    veterans = list(
        Member.objects.filter(
            branch__code__in=[u.code for u in SUB_UNITS], birth_date__lt=date(1964, 6, 1)
        ).order_by("card_number")[:6]
    )
    for index, member in enumerate(veterans):
        services.mark_left(
            member=member, on=date(2019 + index % 4, 6, 30), reason=LeaveReason.RETIRED
        )
    mover = (
        Member.objects.filter(branch__code="hp-skhcn-tt", status="active")
        .order_by("card_number")
        .first()
    )
    if mover is not None:
        services.transfer_member(
            member=mover, to_branch=branches["hp-skhcn-ud"], on=date(2020, 3, 1)
        )


def _ensure_users(branches: dict[str, Branch]) -> None:
    users = get_user_model()
    for username, superuser, role, code in USERS:
        user = users.objects.filter(username=username).first()
        if user is None:
            user = users.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                is_superuser=superuser,
                is_staff=superuser,
            )
        if role is not None and code is not None:
            Grant.objects.get_or_create(user=user, branch=branches[code], role=role)
    member_user = users.objects.get(username="member")
    if not Member.objects.filter(user=member_user).exists():
        first = Member.objects.filter(
            branch__code="hp-skhcn-vp", status="active", user__isnull=True
        )
        chosen = first.order_by("card_number").first()
        if chosen is not None:
            chosen.user = member_user
            chosen.save(update_fields=["user"])


@transaction.atomic
def load(*, reset: bool = False) -> list[str]:
    """Create what is missing of the demo; with `reset`, remove the demo tree and users first.
    Returns what was done, for the command to print."""
    done: list[str] = []
    if reset:
        remove()
        done.append("removed the demo data")
    fresh = not Branch.objects.filter(code="hp-skhcn").exists()
    branches = _ensure_branches()
    sub_unit_codes = [u.code for u in SUB_UNITS]
    if fresh and not Member.objects.filter(branch__code__in=sub_unit_codes).exists():
        _add_members(branches)
        done.append("created the demo tree and its members")
    else:
        done.append("the demo tree exists already; nothing to add")
    _ensure_users(branches)
    return done


def remove() -> None:
    """Delete the demo tree (everything under vgcl) and the demo users."""
    from .models import BranchMove, BranchTally, Membership

    root = Branch.objects.filter(code=CHAIN[0][0]).first()
    get_user_model().objects.filter(username__in=[u[0] for u in USERS]).delete()
    if root is None:
        return
    subtree = Branch.objects.filter(path__subtree=root.path)
    Membership.objects.filter(branch__in=subtree).delete()
    Member.objects.filter(branch__in=subtree).delete()
    BranchTally.objects.filter(branch__in=subtree).delete()
    BranchMove.objects.filter(branch__in=subtree).delete()
    Grant.objects.filter(branch__in=subtree).delete()
    subtree.delete()
