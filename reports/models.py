"""Export jobs: a long export (a roster of thousands of members) written by a background task.

A job belongs to its owner alone: only they see its page and download its file, which is kept
under a name the server chooses (never anything from the request) until `expires_at`, then
deleted (reports.exports.delete_expired). The job keeps what was asked (the member list's
filters and the language, never the rows) so that the task can rebuild the queryset and
check the owner's permission again when it runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    ROSTER_XLSX = "roster_xlsx", _("Member roster (Excel)")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def export_path(instance: ExportJob, filename: str) -> str:
    return f"exports/{instance.stored_name}"


class ExportJob(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("owner"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ExportKind.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows to write"), null=True, blank=True)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    filename = models.CharField(_("file name"), max_length=120)  # chosen by the server
    stored_name = models.CharField(max_length=80, editable=False)
    file = models.FileField(upload_to=export_path, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("asked for at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"))

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="export_owner_idx"),
            models.Index(fields=["expires_at"], name="export_expires_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def running(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def language(self) -> str:
        """The language the export was asked for in (kept with its parameters), as an
        import job keeps its own: the file's and the job's messages' language."""
        return str(self.parameters.get("language") or settings.LANGUAGE_CODE)

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def available(self) -> bool:
        """Whether the file can be downloaded now."""
        return self.status == ExportStatus.DONE and bool(self.file) and not self.expired

    @property
    def percent(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, self.rows_written * 100 // self.rows_total)
