"""API tokens with a lifecycle (issue 16, item 1).

- `POST /api/v1/auth/token/` with a username and password issues a new token on each call
  (`issue`); its key is shown once. Only its SHA-256 is stored (`ApiToken.digest`): a key
  has 160 random bits, so a fast hash is enough, and a copy of the database holds no key
  that works.
- A token lasts `UNIONREC_TOKEN_HOURS` (12 by default, as a session at most) from its
  issue; past it, the request is refused with 401 and a message saying to ask for a new one.
- `DELETE /api/v1/auth/token/` revokes the token that sends it. `GET /api/v1/auth/tokens/`
  lists a user's tokens (their key's first characters, when issued, until when), and
  `DELETE /api/v1/auth/tokens/ID/` revokes one: their owner may, and a superuser may for
  anyone (`?user=NAME` lists another user's); the admin site lists and deletes them too.
- A changed password ends every token of the user (`end_on_password_change`), as it ends
  their other sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .models import ApiToken

KEY_BYTES = 20  # 160 bits, written as 40 hexadecimal digits
PREFIX_LENGTH = 8


def digest(key: str) -> str:
    """The SHA-256 of a key, as stored."""
    return hashlib.sha256(key.encode("utf-8", errors="replace")).hexdigest()


def lifetime() -> timedelta:
    return timedelta(hours=float(settings.UNIONREC_TOKEN_HOURS))


def issue(user: Any) -> tuple[str, ApiToken]:
    """A new token of `user`: its key (shown once, never stored) and its row."""
    key = secrets.token_hex(KEY_BYTES)
    now = timezone.now()
    ApiToken.objects.filter(user=user, expires_at__lte=now).delete()  # no row outlives its use
    token = ApiToken.objects.create(
        user=user,
        digest=digest(key),
        prefix=key[:PREFIX_LENGTH],
        created_at=now,
        expires_at=now + lifetime(),
    )
    return key, token


def revoke(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).delete()


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Authorization: Token KEY` header, read against the stored digests; an expired
    token is refused with its own message (401), and deleted."""

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = ApiToken.objects.select_related("user").filter(digest=digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.expires_at <= timezone.now():
            revoke(token)
            raise exceptions.AuthenticationFailed(
                _("This token has expired. Ask for a new one at /api/v1/auth/token/.")
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token


@receiver(pre_save, sender=get_user_model(), dispatch_uid="unionrec.tokens.password")
def end_on_password_change(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A user saved with another password than the stored one loses every token."""
    fields = kwargs.get("update_fields")
    if raw or instance.pk is None or (fields is not None and "password" not in fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        ApiToken.objects.filter(user_id=instance.pk).delete()
