"""Forms of terms, congresses and committees. They clean what is typed (dates dd/mm/yyyy,
numbers); the rules live in congresses.services, whose errors the views show beside the
fields with members.forms.attach_errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from congresses.models import (
    Body,
    CongressKind,
    DelegateKind,
    DocumentKind,
    ObtainedBy,
    Post,
    PostEnd,
    PostKind,
    Term,
)
from congresses.people import CHOICES, find_people, names, people_of, person_label
from members.models import Member
from unionrec.forms import DayField


def blank_first(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """The choices of a select that starts empty, so nothing is chosen by default."""
    return [("", "---------"), *choices]


def long_text_field(**kwargs: Any) -> forms.CharField:
    """A text of a few lines (a reason, a note)."""
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **kwargs)


# --- Terms --------------------------------------------------------------------------------


class TermForm(forms.Form):
    starts_on = DayField(label=_("Starts on"))
    ends_on = DayField(
        label=_("Ends on"),
        required=False,
        help_text=_("Leave blank for the usual length of a term (five years)."),
    )
    label = forms.CharField(
        label=_("Label"),
        max_length=40,
        required=False,
        help_text=_("Leave blank to name the term by its years, e.g. 2022–2027."),
    )
    ordinal = forms.IntegerField(
        label=_("Congress number"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("The ordinal of the congress that opens the term (lần thứ …)."),
    )


class ExtensionForm(forms.Form):
    """Field names follow congresses.services.extend_term's errors."""

    prefix = "extension"

    extended_until = DayField(label=_("Extended until"))
    extension_decision = forms.CharField(label=_("Decision"), max_length=80, required=False)
    extension_decided_on = DayField(label=_("Decided on"))


# --- People: a member of the subtree, or someone from outside ------------------------------


