"""Forms of elections: the setup, a candidate, a round's counts, the congress's decision after
a round, certification and reopening. They clean what is typed; the rules live in
congresses.elections.services, .rounds and .certification, whose errors the views show beside the
fields (members.forms.attach_errors). Each form that changes an election carries the
`version` the page showed, so a change made meanwhile by someone else is refused."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congresses.elections.models import (
    Candidate,
    Decision,
    Denominator,
    ElectionKind,
    Elector,
    RulePreset,
    Threshold,
    TieBreak,
)
from congresses.elections.rounds import vote_field
from congresses.forms import PersonForm, blank_first, long_text_field
from congresses.people import PastedLine, person_label
from members.models import Gender
from unionrec.forms import DayField

YES_NO = [("", _("(as the rule set says)")), ("yes", _("Yes")), ("no", _("No"))]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ElectionForm(VersionForm):
    """The fields of congresses.elections.services.create_election / update_election."""

    kind = forms.ChoiceField(label=_("What is elected"), choices=blank_first(ElectionKind.choices))
    elected_by = forms.ChoiceField(
        label=_("Elected by"),
        required=False,
        choices=[("", _("(the usual body for what is elected)")), *Elector.choices],
    )
    seats = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("For the executive committee, blank takes the number the congress voted for."),
    )
    held_on = DayField(label=_("Held on"), required=False, help_text=_("Blank: the congress day."))
    summoned = forms.IntegerField(
        label=_("Summoned"),
        min_value=0,
        required=False,
        help_text=_(
            "Blank: the congress's attendance (the committee's seats at its first meeting)."
        ),
    )
    present = forms.IntegerField(label=_("Present"), min_value=0, required=False)
    rules = forms.ChoiceField(
        label=_("Rule set"), choices=RulePreset.choices, initial=RulePreset.VGCL_2018
    )
    denominator = forms.ChoiceField(
        label=_("Votes are counted against"),
        required=False,
        choices=blank_first(Denominator.choices),
    )
    threshold = forms.ChoiceField(
        label=_("Threshold"), required=False, choices=blank_first(Threshold.choices)
    )
    tie_break = forms.ChoiceField(
        label=_("A tie for the last seat goes to"),
        required=False,
        choices=blank_first(TieBreak.choices),
    )
    vacancy_allowed = forms.ChoiceField(
        label=_("Seats may be left vacant"), required=False, choices=YES_NO
    )
    max_rounds = forms.IntegerField(
        label=_("Most rounds"),
        min_value=1,
        max_value=99,
        required=False,
        help_text=_("Blank: no limit."),
    )
    rules_note = long_text_field(
        label=_("Source of the rules"),
        required=False,
        help_text=_("Only for the union's own rules: the fields above apply to them alone."),
    )

    def setup(self) -> dict[str, Any]:
        """Arguments for the services: blanks mean "the default"."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        flag = data.pop("vacancy_allowed")
        data["vacancy_allowed"] = {"yes": True, "no": False}.get(flag)
        for name in ("elected_by", "denominator", "threshold", "tie_break"):
            data[name] = data[name] or ""
        return data


class CandidateForm(PersonForm, VersionForm):
    prefix = "candidate"
    gender = forms.ChoiceField(
        label=_("Gender"),
        required=False,
        choices=[("", _("(from the register)")), *Gender.choices],
    )

    field_order = ["person", "member", "person_name", "gender"]

    def candidate_fields(self) -> dict[str, Any]:
        return self.chosen_person() | {"gender": self.cleaned_data["gender"] or ""}


# --- A pasted list of candidates (congresses.elections.views.ballot_list) ----------------------

MAX_LINES = 200
OUTSIDE = "outside"  # the line names someone from outside the register
LEAVE_OUT = "leave-out"


class PasteForm(VersionForm):
    """Candidates pasted one per line: a name as in the register, or a card number."""

    prefix = "paste"
    names = forms.CharField(
        label=_("Candidates, one per line"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "A name as in the register, or a card number. Namesakes and names not in the "
            "register are shown for you to confirm; nothing is added before you confirm."
        ),
    )

    def clean_names(self) -> str:
        text: str = self.cleaned_data["names"]
        count = sum(1 for line in text.splitlines() if line.strip())
        if count > MAX_LINES:
            raise forms.ValidationError(
                _("At most %(max)s lines at a time (this list has %(n)s).")
                % {"max": MAX_LINES, "n": count}
            )
        return text


