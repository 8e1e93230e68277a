"""Grants: the role a user holds on a branch. unionrec.access turns a user's grants into the
scope of every request (what the user may see and change)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    SECRETARY = "secretary", _("Secretary (reads and writes the subtree)")
    REVIEWER = "reviewer", _("Reviewer (leadership: reads the subtree)")
    MEMBER = "member", _("Member (own branch's statistics and goals)")


class Grant(models.Model):
    """A role a user holds on a branch (and, for secretaries and reviewers, its subtree)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants"
    )
    branch = models.ForeignKey(
        "members.Branch", on_delete=models.CASCADE, related_name="grants", verbose_name=_("branch")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.UniqueConstraint(fields=["user", "branch", "role"], name="grant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.branch.code}"
