"""Forms of the register. Validation that also applies to the API and imports lives in
members.services; these forms clean input and show the services' errors beside the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Branch, BranchKind


class DayForm(forms.Form):
    """The date a statistics page is shown for (today by default), typed dd/mm/yyyy."""

    as_of = forms.DateField(label=_("As of"), required=False)


class BranchForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=80, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=BranchKind.choices)
    founded_on = forms.DateField(label=_("Founded on"), required=False)
    dissolved_on = forms.DateField(label=_("Dissolved on"), required=False)

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
    new_parent = forms.ModelChoiceField(
        label=_("New parent"), queryset=Branch.objects.none(), to_field_name="code"
    )
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents  # type: ignore[attr-defined]
