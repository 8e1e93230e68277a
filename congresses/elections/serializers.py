"""The bodies of the elections API (congresses.elections.api): an election's setup and ballot,
and a round's counts as a tally brings them (the result is in result_serializers).

Nothing here decides anything: the services check every count and every step, and
`election_errors` carries their refusals to the client, a Conflict as 409."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from congresses.elections import counting
from congresses.elections.models import (
    Candidate,
    Decision,
    Denominator,
    Election,
    ElectionKind,
    ElectionStatus,
    Elector,
    RulePreset,
    Threshold,
    TieBreak,
)
from congresses.models import Congress
from congresses.serializers import record_errors
from members import domain as members_domain
from members.models import Gender
from unionrec.api import TYPED, ScopedMemberField, VersionField, writable

# The largest count the columns hold (PositiveIntegerField); no congress comes near it.
MOST = 2_147_483_647
VOTE_PREFIX = "vote_"  # congresses.elections.rounds.vote_field: a candidate's votes are vote_<pk>
VERSION_HELP = _(
    "The election's version your data was read from: if someone changed the election since, "
    "the change is refused with 409. Leave it out to skip the check."
)


@contextmanager
def election_errors(**rename: str) -> Iterator[None]:
    """congresses.serializers.record_errors for elections (a Conflict answers 409 with its
    message, a permission refusal 403), and the votes of one candidate (`vote_<pk>`) are
    reported under `votes` by candidate id, `{"votes": {"<id>": [...]}}`, with any message
    about the votes as a whole under `votes.non_field_errors`."""
    try:
        with record_errors(**rename):
            yield
    except ValidationError as error:
        detail = error.detail
        if not isinstance(detail, Mapping) or not any(k.startswith(VOTE_PREFIX) for k in detail):
            raise
        rest = {k: v for k, v in detail.items() if not k.startswith(VOTE_PREFIX)}
        votes: dict[str, Any] = {
            k.removeprefix(VOTE_PREFIX): v for k, v in detail.items() if k.startswith(VOTE_PREFIX)
        }
        if "votes" in rest:
            votes[api_settings.NON_FIELD_ERRORS_KEY] = rest.pop("votes")
        raise ValidationError(rest | {"votes": votes}) from None


class ScopedCongressField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A congress the caller may read: any other id is refused as not existing."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(style=TYPED, **kwargs)

    def get_queryset(self) -> QuerySet[Congress]:
        user = self.context["request"].user
        return Congress.objects.visible_to(user).select_related("term__branch")


# --- The setup ------------------------------------------------------------------------------


class CandidateSerializer(serializers.ModelSerializer[Candidate]):
    """A name on the ballot: a member of the branch's subtree, or someone named."""

    member = ScopedMemberField(required=False, allow_null=True)
    person_name = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        help_text=_("Default: the member's name; required for someone from outside."),
    )
    gender = serializers.ChoiceField(
        choices=Gender.choices, required=False, help_text=_("Default: the member's gender.")
    )

    class Meta:
        model = Candidate
        fields = ["id", "member", "person_name", "gender"]
        read_only_fields = ["id"]
        validators: list[Any] = []  # the service says why a member cannot stand


class NewCandidateSerializer(CandidateSerializer):
    version = VersionField(write_only=True, help_text=VERSION_HELP)

    class Meta(CandidateSerializer.Meta):
        fields = [*CandidateSerializer.Meta.fields, "version"]


class RuleSetSerializer(serializers.Serializer[Any]):
    """The rules the election is counted by, as stored with it."""

    code = serializers.CharField(source="rules")
    name = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()  # type: ignore[assignment]
    denominator = serializers.ChoiceField(choices=Denominator.choices)
    threshold = serializers.ChoiceField(choices=Threshold.choices)
    tie_break = serializers.ChoiceField(choices=TieBreak.choices)
    vacancy_allowed = serializers.BooleanField()
    max_rounds = serializers.IntegerField(allow_null=True)

    def get_name(self, election: Election) -> str:
        return str(RulePreset(election.rules).label)

    def get_source(self, election: Election) -> str:
        """A preset's citation in the reader's language; the union's own rules as entered."""
        if election.rules in counting.PRESETS:
            return gettext(counting.PRESETS[election.rules].source)
        return election.rules_note


