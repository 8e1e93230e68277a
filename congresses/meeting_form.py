"""The form of the first meeting of a new executive committee (congresses.first_meeting): it
cleans what is typed and offers, for each body, only what congresses.meeting_plan says is
open; the rules are the service's, whose errors the view shows beside these fields (the
field names are the service's keywords)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congresses.meeting_plan import MeetingPlan, post_holder
from congresses.models import Post
from unionrec.forms import DayField

MANY = forms.CheckboxSelectMultiple(attrs={"class": "choices"})


def _label(post: Post) -> str:
    """An elected member as the choices show them: the name, and the sub-unit when two
    members could share a name."""
    if post.member is None:
        return post.person_name
    return f"{post.person_name} · {post.member.branch.display_name}"


class FirstMeetingForm(forms.Form):
    held_on = DayField(label=_("Day of the meeting"))
    convenor = forms.CharField(  # required: the service says so, with the step's other refusals
        label=_("Convenor"),
        max_length=150,
        required=False,
        help_text=_("Named by the congress's presidium to call the meeting."),
        widget=forms.TextInput(attrs={"list": "executive-names", "autocomplete": "off"}),
    )
    minutes_by = forms.CharField(
        label=_("Secretary of the meeting"),
        max_length=150,
        required=False,
        help_text=_("Who keeps the minutes."),
        widget=forms.TextInput(attrs={"list": "executive-names", "autocomplete": "off"}),
    )
    absent = forms.MultipleChoiceField(
        label=_("Absent"),
        required=False,
        widget=MANY,
        help_text=_("Tick those of the elected who did not attend."),
    )
    chair = forms.ChoiceField(label=_("Chair"), required=False)
    vice_chairs = forms.MultipleChoiceField(label=_("Vice-chairs"), required=False, widget=MANY)
    standing = forms.MultipleChoiceField(label=_("Standing committee"), required=False, widget=MANY)
    inspection_members = forms.MultipleChoiceField(
        label=_("Inspection committee members from the executive"), required=False, widget=MANY
    )
    inspection_others = forms.CharField(
        label=_("Inspection committee members from outside the executive"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name a line."),
    )
    inspection_head = forms.ChoiceField(label=_("Head of the inspection committee"), required=False)
    inspection_head_name = forms.CharField(
        label=_("or, from outside the executive, the head's name"),
        max_length=150,
        required=False,
    )

    # Which fields belong to each body of congresses.meeting_plan.BODIES.
    BODY_FIELDS = {
        "chair": ("chair",),
        "vice_chairs": ("vice_chairs",),
        "standing": ("standing",),
        "inspection_members": ("inspection_members", "inspection_others"),
        "inspection_head": ("inspection_head", "inspection_head_name"),
    }

    def __init__(self, *args: Any, plan: MeetingPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.executive = {str(post.pk): post for post in plan.executive}
        # A recorded chair is no vice-chair; a recorded head is not listed again as a member.
        recorded = {
            "vice_chairs": plan.holders("chair"),
            "inspection_members": plan.holders("inspection_head"),
        }
        for name in ("absent", "vice_chairs", "standing", "inspection_members"):
            self.fields[name].choices = [  # type: ignore[attr-defined]
                (pk, _label(post))
                for pk, post in self.executive.items()
                if post_holder(post) not in recorded.get(name, set())
            ]
        choices = [(pk, _label(post)) for pk, post in self.executive.items()]
        for name in ("chair", "inspection_head"):
            self.fields[name].choices = [("", "---------"), *choices]  # type: ignore[attr-defined]
        for body in plan.bodies:
            if not body.is_open:
                for name in self.BODY_FIELDS[body.field]:
                    del self.fields[name]

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields offered, in the page's fieldsets (an empty fieldset is left out)."""
        groups = [
            (_("The meeting"), ("held_on", "convenor", "minutes_by", "absent")),
            (_("Elected from the executive committee"), ("chair", "vice_chairs", "standing")),
            (
                _("Inspection committee"),
                (
                    "inspection_head",
                    "inspection_head_name",
                    "inspection_members",
                    "inspection_others",
                ),
            ),
        ]
        shown = [
            (str(legend), [self[name] for name in names if name in self.fields])
            for legend, names in groups
        ]
        return [(legend, fields) for legend, fields in shown if fields]

    def _posts(self, name: str) -> list[Post]:
        value = self.cleaned_data.get(name) or []
        return [self.executive[pk] for pk in ([value] if isinstance(value, str) else value)]

    def step_fields(self) -> dict[str, Any]:
        """The keywords of congresses.first_meeting.record_first_meeting."""
        data = self.cleaned_data
        others = data.get("inspection_others") or ""
        chair = self._posts("chair")
        head = self._posts("inspection_head")
        return {
            "held_on": data["held_on"],
            "convenor": data["convenor"],
            "minutes_by": data["minutes_by"],
            "absent": self._posts("absent"),
            "chair": chair[0] if chair else None,
            "vice_chairs": self._posts("vice_chairs"),
            "standing": self._posts("standing"),
            "inspection_head": head[0] if head else None,
            "inspection_head_name": data.get("inspection_head_name") or "",
            "inspection_members": self._posts("inspection_members"),
            "inspection_others": [line for line in others.splitlines() if line.strip()],
        }
