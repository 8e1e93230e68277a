"""The access log (reliability-security tests 50-52): member lists, members' records, the
API's member endpoints and every download write a line naming the user, the view and the
objects by id; nothing personal (a typed name or card number, a date of birth) reaches it,
and a CR/LF cannot forge a line."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.urls import reverse

from members.models import Gender
from tests.factories import member
from tests.url_routes import routes
from unionrec.access_log import is_audited

pytestmark = pytest.mark.django_db

LOGGER = "unionrec.access_log"


def lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


def test_every_download_and_every_member_page_is_audited():
    known = list(routes())
    downloads = [
        (route, name)
        for route, name in known
        if any(mark in route for mark in (".pdf", ".xlsx", ".csv", "file/", "evidence/"))
        and not name.startswith("admin:")
    ]
    assert len(downloads) >= 13, downloads  # minutes, summary, dossier, statistics, ...
    for route, name in downloads:
        assert is_audited(name, route), (route, name)
    for name in (
        "members:member_list",
        "members:member",
        "member-list",
        "member-detail",
        "congresses:document",
        "reports:export_file",
    ):
        route = next(r for r, n in known if n == name)
        assert is_audited(name, route), name
    assert not is_audited("members:branch", "branches/<slug:code>/")  # aggregates only


def test_the_member_list_and_a_record_are_logged_without_what_was_typed(client_as, tree, caplog):
    person = member(
        tree.union,
        "Trần Thị Hoa",
        Gender.FEMALE,
        card_number="HP-123456",
        birth_date=date(1987, 4, 9),
    )
    client = client_as("secretary")
    caplog.set_level(logging.INFO, logger=LOGGER)
    client.get(
        reverse("members:member_list"), {"search": "Trần Thị\r\nHoa HP-123456", "gender": "female"}
    )
    client.get(reverse("members:member", args=[person.pk]))
    found = lines(caplog)
    assert len(found) == 2, found
    user = client.session["_auth_user_id"]
    assert found[0].startswith(f"access user={user} method=GET view=members:member_list ")
    assert "gender=female" in found[0] and "search=*" in found[0] and "status=200" in found[0]
    assert f"objects=pk={person.pk}" in found[1]
    text = "\n".join(found)
    for secret in ("Trần", "Hoa", "HP-123456", "123456", "1987", "09/04"):
        assert secret not in text


def test_downloads_and_the_api_are_logged(client_as, tree, caplog):
    member(tree.union, "Lê Văn Nam", Gender.MALE)
    client = client_as("secretary")
    caplog.set_level(logging.INFO, logger=LOGGER)
    client.get(reverse("reports:roster_xlsx"), {"branch": "union", "lang": "en"})
    client.get(reverse("member-list"))
    client.get(reverse("members:branch", args=["union"]))  # aggregates: not logged
    found = lines(caplog)
    assert len(found) == 2, found
    assert "view=reports:roster_xlsx" in found[0] and "branch=union" in found[0]
    assert "status=200" in found[0]
    assert "view=member-list" in found[1]


def test_a_refused_request_is_logged_with_its_status(client_as, tree, caplog):
    stranger = member(tree.far_union, "Phạm Văn An", Gender.MALE)
    client = client_as("secretary")
    caplog.set_level(logging.INFO, logger=LOGGER)
    assert client.get(reverse("members:member", args=[stranger.pk])).status_code == 404
    assert lines(caplog) and "status=404" in lines(caplog)[-1]


# Record URLs of every kind, on pages and in the API (issue 16 item 3, test 49).
RECORD_ROUTES = [
    ("congresses:term", "/terms/{pk}/"),
    ("congresses:congress", "/congresses/{pk}/"),
    ("congresses:election", "/elections/{pk}/"),
    ("congresses:target", "/targets/{pk}/"),
    ("members:member", "/members/{pk}/"),
    ("term-detail", "/api/v1/terms/{pk}/"),
    ("congress-detail", "/api/v1/congresses/{pk}/"),
    ("election-detail", "/api/v1/elections/{pk}/"),
    ("target-detail", "/api/v1/targets/{pk}/"),
    ("member-detail", "/api/v1/members/{pk}/"),
]


def warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelname == "WARNING"]


@pytest.mark.parametrize(("view", "url"), RECORD_ROUTES, ids=[v for v, _u in RECORD_ROUTES])
def test_guessing_an_id_that_does_not_exist_leaves_a_line(client_as, caplog, view, url):
    client = client_as("secretary")
    caplog.set_level(logging.INFO, logger=LOGGER)
    assert client.get(url.format(pk=987654)).status_code == 404
    user = client.session["_auth_user_id"]
    assert warnings(caplog) == [
        f"access user={user} method=GET view={view} objects=pk=987654 query=- status=404"
    ]


def test_a_record_out_of_reach_and_a_forbidden_write_leave_a_line(client_as, tree, caplog):
    from tests.congresses.helpers import held_congress

    far = held_congress(tree.far_union, summoned=10, present=9)
    client = client_as("secretary")
    caplog.set_level(logging.INFO, logger=LOGGER)
    assert client.get(f"/congresses/{far.pk}/").status_code == 404
    assert client.get(f"/api/v1/terms/{far.term_id}/").status_code == 404
    reviewer = client_as("reviewer")
    own = held_congress(tree.union, summoned=10, present=9)
    assert reviewer.post(f"/congresses/{own.pk}/edit/").status_code == 403
    found = warnings(caplog)
    assert len(found) == 3, found
    assert f"view=congresses:congress objects=pk={far.pk} " in found[0]
    assert f"view=term-detail objects=pk={far.term_id} " in found[1]
    assert "method=POST view=congresses:congress_edit" in found[2] and "status=403" in found[2]
    for line in found:  # nothing personal: the user and the record by id
        assert "far-union" not in line


def test_an_answered_record_outside_the_audited_views_writes_nothing(client_as, tree, caplog):
    from tests.congresses.helpers import held_congress

    own = held_congress(tree.union, summoned=10, present=9)
    caplog.set_level(logging.INFO, logger=LOGGER)
    assert client_as("secretary").get(f"/congresses/{own.pk}/").status_code == 200
    assert lines(caplog) == []
