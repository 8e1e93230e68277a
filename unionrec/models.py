"""Failed logins, kept for the lockout (unionrec.lockout), the last run of the task
worker's daily work (unionrec.daily), the API's tokens (unionrec.tokens) and the task
workers' heartbeats (unionrec.heartbeat)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginFailure(models.Model):
    """One failed login: the username as typed (folded), the client's address, when. Rows older
    than the lockout window are deleted as new failures come in; a successful login deletes
    its username's rows."""

    username = models.CharField(_("username"), max_length=150, db_index=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True, db_index=True)
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} {self.ip or '-'} {self.at:%Y-%m-%d %H:%M:%S}"


class DailyRun(models.Model):
    """When a piece of the task worker's daily work last started: of several workers, the one
    that moves this forward runs it (unionrec.daily.claim)."""

    name = models.CharField(_("work"), max_length=50, primary_key=True)
    last_run_at = models.DateTimeField(_("last run at"))

    class Meta:
        verbose_name = _("daily run")
        verbose_name_plural = _("daily runs")

    def __str__(self) -> str:
        return f"{self.name} {self.last_run_at:%Y-%m-%d %H:%M:%S}"


class ApiToken(models.Model):
    """An API token (unionrec.tokens): only the SHA-256 of its key is stored, with the key's
    first characters to tell tokens apart in a list. It ends at `expires_at`, when it is
    revoked (deleted), or when its user's password changes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    digest = models.CharField(_("SHA-256 of the key"), max_length=64, unique=True)
    prefix = models.CharField(_("first characters of the key"), max_length=8)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"


class WorkerBeat(models.Model):
    """A task worker's heartbeat (unionrec.heartbeat): written every few seconds while the
    worker runs; a worker not heard of for UNIONREC_WORKER_DEAD_SECONDS is taken as stopped,
    and its running tasks as failed."""

    worker_id = models.CharField(_("worker id"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.IntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid} {self.beat_at:%Y-%m-%d %H:%M:%S}"
