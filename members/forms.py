"""Forms of the register. Validation that also applies to the API and imports lives in
members.services; these forms clean input and show the services' errors beside the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from unionrec.forms import DayField

from . import domain
from .basis import ProcessingBasis
from .corrections import TEXT_MAX_LENGTH
from .models import BranchKind, Gender, LeaveReason, card_validator
from .pickers import BranchCodeField
from .statistics import today


class CardNumberField(forms.CharField):
    """A card number cleaned before it is checked (members.domain.clean_card), so one pasted
    with an invisible character or typed in full-width digits is accepted as printed."""

    def to_python(self, value: Any) -> str:
        return domain.clean_card(super().to_python(value))


class BranchForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=80, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=BranchKind.choices)
    founded_on = DayField(label=_("Founded on"), required=False)
    dissolved_on = DayField(label=_("Dissolved on"), required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        founded, dissolved = data.get("founded_on"), data.get("dissolved_on")
        if founded and dissolved and dissolved <= founded:
            self.add_error("dissolved_on", _("A branch is dissolved after it was founded."))
        return data


class MoveBranchForm(forms.Form):
    new_parent = BranchCodeField(label=_("New parent"))
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents  # type: ignore[attr-defined]


# --- Members --------------------------------------------------------------------------------


class MemberForm(forms.Form):
    """A member's personal fields, as members.services.update_member accepts them."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "---------"), *Gender.choices])
    birth_date = DayField(label=_("Date of birth"), required=False)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=60, required=False)
    card_number = CardNumberField(
        label=_("Union card number"), max_length=40, required=False, validators=[card_validator]
    )
    joined_union_on = DayField(label=_("Joined the union on"), required=False)
    processing_basis = forms.TypedChoiceField(
        label=_("Processing basis"),
        choices=ProcessingBasis.choices,
        initial=ProcessingBasis.MEMBERSHIP,
        required=False,
        empty_value=ProcessingBasis.MEMBERSHIP,
        help_text=_("Why the union holds this record: membership, or the person's consent."),
    )
    consent_on = DayField(label=_("Consent given on"), required=False)


class AddMemberForm(MemberForm):
    """A new member: the personal fields and the day the membership in the branch starts."""

    started_on = DayField(
        label=_("Member of this branch from"),
        initial=today,
        help_text=_("Today unless the member joined this branch earlier."),
    )


class EditMemberForm(MemberForm):
    """The personal fields and the version they were read at, so that a change made by
    someone else in the meantime is refused instead of overwritten (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def personal_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in MemberForm.base_fields}


class TransferForm(forms.Form):
    to_branch = BranchCodeField(label=_("To branch"))
    on = DayField(label=_("Transferred on"))

    def __init__(self, *args: Any, branches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = branches  # type: ignore[attr-defined]


class LeaveForm(forms.Form):
    on = DayField(
        label=_("Left on"),
        help_text=_("From this day on the member is no longer counted."),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *LeaveReason.choices])


def attach_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError beside the fields it names (else above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Member list"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file, with a header row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class CorrectionRequestForm(forms.Form):
    text = forms.CharField(
        label=_("What should be corrected in your record?"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CorrectionAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
