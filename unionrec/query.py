"""The values of the JSON API's query strings, read as strictly as its schema describes them:
a whole number is written in ASCII digits, a boolean is true or false; anything else is
refused with a 400 that names the parameter, never read as a default or as no filter.

An empty value is read as an absent one, as django-filter and DRF read it: an HTML form (the
browsable API's filter form too) sends the fields left unfilled that way. The schema says so
(`allowEmptyValue`, unionrec.schema).

Form fields, so that django-filter's filters (unionrec.api) and the pages of every list
(unionrec.pagination) read their values with the same rules and messages."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

# The range of the database's integer columns (64-bit: ids, counts, versions). Every number a
# client sends is checked against it before it reaches a query: beyond it SQLite raises
# OverflowError and PostgreSQL "out of range", which would answer 500.
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

# An integer as JSON and the schema write one: an optional sign and ASCII digits. Not "5.0",
# " 5", "1_000" or "٥", which int() and forms.IntegerField would read as numbers.
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")

# The spellings of a boolean that django-filter's BooleanWidget reads (case ignored).
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


class WholeNumberField(forms.IntegerField):
    """A whole number written as the schema's `integer` is: sign and ASCII digits only."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and value and not WHOLE_NUMBER.fullmatch(value):
            raise DjangoValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class TrueFalseWidget(BooleanWidget):  # type: ignore[misc]
    """django-filter's boolean select (no value, true, false), handing on what it cannot read
    instead of reading it as no value, so that the field refuses it."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class TrueFalseField(forms.NullBooleanField):
    """true or false (also 1 or 0, any case); empty or absent: None; anything else, `null`
    included, is invalid (forms.NullBooleanField reads it as None)."""

    widget = TrueFalseWidget
    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]  # stubs: bool
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        read = BOOLEANS.get(str(value).lower())
        if read is None:
            raise DjangoValidationError(self.error_messages["invalid"], code="invalid")
        return read


def query_number(request: Request, name: str, *, default: int, min_value: int = 1) -> int:
    """The whole number the query parameter `name` gives, at least `min_value`; `default`
    when it is absent or empty. Anything else answers 400 with `{name: [message]}`. (No
    upper bound: the caller caps it, or checks it before it reaches a query.)"""
    text = request.query_params.get(name)
    if text is None or text == "":
        return default
    field = WholeNumberField(min_value=min_value)
    try:
        number: int = field.clean(text)
    except DjangoValidationError as error:
        raise ValidationError({name: error.messages}) from None
    return number