class PasteConfirmForm(VersionForm):
    """One choice per pasted line: the member it names (a namesake chosen), someone from
    outside under the name typed (a line the register does not know), or leave it out. A line
    that names one member is chosen already; the others wait for a choice."""

    prefix = "paste"
    names = forms.CharField(widget=forms.HiddenInput, max_length=20_000)

    def __init__(self, *args: Any, lines: Sequence[PastedLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for index, line in enumerate(self.lines):
            choices = [(str(m.pk), person_label(m)) for m in line.matches]
            if not line.matches:
                outside = _("Someone from outside the register: %(name)s") % {"name": line.text}
                choices.append((OUTSIDE, outside))
            choices.append((LEAVE_OUT, _("Leave this line out")))
            self.fields[self.line_field(index)] = forms.ChoiceField(
                label=line.text,
                choices=choices,
                widget=forms.RadioSelect,
                initial=str(line.matches[0].pk) if len(line.matches) == 1 else None,
                error_messages={"required": _("Choose what this line means.")},
            )

    @staticmethod
    def line_field(index: int) -> str:
        return f"line_{index}"

    def line_rows(self) -> list[tuple[PastedLine, forms.BoundField]]:
        return [(line, self[self.line_field(i)]) for i, line in enumerate(self.lines)]

    def people(self) -> list[tuple[str, dict[str, Any]]]:
        """The lines kept, as (field, arguments of add_candidate), in the pasted order."""
        kept = []
        for index, line in enumerate(self.lines):
            name = self.line_field(index)
            choice = self.cleaned_data[name]
            if choice == OUTSIDE:
                kept.append((name, {"person_name": line.text}))
            elif choice != LEAVE_OUT:
                member = next(m for m in line.matches if str(m.pk) == choice)
                kept.append((name, {"member": member}))
        return kept


class RoundForm(VersionForm):
    """A round's ballots and the votes of each candidate on its ballot, in ballot order."""

    prefix = "round"
    issued = forms.IntegerField(label=_("Ballots issued"), min_value=0)
    collected = forms.IntegerField(label=_("Ballots collected"), min_value=0)
    valid = forms.IntegerField(label=_("Valid ballots"), min_value=0)
    invalid = forms.IntegerField(label=_("Invalid ballots"), min_value=0)
    blank = forms.IntegerField(
        label=_("Blank ballots"),
        min_value=0,
        required=False,
        help_text=_(
            "Valid ballots marked for nobody; only rules that ignore blank ballots use them."
        ),
    )

    def __init__(self, *args: Any, candidates: Sequence[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for candidate in self.candidates:
            self.fields[vote_field(candidate.pk)] = forms.IntegerField(
                label=candidate.person_name, min_value=0
            )

    def vote_fields(self) -> list[forms.BoundField]:
        return [self[vote_field(c.pk)] for c in self.candidates]

    def ballot_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("issued", "collected", "valid", "invalid", "blank")]

    def counts(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "issued": data["issued"],
            "collected": data["collected"],
            "valid": data["valid"],
            "invalid": data["invalid"],
            "blank": data["blank"] or 0,
            "votes": {c.pk: data[vote_field(c.pk)] for c in self.candidates},
        }


class DecisionForm(VersionForm):
    """What the congress decided after the last round: vote again or leave the open seats
    vacant, or who drew the seats by lot."""

    prefix = "decision"
    decision = forms.ChoiceField(label=_("The congress decided"), widget=forms.RadioSelect)
    lot_winners = forms.MultipleChoiceField(
        label=_("Drawn by lot"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, decisions: Sequence[str], tied: Sequence[Candidate], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [  # type: ignore[attr-defined]
            (value, Decision(value).label) for value in decisions
        ]
        if len(decisions) == 1:
            self.fields["decision"].initial = decisions[0]
        if Decision.LOT in decisions:
            self.fields["lot_winners"].choices = [  # type: ignore[attr-defined]
                (str(c.pk), c.person_name) for c in tied
            ]
        else:
            del self.fields["lot_winners"]

    def decision_fields(self) -> dict[str, Any]:
        winners = self.cleaned_data.get("lot_winners") or []
        return {
            "decision": self.cleaned_data["decision"],
            "lot_winners": [int(pk) for pk in winners],
        }


class CertifyForm(VersionForm):
    """The day the result was certified (congresses.elections.certification.certify)."""

    certified_on = DayField(
        label=_("Certified on"),
        required=False,
        help_text=_(
            "The day the result was certified: not before the election, not in the future. "
            "Blank: today."
        ),
    )


class ReopenForm(forms.Form):
    prefix = "reopen"
    reason = long_text_field(label=_("Reason for reopening"), required=False, max_length=500)
