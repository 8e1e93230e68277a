"""Form fields shared by the pages of every app."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from unionrec.days import parse_page_day


class DayField(forms.DateField):
    """A day typed on a page, read by the one page parser (unionrec.days.parse_page_day:
    dd/mm/yyyy, the day first); shown back as dd/mm/yyyy."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        kwargs.setdefault("widget", forms.DateInput(attrs=attrs, format="%d/%m/%Y"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return parse_page_day(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class DayForm(forms.Form):
    """The day a page is shown for (`?on=dd/mm/yyyy`): a committee, the targets' standing."""

    on = DayField(label=_("On"), required=False)


class AsOfForm(forms.Form):
    """The day statistics are shown for (`?as_of=dd/mm/yyyy`, today by default)."""

    as_of = DayField(label=_("As of"), required=False)
