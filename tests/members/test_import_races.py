"""Two secretaries committing the same member list at once (issue 12 item 6; reliability-security
test 28): the commits queue on the lock of the import's branch and its ancestors
(members.locks, taken before the rows are checked again), so the second one finds the first
one's members, adds none of them and says so. Without card numbers, members are matched by
name and date of birth within the subtree, which is not a unique key: namesakes exist.

The threaded tests pause each commit between its check and its writes (tests.races.Meeting),
so that commits that were not serialised would both write every time."""

from datetime import date
from itertools import product

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from members import imports
from members.jobs import ImportJob, ImportStatus
from members.models import Gender, Member
from members.statistics import direct_count, statistics, today
from tests.factories import member, persona, user
from tests.member_lists import workbook
from tests.races import Meeting, run_together

FAMILIES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"]
MIDDLES = ["Văn", "Thị", "Minh", "Thu", "Quốc", "Ngọc", "Đức", "Thanh", "Hữu", "Kim"]
GIVEN = ["Hoa", "Khoa", "Trang", "Nam", "Lan"]
SUB_UNITS = ["unit-a", "unit-b", ""]  # "": the union itself
ROWS = [  # 300 people without card numbers: name, gender, date of birth, card, joined, sub-unit
    [
        f"{family} {middle} {given}",
        "Nữ" if n % 2 else "Nam",
        f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1970 + n % 30}",
        "",
        "01/02/2015",
        SUB_UNITS[n % 3],
    ]
    for n, (family, middle, given) in enumerate(product(FAMILIES, MIDDLES, GIVEN))
]
DAYS = (date(2014, 12, 31), date(2015, 2, 1), today())


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def namesake(tree):
    """Someone of another union with the name and date of birth of the list's first row."""
    return member(tree.other, ROWS[0][0], Gender.MALE, birth_date=date(1970, 1, 1))


@pytest.fixture
def secretaries(tree):
    """Two secretaries of the union, each logged in on a client of their own."""
    clients = []
    for account in (persona(tree, "secretary"), user("second", "secretary", tree.union)):
        client = Client()
        client.force_login(account)
        clients.append(client)
    return clients


def previewed(client):
    """The job of the list as `client` uploads it: checked, 300 new members."""
    upload = SimpleUploadedFile("danh-sach.xlsx", workbook(ROWS))
    client.post(reverse("members:import", args=["union"]), {"file": upload})
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportStatus.PREVIEWED
    assert job.preview["counts"] == {"new": 300, "update": 0, "unchanged": 0, "error": 0}
    return job


def commit(client, job):
    return lambda: client.post(reverse("members:import_commit", args=[job.pk])).status_code


@pytest.fixture
def meeting(monkeypatch):
    """Each commit pauses once it has checked the rows again, before it writes."""
    meet, check = Meeting(), imports.check_parsed

    def checked(*args, **kwargs):
        preview = check(*args, **kwargs)
        meet()
        return preview

    monkeypatch.setattr(imports, "check_parsed", checked)


def assert_register_of_300(tree, namesake):
    assert Member.objects.exclude(pk=namesake.pk).count() == 300
    assert Member.objects.filter(full_name=ROWS[0][0], birth_date=date(1970, 1, 1)).count() == 2
    for node in tree.branches:
        node.refresh_from_db()
        for day in DAYS:
            assert statistics(node, day).counts == direct_count(node, day), (node.code, day)
    figures = statistics(tree.union, today())
    assert (figures.members, figures.women) == (300, 150)
    assert statistics(tree.root, today()).members == 301  # with the namesake


@pytest.mark.django_db(transaction=True)
def test_two_secretaries_committing_the_same_list_at_once_add_it_once(
    tree, namesake, secretaries, meeting, english
):
    jobs = [previewed(client) for client in secretaries]
    answers = run_together(*(commit(c, j) for c, j in zip(secretaries, jobs, strict=True)))
    assert answers == [302, 302]
    assert_register_of_300(tree, namesake)
    for job in jobs:
        job.refresh_from_db()
    first, second = sorted(jobs, key=lambda job: -job.created_count)
    assert (first.status, first.created_count, first.unchanged_count) == ("committed", 300, 0)
    assert (second.status, second.created_count, second.updated_count) == ("committed", 0, 0)
    assert second.unchanged_count == 300 and "The register changed" in second.message
    page = secretaries[jobs.index(second)].get(reverse("members:import_job", args=[second.pk]))
    assert "0 members added, 0 updated and 300 already in the register" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_one_job_committed_from_two_pages_at_once_is_written_once(
    tree, namesake, secretaries, meeting, english
):
    job = previewed(secretaries[0])
    answers = run_together(*(commit(client, job) for client in secretaries))
    assert answers == [302, 302]
    assert_register_of_300(tree, namesake)
    job.refresh_from_db()
    assert (job.status, job.created_count, job.unchanged_count, job.message) == (
        "committed",
        300,
        0,
        "",
    )


@pytest.mark.django_db
def test_the_second_of_two_commits_of_one_list_adds_nothing_and_says_so(
    tree, namesake, secretaries, english
):
    first, second = (previewed(client) for client in secretaries)
    response = secretaries[0].post(reverse("members:import_commit", args=[first.pk]), follow=True)
    assert "Imported: 300 members added, 0 updated, 0 already in the register." in (
        response.content.decode()
    )
    response = secretaries[1].post(reverse("members:import_commit", args=[second.pk]), follow=True)
    page = response.content.decode()
    assert "Imported: 0 members added, 0 updated, 300 already in the register." in page
    assert "0 members added, 0 updated and 300 already in the register" in page
    assert "The register changed between the preview and the import" in page
    assert 'id="count-new">0<' in page and 'id="count-unchanged">300<' in page
    assert_register_of_300(tree, namesake)
