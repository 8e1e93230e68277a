"""Form fields shared by the pages of every app."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
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


class QuickSelect(forms.Select):
    """A select drawn in Python with the markup of Django's own template (its attributes, its
    options with theirs, their groups), for the filter forms of busy list pages: the member
    list draws three on every request, each about 0.25 ms through the widget templates (a
    template per option), 0.02 ms here."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group, options, _index in widget["optgroups"]:
            drawn = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option["value"], flatatt(option["attrs"]), option["label"])
                    for option in options
                ),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group, drawn) if group else drawn
            )
        drawn_options = mark_safe("".join(parts))  # noqa: S308 - each part built by format_html
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            drawn_options,
        )


class DayForm(forms.Form):
    """The day a page is shown for (`?on=dd/mm/yyyy`): a committee, the targets' standing."""

    on = DayField(label=_("On"), required=False)


class AsOfForm(forms.Form):
    """The day statistics are shown for (`?as_of=dd/mm/yyyy`, today by default)."""

    as_of = DayField(label=_("As of"), required=False)
