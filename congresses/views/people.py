"""The picker's suggestions: the members a person field of a term may name (congresses.people),
as JSON, for the secretary who may write the term's records (the pages that hold those fields
are shown to them alone)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from congresses.people import SUGGESTIONS, details, find_people, people_of
from unionrec.access import Need
from unionrec.records import term_for

QUERY_LENGTH = 150  # as long as a name may be


@require_safe
def people(request: HttpRequest, pk: int) -> JsonResponse:
    """`?q=` part of a name (diacritics optional), a card number or a year of birth:
    {"results": [{"id", "name", "details"}]}, at most SUGGESTIONS, in name order."""
    term, _level = term_for(request, pk, need=Need.WRITE)
    text = request.GET.get("q", "")[:QUERY_LENGTH]
    found = find_people(people_of(term), text, limit=SUGGESTIONS)
    results = [{"id": m.pk, "name": m.full_name, "details": details(m)} for m in found]
    return JsonResponse({"results": results})
