"""Entering the rounds of an election: the next round's counts (on the election page), a
correction of the last round, deleting it, and the congress's decision after a round."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from congresses.elections import rounds
from congresses.elections.forms import DecisionForm, RoundForm, VersionForm
from congresses.elections.lifecycle import ElectionAction
from congresses.elections.models import Round
from congresses.elections.results import outcome
from congresses.elections.views.elections import (
    back,
    confirm,
    election_page,
    refused,
    refused_if_read_only,
    refused_unless,
    tried,
)
from congresses.read_only import Conflict
from members.forms import attach_errors
from unionrec.access import Need, check_branch
from unionrec.records import election_for


def _round_for(request: HttpRequest, pk: int, *, need: Need) -> tuple[Round, Need]:
    round_ = Round.objects.select_related("election__congress__term__branch").filter(pk=pk).first()
    if round_ is None:
        raise Http404
    return round_, check_branch(request, round_.election.congress.term.branch, need=need)


@require_POST
def round_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The next round, for the candidates and seats the count so far calls for. A page made
    from a stale version is told so first (by the service); a round the election's state does
    not take now is refused with the reason (409), writing nothing."""
    election, level = election_for(request, pk, need=Need.WRITE)
    if stop := refused_if_read_only(request, election, level):
        return stop
    result = outcome(election)
    form = RoundForm(request.POST, candidates=result.next_candidates)
    if not form.is_valid():
        if stop := refused_unless(request, election, level, ElectionAction.ROUND):
            return stop
    else:
        try:
            round_ = rounds.enter_round(
                election=election, expected_version=tried(form), by=request.user, **form.counts()
            )
        except Conflict as error:
            return refused(request, election, level, error)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("%(round)s was entered.") % {"round": round_})
            return back(election, f"round-{round_.number}")
    return election_page(request, election, level, round=form)


@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the counts of the last round (before certification)."""
    round_, level = _round_for(request, pk, need=Need.WRITE)
    election = round_.election
    if stop := refused_if_read_only(request, election, level):
        return stop
    candidates = [v.candidate for v in round_.votes.select_related("candidate")]
    candidates.sort(key=lambda c: (c.sort_key, c.pk))
    initial = {
        "version": election.version,
        "issued": round_.issued,
        "collected": round_.collected,
        "valid": round_.valid,
        "invalid": round_.invalid,
        "blank": round_.blank,
    }
    initial |= {f"vote_{v.candidate_id}": v.votes for v in round_.votes.all()}
    form = RoundForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rounds.correct_round(
                round=round_, expected_version=tried(form), by=request.user, **form.counts()
            )
        except Conflict as error:
            return refused(request, election, level, error)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("%(round)s was corrected.") % {"round": round_})
            return back(election, f"round-{round_.number}")
    context = {"form": form, "round": round_, "election": election}
    return render(request, "congresses/round_form.html", context)


@require_POST
def round_remove(request: HttpRequest, pk: int) -> HttpResponse:
    round_, level = _round_for(request, pk, need=Need.WRITE)
    election = round_.election
    question = _("Delete %(round)s with its counts? The decision before it is asked again.") % {
        "round": round_
    }
    if asked := confirm(request, election, question=question, button=_("Confirm: delete")):
        return asked
    form = VersionForm(request.POST)
    version = tried(form) if form.is_valid() else None
    try:
        rounds.delete_round(round=round_, expected_version=version, by=request.user)
    except ValidationError as error:
        return refused(request, election, level, error)
    messages.success(request, _("%(round)s was deleted.") % {"round": round_})
    return back(election, "rounds")


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The congress's decision after the last round: vote again, leave vacant, or lot."""
    election, level = election_for(request, pk, need=Need.WRITE)
    if stop := refused_unless(request, election, level, ElectionAction.DECIDE):
        return stop
    result = outcome(election)
    form = DecisionForm(request.POST, decisions=result.decisions, tied=result.next_candidates)
    if form.is_valid():
        try:
            rounds.record_decision(
                election=election,
                expected_version=tried(form),
                by=request.user,
                **form.decision_fields(),
            )
        except Conflict as error:
            return refused(request, election, level, error)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded."))
            return back(election, "next")
    return election_page(request, election, level, decision=form)
