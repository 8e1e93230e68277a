"""Elections held by a congress or by its new executive committee: candidates, rounds with
their ballots and votes, and the certified result.

The rule set is stored with the election (a preset's values, or the union's own), so a
certified result is counted again under exactly the rules it was counted by. Who is elected
is never stored as such: congresses.domain.election_state replays the rounds; certification
turns the elected into posts or delegates and seals the counts with a digest."""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congresses.elections import counting, domain
from congresses.models.congresses import Congress
from members.models import ByteOrderCharField, Gender, Member


class ElectionKind(models.TextChoices):
    EXECUTIVE = domain.ElectionKind.EXECUTIVE.value, _("Executive committee")
    STANDING = domain.ElectionKind.STANDING.value, _("Standing committee")
    CHAIR = domain.ElectionKind.CHAIR.value, _("Chair")
    VICE_CHAIR = domain.ElectionKind.VICE_CHAIR.value, _("Vice-chairs")
    INSPECTION = domain.ElectionKind.INSPECTION.value, _("Inspection committee")
    INSPECTION_HEAD = (
        domain.ElectionKind.INSPECTION_HEAD.value,
        _("Head of the inspection committee"),
    )
    FULL_DELEGATE = (
        domain.ElectionKind.FULL_DELEGATE.value,
        _("Full delegates to the higher congress"),
    )
    ALTERNATE_DELEGATE = (
        domain.ElectionKind.ALTERNATE_DELEGATE.value,
        _("Alternate delegates to the higher congress"),
    )


class Elector(models.TextChoices):
    CONGRESS = domain.Elector.CONGRESS.value, _("The congress")
    COMMITTEE = domain.Elector.COMMITTEE.value, _("The executive committee at its first meeting")


class RulePreset(models.TextChoices):
    VGCL_2018 = counting.VGCL_2018.code, _("Vietnam Trade Union Charter (2018)")
    ROBERTS_RULES = counting.ROBERTS_RULES.code, _("Robert's Rules of Order")
    PLURALITY = counting.PLURALITY.code, _("Plurality (most votes win)")
    CUSTOM = "custom", _("The union's own rules")


class Denominator(models.TextChoices):
    COLLECTED = counting.Denominator.COLLECTED.value, _("Ballots collected (invalid ones included)")
    VALID = counting.Denominator.VALID.value, _("Valid ballots")
    CAST = counting.Denominator.CAST.value, _("Votes cast (ballots collected except blank ones)")
    VALID_CAST = counting.Denominator.VALID_CAST.value, _("Valid votes cast (valid, not blank)")


class Threshold(models.TextChoices):
    MAJORITY = counting.Threshold.MAJORITY.value, _("Strictly more than half")
    PLURALITY = counting.Threshold.PLURALITY.value, _("Plurality (no threshold)")


class TieBreak(models.TextChoices):
    FURTHER_ROUND = counting.TieBreak.FURTHER_ROUND.value, _("A further round among the tied")
    LOT = counting.TieBreak.LOT.value, _("Lot")


class ElectionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ENTERED = "entered", _("Entered")
    CERTIFIED = "certified", _("Certified")


SealedModel = TypeVar("SealedModel", bound=models.Model)


class SealedQuerySet(models.QuerySet[SealedModel]):
    def sealed(self) -> SealedQuerySet[SealedModel]:
        """Rows of a certified election's result (the candidates on its ballot, the posts and
        delegate seats it gave): the union's official record, sealed by the result's digest
        and kept as it was when a member is erased (members.erasure)."""
        return self.filter(election__status=ElectionStatus.CERTIFIED)


class Decision(models.TextChoices):
    VOTE_AGAIN = domain.Decision.VOTE_AGAIN.value, _("Vote again for the open seats")
    LEAVE_VACANT = domain.Decision.LEAVE_VACANT.value, _("Leave the open seats vacant")
    LOT = domain.Decision.LOT.value, _("Lots drawn among the tied")


class ElectionQuerySet(models.QuerySet["Election"]):
    def visible_to(self, user: Any) -> ElectionQuerySet:
        from unionrec.access import scope_for

        return self.filter(scope_for(user).readable_branch_filter("congress__term__branch__path"))


