"""Women's representation's dataset (reports.datasets.representation) counts the records of
the congress: its members on the day, its delegates, candidates and those elected, per
election and per sub-unit, and finds the resolution's targets about women by their words."""

from __future__ import annotations

import pytest

from congresses.models import Post, PostKind
from members.models import Branch, Gender
from members.statistics import direct_count
from reports.datasets.representation import mentions_women, representation
from tests.reports.conftest import DAY, WOMEN_TARGET


@pytest.mark.django_db
def test_womens_representation_counts_the_records(seed_congress):
    congress = seed_congress
    found = representation(congress)
    assert (found.members.total, found.members.women) == (185, 91)
    candidacies = [c for e in congress.elections.all() for c in e.candidates.all()]
    candidates = list({c.member_id or c.person_name: c for c in candidacies}.values())  # people
    assert found.candidates.total == len(candidates)
    assert found.candidates.women == sum(1 for c in candidates if c.gender == Gender.FEMALE)
    delegates = list(congress.delegates.select_related("member"))
    assert found.delegates.total == len(delegates)
    assert found.delegates.women == sum(1 for d in delegates if d.member.gender == Gender.FEMALE)
    posts = Post.objects.filter(
        term=congress.term, starts_on=DAY, kind__in=[PostKind.EXECUTIVE, PostKind.CHAIR]
    )
    people = {post.member_id: post.member.gender for post in posts.select_related("member")}
    genders = list(people.values())  # the chair holds two posts and is one person
    assert (found.elected.total, found.elected.women) == (
        len(genders),
        genders.count(Gender.FEMALE),
    )
    assert sum(unit.candidates.total for unit in found.sub_units) == found.candidates.total


@pytest.mark.django_db
def test_each_sub_unit_row_counts_its_members_candidates_and_those_elected(seed_congress):
    congress = seed_congress
    found = representation(congress)
    candidacies = [
        c for e in congress.elections.all() for c in e.candidates.select_related("member__branch")
    ]
    candidates = list({c.member_id or c.person_name: c for c in candidacies}.values())  # people
    for unit in found.sub_units:
        branch = Branch.objects.get(code=unit.code)
        counts = direct_count(branch, DAY)
        assert (unit.members.total, unit.members.women) == (counts.members, counts.women)
        mine = [c for c in candidates if c.member and c.member.branch.path.startswith(branch.path)]
        assert unit.candidates.total == len(mine)
        assert unit.candidates.women == sum(c.gender == Gender.FEMALE for c in mine)
    assert sum(u.elected.total for u in found.sub_units) == found.elected.total
    assert [t.title for t in found.targets] == [WOMEN_TARGET]


@pytest.mark.parametrize(
    ("title", "mentions"),
    [
        ("Tỷ lệ nữ trong Ban Chấp hành", True),
        ("Cán bộ nữ công được bồi dưỡng", True),
        ("Share of women on the committee", True),
        ("Số đoàn viên công đoàn", False),
        ("Ứng dụng khoa học vào công việc nuôi trồng", False),
    ],
)
def test_targets_about_women_are_found_by_their_words(title, mentions):
    assert mentions_women(title) is mentions
