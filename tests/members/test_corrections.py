"""A member asks for a correction of their record from their start page; the secretaries of
the member's branch list the open requests and answer; the member reads the answer. A
reviewer cannot answer (403), another branch's secretary does not see the request (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from members.corrections import TEXT_MAX_LENGTH
from members.models import CorrectionRequest, CorrectionStatus
from tests.factories import member, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def lan(tree):
    lan = member(tree.unit_a, "Nguyễn Thị Lan")
    lan.user = user("lan", "member", tree.unit_a)
    lan.save()
    return lan


def ask(client, text):
    return client.post(reverse("members:correction_ask"), {"text": text}, follow=True)


def test_a_member_asks_the_secretary_answers_and_the_member_reads_the_answer(
    client, tree, lan, english
):
    client.force_login(lan.user)
    page = ask(client, "Ngày sinh của tôi là 14/03/1985.")
    assert "Your request was sent" in page.content.decode()
    request = CorrectionRequest.objects.get()
    assert (request.member, request.requested_by, request.status) == (
        lan,
        lan.user,
        CorrectionStatus.OPEN,
    )
    assert "Not answered yet." in page.content.decode()

    secretary = user("sec", "secretary", tree.union)
    client.force_login(secretary)
    assert "1 waiting for an answer" in client.get(reverse("home")).content.decode()
    listing = client.get(reverse("members:corrections")).content.decode()
    assert "Ngày sinh của tôi là 14/03/1985." in listing
    assert reverse("members:correction_answer", args=[request.pk]) in listing
    answered = client.post(
        reverse("members:correction_answer", args=[request.pk]),
        {"answer": "Đã sửa ngày sinh."},
        follow=True,
    )
    assert "Your answer to Nguyễn Thị Lan was saved" in answered.content.decode()
    assert "No request is waiting for an answer." in answered.content.decode()
    request.refresh_from_db()
    assert (request.status, request.answered_by) == (CorrectionStatus.ANSWERED, secretary)

    client.force_login(lan.user)
    assert "Đã sửa ngày sinh." in client.get(reverse("home")).content.decode()


def test_a_request_is_answered_once(client, tree, lan):
    client.force_login(lan.user)
    ask(client, "Sai tên.")
    request = CorrectionRequest.objects.get()
    client.force_login(user("sec", "secretary", tree.union))
    url = reverse("members:correction_answer", args=[request.pk])
    client.post(url, {"answer": "Đã sửa."})
    client.post(url, {"answer": "Sửa lần nữa."})
    request.refresh_from_db()
    assert request.answer == "Đã sửa."


@pytest.mark.parametrize("text", ["   ", "x" * (TEXT_MAX_LENGTH + 1)])
def test_an_empty_or_overlong_request_is_refused(client, lan, text):
    client.force_login(lan.user)
    page = ask(client, text)
    assert not CorrectionRequest.objects.exists()
    assert 'class="error"' in page.content.decode()


def test_a_user_without_a_member_record_cannot_ask(client, tree):
    client.force_login(user("clerk", "secretary", tree.union))
    response = client.post(reverse("members:correction_ask"), {"text": "Sai tên."})
    assert response.status_code == 404
    assert not CorrectionRequest.objects.exists()


@pytest.mark.parametrize(
    ("role", "branch", "status"),
    [
        ("reviewer", "prov", 403),  # reads the member's branch, writes nothing
        ("secretary", "other", 404),  # another branch: the request is out of reach
        ("secretary", "far_union", 404),
        ("member", "unit_a", 403),  # the member role of the same branch
    ],
)
def test_only_the_branchs_secretaries_answer(client, tree, lan, role, branch, status):
    client.force_login(lan.user)
    ask(client, "Sai tên.")
    request = CorrectionRequest.objects.get()
    client.force_login(user("someone", role, getattr(tree, branch)))
    response = client.post(
        reverse("members:correction_answer", args=[request.pk]), {"answer": "Không."}
    )
    assert response.status_code == status
    request.refresh_from_db()
    assert request.status == CorrectionStatus.OPEN
    listing = client.get(reverse("members:corrections"))
    assert listing.status_code == 403 or "Sai tên." not in listing.content.decode()


def test_the_list_is_refused_to_who_writes_nowhere(client, tree, lan):
    for role, branch in (("reviewer", tree.prov), ("member", tree.unit_a), (None, None)):
        client.force_login(user(f"u-{role}", role, branch))
        assert client.get(reverse("members:corrections")).status_code == 403


def test_the_list_says_so_when_nothing_waits(client, tree):
    client.force_login(user("sec", "secretary", tree.union))
    page = client.get(reverse("members:corrections")).content.decode()
    with translation.override("vi"):
        assert gettext("No request is waiting for an answer.") in page
