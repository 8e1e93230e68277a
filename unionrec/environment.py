"""What the environment says, read the same way by the settings and by `make serve`
(unionrec.serve), which refuses a configuration unfit for production before Django starts."""

from __future__ import annotations

from collections.abc import Mapping

# The key of a development checkout (DJANGO_DEBUG=1 or the tests). Never valid in production.
DEVELOPMENT_SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105


def flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    """A yes/no variable: 1, true, yes or on (any case) mean yes."""
    value = environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def production_refusals(environ: Mapping[str, str]) -> list[str]:
    """Why this environment must not serve real users, one sentence per reason saying what to
    set; empty when it may."""
    found = []
    if flag(environ, "DJANGO_DEBUG", default=False):
        found.append(
            "DJANGO_DEBUG is on: debug pages would show code and settings to anyone. "
            "Set DJANGO_DEBUG=0 (or leave it unset)."
        )
    if flag(environ, "UNIONREC_TESTING", default=False):
        found.append(
            "UNIONREC_TESTING is on: it turns off secure cookies and allows the development "
            "key. Unset UNIONREC_TESTING."
        )
    key = environ.get("DJANGO_SECRET_KEY", "")
    if not key:
        found.append(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value kept across "
            "restarts, for example the output of `openssl rand -hex 32`."
        )
    elif key == DEVELOPMENT_SECRET_KEY:
        found.append(
            "DJANGO_SECRET_KEY is the development key, which anyone can read in the source. "
            "Set it to a long random value, for example the output of `openssl rand -hex 32`."
        )
    if not environ.get("DJANGO_ALLOWED_HOSTS", "").strip(" ,"):
        found.append(
            "DJANGO_ALLOWED_HOSTS is not set. Set it to the host names the site answers to, "
            "comma-separated (for example unionrec.example.org)."
        )
    metrics = environ.get("UNIONREC_METRICS", "")
    if metrics and len(metrics) < 16:
        found.append(
            "UNIONREC_METRICS is the token a scraper must send to read /metrics, and it is "
            "shorter than 16 characters. Set it to a long random value, for example the output "
            "of `openssl rand -hex 32`, or unset it."
        )
    return found
