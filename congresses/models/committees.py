"""Committee posts (mandates with dates, so the committee of any day is a query), the first
meeting of a new executive committee and the delegates a congress sends to the level above.

Rules live in congresses.domain, writes in congresses.committees."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congresses import domain
from congresses.elections.models import SealedQuerySet
from congresses.models.congresses import Congress, Term
from members.models import Member


class PostKind(models.TextChoices):
    CHAIR = domain.PostKind.CHAIR.value, _("Chair")
    VICE_CHAIR = domain.PostKind.VICE_CHAIR.value, _("Vice-chair")
    STANDING = domain.PostKind.STANDING.value, _("Standing committee member")
    EXECUTIVE = domain.PostKind.EXECUTIVE.value, _("Executive committee member")
    INSPECTION_HEAD = domain.PostKind.INSPECTION_HEAD.value, _("Inspection committee head")
    INSPECTION_MEMBER = domain.PostKind.INSPECTION_MEMBER.value, _("Inspection committee member")


class ObtainedBy(models.TextChoices):
    CONGRESS = "congress", _("Elected by the congress")
    COMMITTEE = "committee", _("Elected by the executive committee at its first meeting")
    BY_ELECTION = "by_election", _("By-election")
    APPOINTMENT = "appointment", _("Appointed by the higher union")


class PostEnd(models.TextChoices):
    TERM_ENDED = "term_ended", _("Term ended")
    RESIGNED = "resigned", _("Resigned")
    DIED = "died", _("Died")
    TRANSFERRED = "transferred", _("Transferred")
    DISMISSED = "dismissed", _("Dismissed")


# The committee's order, chair first (the order of PostKind).
POST_RANK = Case(
    *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(PostKind.values)),
    default=Value(len(PostKind.values)),
)


class PostQuerySet(SealedQuerySet["Post"]):
    def held_on(self, day: date) -> PostQuerySet:
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))

    def committee_on(self, day: date) -> PostQuerySet:
        """The posts held on `day` in the committee's order: chair first (POST_RANK), then
        by their order on the list."""
        return self.held_on(day).select_related("member__branch").order_by(POST_RANK, "order", "id")

    def visible_to(self, user: Any) -> PostQuerySet:
        from unionrec.access import scope_for

        return self.filter(scope_for(user).readable_branch_filter("term__branch__path"))


class Post(models.Model):
    """A mandate: a person holds a post of a branch's term from a day until a day."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="posts")
    kind = models.CharField(_("post"), max_length=20, choices=PostKind.choices)
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("member"),
    )
    person_name = models.CharField(
        _("name"), max_length=150, help_text=_("The member's name, or someone from outside.")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    obtained_by = models.CharField(_("obtained by"), max_length=20, choices=ObtainedBy.choices)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=PostEnd.choices, blank=True
    )
    recognition_decision = models.CharField(_("recognition decision"), max_length=80, blank=True)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    consent_decision = models.CharField(
        _("higher union's consent"),
        max_length=80,
        blank=True,
        help_text=_("Needed for a by-election beyond the cap of the term."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    election = models.ForeignKey(
        "congresses.Election",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("election"),
        help_text=_("The certified election the post comes from, if any."),
    )

    history = HistoricalRecords()
    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["term", "order", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="post_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person_name}"


class FirstMeeting(models.Model):
    """The first meeting of a term's new executive committee (domain-rules §2, "After the
    congress"). What it elected are posts (obtained by the committee, from its day); this row
    keeps what the posts cannot say and its minutes print: the day, the convenor the
    congress's presidium named, who kept the minutes and who of the elected was absent.
    Written by congresses.first_meeting.record_first_meeting only."""

    term = models.OneToOneField(
        Term, on_delete=models.PROTECT, related_name="first_meeting", verbose_name=_("term")
    )
    held_on = models.DateField(_("day of the meeting"))
    convenor = models.CharField(
        _("convenor"), max_length=150, help_text=_("Named by the congress's presidium.")
    )
    minutes_by = models.CharField(_("secretary of the meeting"), max_length=150, blank=True)
    absent = models.ManyToManyField(
        Post, blank=True, related_name="+", verbose_name=_("absent from the meeting")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("first meeting of the executive committee")
        verbose_name_plural = _("first meetings of the executive committee")

    def __str__(self) -> str:
        return str(_("First meeting of the executive committee, %(term)s") % {"term": self.term})


class DelegateKind(models.TextChoices):
    FULL = "full", _("Full delegate")
    ALTERNATE = "alternate", _("Alternate delegate")


class Delegate(models.Model):
    """A delegate elected to the higher union's congress."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="delegates")
    kind = models.CharField(_("kind"), max_length=10, choices=DelegateKind.choices)
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person_name = models.CharField(_("name"), max_length=150)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    election = models.ForeignKey(
        "congresses.Election",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegates",
        verbose_name=_("election"),
    )

    history = HistoricalRecords()
    objects = SealedQuerySet["Delegate"].as_manager()

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["congress", "kind", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "kind", "order"], name="delegate_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.order}: {self.person_name}"
