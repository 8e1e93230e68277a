"""Candidates pasted as a list, one per line, on the election page. The first POST reads the
lines and shows what each names (congresses.people.pasted_lines): one member, namesakes to
choose from, or a name the register does not know, to confirm as someone from outside or to
leave out. Nothing is written until the secretary confirms; then every kept line goes on the
ballot through congresses.elections.services.add_candidates, all or none."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from congresses.elections import services
from congresses.elections.forms import PasteConfirmForm, PasteForm
from congresses.elections.views.elections import (
    back,
    election_page,
    refused,
    refused_if_read_only,
    tried,
)
from congresses.people import pasted_lines, people_of
from congresses.read_only import Conflict
from unionrec.access import Need
from unionrec.records import election_for


@require_POST
def candidates_paste(request: HttpRequest, pk: int) -> HttpResponse:
    election, level = election_for(request, pk, need=Need.WRITE)
    if not_now := refused_if_read_only(request, election, level):
        return not_now
    pasted = PasteForm(request.POST)
    if not pasted.is_valid():
        return election_page(request, election, level, paste=pasted)
    lines = pasted_lines(people_of(election.congress.term), pasted.cleaned_data["names"])
    confirmed = request.POST.get("confirmed") == "yes"
    initial = {"names": pasted.cleaned_data["names"], "version": pasted.cleaned_data["version"]}
    form = PasteConfirmForm(request.POST if confirmed else None, lines=lines, initial=initial)
    if confirmed and form.is_valid():
        kept = form.people()
        try:
            added = services.add_candidates(
                election=election,
                people=[person for _field, person in kept],
                expected_version=tried(form),
                by=request.user,
            )
        except Conflict as error:
            return refused(request, election, level, error)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for position, texts in error.message_dict.items():
                    form.add_error(kept[int(position)][0], texts)
            else:
                form.add_error(None, error.messages)
        else:
            text = ngettext(
                "%(n)s candidate is on the ballot.",
                "%(n)s candidates are on the ballot.",
                len(added),
            )
            messages.success(request, text % {"n": len(added)})
            return back(election, "candidates")
    context = {
        "election": election,
        "congress": election.congress,
        "term": election.congress.term,
        "branch": election.congress.term.branch,
        "form": form,
        "unsure": sum(1 for line in lines if len(line.matches) != 1),
    }
    return render(request, "congresses/candidate_paste.html", context)