class ElectionSerializer(serializers.ModelSerializer[Election]):
    """An election's setup, its rule set and its ballot. On creation `candidates` may list
    the ballot, stored with the election or not at all."""

    congress = ScopedCongressField()
    branch = serializers.CharField(source="congress.term.branch.code", read_only=True)
    kind = serializers.ChoiceField(choices=ElectionKind.choices)
    elected_by = serializers.ChoiceField(
        choices=Elector.choices,
        required=False,
        help_text=_("Default: the body that elects this post under the Charter."),
    )
    seats = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=999,
        help_text=_(
            "Default: 1 for a chair or head; for the executive committee the size "
            "the congress voted for."
        ),
    )
    held_on = serializers.DateField(required=False, help_text=_("Default: the congress day."))
    summoned = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MOST,
        help_text=_("Default: those summoned to the congress (or the committee's seats)."),
    )
    present = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=MOST)
    rules = serializers.ChoiceField(choices=RulePreset.choices, default=RulePreset.VGCL_2018)
    denominator = serializers.ChoiceField(
        choices=Denominator.choices,
        required=False,
        write_only=True,
        help_text=_("With the union's own rules (custom) only: a preset sets it."),
    )
    threshold = serializers.ChoiceField(
        choices=Threshold.choices,
        required=False,
        write_only=True,
        help_text=_("With the union's own rules (custom) only: a preset sets it."),
    )
    tie_break = serializers.ChoiceField(
        choices=TieBreak.choices,
        required=False,
        write_only=True,
        help_text=_("With the union's own rules (custom) only: a preset sets it."),
    )
    vacancy_allowed = serializers.BooleanField(
        required=False,
        write_only=True,
        help_text=_("With the union's own rules (custom) only: a preset sets it."),
    )
    max_rounds = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=99,
        write_only=True,
        help_text=_("With the union's own rules (custom) only; blank: no limit."),
    )
    rules_note = serializers.CharField(required=False, allow_blank=True)
    rule_set = RuleSetSerializer(source="*", read_only=True)
    candidates = CandidateSerializer(
        many=True,
        required=False,
        help_text=_(
            "The ballot. On creation, names added with the election (all or none); "
            "afterwards through candidates/."
        ),
    )
    version = VersionField(help_text=VERSION_HELP)
    status = serializers.ChoiceField(choices=ElectionStatus.choices, read_only=True)

    class Meta:
        model = Election
        fields = [
            "id",
            "congress",
            "branch",
            "kind",
            "elected_by",
            "seats",
            "held_on",
            "summoned",
            "present",
            "rules",
            "denominator",
            "threshold",
            "tie_break",
            "vacancy_allowed",
            "max_rounds",
            "rules_note",
            "rule_set",
            "candidates",
            "status",
            "version",
            "revision",
            "certified_on",
            "certified_at",
            "digest",
        ]
        read_only_fields = ["id", "revision", "certified_on", "certified_at", "digest"]
        validators: list[Any] = []  # the service says which election the congress has

    def validate_congress(self, congress: Congress) -> Congress:
        writable(self, congress.term.branch)
        return congress


# --- A round's counts -------------------------------------------------------------------------


class VoteSerializer(serializers.Serializer[Any]):
    """One candidate's votes, by id or by the exact name on the ballot."""

    candidate = serializers.IntegerField(
        required=False, min_value=1, max_value=MOST, help_text=_("The candidate's id.")
    )
    name = serializers.CharField(
        required=False,
        max_length=150,
        help_text=_(
            "Instead of the id: the name exactly as on the ballot, if no other candidate has it."
        ),
    )
    votes = serializers.IntegerField(min_value=0, max_value=MOST)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if ("candidate" in data) == ("name" in data):
            raise ValidationError(_("Give the candidate's id or name, one of them."))
        return data


class RoundSerializer(serializers.Serializer[Any]):
    """The counts of a round as the counting board wrote them in its minutes."""

    issued = serializers.IntegerField(min_value=0, max_value=MOST)
    collected = serializers.IntegerField(min_value=0, max_value=MOST)
    valid = serializers.IntegerField(min_value=0, max_value=MOST)
    invalid = serializers.IntegerField(min_value=0, max_value=MOST)
    blank = serializers.IntegerField(
        min_value=0, max_value=MOST, default=0, help_text=_("Valid ballots marked for nobody.")
    )
    votes = VoteSerializer(
        many=True,
        help_text=_("The votes of every candidate on this round's ballot, and of no one else."),
    )
    version = VersionField(help_text=VERSION_HELP)

    def validate_votes(self, lines: list[dict[str, Any]]) -> dict[int, int]:
        """The votes by candidate id; a name stands for the one candidate of the election
        who has exactly that name (as stored: NFC, single spaces)."""
        by_name: dict[str, list[int]] = {}
        for candidate in self.context["election"].candidates.all():
            by_name.setdefault(candidate.person_name, []).append(candidate.pk)
        votes: dict[int, int] = {}
        errors: dict[str, dict[str, list[str]]] = {}  # by position, as DRF reports a list
        for position, line in enumerate(lines):
            pk = line.get("candidate")
            if pk is None:
                name = members_domain.clean_name(line["name"])
                found = by_name.get(name, [])
                if len(found) != 1:
                    message = (
                        _("No candidate of this election is named “%(name)s”.")
                        if not found
                        else _("%(n)s candidates are named “%(name)s”: give the id.")
                    )
                    errors[str(position)] = {"name": [message % {"n": len(found), "name": name}]}
                    continue
                pk = found[0]
            if pk in votes:
                errors[str(position)] = {"candidate": [str(_("This candidate is listed twice."))]}
            votes[pk] = line["votes"]
        if errors:
            raise ValidationError(errors)
        return votes


class DecideSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=Decision.choices)
    lot_winners = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MOST),
        default=list,
        help_text=_("For a lot: the ids of the tied candidates who drew the seats."),
    )
    version = VersionField(help_text=VERSION_HELP)


class CertifySerializer(serializers.Serializer[Any]):
    certified_on = serializers.DateField(
        required=False,
        help_text=_(
            "The day the result was certified (YYYY-MM-DD): not before the election's day, "
            "not in the future. Default: today."
        ),
    )
    version = VersionField(help_text=VERSION_HELP)


class ReopenSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
