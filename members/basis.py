"""The processing basis of a member record (issue 15, item 2): the ground on which the union
holds a person's data. Vietnam's Personal Data Protection Law (in force since 1 January 2026)
and GDPR Art. 9 for unions elsewhere: membership of the union for its members' own records
(every record made before the basis was kept, migration 0012), or the person's consent, with
the day it was given."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProcessingBasis(models.TextChoices):
    MEMBERSHIP = "membership", _("Membership of the union")
    CONSENT = "consent", _("Consent of the person")


class ProcessingBasisFields(models.Model):
    """The basis and, for consent, its day: fields of members.models.Member."""

    processing_basis = models.CharField(
        _("processing basis"),
        max_length=12,
        choices=ProcessingBasis.choices,
        default=ProcessingBasis.MEMBERSHIP,
        db_default=ProcessingBasis.MEMBERSHIP,  # rows written in bulk (the bench) too
    )
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        """Consent has its day, not in the future; membership has none."""
        super().clean()
        if self.consent_on and self.consent_on > timezone.localdate():
            raise ValidationError(
                {"consent_on": [_("The day of consent cannot be in the future.")]}
            )
        if self.processing_basis == ProcessingBasis.CONSENT and self.consent_on is None:
            raise ValidationError({"consent_on": [_("Enter the day the consent was given.")]})
        if self.processing_basis == ProcessingBasis.MEMBERSHIP and self.consent_on is not None:
            raise ValidationError(
                {"consent_on": [_("A consent day goes with the basis “consent” only.")]}
            )
