"""The result of an election in the API (congresses.elections.api), as
congresses.elections.results.outcome reads it: the one read model that the election page and
the counting minutes show too."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from congresses.elections import domain
from congresses.elections.results import Outcome, next_step_text, warnings_for
from unionrec.api import ShareField


class BallotNameSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="person_name")


class NextSerializer(serializers.Serializer[Any]):
    """The ballot of the round (or the lot) due next; empty when nothing is due."""

    candidates = BallotNameSerializer(source="next_candidates", many=True)
    seats = serializers.IntegerField(source="state.next_seats")


class ElectedSerializer(serializers.Serializer[Any]):
    candidate = serializers.IntegerField(source="candidate.pk")
    name = serializers.CharField(source="candidate.person_name")
    round = serializers.IntegerField(source="round_number")
    votes = serializers.IntegerField()
    percentage = ShareField(allow_null=True)
    by_lot = serializers.BooleanField()


class LineSerializer(serializers.Serializer[Any]):
    candidate = serializers.IntegerField(source="candidate.pk")
    name = serializers.CharField(source="candidate.person_name")
    votes = serializers.IntegerField()
    percentage = ShareField(allow_null=True)
    passed = serializers.BooleanField(help_text=_("Reached the threshold."))
    elected = serializers.BooleanField()
    tied = serializers.BooleanField(help_text=_("Level at the last seat(s): not elected yet."))
    won_by_lot = serializers.BooleanField()


class RoundResultSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField(source="round.number")
    seats = serializers.IntegerField(source="round.seats")
    issued = serializers.IntegerField(source="round.issued")
    collected = serializers.IntegerField(source="round.collected")
    valid = serializers.IntegerField(source="round.valid")
    invalid = serializers.IntegerField(source="round.invalid")
    blank = serializers.IntegerField(source="round.blank")
    denominator = serializers.IntegerField(
        source="count.denominator", help_text=_("What the votes are measured against.")
    )
    threshold_votes = serializers.IntegerField(
        source="count.threshold_votes", help_text=_("The fewest votes that pass.")
    )
    decision = serializers.CharField(source="round.decision")
    lines = LineSerializer(many=True, help_text=_("Highest vote first."))


class ResultSerializer(serializers.Serializer[Any]):
    """Where the election stands (congresses.elections.results.outcome)."""

    election = serializers.IntegerField(source="election.pk")
    # Plain strings: the election's enums are named once, where they are set (the schema).
    status = serializers.CharField(
        source="election.status", help_text=_("The election's status: draft, entered, certified.")
    )
    version = serializers.IntegerField(source="election.version")
    seats = serializers.IntegerField(source="election.seats")
    complete = serializers.BooleanField()
    awaiting = serializers.ChoiceField(choices=[a.value for a in domain.Awaiting])
    next = NextSerializer(source="*")
    decisions = serializers.ListField(
        child=serializers.CharField(), help_text=_("The decisions open now, as decide/ takes them.")
    )
    next_step = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()
    error = serializers.CharField(
        help_text=_("Set when stored rounds no longer follow the rules (changed out of band).")
    )
    elected = ElectedSerializer(many=True, help_text=_("In the order the seats were won."))
    vacant = serializers.IntegerField(source="state.vacant")
    open_seats = serializers.IntegerField(source="state.open_seats")
    rounds = RoundResultSerializer(many=True)

    def get_next_step(self, result: Outcome) -> str:
        return next_step_text(result)

    def get_warnings(self, result: Outcome) -> list[str]:
        return warnings_for(result.election, result)
