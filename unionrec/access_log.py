"""The access log (reliability-security test 52): every view of a member list or a member's
record, every download of a file with people's data in it (PDF, Excel, CSV, JSON, an export's
file, a congress document, a target's evidence, a member's own data) and the API's member
endpoints write a line to the `unionrec.access_log` logger: who (user id), what (the URL's
name and its ids), with which filters, and the answer's status.

Every refusal of a record's URL (issue 16 item 3, reliability-security test 49) writes the same
line at WARNING: a 403 or 404 answered on any route that names a record (a branch's code, a
term's, congress's, election's, target's id, in the pages or the API), whether the record is
out of the user's reach or does not exist, so guessing ids leaves a trace. unionrec.access
logs why a branch was refused, too.

Nothing personal goes into the line (test 51): the user and the objects by id only, and of the
query string only the values of the filters in SAFE_PARAMETERS; any other parameter (a name
or card number typed into the search box) is written as `key=*`. CR and LF are escaped (test
50). Where the lines go is the logging configuration's choice: the console by default, and a
file of its own when UNIONREC_ACCESS_LOG names one (settings.LOGGING)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .access import log_safe

log = logging.getLogger("unionrec.access_log")

# URL names (with their namespace) that show members' personal data on a page or in the API,
# and the one download whose route does not end like a file (a congress document).
AUDITED_VIEWS = frozenset(
    {
        "members:member_list",
        "members:member",
        "members:member_edit",
        "members:member_transfer",
        "members:member_leave",
        "members:import_job",
        "member-list",
        "member-detail",
        "reports:exports",
        "reports:export",
        "congresses:document",
        "congresses:people",
    }
)
# Route endings of downloads: every file the application serves is audited.
DOWNLOAD_ENDINGS = (".pdf", ".xlsx", ".csv", ".json", "/file/", "/evidence/")
SAFE_PARAMETERS = frozenset(
    {
        "branch",
        "gender",
        "status",
        "age_band",
        "lang",
        "as_of",
        "compare",
        "page",
        "page_size",
        "sort",
        "on",
        "term",
        "kind",
        "current",
        "verdict",
        "resolution",
        "congress",
    }
)


REFUSALS = frozenset({403, 404})


def is_audited(view_name: str, route: str) -> bool:
    return view_name in AUDITED_VIEWS or route.endswith(DOWNLOAD_ENDINGS)


def is_refusal(status: int, ids: dict[str, object]) -> bool:
    """Whether an answer is a refusal of a record's URL (a route with an id or a code)."""
    return status in REFUSALS and bool(ids)


def _query(request: HttpRequest) -> str:
    parts = []
    for key in sorted(request.GET):
        if key in SAFE_PARAMETERS:
            parts.append(f"{key}={','.join(request.GET.getlist(key))}")
        else:
            parts.append(f"{key}=*")
    return log_safe("&".join(parts)[:300]) or "-"


class AccessLogMiddleware:
    """Writes the access log's line for each audited request, after the view has answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is None:
            return response
        refused = is_refusal(response.status_code, match.kwargs)
        if refused or is_audited(match.view_name, match.route or ""):
            objects = ",".join(f"{key}={value}" for key, value in sorted(match.kwargs.items()))
            objects = objects[:200]  # a guessed id may be any text the route's pattern takes
            user = getattr(request, "user", None)
            log.log(
                logging.WARNING if refused else logging.INFO,
                "access user=%s method=%s view=%s objects=%s query=%s status=%s",
                getattr(user, "pk", None) or "-",
                request.method,
                log_safe(match.view_name),
                log_safe(objects) or "-",
                _query(request),
                response.status_code,
            )
        return response
