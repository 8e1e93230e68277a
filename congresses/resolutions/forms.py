"""Forms of resolutions: the resolution, a direction, a campaign, a target and its split over
sub-units, a figure of progress, a review and its items. They clean what is typed (dates
dd/mm/yyyy, numbers with a comma or a point); the rules live in congresses.resolutions.services and
congresses.resolutions.progress, whose errors the views show beside the fields."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congresses.forms import blank_first, long_text_field
from congresses.models import PostKind
from congresses.resolutions.models import ItemKind, ReviewKind, TargetKind
from members.models import Branch
from members.pickers import BranchCodeField
from unionrec.forms import DayField


class DecimalInput(forms.CharField):
    """A number typed the Vietnamese way (1.234,5) or the English way (1,234.5); a lone mark
    is read as the active language writes it (1.234 is 1234 in Vietnamese, 1,234 in English;
    194,5 and 194.5 are 194.5 in both); the service checks it is a number of the right kind. A
    stored value is shown as the reader's language
    writes it, without needless decimals (194, not 194.00; 194,5 in Vietnamese) and without
    thousands separators, so that it reads back as the same number when the form is sent."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return field_number(Decimal(str(value)))
        return value

    def to_python(self, value: Any) -> str:
        text = "".join(super().to_python(value).split()).rstrip("%")
        grouping = str(get_format("THOUSAND_SEPARATOR"))
        if re.fullmatch(rf"-?\d{{1,3}}(?:{re.escape(grouping)}\d{{3}})+", text):
            return text.replace(grouping, "")  # 1.234 in Vietnamese, 1,234 in English
        if "," in text and "." in text:  # the later mark is the decimal one
            if text.rfind(",") > text.rfind("."):
                return text.replace(".", "").replace(",", ".")
            return text.replace(",", "")
        return text.replace(",", ".")


def field_number(number: Decimal) -> str:
    """`number` for a form field in the active language: 194, 194,5 (vi) or 194.5 (en)."""
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", str(get_format("DECIMAL_SEPARATOR")))


def _decimal(**kwargs: Any) -> DecimalInput:
    return DecimalInput(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **kwargs)


class ResolutionForm(forms.Form):
    prefix = "resolution"
    adopted_on = DayField(
        label=_("Adopted on"), required=False, help_text=_("Blank: the congress day.")
    )
    preamble = long_text_field(label=_("Preamble"), required=False)


class DirectionForm(forms.Form):
    prefix = "direction"
    text = long_text_field(label=_("Direction"), required=False)


class CampaignForm(forms.Form):
    prefix = "campaign"
    name = forms.CharField(
        label=_("Campaign or emulation movement"), max_length=255, required=False
    )
    starts_on = DayField(label=_("From"), required=False)
    ends_on = DayField(label=_("Until"), required=False)
    description = long_text_field(label=_("Description"), required=False)


class TargetForm(forms.Form):
    """The fields of congresses.resolutions.services.add_target / update_target."""

    prefix = "target"
    title = forms.CharField(label=_("Target"), max_length=255, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=blank_first(TargetKind.choices))
    baseline = _decimal(
        label=_("Baseline"), required=False, help_text=_("The value at the start of the term.")
    )
    target_value = _decimal(
        label=_("Target value"), required=False, help_text=_("Not needed for a yes/no target.")
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=40, required=False, help_text=_("e.g. members, %, courses")
    )
    deadline = DayField(
        label=_("Deadline"), required=False, help_text=_("Blank: the end of the term.")
    )
    branch = BranchCodeField(
        label=_("Responsible branch"),
        required=False,
        help_text=_("Blank: the congress's branch. Its code, or type part of its name."),
    )
    responsible_post = forms.ChoiceField(
        label=_("Responsible post"), required=False, choices=blank_first(PostKind.choices)
    )
    order = forms.IntegerField(
        label=_("Place in the resolution"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("Blank: after the last target."),
    )

    def __init__(self, *args: Any, top: Branch, **kwargs: Any) -> None:
        """`top`: the congress's branch; the responsible branch is it or one of its sub-units."""
        super().__init__(*args, **kwargs)
        field = self.fields["branch"]
        field.queryset = Branch.objects.filter(path__subtree=top.path)  # type: ignore[attr-defined]
        field.within = top.code  # type: ignore[attr-defined]

    def target_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["title"] = data["title"] or ""
        return data


class SplitForm(forms.Form):
    """Up to PARTS sub-units, each with its target value and (optionally) its weight."""

    prefix = "split"
    PARTS = 6

    def __init__(self, *args: Any, top: Branch, **kwargs: Any) -> None:
        """`top`: the target's branch; the parts go to branches below it."""
        super().__init__(*args, **kwargs)
        below = Branch.objects.filter(path__subtree=top.path).exclude(pk=top.pk)
        for index in range(1, self.PARTS + 1):
            self.fields[f"branch_{index}"] = BranchCodeField(
                label=_("Sub-unit %(n)s") % {"n": index},
                queryset=below,
                within=top.code,
                required=False,
                help_text="",
            )
            self.fields[f"value_{index}"] = _decimal(label=_("Its target value"), required=False)
            self.fields[f"weight_{index}"] = _decimal(
                label=_("Its weight"),
                required=False,
                help_text=_("Blank: its target value for a count, else 1."),
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"branch_{i}"], self[f"value_{i}"], self[f"weight_{i}"])
            for i in range(1, self.PARTS + 1)
        ]

    def parts(self) -> list[tuple[Branch, str, str]]:
        data = self.cleaned_data
        return [
            (data[f"branch_{i}"], data[f"value_{i}"], data[f"weight_{i}"])
            for i in range(1, self.PARTS + 1)
            if data.get(f"branch_{i}") is not None
        ]


class ProgressForm(forms.Form):
    prefix = "progress"
    on = DayField(label=_("On"))
    actual = _decimal(
        label=_("Actual value"),
        required=False,
        help_text=_("For a yes/no target: 1 when done, 0 when not."),
    )
    note = long_text_field(label=_("Note"), required=False)
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("A PDF, PNG or JPEG file (optional)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class CorrectionForm(forms.Form):
    prefix = "correction"
    actual = _decimal(label=_("Actual value"), required=False)
    note = long_text_field(label=_("Note"), required=False)


class ReviewForm(forms.Form):
    prefix = "review"
    kind = forms.ChoiceField(label=_("Review"), choices=ReviewKind.choices)
    # Its own msgid: "Held on" of an election is its election day (Ngày bầu).
    held_on = DayField(label=pgettext_lazy("review", "Held on"))


class ItemForm(forms.Form):
    prefix = "item"
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    text = long_text_field(label=_("Text"), required=False)
