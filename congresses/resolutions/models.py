"""A congress's resolution: numbered directions, campaigns and emulation movements, and the
numeric targets (chỉ tiêu) of the term, with their progress and the reviews of the term.

A target may be split over sub-units (its parts, each with a weight); progress is recorded on
the targets that are not split, and a split target's progress is rolled up from its parts
(congresses.domain.rolled_up). Verdicts are computed (congresses.domain.verdict), never
stored, except in a review, which freezes those of its day."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from congresses.models.committees import PostKind
from congresses.models.congresses import Congress
from congresses.resolutions import domain
from members.models import Branch


class ResolutionQuerySet(models.QuerySet["Resolution"]):
    def visible_to(self, user: Any) -> ResolutionQuerySet:
        """Resolutions of the branches whose goals the user may see: the readable subtrees,
        and for the member role their own branch and the branches above it."""
        from unionrec.access import scope_for

        return self.filter(scope_for(user).branch_filter("congress__term__branch__path"))


class Resolution(models.Model):
    congress = models.OneToOneField(
        Congress, on_delete=models.PROTECT, related_name="resolution", verbose_name=_("congress")
    )
    adopted_on = models.DateField(_("adopted on"))
    preamble = models.TextField(_("preamble"), blank=True)

    history = HistoricalRecords()
    objects = ResolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")

    def __str__(self) -> str:
        return str(_("Resolution of the congress %(term)s") % {"term": self.congress.term})

    @property
    def branch(self) -> Branch:
        """The branch whose congress adopted the resolution: its rights decide who may change
        the resolution, its directions, campaigns and targets."""
        return self.congress.term.branch


class Direction(models.Model):
    """A numbered direction or task of the term (phương hướng, nhiệm vụ)."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="directions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("direction"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("direction")
        verbose_name_plural = _("directions")
        ordering = ["resolution", "number"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "number"], name="direction_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class Campaign(models.Model):
    """A campaign or emulation movement (phong trào thi đua) the resolution launches."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(_("name"), max_length=255)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["resolution", "order", "id"]

    def __str__(self) -> str:
        return self.name


class TargetKind(models.TextChoices):
    PERCENTAGE = domain.TargetKind.PERCENTAGE.value, _("A percentage")
    COUNT = domain.TargetKind.COUNT.value, _("A count")
    YES_NO = domain.TargetKind.YES_NO.value, _("Yes or no")


class Verdict(models.TextChoices):
    EXCEEDED = domain.Verdict.EXCEEDED.value, _("Exceeded")
    ACHIEVED = domain.Verdict.ACHIEVED.value, _("Achieved")
    ON_TRACK = domain.Verdict.ON_TRACK.value, _("On track")
    AT_RISK = domain.Verdict.AT_RISK.value, _("At risk")
    NOT_MET = domain.Verdict.NOT_MET.value, _("Not met")


class TargetQuerySet(models.QuerySet["Target"]):
    def visible_to(self, user: Any) -> TargetQuerySet:
        """Targets the user may read, on the target's page and through the API alike: those of
        the resolutions whose goals the user sees (a member: their branch's and the branches'
        above it, every part included), and those whose responsible branch the user may read.
        Target.seen_by answers the same for one target."""
        from unionrec.access import scope_for

        scope = scope_for(user)
        if scope.superuser:
            return self.all()
        return self.filter(
            scope.branch_filter("resolution__congress__term__branch__path")
            | scope.readable_branch_filter("branch__path")
        )


class Target(models.Model):
    """A numeric target (chỉ tiêu) of the term. Its `parts` split it over sub-units."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="targets")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("part of"),
    )
    title = models.CharField(
        pgettext_lazy("target", "title"), max_length=255
    )  # a name, not a job title
    kind = models.CharField(_("kind"), max_length=20, choices=TargetKind.choices)
    baseline = models.DecimalField(
        _("baseline"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The value at the start of the term."),
    )
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    deadline = models.DateField(_("deadline"))
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="targets",
        verbose_name=_("responsible branch"),
    )
    responsible_post = models.CharField(
        _("responsible post"), max_length=20, choices=PostKind.choices, blank=True
    )
    weight = models.DecimalField(
        _("weight in the split"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For a part of a split target: how much it counts in the whole."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    history = HistoricalRecords()
    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["resolution", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(weight__gt=0), name="target_part_weight"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def counts_people(self) -> bool:
        """Whether its figures count people (a count target: members admitted, trained, ...),
        so that a small one is withheld outside the scope (unionrec.small_cells)."""
        return self.kind == TargetKind.COUNT


def evidence_path(instance: Progress, filename: str) -> str:
    """A server-chosen name: the user's file name never reaches the file system."""
    return f"target-evidence/{instance.evidence_name}"


class Progress(models.Model):
    """An actual value of a target on a day, with a note and optional evidence."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="progress")
    on = models.DateField(_("on"))
    actual = models.DecimalField(_("actual value"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=200, blank=True)
    evidence_name = models.CharField(max_length=80, blank=True, editable=False)
    evidence_original = models.CharField(_("evidence file name"), max_length=255, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["evidence"])

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        ordering = ["target", "on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["target", "on"], name="progress_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.target}: {self.actual} ({self.on})"


class ReviewKind(models.TextChoices):
    MID_TERM = "mid_term", _("Mid-term review")
    END_OF_TERM = "end_of_term", _("End-of-term review")


class Review(models.Model):
    """A review of the term (sơ kết, tổng kết): it freezes every target's verdict of its day."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices)
    held_on = models.DateField(pgettext_lazy("review", "held on"))  # not an election day
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["resolution", "held_on"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "kind"], name="review_kind_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"


class ReviewVerdict(models.Model):
    """A target's standing frozen on the review's day."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="verdicts")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="frozen")
    actual = models.DecimalField(_("actual value"), max_digits=14, decimal_places=2, null=True)
    progress = models.DecimalField(_("progress"), max_digits=9, decimal_places=4)
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)

    class Meta:
        verbose_name = _("frozen verdict")
        verbose_name_plural = _("frozen verdicts")
        ordering = ["review", "target__order", "target_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "target"], name="review_verdict_once"),
        ]

    def __str__(self) -> str:
        return f"{self.target}: {self.verdict}"


class ItemKind(models.TextChoices):
    ACHIEVEMENT = "achievement", _("Achievement")
    SHORTCOMING = "shortcoming", _("Shortcoming")


class ReviewItem(models.Model):
    """An achievement or a shortcoming of the term, as the end-of-term review states it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    text = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    drafted = models.BooleanField(
        _("drafted from the targets"),
        default=False,
        help_text=_("Written by unionrec from the verdicts; the secretary may edit it."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        ordering = ["review", "kind", "order", "id"]

    def __str__(self) -> str:
        return self.text[:60]
