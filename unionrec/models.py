"""Failed logins, kept for the lockout (unionrec.lockout), and the last run of the task
worker's daily work (unionrec.daily)."""

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
