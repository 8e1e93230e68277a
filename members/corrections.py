"""A member's request for a correction of their record (issue 15, item 2): the member asks
from their start page, a secretary with write rights on the member's branch sees it among the
open requests and answers it, and the member reads the answer on their start page. The
record itself is corrected through the member form as any change is (members.services), so
its history says what changed; the request keeps the question and the answer."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Member

TEXT_MAX_LENGTH = 2000  # a request and an answer alike: a few paragraphs


class CorrectionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("correction request", "Open")
    ANSWERED = "answered", _("Answered")


class CorrectionRequestQuerySet(models.QuerySet["CorrectionRequest"]):
    def answerable_by(self, user: Any) -> CorrectionRequestQuerySet:
        """Requests of members of the branches the user may write to (secretaries of the
        member's branch or above it, administrators): those they may see and answer."""
        from unionrec.access import scope_for

        return self.filter(scope_for(user).writable_branch_filter("member__branch__path"))


class CorrectionRequest(models.Model):
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="correction_requests",
        verbose_name=_("member"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    text = models.TextField(_("what should be corrected"), max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CorrectionStatus.choices,
        default=CorrectionStatus.OPEN,
    )
    answer = models.TextField(_("answer"), max_length=TEXT_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = CorrectionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="correction_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=CorrectionStatus.OPEN, answered_at__isnull=True)
                | models.Q(status=CorrectionStatus.ANSWERED, answered_at__isnull=False),
                name="correction_answered_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"
