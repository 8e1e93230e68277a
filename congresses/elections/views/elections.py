"""Pages of elections: an election with its ballot, rounds, result and history; the
secretary's forms to set one up, add or remove candidates, certify the result; the
administrator's reopening. Rounds and decisions are in rounds.py.

A refusal because of the election's state (certified, recognised congress, changed by someone
else meanwhile) shows the page again with the reason and status 409; a refusal of what was
typed shows the form again with the errors beside the fields, and writes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from congresses.elections import certification, services
from congresses.elections.forms import (
    CandidateForm,
    CertifyForm,
    DecisionForm,
    ElectionForm,
    PasteForm,
    ReopenForm,
    RoundForm,
    VersionForm,
)
from congresses.elections.lifecycle import ElectionAction, election_actions
from congresses.elections.models import Candidate, Election
from congresses.elections.results import (
    Outcome,
    next_step_text,
    outcome,
    threshold_text,
    warnings_for,
)
from congresses.elections.views.history import election_history
from congresses.read_only import Conflict, why_read_only
from congresses.views.congresses import refuse_if_read_only
from members.forms import attach_errors
from members.statistics import today
from unionrec.access import Need
from unionrec.days import day_text
from unionrec.records import congress_for, election_for


def election_page(
    request: HttpRequest, election: Election, level: Need, *, status: int = 200, **forms: Form
) -> HttpResponse:
    """The election page; `forms` replaces an empty form by the bound one that was refused."""
    result = outcome(election)
    read_only = why_read_only(election.congress, election)
    can_write = level >= Need.WRITE
    editable = can_write and read_only is None
    has_rounds = bool(result.rounds)
    actions = election_actions(election, result)
    due = ElectionAction.CERTIFY if result.complete else ElectionAction.ROUND
    version = {"version": election.version}
    context: dict[str, Any] = {
        "election": election,
        "congress": election.congress,
        "term": election.congress.term,
        "branch": election.congress.term.branch,
        "result": result,
        "rules": result.rules,
        "rule_name": _(result.rules.name)
        if election.rules != "custom"
        else _("The union's own rules"),
        "rule_source": _(result.rules.source)
        if election.rules != "custom"
        else election.rules_note,
        "rounds": [(r, threshold_text(result.rules, r.count)) for r in result.rounds],
        "next_text": next_step_text(result),
        "warnings": warnings_for(election, result),
        "history": election_history(election),
        "can_write": can_write,
        "read_only": read_only,
        "editable": editable,
        "has_rounds": has_rounds,
        "can_certify": can_write and actions.allows(ElectionAction.CERTIFY),
        "can_reopen": actions.allows(ElectionAction.REOPEN) and request.user.is_superuser,
        # why neither a round nor certification is offered before the election's day
        "not_yet": actions.why_not(due) if editable and election.held_on > today() else None,
        "can_delete": editable and not election.revision,
        "version_form": VersionForm(initial=version),
    }
    if editable and not has_rounds:
        context["candidate_form"] = forms.get("candidate") or CandidateForm(
            term=election.congress.term, initial=version
        )
        context["paste_form"] = forms.get("paste") or PasteForm(initial=version)
    if can_write and actions.allows(ElectionAction.ROUND):
        context["round_form"] = forms.get("round") or RoundForm(
            candidates=result.next_candidates, initial=version
        )
    if can_write and actions.allows(ElectionAction.DECIDE):
        context["decision_form"] = forms.get("decision") or DecisionForm(
            decisions=result.decisions, tied=result.next_candidates, initial=version
        )
    if context["can_reopen"]:
        context["reopen_form"] = forms.get("reopen") or ReopenForm()
    return render(request, "congresses/election_detail.html", context, status=status)


def refused(
    request: HttpRequest, election: Election, level: Need, error: ValidationError
) -> HttpResponse:
    """The page again with the reason the change cannot be made now (409)."""
    for text in error.messages:
        messages.error(request, text)
    election.refresh_from_db()
    return election_page(request, election, level, status=409)


def refused_if_read_only(
    request: HttpRequest, election: Election, level: Need
) -> HttpResponse | None:
    """409 with the reason when the election may no longer change (before reading a form)."""
    reason = why_read_only(election.congress, election)
    return None if reason is None else refused(request, election, level, Conflict(reason))


def refused_unless(
    request: HttpRequest, election: Election, level: Need, action: ElectionAction
) -> HttpResponse | None:
    """409 with the reason when the election's state does not take `action` now
    (congresses.elections.lifecycle, as the services refuse it), before reading a form."""
    reason = election_actions(election).why_not(action)
    return None if reason is None else refused(request, election, level, Conflict(reason))


def back(election: Election, anchor: str = "") -> HttpResponse:
    url = reverse("congresses:election", args=[election.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


def tried(form: Form) -> int | None:
    """The version the page showed, from a bound and cleaned form."""
    value = form.cleaned_data.get("version")
    return int(value) if value is not None else None


@require_safe
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    election, level = election_for(request, pk, need=Need.READ)
    return election_page(request, election, level)


@require_http_methods(["GET", "POST"])
def election_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Set up an election of the congress."""
    congress, _level = congress_for(request, pk, need=Need.WRITE)
    if refused_page := refuse_if_read_only(request, congress):
        return refused_page
    form = ElectionForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        setup = {k: v for k, v in form.setup().items() if v not in (None, "")}
        try:
            election = services.create_election(congress=congress, by=request.user, **setup)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The election was set up: add its candidates."))
            return back(election, "candidates")
    context = {"form": form, "congress": congress, "term": congress.term}
    return render(request, "congresses/election_form.html", context)


