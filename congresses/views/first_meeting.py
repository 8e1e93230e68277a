"""The first meeting of a term's new executive committee, as one page and one step: it lists
the executive the congress elected and, in one form, records the meeting's day, its convenor
and what it elected (congresses.first_meeting). Secretaries of the term's branch only (write
rights: 403 for a reviewer or a member, 404 outside the user's subtrees).

Before the executive is known the page says what is missing and links to where it is
recorded; once the meeting is recorded it shows it, with its minutes (reports)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from congresses.first_meeting import record_first_meeting
from congresses.meeting_form import FirstMeetingForm
from congresses.meeting_plan import MeetingPlan, meeting_plan
from congresses.read_only import Conflict
from members.forms import attach_errors
from unionrec.access import Need
from unionrec.records import term_for


def _initial(plan: MeetingPlan) -> dict[str, Any]:
    """The day the recorded results give (or the congress's), nobody absent."""
    day = plan.days[0] if plan.days else plan.congress.held_on if plan.congress else None
    return {"held_on": day}


@require_http_methods(["GET", "POST"])
def first_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    term, _level = term_for(request, pk, need=Need.WRITE)
    plan = meeting_plan(term)
    form = None
    if plan.may_record:
        form = FirstMeetingForm(request.POST or None, plan=plan, initial=_initial(plan))
        if request.method == "POST" and form.is_valid():
            try:
                record_first_meeting(term=term, by=request.user, **form.step_fields())
            except Conflict as error:
                for text in error.messages:
                    messages.error(request, text)
                return redirect("congresses:first_meeting", pk=term.pk)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request, _("The first meeting of the executive committee was recorded.")
                )
                return redirect("congresses:first_meeting", pk=term.pk)
    elif request.method == "POST":
        recorded = _("The first meeting of this executive committee is recorded already.")
        messages.error(request, plan.read_only or plan.blocked_text or recorded)
        return redirect("congresses:first_meeting", pk=term.pk)
    context: dict[str, Any] = {
        "term": term,
        "branch": term.branch,
        "plan": plan,
        "congress": plan.congress,
        "form": form,
        "absent": set(),
    }
    if plan.meeting is not None:
        absent = {post.pk for post in plan.meeting.absent.all()}
        context |= {"absent": absent, "present": len(plan.executive) - len(absent)}
    return render(request, "congresses/first_meeting.html", context)
