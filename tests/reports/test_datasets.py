"""The datasets of the term summary, the statistics and women's representation equal the
database's own aggregates (a direct count of the membership periods, the records)."""

from datetime import date

import pytest

from congresses import demo as congress_demo
from congresses.models import Congress, Post, PostKind, Term
from congresses.resolutions import demo as demo_resolutions
from members.models import Branch
from members.statistics import direct_count
from reports.datasets.representation import mentions_women, representation
from reports.datasets.statistics import statistics_report
from reports.datasets.summary import term_summary

pytestmark = pytest.mark.django_db

DAY = date(2017, 12, 23)


@pytest.fixture
def seed(demo):
    congress_demo.load()
    demo_resolutions.load()
    return Term.objects.get(branch__code="hp-skhcn", label="2017–2022")


def test_the_term_summary_of_the_seed_case(seed):
    summary = term_summary(seed, as_of=date(2022, 11, 1))
    figures = summary.figures
    assert (figures.members, figures.women, str(figures.women_share)) == (185, 91, "49.2")
    assert len(summary.sub_units) == figures.sub_units == 6
    assert sum(unit.members for unit in summary.sub_units) == 185
    assert summary.executive_size == 9
    assert summary.congress.held_on == DAY and summary.congress.quorum_met
    executive = next(e for e in summary.elections if e.kind == "executive")
    assert (executive.seats, executive.candidates, len(executive.elected)) == (9, 11, 9)
    posts = Post.objects.held_on(date(2022, 11, 1)).filter(term=seed, kind=PostKind.EXECUTIVE)
    assert {line.name for line in summary.committee if line.post == "executive"} == set(
        posts.values_list("person_name", flat=True)
    )
    assert summary.directions and summary.targets and summary.reviews


def test_statistics_rows_and_totals_equal_a_direct_count(seed):
    union = Branch.objects.get(code="hp-skhcn")
    report = statistics_report(union, as_of=date(2022, 12, 31), compare_on=DAY)
    assert report.total.members == direct_count(union, date(2022, 12, 31)).members
    assert report.total.members_before == 185
    for row in report.rows:
        unit = Branch.objects.get(code=row.code)
        assert (row.members, row.women) == (
            direct_count(unit, date(2022, 12, 31)).members,
            direct_count(unit, date(2022, 12, 31)).women,
        )
        assert row.members_before == direct_count(unit, DAY).members
    assert (
        sum(r.members for r in report.rows) + (report.direct.members if report.direct else 0)
        == report.total.members
    )


def test_womens_representation_counts_the_records(seed):
    congress = Congress.objects.get(term=seed)
    found = representation(congress)
    assert (found.members.total, found.members.women) == (185, 91)
    candidates = [c for e in congress.elections.all() for c in e.candidates.all()]
    assert found.candidates.total == len(candidates)
    assert found.candidates.women == sum(1 for c in candidates if c.gender == "female")
    delegates = list(congress.delegates.select_related("member"))
    assert found.delegates.total == len(delegates)
    assert found.delegates.women == sum(1 for d in delegates if d.member.gender == "female")
    assert sum(unit.candidates.total for unit in found.sub_units) == found.candidates.total


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