@require_http_methods(["GET", "POST"])
def election_edit(request: HttpRequest, pk: int) -> HttpResponse:
    election, level = election_for(request, pk, need=Need.WRITE)
    if not_now := refused_if_read_only(request, election, level):
        return not_now
    if request.method == "GET" and election.rounds.exists():
        messages.info(request, _("Rounds are entered: only the day and the attendance can change."))
    names = [n for n in ElectionForm.base_fields if n not in ("version", "vacancy_allowed")]
    initial = {name: getattr(election, name) for name in names}
    initial |= {
        "version": election.version,
        "vacancy_allowed": "yes" if election.vacancy_allowed else "no",
    }
    form = ElectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        setup = form.setup()
        for name in ("elected_by", "seats", "held_on"):
            if setup[name] in (None, ""):
                setup[name] = getattr(election, name)
        if setup["vacancy_allowed"] is None:
            setup["vacancy_allowed"] = election.vacancy_allowed
        try:
            services.update_election(
                election=election, expected_version=tried(form), by=request.user, **setup
            )
        except Conflict as error:
            return refused(request, election, level, error)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return back(election)
    context = {
        "form": form,
        "congress": election.congress,
        "term": election.congress.term,
        "election": election,
    }
    return render(request, "congresses/election_form.html", context)


def confirm(
    request: HttpRequest, election: Election, *, question: str, button: str
) -> HttpResponse | None:
    """The first POST asks; the second, confirmed, goes on (None)."""
    if request.POST.get("confirmed") == "yes":
        return None
    context = {
        "election": election,
        "question": question,
        "button": button,
        "version": request.POST.get("version", election.version),
    }
    return render(request, "congresses/election_confirm.html", context)


@require_POST
def election_delete(request: HttpRequest, pk: int) -> HttpResponse:
    election, level = election_for(request, pk, need=Need.WRITE)
    question = _("Delete the election of the %(what)s with its candidates and rounds?") % {
        "what": election.get_kind_display()
    }
    if asked := confirm(request, election, question=question, button=_("Confirm: delete")):
        return asked
    congress = election.congress
    try:
        services.delete_election(election=election, by=request.user)
    except ValidationError as error:
        return refused(request, election, level, error)
    messages.success(request, _("The election was deleted."))
    return redirect(reverse("congresses:congress", args=[congress.pk]) + "#elections")


# --- Candidates --------------------------------------------------------------------------------


@require_POST
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    election, level = election_for(request, pk, need=Need.WRITE)
    form = CandidateForm(request.POST, term=election.congress.term)
    if form.is_valid():
        try:
            candidate = services.add_candidate(
                election=election,
                expected_version=tried(form),
                by=request.user,
                **form.candidate_fields(),
            )
        except Conflict as error:
            return refused(request, election, level, error)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("%(name)s is on the ballot.") % {"name": candidate})
            return back(election, "candidates")
    return election_page(request, election, level, candidate=form)


@require_POST
def candidate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = Candidate.objects.select_related("election").filter(pk=pk).first()
    election, level = election_for(
        request, candidate.election_id if candidate else 0, need=Need.WRITE
    )
    assert candidate is not None  # election_for answered 404 otherwise
    question = _("Take %(name)s off the ballot?") % {"name": candidate.person_name}
    if asked := confirm(request, election, question=question, button=_("Confirm: remove")):
        return asked
    form = VersionForm(request.POST)
    version = tried(form) if form.is_valid() else None
    try:
        services.remove_candidate(candidate=candidate, expected_version=version, by=request.user)
    except ValidationError as error:
        return refused(request, election, level, error)
    messages.success(request, _("%(name)s is off the ballot.") % {"name": candidate.person_name})
    return back(election, "candidates")


# --- Certification ----------------------------------------------------------------------------


@require_POST
def certify(request: HttpRequest, pk: int) -> HttpResponse:
    """The election page's button asks for confirmation and the day of certification (today
    by default); the confirmed form certifies, or shows the refusal beside the day."""
    election, level = election_for(request, pk, need=Need.WRITE)
    if stop := refused_unless(request, election, level, ElectionAction.CERTIFY):
        return stop
    confirmed = request.POST.get("confirmed") == "yes"
    initial = {"certified_on": today(), "version": request.POST.get("version", election.version)}
    form = CertifyForm(request.POST if confirmed else None, initial=initial)
    if confirmed and form.is_valid():
        try:
            certification.certify(
                election=election,
                certified_on=form.cleaned_data["certified_on"],
                expected_version=tried(form),
                by=request.user,
            )
        except Conflict as error:
            return refused(request, election, level, error)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The result is certified."))
            return back(election, "result")
    question = _(
        "Certify the result? It becomes read-only, and the elected take their posts from %(day)s."
    ) % {"day": day_text(election.held_on)}
    context = {
        "election": election,
        "question": question,
        "button": _("Confirm: certify"),
        "form": form,
    }
    return render(request, "congresses/election_confirm.html", context)


@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators only (the service refuses anyone else: 403); the reason is required."""
    election, level = election_for(request, pk, need=Need.READ)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            certification.reopen(
                election=election, reason=form.cleaned_data["reason"], by=request.user
            )
        except Conflict as error:
            return refused(request, election, level, error)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The result was reopened for a correction."))
            return back(election)
    return election_page(request, election, level, reopen=form)


def summaries(elections_: list[Election]) -> list[tuple[Election, Outcome]]:
    """The congress page's list: each election with its outcome."""
    return [(election, outcome(election)) for election in elections_]
