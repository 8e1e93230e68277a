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

    field_order = ["member", "card_number", "person_name", "gender"]

    def candidate_fields(self) -> dict[str, Any]:
        return self.person() | {"gender": self.cleaned_data["gender"] or ""}


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
