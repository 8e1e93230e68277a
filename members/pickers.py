"""Choosing a branch by typing, on every form that filters by a branch or picks one.

A national tree has over 100,000 branches, so no form lists them. The field is a text input
for the branch's code, checked with one lookup among the branches the form allows (the
user's reach, given by the view as a queryset); static/js/picker.js adds suggestions from
`GET /api/v1/branches/?search=TEXT`, which search_branches answers: a code by its start, a
name folded (diacritics and case ignored) by its start, then by its words anywhere, at most
SEARCH_LIMIT branches, each with the names of its ancestors, since branch names repeat
("Công đoàn bộ phận số 1" exists thousands of times)."""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.filters import QuerySetRequestMixin

from . import domain
from .models import Branch

SEARCH_LIMIT = 20
CODE_MAX_LENGTH = 40


def search_branches(
    branches: QuerySet[Branch], text: str, *, limit: int = SEARCH_LIMIT
) -> list[Branch]:
    """At most `limit` of `branches` found by `text`: codes that start with it first, then
    names whose folded key starts with it, then names holding each of its words. Each step is
    a bounded query: the first two walk an index from the text and stop at `limit`."""
    key = domain.fold(text)[:100]
    if not key:
        return []
    branches = branches.order_by()
    code = key.replace(" ", "-")
    found: dict[int, Branch] = {}
    steps: list[tuple[Q, str | None]] = [
        (Q(code__prefix=code), "code"),
        (Q(search_key__prefix=key), "search_key"),
    ]
    words = Q()
    for word in key.split(" "):
        words &= Q(search_key__contains=word)
    steps.append((words, None))
    for condition, order in steps:
        wanted = limit - len(found)
        if wanted <= 0:
            break
        query = branches.filter(condition).exclude(pk__in=list(found))
        if order:
            query = query.order_by(order)
        for branch in query[:wanted]:
            found[branch.pk] = branch
    return list(found.values())


def ancestors_of(branches: QuerySet[Branch], found: list[Branch]) -> dict[str, Branch]:
    """The ancestors of the `found` branches among `branches` (those the user may see), by
    path, read with one query."""
    paths = {path for branch in found for path in domain.ancestor_paths(branch.path)[:-1]}
    if not paths:
        return {}
    return {branch.path: branch for branch in branches.order_by().filter(path__in=sorted(paths))}


class BranchCodeInput(forms.TextInput):
    """A text input for a branch code; static/js/picker.js turns it into a combobox that asks
    the branches API (`within` narrows the suggestions to one branch's subtree)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "none",
                "maxlength": str(CODE_MAX_LENGTH),
                "class": "branch-code",
                **(attrs or {}),
            }
        )
        self.within: str = ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        picker = {
            "data-branches-url": reverse("branch-list"),
            "data-chosen": gettext("Chosen:"),
            "data-none": gettext("No branch found in your reach."),
            "placeholder": gettext("code, or part of the name"),
        }
        if self.within:
            picker["data-within"] = self.within
        context["widget"]["attrs"] = {**picker, **context["widget"]["attrs"]}
        return context


class BranchCodeField(forms.Field):
    """A branch given by its code, looked up once among `queryset` (the branches the form
    allows, within the user's reach). Any other code gets the same message, whether the branch
    does not exist or lies outside the reach, so the answer reveals nothing."""

    widget = BranchCodeInput
    default_error_messages = {"out_of_reach": _("No branch with this code in your reach.")}

    def __init__(
        self,
        *,
        queryset: QuerySet[Branch] | None = None,
        within: str = "",
        known: Branch | None = None,
        **kwargs: Any,
    ) -> None:
        """`known`: a branch the view has already looked up and found within the same reach
        (unionrec.access.list_branch), taken without asking again when its code is typed."""
        kwargs.setdefault(
            "help_text", _("Its code, e.g. hp-skhcn; or type part of its name and pick it.")
        )
        super().__init__(**kwargs)
        self.queryset = queryset if queryset is not None else Branch.objects.none()
        self.within = within
        self.known = known

    @property
    def within(self) -> str:
        return cast(BranchCodeInput, self.widget).within

    @within.setter
    def within(self, code: str) -> None:
        cast(BranchCodeInput, self.widget).within = code

    def prepare_value(self, value: Any) -> Any:
        return value.code if isinstance(value, Branch) else value

    def to_python(self, value: Any) -> Branch | None:
        code = domain.clean_name(str(value or "")).lower()
        if not code:
            return None
        if self.known is not None and code == self.known.code:
            return self.known
        branch = self.queryset.filter(code=code[:CODE_MAX_LENGTH]).first()
        if branch is None or len(code) > CODE_MAX_LENGTH:
            raise ValidationError(self.error_messages["out_of_reach"], code="out_of_reach")
        return branch


class BranchFilter(QuerySetRequestMixin, django_filters.Filter):  # type: ignore[misc]
    """A filter set's branch, typed as a code and looked up in `queryset` (a queryset or a
    callable of the request, as django-filter's ModelChoiceFilter takes it)."""

    field_class = BranchCodeField