class Election(models.Model):
    """One election of a congress (or of its executive committee's first meeting)."""

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="elections", verbose_name=_("congress")
    )
    kind = models.CharField(_("what is elected"), max_length=20, choices=ElectionKind.choices)
    elected_by = models.CharField(_("elected by"), max_length=20, choices=Elector.choices)
    seats = models.PositiveSmallIntegerField(_("seats"))
    held_on = models.DateField(_("held on"))
    summoned = models.PositiveIntegerField(_("summoned"), null=True, blank=True)
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    rules = models.CharField(
        _("rule set"), max_length=20, choices=RulePreset.choices, default=RulePreset.VGCL_2018
    )
    denominator = models.CharField(
        _("votes are counted against"), max_length=20, choices=Denominator.choices
    )
    threshold = models.CharField(_("threshold"), max_length=20, choices=Threshold.choices)
    tie_break = models.CharField(
        _("a tie for the last seat goes to"), max_length=20, choices=TieBreak.choices
    )
    vacancy_allowed = models.BooleanField(_("seats may be left vacant"))
    max_rounds = models.PositiveSmallIntegerField(
        _("most rounds"), null=True, blank=True, help_text=_("Blank: no limit.")
    )
    rules_note = models.TextField(
        _("source of the rules"),
        blank=True,
        help_text=_("For the union's own rules: the election rules the congress adopted."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ElectionStatus.choices, default=ElectionStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    revision = models.PositiveSmallIntegerField(
        _("revision"), default=0, help_text=_("How many times the result was certified.")
    )
    certified_at = models.DateTimeField(_("certified at"), null=True, blank=True)
    # The day the result was certified, as the secretary entered it (today by default; a
    # result of 2017 typed in later is certified as of 2017): the counting minutes print it.
    # certified_at is when it was recorded.
    certified_on = models.DateField(
        _("certified on"),
        null=True,
        blank=True,
        help_text=_("The day the result was certified: not before the election, not ahead."),
    )
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certified by"),
    )
    digest = models.CharField(_("digest of the certified result"), max_length=64, blank=True)

    history = HistoricalRecords()
    objects = ElectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["congress", "held_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "kind"], name="election_kind_unique"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="election_seats_positive"),
            models.CheckConstraint(
                condition=Q(present__isnull=True)
                | Q(summoned__isnull=True)
                | Q(present__lte=F("summoned")),
                name="election_present_within_summoned",
            ),
            models.CheckConstraint(
                condition=Q(max_rounds__isnull=True) | Q(max_rounds__gte=1),
                name="election_max_rounds_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.congress.term}"

    @property
    def rule_set(self) -> counting.RuleSet:
        preset = counting.PRESETS.get(self.rules)
        return counting.RuleSet(
            code=self.rules,
            name=preset.name if preset else "The union's own rules",
            denominator=counting.Denominator(self.denominator),
            threshold=counting.Threshold(self.threshold),
            tie_break=counting.TieBreak(self.tie_break),
            vacancy_allowed=self.vacancy_allowed,
            max_rounds=self.max_rounds,
            source=preset.source if preset else self.rules_note,
        )

    @property
    def is_certified(self) -> bool:
        return self.status == ElectionStatus.CERTIFIED


class Candidate(models.Model):
    """A name on the ballot: a member of the register, or someone named."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    person_name = models.CharField(_("name"), max_length=150)
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN
    )
    # members.domain.name_sort_key of person_name: ballots list names in Vietnamese order.
    sort_key = ByteOrderCharField(max_length=255, editable=False)

    history = HistoricalRecords(excluded_fields=["sort_key"])
    objects = SealedQuerySet["Candidate"].as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["election", "sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "member"],
                condition=Q(member__isnull=False),
                name="candidate_member_once",
            ),
        ]

    def __str__(self) -> str:
        return self.person_name


class Round(models.Model):
    """One round of voting: the ballots and, through RoundVote, the votes per candidate."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    seats = models.PositiveSmallIntegerField(_("seats"))
    issued = models.PositiveIntegerField(_("ballots issued"))
    collected = models.PositiveIntegerField(_("ballots collected"))
    valid = models.PositiveIntegerField(_("valid ballots"))
    invalid = models.PositiveIntegerField(_("invalid ballots"))
    blank = models.PositiveIntegerField(
        _("blank ballots"), default=0, help_text=_("Valid ballots marked for nobody.")
    )
    decision = models.CharField(
        _("decision after the round"), max_length=20, choices=Decision.choices, blank=True
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="round_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="round_number_positive"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="round_seats_positive"),
            models.CheckConstraint(
                condition=Q(collected__lte=F("issued")), name="round_collected_within_issued"
            ),
            models.CheckConstraint(
                condition=Q(valid=F("collected") - F("invalid")), name="round_ballots_add_up"
            ),
            models.CheckConstraint(
                condition=Q(blank__lte=F("valid")), name="round_blank_within_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Round %(number)s") % {"number": self.number})


class RoundVote(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="votes")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="votes")
    votes = models.PositiveIntegerField(_("votes"))
    won_by_lot = models.BooleanField(_("won by lot"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("votes of a candidate")
        verbose_name_plural = _("votes of candidates")
        ordering = ["round", "candidate__sort_key", "candidate_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "candidate"], name="vote_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.votes}"
