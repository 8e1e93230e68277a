"""Login lockout (reliability-security test 20): five failed logins lock the username, and
twenty from one address lock the address, for a cool-off period.

Every way in goes through `django.contrib.auth.authenticate` (the login page, the admin
site's login and the API's token endpoint), so the check sits in an authentication backend,
`LockoutBackend`: while a username or an address is locked it refuses before any password is
checked, even the right one, and records nothing more (the cool-off runs from the failure that
locked it). Failures are recorded from Django's `user_login_failed` signal, in the database
(`unionrec.models.LoginFailure`), so every server process sees the same count; a successful
login deletes its username's failures. The login page and the token endpoint say that the
login is locked and for how long; they never say whether the username exists.

Settings: UNIONREC_LOGIN_MAX_FAILURES (5) per username, UNIONREC_LOGIN_MAX_FAILURES_PER_IP
(20; offices share an address behind NAT), UNIONREC_LOGIN_LOCKOUT_MINUTES (15). The address is
the client's (`client_ip`): REMOTE_ADDR, or, when REMOTE_ADDR is a trusted reverse proxy
(UNIONREC_TRUSTED_PROXIES), the address that proxy read the request from, taken from
X-Forwarded-For, so the lock counts clients and not the proxy, and a client cannot choose its
address by sending the header itself. An administrator ends a lock early by deleting the rows
under "Failed logins" in the admin site."""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, QuerySet
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from .models import LoginFailure


def max_failures() -> int:
    return int(getattr(settings, "UNIONREC_LOGIN_MAX_FAILURES", 5))


def max_failures_per_ip() -> int:
    return int(getattr(settings, "UNIONREC_LOGIN_MAX_FAILURES_PER_IP", 20))


def window() -> timedelta:
    return timedelta(minutes=float(getattr(settings, "UNIONREC_LOGIN_LOCKOUT_MINUTES", 15)))


def username_key(username: Any) -> str:
    """The username as the lockout counts it: trimmed and case-folded, so that "Admin" and
    "admin " are one account to an attacker too."""
    return str(username or "").strip().casefold()[:150]


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted_proxy(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in ipaddress.ip_network(net) for net in settings.UNIONREC_TRUSTED_PROXIES)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, unless that is a trusted proxy; then the last address
    of X-Forwarded-For that is not a trusted proxy itself, read from the right (each proxy
    appends the address it was reached from; what a client sent stands to the left)."""
    if request is None:
        return None
    address = _address(request.META.get("REMOTE_ADDR") or "")
    if address is None or not is_trusted_proxy(address):
        return str(address) if address else None
    hops = (request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    for hop in reversed([hop for hop in hops if hop.strip()]):
        forwarded = _address(hop)
        if forwarded is None:
            break  # not an address: the proxy's own is the best we know
        address = forwarded
        if not is_trusted_proxy(forwarded):
            break
    return str(address)


@dataclass(frozen=True)
class Lock:
    """A lock in force: until when (the cool-off's end)."""

    until: datetime

    def minutes_left(self) -> int:
        return max(math.ceil((self.until - timezone.now()).total_seconds() / 60), 1)

    def message(self) -> str:
        minutes = self.minutes_left()
        return ngettext(
            "Too many failed logins. Try again in %(minutes)s minute.",
            "Too many failed logins. Try again in %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}


def lock_for(username: Any, ip: str | None) -> Lock | None:
    """The lock on this username or this address now, if any."""
    since = timezone.now() - window()
    recent = LoginFailure.objects.filter(at__gt=since)
    ends = []
    key = username_key(username)
    if key:
        ends.append(_lock_end(recent.filter(username=key), max_failures()))
    if ip:
        ends.append(_lock_end(recent.filter(ip=ip), max_failures_per_ip()))
    found = [end for end in ends if end is not None]
    return Lock(max(found)) if found else None


def _lock_end(failures: QuerySet[LoginFailure], limit: int) -> datetime | None:
    """When the lock of these failures ends: `window` after the latest of them, once there
    are `limit` of them within the window."""
    figures = failures.aggregate(count=Count("pk"), last=Max("at"))
    if figures["count"] >= limit:
        last: datetime = figures["last"]
        return last + window()
    return None


def record_failure(username: Any, ip: str | None) -> None:
    now = timezone.now()
    LoginFailure.objects.filter(at__lte=now - window()).delete()
    LoginFailure.objects.create(username=username_key(username), ip=ip, at=now)


def clear(username: Any) -> None:
    LoginFailure.objects.filter(username=username_key(username)).delete()


class LockoutBackend(ModelBackend):
    """ModelBackend that refuses, before checking any password, while the username or the
    address is locked; a successful login clears the username's failures."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if lock_for(username, client_ip(request)) is not None:
            if request is not None:
                request._unionrec_locked = True  # type: ignore[attr-defined]
            raise PermissionDenied  # authenticate() then stops and reports a failed login
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            clear(username)
        return user


@receiver(user_login_failed, dispatch_uid="unionrec.lockout.record")
def _record(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is not None and getattr(request, "_unionrec_locked", False):
        return  # refused while locked: the cool-off runs from the failure that locked it
    record_failure(credentials.get("username"), client_ip(request))
