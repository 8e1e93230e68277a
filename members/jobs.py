"""Import jobs: one uploaded member list, from its upload through its preview to its commit.

The job keeps the file (under a server-chosen name, never the user's) until the import ends
or UNIONREC_IMPORT_FILE_HOURS pass (members.import_lifetime), and for good its SHA-256, who ran
it, what the preview found and what the commit wrote; its history (simple-history) is the
record of the import. The rows the preview read are checked again against the register at
commit time, so what is written is exactly what the preview of that moment shows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .models import Branch


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be checked")
    CHECKING = "checking", _("Checking the rows")
    PREVIEWED = "previewed", _("Checked: see the preview")
    REFUSED = "refused", _("Refused")
    COMMITTING = "committing", _("Writing to the register")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


def import_path(instance: ImportJob, filename: str) -> str:
    return f"member-imports/{instance.stored_name}"


class ImportJob(models.Model):
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="imports", verbose_name=_("branch")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
    )
    filename = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(max_length=80, editable=False)
    file = models.FileField(upload_to=import_path, max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    message = models.TextField(_("message"), blank=True)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("members added"), default=0)
    updated_count = models.PositiveIntegerField(_("members updated"), default=0)
    language = models.CharField(max_length=10, default="vi")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["preview", "heartbeat_at", "file"])

    class Meta:
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def unchanged_count(self) -> int:
        """Rows of the file already in the register as the file has them: after a commit, as
        checked when it wrote (members.importer keeps that preview)."""
        return int((self.preview or {}).get("counts", {}).get("unchanged", 0))

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.COMMITTING)
