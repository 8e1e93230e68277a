"""Demo resolutions of hp-skhcn, recorded through the services: the 2017–2022 resolution with
yearly progress and its mid-term and end-of-term reviews, and the 2022–2027 resolution of the
term running now, with progress up to 2025.

The directions and campaigns are written for the demo; the targets, their figures and the
reviews are invented, except the membership figures, which are counted from the demo register
on each day (members.statistics), as a secretary would read them off the register.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import translation

from congresses.models import Congress, Post, PostKind, Term
from congresses.resolutions import progress, services
from congresses.resolutions.models import ItemKind, Resolution, ReviewKind, Target
from members.domain import share
from members.models import Branch, Gender
from members.statistics import statistics

UNITS = ["hp-skhcn-vp", "hp-skhcn-ql", "hp-skhcn-tdc", "hp-skhcn-ud", "hp-skhcn-kt", "hp-skhcn-tt"]

DIRECTIONS_2017 = [
    "Đại diện, chăm lo và bảo vệ quyền, lợi ích hợp pháp của đoàn viên; cùng lãnh đạo Sở xây "
    "dựng môi trường làm việc dân chủ, an toàn, đoàn kết.",
    "Tuyên truyền để đoàn viên hiểu và thực hiện đúng chủ trương, chính sách, pháp luật và nhiệm "
    "vụ chuyên môn của ngành khoa học và công nghệ thành phố.",
    "Phát động các phong trào thi đua gắn với công việc hằng ngày; khuyến khích sáng kiến và ứng "
    "dụng tiến bộ khoa học, công nghệ vào quản lý.",
    "Củng cố tổ chức công đoàn các cấp trong Sở, phát triển đoàn viên, bồi dưỡng nghiệp vụ cho "
    "cán bộ công đoàn bộ phận.",
    "Làm tốt công tác kiểm tra, giám sát của công đoàn và công tác nữ công.",
]
CAMPAIGNS_2017 = [
    (
        "Lao động giỏi, lao động sáng tạo",
        date(2018, 1, 1),
        date(2022, 11, 1),
        "Mỗi năm mỗi công đoàn bộ phận đăng ký ít nhất một đề tài hoặc sáng kiến cải tiến "
        "công việc.",
    ),
    (
        "Giỏi việc nước, đảm việc nhà",
        date(2018, 3, 8),
        None,
        "Phong trào của nữ đoàn viên, tổng kết vào dịp 8/3 và 20/10 hằng năm.",
    ),
    ("Cơ quan văn hóa, an toàn", date(2018, 1, 1), date(2022, 11, 1), ""),
]
DIRECTIONS_2022 = [
    "Chăm lo việc làm, thu nhập và đời sống tinh thần của đoàn viên trong giai đoạn sắp xếp "
    "lại tổ chức bộ máy.",
    "Đẩy mạnh chuyển đổi số trong hoạt động công đoàn: hồ sơ đoàn viên, sinh hoạt và báo cáo "
    "trên môi trường số.",
    "Nâng chất lượng hoạt động của công đoàn bộ phận; phát triển đoàn viên ở các đơn vị mới "
    "tuyển dụng.",
]

# (title, kind, baseline, target, unit) and figures as (day, value); None counts the register.
YEAR_ENDS_2017 = [
    date(2018, 12, 31),
    date(2019, 12, 31),
    date(2020, 12, 31),
    date(2021, 12, 31),
    date(2022, 10, 15),
]
YEAR_ENDS_2022 = [date(2023, 12, 31), date(2024, 12, 31), date(2025, 12, 31)]


def _figures(target: Target, values: list[tuple[date, object]], branch: Branch) -> None:
    for day, value in values:
        actual = statistics(branch, day).members if value is None else value
        progress.record_progress(
            target=target, on=day, actual=actual, note="Số liệu báo cáo cuối năm"
        )


def _split(target: Target, values: dict[str, tuple[int, list[int]]], days: list[date]) -> None:
    units = {b.code: b for b in Branch.objects.filter(code__in=UNITS)}
    parts = services.split_target(
        target=target, parts=[(units[code], goal, None) for code, (goal, _f) in values.items()]
    )
    for part, (_goal, figures) in zip(parts, values.values(), strict=True):
        for day, value in zip(days, figures, strict=False):
            progress.record_progress(target=part, on=day, actual=value)


def _women_share(term: Term | None, day: date) -> Decimal:
    """The share of women among the executive committee members of `term` on `day`."""
    if term is None:
        return Decimal(0)
    posts = Post.objects.held_on(day).filter(term=term, kind=PostKind.EXECUTIVE)
    genders = list(posts.values_list("member__gender", flat=True))
    return share(genders.count(Gender.FEMALE), len(genders)) or Decimal(0)


def _term_2017(congress: Congress, union: Branch) -> Resolution:
    resolution = services.create_resolution(
        congress=congress,
        preamble="Đại hội Công đoàn Sở Khoa học và Công nghệ Hải Phòng nhiệm kỳ 2017–2022 thống "
        "nhất các phương hướng, nhiệm vụ và chỉ tiêu sau.",
    )
    for text in DIRECTIONS_2017:
        services.add_direction(resolution=resolution, text=text)
    for name, start, end, description in CAMPAIGNS_2017:
        services.add_campaign(
            resolution=resolution, name=name, starts_on=start, ends_on=end, description=description
        )
    members = services.add_target(
        resolution=resolution,
        title="Số đoàn viên công đoàn",
        kind="count",
        baseline=185,
        target_value=195,
        unit="đoàn viên",
        responsible_post="chair",
    )
    _figures(members, [(day, None) for day in YEAR_ENDS_2017], union)
    strong = services.add_target(
        resolution=resolution,
        title="Tỷ lệ công đoàn bộ phận đạt vững mạnh",
        kind="percentage",
        baseline=Decimal("66.7"),
        target_value=100,
    )
    _figures(
        strong,
        list(
            zip(
                YEAR_ENDS_2017,
                [Decimal("66.7"), Decimal("83.3"), Decimal("83.3"), 100, 100],
                strict=True,
            )
        ),
        union,
    )
    trained = services.add_target(
        resolution=resolution,
        title="Đoàn viên được bồi dưỡng nghiệp vụ công đoàn",
        kind="count",
        baseline=0,
        target_value=120,
        unit="lượt",
    )
    _split(
        trained,
        {
            "hp-skhcn-vp": (25, [6, 11, 15, 20, 24]),
            "hp-skhcn-ql": (22, [5, 9, 12, 18, 23]),
            "hp-skhcn-tdc": (20, [3, 6, 8, 12, 14]),
            "hp-skhcn-ud": (20, [4, 8, 12, 17, 21]),
            "hp-skhcn-kt": (18, [4, 7, 10, 14, 18]),
            "hp-skhcn-tt": (15, [2, 5, 7, 10, 12]),
        },
        YEAR_ENDS_2017,
    )
    rules = services.add_target(
        resolution=resolution,
        title="Ký quy chế phối hợp giữa công đoàn và lãnh đạo Sở",
        kind="yes_no",
        deadline=date(2018, 12, 31),
    )
    progress.record_progress(
        target=rules, on=date(2018, 9, 14), actual=1, note="Quy chế ký ngày 14/9/2018"
    )
    ideas = services.add_target(
        resolution=resolution,
        title="Tỷ lệ đoàn viên có sáng kiến được công nhận",
        kind="percentage",
        baseline=8,
        target_value=20,
    )
    _figures(ideas, list(zip(YEAR_ENDS_2017, [9, 11, 12, 14, 16], strict=True)), union)
    # Women on the executive committee: the baseline is the outgoing committee's share, the
    # figure the new one's, both counted from the posts.
    women = services.add_target(
        resolution=resolution,
        title="Tỷ lệ nữ trong Ban Chấp hành",
        kind="percentage",
        baseline=_women_share(congress.term.previous, date(2017, 12, 22)),
        target_value=50,
    )
    progress.record_progress(
        target=women,
        on=congress.held_on,
        actual=_women_share(congress.term, congress.held_on),
        note="Ban Chấp hành do Đại hội bầu",
    )
    progress.hold_review(resolution=resolution, kind=ReviewKind.MID_TERM, held_on=date(2020, 7, 10))
    review = progress.hold_review(
        resolution=resolution, kind=ReviewKind.END_OF_TERM, held_on=date(2022, 10, 20)
    )
    progress.add_item(
        review=review,
        kind=ItemKind.ACHIEVEMENT,
        text="Giữ được sự đoàn kết và nề nếp sinh hoạt của các công đoàn bộ phận "
        "trong hai năm dịch bệnh.",
    )
    progress.add_item(
        review=review,
        kind=ItemKind.SHORTCOMING,
        text="Bồi dưỡng nghiệp vụ ở các trung tâm còn chậm do cán bộ thường xuyên "
        "đi công tác cơ sở.",
    )
    return resolution


def _term_2022(congress: Congress, union: Branch) -> Resolution:
    resolution = services.create_resolution(
        congress=congress,
        preamble="Nghị quyết Đại hội nhiệm kỳ 2022–2027: tiếp nối kết quả nhiệm kỳ trước, tập "
        "trung vào chăm lo đoàn viên và chuyển đổi số.",
    )
    for text in DIRECTIONS_2022:
        services.add_direction(resolution=resolution, text=text)
    services.add_campaign(
        resolution=resolution, name="Lao động giỏi, lao động sáng tạo", starts_on=date(2023, 1, 1)
    )
    members = services.add_target(
        resolution=resolution,
        title="Số đoàn viên công đoàn",
        kind="count",
        baseline=190,
        target_value=200,
        unit="đoàn viên",
        responsible_post="chair",
    )
    _figures(members, [(day, None) for day in YEAR_ENDS_2022], union)
    strong = services.add_target(
        resolution=resolution,
        title="Tỷ lệ công đoàn bộ phận đạt vững mạnh",
        kind="percentage",
        baseline=100,
        target_value=100,
    )
    _figures(
        strong,
        [
            (date(2023, 12, 31), 100),
            (date(2024, 12, 31), 100),
            (date(2025, 12, 31), Decimal("83.3")),
        ],
        union,
    )
    trained = services.add_target(
        resolution=resolution,
        title="Đoàn viên được bồi dưỡng nghiệp vụ công đoàn",
        kind="count",
        baseline=0,
        target_value=150,
        unit="lượt",
    )
    _split(
        trained,
        {
            "hp-skhcn-vp": (30, [8, 15, 21]),
            "hp-skhcn-ql": (28, [7, 13, 20]),
            "hp-skhcn-tdc": (25, [3, 6, 9]),
            "hp-skhcn-ud": (25, [6, 12, 18]),
            "hp-skhcn-kt": (22, [5, 10, 16]),
            "hp-skhcn-tt": (20, [4, 9, 14]),
        },
        YEAR_ENDS_2022,
    )
    services.add_target(
        resolution=resolution,
        title="Số hóa toàn bộ hồ sơ đoàn viên trên phần mềm của Tổng Liên đoàn",
        kind="yes_no",
        responsible_post="vice_chair",
    )
    return resolution


@transaction.atomic
def load() -> list[str]:
    """Add the demo resolutions of hp-skhcn if they are missing (their terms' congresses must
    exist: congresses.demo.load)."""
    union = Branch.objects.filter(code="hp-skhcn").first()
    congresses = {
        c.term.label: c for c in Congress.objects.filter(term__branch=union).select_related("term")
    }
    if "2017–2022" not in congresses or "2022–2027" not in congresses:
        return ["the demo congresses are missing; no resolutions added"]
    if Resolution.objects.filter(congress__in=congresses.values()).exists():
        return ["the demo resolutions exist already; nothing to add"]
    assert union is not None
    with translation.override("vi"):  # the drafted review items are written in Vietnamese
        _term_2017(congresses["2017–2022"], union)
        _term_2022(congresses["2022–2027"], union)
    return ["added the resolutions 2017–2022 (with its reviews) and 2022–2027 of hp-skhcn"]


def remove() -> None:
    """Delete the demo tree's resolutions (for load_demo --reset)."""
    root = Branch.objects.filter(code="vgcl").first()
    if root is not None:
        Resolution.objects.filter(congress__term__branch__path__subtree=root.path).delete()
