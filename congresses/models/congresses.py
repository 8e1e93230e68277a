"""Terms, congresses, their guests, bodies and documents (committee posts and delegates are
in congresses.models.committees).

Rules live in congresses.domain, writes in congresses.services. A term's dates are half-open,
[starts_on, effective end), so the next term may start on the day the previous one ends.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congresses import domain
from members import domain as members_domain
from members.models import Branch, Member

from .querysets import CongressQuerySet, TermQuerySet


class Term(models.Model):
    """A branch's term of office (nhiệm kỳ), opened by a congress."""

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="terms", verbose_name=_("branch")
    )
    label = models.CharField(_("label"), max_length=40, help_text=_("For example 2017–2022."))
    ordinal = models.PositiveSmallIntegerField(
        _("ordinal"), null=True, blank=True, help_text=_("The congress's number: lần thứ …")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    extension_decision = models.CharField(_("extension decision"), max_length=80, blank=True)
    extension_decided_on = models.DateField(_("extension decided on"), null=True, blank=True)
    effective_end = models.GeneratedField(
        expression=Coalesce(F("extended_until"), F("ends_on")),
        output_field=models.DateField(),
        db_persist=True,
        verbose_name=_("effective end"),
    )
    # The day the branch's next term starts; empty for its latest term. Derived from the
    # branch's terms and kept by save() and delete() (TermQuerySet.link), so that the term
    # running on a day is told from its own row: the calendar walks term_end_idx in the order
    # of the terms' ends (congresses.filters), skipping the terms a later one has replaced.
    next_starts_on = models.DateField(_("next term starts on"), null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["effective_end", "next_starts_on"])
    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["branch", "starts_on"]
        indexes = [
            # The congress calendar (congresses.filters), 225,000 terms at 10 M (bench pages):
            # each branch's latest term started by a day, one backward step of this index
            models.Index(fields=["branch", "starts_on"], name="term_branch_start_idx"),
            # the situations, read from the terms' ends alone (index-only), and the calendar
            # sorted by the term's end, which walks it (TermQuerySet.running_on)
            models.Index(
                fields=["effective_end", "branch", "starts_on", "next_starts_on"],
                name="term_end_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["branch", "label"], name="term_label_unique"),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="term_ends_after"),
            models.CheckConstraint(
                condition=Q(extended_until__isnull=True) | Q(extended_until__gt=F("ends_on")),
                name="term_extension_later",
            ),
        ]
        # The no-overlap guard lives in the migrations: an exclusion constraint on PostgreSQL,
        # triggers on SQLite (congresses/migrations/0002_term_no_overlap.py).

    def __str__(self) -> str:
        return f"{self.branch.display_name} {self.label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        Term.objects.filter(branch_id=self.branch_id).link()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        deleted = super().delete(*args, **kwargs)
        Term.objects.filter(branch_id=self.branch_id).link()
        return deleted

    @property
    def end(self) -> date:
        return self.extended_until or self.ends_on

    @property
    def previous(self) -> Term | None:
        return (
            Term.objects.filter(branch_id=self.branch_id, starts_on__lt=self.starts_on)
            .order_by("-starts_on")
            .first()
        )

    @property
    def next(self) -> Term | None:
        return (
            Term.objects.filter(branch_id=self.branch_id, starts_on__gt=self.starts_on)
            .order_by("starts_on")
            .first()
        )

    def register_members(self) -> QuerySet[Member]:
        """The people a post or a delegate seat of the term may be given to from the register:
        the members of the branch's subtree."""
        return Member.objects.in_subtree(self.branch)

    def is_current(self, day: date) -> bool:
        return self.starts_on <= day < self.end


class CongressKind(models.TextChoices):
    ALL_MEMBER = domain.CongressKind.ALL_MEMBER.value, _("All-member congress")
    DELEGATE = domain.CongressKind.DELEGATE.value, _("Delegate congress")
    EXTRAORDINARY = domain.CongressKind.EXTRAORDINARY.value, _("Extraordinary congress")


class CongressStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    AWAITING_RECOGNITION = "awaiting", _("Awaiting recognition")
    RECOGNISED = "recognised", _("Recognised")


class Congress(models.Model):
    """The congress that opens a term: its sessions, attendance, frozen statistics and the
    higher union's recognition."""

    term = models.OneToOneField(
        Term, on_delete=models.PROTECT, related_name="congress", verbose_name=_("term")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=CongressKind.choices, default=CongressKind.ALL_MEMBER
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CongressStatus.choices, default=CongressStatus.PLANNED
    )
    preparatory_on = models.DateField(_("preparatory session"), null=True, blank=True)
    held_on = models.DateField(_("formal session"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    higher_consent = models.CharField(
        _("higher union's consent"),
        max_length=120,
        blank=True,
        help_text=_("Decision or letter, where the kind of congress needs it."),
    )
    extraordinary_reason = models.TextField(_("ground for an extraordinary congress"), blank=True)
    summoned = models.PositiveIntegerField(_("summoned"), null=True, blank=True)
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    committee_size = models.PositiveSmallIntegerField(
        _("executive committee seats"),
        null=True,
        blank=True,
        help_text=_("The number of seats the congress voted for."),
    )
    # Statistics counted from the register on the congress day, frozen when it is recorded.
    counted_on = models.DateField(_("statistics counted on"), null=True, blank=True)
    counted_members = models.PositiveIntegerField(_("members (counted)"), null=True, blank=True)
    counted_women = models.PositiveIntegerField(_("women (counted)"), null=True, blank=True)
    counted_unknown = models.PositiveIntegerField(
        _("gender not recorded (counted)"), null=True, blank=True
    )
    counted_sub_units = models.PositiveIntegerField(_("sub-units (counted)"), null=True, blank=True)
    counted_age_bands = models.JSONField(_("age bands (counted)"), default=dict, blank=True)
    # The members per sub-unit, frozen with the totals (congresses.breakdown): a row
    # {code, name, short_name, members, women, unknown} per direct sub-unit, and one with
    # "direct": true for the members attached to the branch itself, so that the rows add up
    # to the totals.
    counted_sub_unit_rows = models.JSONField(
        _("members per sub-unit (counted)"), default=list, blank=True
    )
    counted_rows_reconstructed = models.BooleanField(
        _("members per sub-unit reconstructed"),
        default=False,
        help_text=_(
            "Rebuilt later from the register as of the congress day, and not adding up to "
            "the totals frozen on the day."
        ),
    )
    # Figures the secretary reports where they differ from the register, with the reason.
    reported_members = models.PositiveIntegerField(_("members (reported)"), null=True, blank=True)
    reported_women = models.PositiveIntegerField(_("women (reported)"), null=True, blank=True)
    reported_sub_units = models.PositiveIntegerField(
        _("sub-units (reported)"), null=True, blank=True
    )
    reported_reason = models.TextField(_("why the reported figures differ"), blank=True)
    recognition_decision = models.CharField(_("recognition decision"), max_length=80, blank=True)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    # The one congress of its branch that the calendar shows: the oldest held and not yet
    # recognised, failing that the first planned (CongressQuerySet.awaited_first). Derived from
    # the branch's congresses and kept by save() and delete(), so that the calendar walks
    # these congresses by day (congress_awaited_idx) instead of choosing for every branch.
    awaited = models.BooleanField(_("awaited"), default=False, editable=False)

    history = HistoricalRecords(excluded_fields=["awaited"])
    objects = CongressQuerySet.as_manager()

    class Meta:
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")
        ordering = ["-held_on"]
        indexes = [
            # the calendar's congresses awaiting recognition (congresses.filters.WAITING)
            models.Index(
                fields=["term"],
                condition=Q(status__in=[CongressStatus.HELD, CongressStatus.AWAITING_RECOGNITION]),
                name="congress_waiting_idx",
            ),
            models.Index(
                fields=["held_on", "term"], condition=Q(awaited=True), name="congress_awaited_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(present__isnull=True)
                | Q(summoned__isnull=True)
                | Q(present__lte=F("summoned")),
                name="congress_present_within_summoned",
            ),
            models.CheckConstraint(
                condition=Q(counted_women__isnull=True)
                | Q(counted_women__lte=F("counted_members")),
                name="congress_counted_women_within_members",
            ),
            models.CheckConstraint(
                condition=Q(reported_women__isnull=True)
                | Q(reported_members__isnull=True)
                | Q(reported_women__lte=F("reported_members")),
                name="congress_reported_women_within_members",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Congress %(term)s") % {"term": self.term})

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        Congress.objects.filter(term__branch_id=self.term.branch_id).mark_awaited()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        branch_id = self.term.branch_id
        deleted = super().delete(*args, **kwargs)
        Congress.objects.filter(term__branch_id=branch_id).mark_awaited()
        return deleted

    @property
    def branch(self) -> Branch:
        return self.term.branch

    @property
    def quorum(self) -> domain.Quorum | None:
        if self.summoned is None or self.present is None or self.present > self.summoned:
            return None
        return domain.quorum(self.summoned, self.present)

    @property
    def counted_women_share(self) -> Any:
        if self.counted_members is None or self.counted_women is None:
            return None
        return members_domain.share(self.counted_women, self.counted_members)

    @property
    def reported_women_share(self) -> Any:
        members = self.reported_members
        women = self.reported_women
        if members is None and women is None:
            return None
        return members_domain.share(
            women if women is not None else self.counted_women or 0,
            members if members is not None else self.counted_members or 0,
        )

    @property
    def is_read_only(self) -> bool:
        return self.status == CongressStatus.RECOGNISED


class Guest(models.Model):
    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order of introduction"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["congress", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Body(models.TextChoices):
    PRESIDIUM = "presidium", _("Presidium")
    SECRETARIAT = "secretariat", _("Secretariat")
    COUNTING_BOARD = "counting_board", _("Counting board")
    CREDENTIALS = "credentials", _("Credentials committee")


class BodyMember(models.Model):
    """A seat in one of the congress's own bodies, which exist only for the congress."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="body_members")
    body = models.CharField(_("body"), max_length=20, choices=Body.choices)
    name = models.CharField(_("name"), max_length=150)
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=80, blank=True, help_text=_("e.g. head"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("congress body seat")
        verbose_name_plural = _("congress body seats")
        ordering = ["congress", "body", "order", "id"]

    def __str__(self) -> str:
        return f"{self.get_body_display()}: {self.name}"


class DocumentKind(models.TextChoices):
    MINUTES = "minutes", _("Minutes of the congress")
    REPORT = "report", _("End-of-term report")
    RESOLUTION = "resolution", _("Resolution text")
    OTHER = "other", _("Other document")


def document_path(instance: Document, filename: str) -> str:
    """A server-chosen name: the user's file name never reaches the file system."""
    return f"congress-documents/{instance.stored_name}"


class Document(models.Model):
    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["congress", "kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
