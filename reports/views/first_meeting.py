"""The minutes of the first meeting of a term's executive committee as a PDF: the dataset
(reports.datasets.first_meeting) handed to its format (reports.formats.first_meeting). Scope
is checked on the term's branch (unionrec.records: 404 outside the user's subtrees, 403 for
the member role); 404 while the meeting is not recorded. Downloads as
reports.views.downloads describes them."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from unionrec.access import Need
from unionrec.records import term_for

from ..datasets.first_meeting import first_meeting_minutes
from ..formats.first_meeting import first_meeting_pdf as first_meeting_document
from .downloads import download, file_language, unknown_language

log = logging.getLogger("unionrec.reports")

FILE = {  # server-set names: the branch's code (a slug) and the term's number only
    "vi": "bien-ban-hoi-nghi-bch-lan-thu-nhat-{code}-{pk}.pdf",
    "en": "first-meeting-minutes-{code}-{pk}.pdf",
}


@require_safe
def first_meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    term, _level = term_for(request, pk, need=Need.READ)
    language = file_language(request)
    if language is None:
        return unknown_language()
    minutes = first_meeting_minutes(term)
    if minutes is None:
        raise Http404
    content = first_meeting_document(minutes, language=language)
    log.info("export: user=%s term=%s format=first-meeting lang=%s", request.user.pk, pk, language)
    filename = FILE.get(language, FILE["en"]).format(code=term.branch.code, pk=term.pk)
    return download(content, filename=filename, content_type="application/pdf", language=language)