class PersonForm(forms.Form):
    """A person: an active member of the term's branch or its sub-units, found by what is
    typed in `person` (part of the name, the card number or the year of birth), or named in
    `person_name` when they come from outside. The picker (static/js/picker.js) fills
    `member` with the suggestion chosen; without it, the form finds the member when it is
    sent, and lists namesakes to choose from when several match."""

    person = forms.CharField(
        label=_("Member"),
        max_length=150,
        required=False,
        help_text=_("Type part of the name, the card number or the year of birth."),
    )
    member = forms.ModelChoiceField(
        label=_("Which member?"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    person_name = forms.CharField(
        label=_("or name"),
        max_length=150,
        required=False,
        help_text=_("For someone who is not a member of this branch."),
    )

    def __init__(self, *args: Any, term: Term, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people_of(term)
        self.fields["member"].queryset = self.people  # type: ignore[attr-defined]
        self.fields["person"].widget.attrs.update(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "data-people-url": reverse("congresses:people", args=[term.pk]),
                "data-member-field": f"id_{self.add_prefix('member')}",
                "data-none": gettext("No active member of this branch matches."),
                "data-chosen": gettext("Chosen:"),
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = data.get("person", "")
        chosen = data.get("member")
        if not text or (chosen is not None and names(chosen, text)):
            return data
        data["member"] = None
        found = find_people(self.people, text, limit=CHOICES + 1)
        if len(found) == 1:
            data["member"] = found[0]
        elif not found:
            self.add_error(
                "person",
                _(
                    "No active member of this branch or its sub-units matches “%(text)s”. "
                    "For someone from outside, clear this field and type the name under "
                    "“or name”."
                )
                % {"text": text},
            )
        elif len(found) > CHOICES:
            self.add_error(
                "person",
                _(
                    "More than %(n)s members match: type more of the name, the card number "
                    "or the year of birth."
                )
                % {"n": CHOICES},
            )
        else:
            self.add_error(
                "person",
                _("%(n)s members match “%(text)s”: choose one below.")
                % {"n": len(found), "text": text},
            )
            self.offer(found)
        return data

    def add_error(self, field: str | None, error: Any) -> None:
        """A service's refusal of the member (`member`) shows beside the field typed in."""
        if field == "member" and isinstance(self.fields["member"].widget, forms.HiddenInput):
            field = "person"
        super().add_error(field, error)

    def offer(self, found: list[Member]) -> None:
        """Show the members that match as choices (name · year of birth · card · sub-unit)."""
        field = self.fields["member"]
        field.widget = forms.RadioSelect()
        field.empty_label = None  # type: ignore[attr-defined]
        field.label_from_instance = person_label  # type: ignore[attr-defined]
        field.queryset = self.people.filter(pk__in=[m.pk for m in found])  # type: ignore[attr-defined]

    def chosen_person(self) -> dict[str, Any]:
        return {
            "member": self.cleaned_data.get("member"),
            "person_name": self.cleaned_data["person_name"],
        }


class PostForm(PersonForm):
    prefix = "post"
    kind = forms.ChoiceField(label=_("Post"), choices=blank_first(PostKind.choices))
    starts_on = DayField(label=_("From"))
    obtained_by = forms.ChoiceField(label=_("Obtained by"), choices=blank_first(ObtainedBy.choices))
    consent_decision = forms.CharField(
        label=_("Higher union's consent"),
        max_length=80,
        required=False,
        help_text=_("Needed for a by-election beyond the cap of the term."),
    )
    recognition_decision = forms.CharField(
        label=_("Recognition decision"), max_length=80, required=False
    )
    recognised_on = DayField(label=_("Recognised on"), required=False)

    field_order = [
        "kind",
        "person",
        "member",
        "person_name",
        "starts_on",
        "obtained_by",
        "consent_decision",
        "recognition_decision",
        "recognised_on",
    ]

    def post_fields(self) -> dict[str, Any]:
        names = [
            "kind",
            "starts_on",
            "obtained_by",
            "consent_decision",
            "recognition_decision",
            "recognised_on",
        ]
        return {name: self.cleaned_data[name] for name in names} | self.chosen_person()


class EndPostForm(forms.Form):
    """Field names follow congresses.services.end_post."""

    prefix = "end"

    post = forms.ModelChoiceField(label=_("Mandate"), queryset=Post.objects.none())
    on = DayField(label=_("Ends on"), help_text=_("The first day the post is no longer held."))
    reason = forms.ChoiceField(label=_("Reason"), choices=blank_first(PostEnd.choices))

    def __init__(self, *args: Any, posts: QuerySet[Post], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts  # type: ignore[attr-defined]


class DeletePostForm(forms.Form):
    """Field names follow congresses.committees.delete_post (which requires the reason)."""

    prefix = "delete"

    reason = long_text_field(
        label=_("Why the post is deleted"),
        required=False,
        max_length=100,
        help_text=_('Kept in the history, e.g. "entered twice" or "lost the election".'),
    )


# --- Congresses -----------------------------------------------------------------------------


class CongressForm(forms.Form):
    """The fields of congresses.services.CONGRESS_FIELDS; when planning, without the reported
    figures (they are compared with the register's once the congress is held)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CongressKind.choices)
    preparatory_on = DayField(label=_("Preparatory session"), required=False)
    held_on = DayField(label=_("Formal session"))
    venue = forms.CharField(label=_("Venue"), max_length=255, required=False)
    higher_consent = forms.CharField(
        label=_("Higher union's consent"),
        max_length=120,
        required=False,
        help_text=_("Decision or letter, where the kind of congress needs it."),
    )
    extraordinary_reason = long_text_field(
        label=_("Ground for an extraordinary congress"), required=False
    )
    summoned = forms.IntegerField(label=_("Summoned"), min_value=0, required=False)
    present = forms.IntegerField(label=_("Present"), min_value=0, required=False)
    committee_size = forms.IntegerField(
        label=_("Executive committee seats"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("The number of seats the congress voted for."),
    )
    reported_members = forms.IntegerField(
        label=_("Members (reported)"),
        min_value=0,
        required=False,
        help_text=_("Only where the figure reported to the congress differs from the register."),
    )
    reported_women = forms.IntegerField(label=_("Women (reported)"), min_value=0, required=False)
    reported_sub_units = forms.IntegerField(
        label=_("Sub-units (reported)"), min_value=0, required=False
    )
    reported_reason = long_text_field(label=_("Why the reported figures differ"), required=False)

    REPORTED = ("reported_members", "reported_women", "reported_sub_units", "reported_reason")

    def __init__(self, *args: Any, planning: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if planning:
            for name in self.REPORTED:
                del self.fields[name]


class RecogniseForm(forms.Form):
    """Field names follow congresses.services.recognise's errors."""

    prefix = "recognise"

    recognition_decision = forms.CharField(label=_("Decision"), max_length=80, required=False)
    recognised_on = DayField(label=_("Decided on"))


class ReopenForm(forms.Form):
    prefix = "reopen"
    reason = long_text_field(label=_("Reason for reopening"), required=False, max_length=500)


class GuestForm(forms.Form):
    prefix = "guest"
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=255, required=False)


class BodySeatForm(forms.Form):
    prefix = "seat"
    body = forms.ChoiceField(label=_("Body"), choices=blank_first(Body.choices))
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    role = forms.CharField(label=_("Role"), max_length=80, required=False, help_text=_("e.g. head"))


class DelegateForm(PersonForm):
    prefix = "delegate"
    kind = forms.ChoiceField(label=_("Kind"), choices=DelegateKind.choices)
    order = forms.IntegerField(
        label=_("Place in the order"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("Leave blank to add at the end."),
    )

    field_order = ["kind", "person", "member", "person_name", "order"]

    def delegate_fields(self) -> dict[str, Any]:
        return {"kind": self.cleaned_data["kind"], "order": self.cleaned_data["order"]} | (
            self.chosen_person()
        )


class DocumentForm(forms.Form):
    prefix = "document"
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (.docx) or OpenDocument (.odt)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt"}),
    )
