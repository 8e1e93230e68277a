"""The URL × role matrix (reliability-security test 10; issue 16 item 6): what each role gets
from a GET on every route of the URLconf, over the demo, one row a route. A route added
without its row fails here, so whoever adds a page decides who may open it.

Each cell is the answer to anonymous, member, reviewer, secretary and admin, in that order
(the demo's logins: the secretary of hp-skhcn, the reviewer of the city union above it, a
member of one of its sub-units):

    P  the page (200)              L  a redirect to the login page
    R  another redirect (302)      F  refused (403)
    N  not found, or out of reach (404)
    M  an action: only POST (405)  C  the record may no longer change (409)
    U  unavailable (503): /healthz, since no task worker runs in the tests

/metrics is not found (404) by anyone: it answers only a scraper that sends UNIONREC_METRICS's
token (tests/test_observability.py).

The ids are those of the demo's first record of each kind (tests/test_every_route.py), which
belong to hp-skhcn; a route that reads a query string gets it from QUERY."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.test_every_route import _filled, _ids, page_routes

ROLES = ("anonymous", "member", "reviewer", "secretary", "admin")
CODES = {200: "P", 302: "R", 403: "F", 404: "N", 405: "M", 409: "C", 503: "U"}
QUERY = {"members:member_add": "?branch=hp-skhcn"}

MATRIX = {
    "home": "LPPPP",
    "healthz": "UUUUU",
    "metrics": "NNNNN",
    "login": "PRRRR",
    "logout": "LMMMM",
    "set_language": "RRRRR",
    "members:tree": "LPPPP",
    "members:branch": "LPPPP",
    "members:branch_add": "LFFPP",
    "members:branch_edit": "LFFPP",
    "members:branch_move": "LFFFP",
    "members:member_list": "LFPPP",
    "members:member_add": "LFFPP",
    "members:corrections": "LFFPP",
    "members:correction_answer": "LMMMM",
    "members:correction_ask": "LMMMM",
    "members:member": "LFPPP",
    "members:member_edit": "LFFPP",
    "members:member_transfer": "LFFPP",
    "members:member_leave": "LFFPP",
    "members:import": "LFFPP",
    "members:import_job": "LNNNN",
    "members:import_commit": "LMMMM",
    "members:import_cancel": "LMMMM",
    "members:import_template": "LPPPP",
    "congresses:terms": "LFPPP",
    "congresses:term_add": "LFFPP",
    "congresses:term": "LFPPP",
    "congresses:term_extend": "LMMMM",
    "congresses:post_add": "LMMMM",
    "congresses:post_end": "LMMMM",
    "congresses:people": "LFFPP",
    "congresses:first_meeting": "LFFPP",
    "congresses:post_delete": "LMMMM",
    "congresses:congress_add": "LFFRR",
    "congresses:congress": "LFPPP",
    "congresses:congress_edit": "LFFRR",
    "congresses:congress_held": "LMMMM",
    "congresses:congress_submit": "LMMMM",
    "congresses:congress_recognise": "LMMMM",
    "congresses:congress_reopen": "LMMMM",
    "congresses:guest_add": "LMMMM",
    "congresses:guest_remove": "LMMMM",
    "congresses:seat_add": "LMMMM",
    "congresses:seat_remove": "LMMMM",
    "congresses:delegate_add": "LMMMM",
    "congresses:delegate_remove": "LMMMM",
    "congresses:document_add": "LMMMM",
    "congresses:document": "LNNNN",
    "congresses:election_add": "LFFRR",
    "congresses:election": "LFPPP",
    "congresses:election_edit": "LFFCC",
    "congresses:election_delete": "LMMMM",
    "congresses:candidate_add": "LMMMM",
    "congresses:candidate_paste": "LMMMM",
    "congresses:candidate_remove": "LMMMM",
    "congresses:round_add": "LMMMM",
    "congresses:round_edit": "LFFCC",
    "congresses:round_remove": "LMMMM",
    "congresses:election_decide": "LMMMM",
    "congresses:election_certify": "LMMMM",
    "congresses:election_reopen": "LMMMM",
    "congresses:calendar": "LFPPP",
    "congresses:goals": "LPPPP",
    "congresses:resolution": "LPPPP",
    "congresses:resolution_add": "LMMMM",
    "congresses:direction_add": "LMMMM",
    "congresses:direction_remove": "LMMMM",
    "congresses:campaign_add": "LMMMM",
    "congresses:campaign_remove": "LMMMM",
    "congresses:target_add": "LMMMM",
    "congresses:target": "LPPPP",
    "congresses:target_edit": "LMMMM",
    "congresses:target_split": "LMMMM",
    "congresses:target_remove": "LMMMM",
    "congresses:progress_add": "LMMMM",
    "congresses:progress_edit": "LFFPP",
    "congresses:evidence": "LFNNN",
    "congresses:review_add": "LMMMM",
    "congresses:review_item_add": "LMMMM",
    "congresses:review_item_edit": "LFFPP",
    "congresses:review_item_remove": "LMMMM",
    "congresses:term_compare": "LFPPP",
    "reports:my_data_json": "LPNNN",
    "reports:my_data_pdf": "LPNNN",
    "reports:minutes": "LFPPP",
    "reports:minutes_pdf": "LFPPP",
    "reports:minutes_xlsx": "LFPPP",
    "reports:first_meeting_pdf": "LFPPP",
    "reports:term_summary": "LFPPP",
    "reports:term_summary_pdf": "LFPPP",
    "reports:term_summary_xlsx": "LFPPP",
    "reports:dossier_pdf": "LFPPP",
    "reports:statistics": "LFPPP",
    "reports:statistics_pdf": "LFPPP",
    "reports:statistics_xlsx": "LFPPP",
    "reports:representation": "LFPPP",
    "reports:representation_pdf": "LFPPP",
    "reports:representation_xlsx": "LFPPP",
    "reports:roster_xlsx": "LFPPP",
    "reports:roster_pdf": "LFPPP",
    "reports:exports": "LPPPP",
    "reports:export": "LNNNN",
    "reports:export_file": "LNNNN",
}


def test_every_route_has_a_row():
    assert {name for _route, name in page_routes()} == set(MATRIX)


def _answer(client: Client, url: str) -> str:
    response = client.get(url)
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "L"
    return CODES.get(response.status_code, str(response.status_code))


@pytest.mark.django_db
def test_each_role_gets_what_its_row_says(_seed_for_module):
    ids = _ids()
    routes = page_routes()
    got: dict[str, list[str]] = {name: [] for _route, name in routes}
    for role in ROLES:
        client = Client()
        client.raise_request_exception = False
        if role != "anonymous":
            assert client.login(username=role, password="demo")
        for route, name in routes:
            got[name].append(_answer(client, _filled(route, ids) + QUERY.get(name, "")))
    differ = {
        name: f"expected {MATRIX[name]}, got {''.join(cells)}"
        for name, cells in got.items()
        if "".join(cells) != MATRIX.get(name)
    }
    assert differ == {}
