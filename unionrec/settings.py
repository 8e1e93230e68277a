"""unionrec settings. Everything that differs between machines comes from the environment;
`docs/operations.md` ("Settings") lists each variable, its meaning and its default."""

import ipaddress
import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from unionrec import environment

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    return environment.flag(os.environ, name, default)


DEBUG = env_flag("DJANGO_DEBUG", default=False)
# pytest sets PYTEST_VERSION; UNIONREC_TESTING serves other tooling (mypy, messages).
TESTING = env_flag("UNIONREC_TESTING", default=False) or "PYTEST_VERSION" in os.environ
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for development).")
    SECRET_KEY = environment.DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "treebeard",
    "unionrec",  # before django_tasks_db: its db_worker command also runs the daily work
    "django_tasks_db",
    "members",
    "congresses",
    "reports",
]

MIDDLEWARE = [
    "unionrec.observability.RequestLogMiddleware",  # first: it times the whole request
    "unionrec.middleware.ProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "unionrec.middleware.SessionTimeoutMiddleware",
    "unionrec.middleware.MethodNotAllowedPageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "unionrec.access_log.AccessLogMiddleware",
    "reports.middleware.PdfTimeoutMiddleware",
]

ROOT_URLCONF = "unionrec.urls"
WSGI_APPLICATION = "unionrec.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_from_url(url: str) -> dict[str, object]:
    """A Django DATABASES entry for a postgres:// or postgresql:// URL."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"DATABASE_URL must be a postgres:// URL, not {parts.scheme}://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "postgres",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        # A connection kept from an earlier request is checked first, so a restarted server
        # costs no request an error (issue 17 item 6).
        "CONN_HEALTH_CHECKS": True,
        # JIT costs ~20 ms on the aggregates this app runs (performance.md).
        "OPTIONS": {"options": "-c jit=off -c max_parallel_workers_per_gather=0"},
        "TEST": {"NAME": os.environ.get("TEST_DATABASE_NAME") or f"test_unionrec_{os.getpid()}"},
    }


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    # Django's SQLite notes: IMMEDIATE transactions wait for the lock instead of failing with
    # "database is locked"; WAL lets readers run beside the writer; FULL survives power loss.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
            },
            # A file, not the shared in-memory database, so that tests with threads see
            # real locking (in memory they fail at once with "database table is locked").
            "TEST": {
                "NAME": os.environ.get("SQLITE_TEST_PATH")
                or str(Path(tempfile.gettempdir()) / f"unionrec-test-{os.getpid()}.sqlite3")
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Two member indexes carry extra columns on PostgreSQL (INCLUDE, members.indexes); SQLite has
# no such clause and builds them on their key columns alone, which is what it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = ["unionrec.lockout.LockoutBackend"]  # ModelBackend with the lockout
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first; English complete. Formats: unionrec/formats/<lang>/formats.py.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["unionrec.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
# The calendar whose date is "today" for statistics.
UNIONREC_TIME_ZONE = os.environ.get("UNIONREC_TIME_ZONE", "Asia/Ho_Chi_Minh")

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("UNIONREC_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(os.environ.get("UNIONREC_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names (cached for a year by WhiteNoise) once `make serve` has collected them.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_flag("UNIONREC_STATIC_MANIFEST", default=False)
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
# Uploaded and exported files in an S3-compatible store (django-storages) when a bucket is named;
# the pages still hand them out, so S3 needs no public access. AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY (or the machine's role) are boto3's own.
if os.environ.get("UNIONREC_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["UNIONREC_S3_BUCKET"],
            "endpoint_url": os.environ.get("UNIONREC_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("UNIONREC_S3_REGION") or None,
            "location": os.environ.get("UNIONREC_S3_PREFIX", ""),
            "file_overwrite": False,  # a name taken gets another, as on a local disk
        },
    }
# `make serve` collects and compresses on every start: the hashed copies only, and no source
# maps (only a browser's developer tools ask for those), about 7 s instead of a minute.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
}

# Sessions: 12 hours at most, 30 minutes idle, kept without a write per request
# (unionrec.middleware.SessionTimeoutMiddleware).
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "unionrec.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = env_flag("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env_flag("DJANGO_SECURE_COOKIES", default=True)
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

REST_FRAMEWORK = {
    # Token first: DRF answers a request without credentials with the first class's
    # challenge, so 401 with `WWW-Authenticate: Token` (a session has none: it would be 403).
    # A logged-in session still authenticates, CSRF-checked on writes.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "unionrec.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # drf-spectacular's, with the refusals (400, 401, 403, 404, 409) of every operation.
    "DEFAULT_SCHEMA_CLASS": "unionrec.schema.ApiSchema",
    "DEFAULT_PAGINATION_CLASS": "unionrec.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # The API takes JSON only (issue 18): the browsable API offers its raw-data (JSON) form.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "unionrec API",
    "DESCRIPTION": "Branches, members and statistics of a trade union, scoped to the caller.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Request and response components apart: a request's read-only fields are left out, and
    # a string it must not leave blank says so (minLength 1).
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a choice field named "kind": the branch's gets a name of its own.
    "ENUM_NAME_OVERRIDES": {
        "BranchKindEnum": "members.models.BranchKind",
        # the names a record's `hidden` may hold (unionrec.small_cells)
        "StatisticsWithheldEnum": "members.statistics_api.WITHHELD",
        "TargetWithheldEnum": "congresses.resolutions.serializers.WITHHELD",
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "unionrec": {"handlers": ["console"], "level": "INFO"},
        "weasyprint": {"handlers": ["console"], "level": "ERROR"},
    },
}
# The access log (unionrec.access_log) goes to its own file when UNIONREC_ACCESS_LOG names one.
if os.environ.get("UNIONREC_ACCESS_LOG"):
    LOGGING["handlers"]["access_file"] = {
        "class": "logging.handlers.WatchedFileHandler",
        "filename": os.environ["UNIONREC_ACCESS_LOG"],
        "formatter": "stamped",
    }
    LOGGING["formatters"] = {"stamped": {"format": "%(asctime)s %(message)s"}}
    LOGGING["loggers"]["unionrec.access_log"] = {
        "handlers": ["access_file"],
        "level": "INFO",
        "propagate": False,
    }

if TESTING:
    # Hashing passwords slowly is the point in production and a waste in tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Terms and committees (congresses.domain has the defaults and the rules' sources).
UNIONREC_TERM_YEARS = {  # ĐL2018 Art. 8.2: five years at every level
    "confederation": 5,
    "federation": 5,
    "upper_union": 5,
    "grassroots": 5,
    "sub_union": 5,
    "group": 5,
}
UNIONREC_BY_ELECTION_SHARE = {  # ĐL2018 Art. 11.4: 2/3 at the grassroots and inside it, 1/2 above
    "grassroots": (2, 3),
    "sub_union": (2, 3),
    "group": (2, 3),
    "upper_union": (1, 2),
    "federation": (1, 2),
    "confederation": (1, 2),
}
UNIONREC_DOCUMENT_MAX_BYTES = int(os.environ.get("UNIONREC_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024))
# Member imports (members.imports): the upload cap and the row cap; the hours an uploaded file
# is kept at most (members.import_lifetime).
UNIONREC_IMPORT_MAX_BYTES = int(os.environ.get("UNIONREC_IMPORT_MAX_BYTES", 5 * 1024 * 1024))
UNIONREC_IMPORT_MAX_ROWS = int(os.environ.get("UNIONREC_IMPORT_MAX_ROWS", 20_000))
UNIONREC_IMPORT_FILE_HOURS = float(os.environ.get("UNIONREC_IMPORT_FILE_HOURS", 72))
# Exports (reports.exports, reports.formats.roster): rows written within the request (more go to the
# background worker), hours a background file is kept for its owner, exports a user may have
# waiting or running at once, and the most rows a roster PDF may hold (more: the Excel file).
UNIONREC_EXPORT_DIRECT_MAX_ROWS = int(os.environ.get("UNIONREC_EXPORT_DIRECT_MAX_ROWS", 5000))
UNIONREC_EXPORT_KEEP_HOURS = float(os.environ.get("UNIONREC_EXPORT_KEEP_HOURS", 24))
UNIONREC_EXPORT_MAX_ACTIVE = int(os.environ.get("UNIONREC_EXPORT_MAX_ACTIVE", 3))
UNIONREC_ROSTER_PDF_MAX_ROWS = int(os.environ.get("UNIONREC_ROSTER_PDF_MAX_ROWS", 1000))
# The statistics PDF (reports.formats.statistics) lists this many sub-units at most, so that it
# stays within 1 s (WeasyPrint lays out ~90 table rows a second; 80 rows took ~0.6 s, and the
# confederation has 80 federations); past it the PDF names how many it leaves out and points to
# the Excel file, which lists them all.
UNIONREC_STATISTICS_PDF_MAX_ROWS = int(os.environ.get("UNIONREC_STATISTICS_PDF_MAX_ROWS", 80))
# Long lists (unionrec.counts, unionrec.pagination): rows counted exactly before a list's count
# becomes an estimate, and how deep `?page=N` reaches on an API list paged by cursor.
UNIONREC_EXACT_COUNT_MAX = int(os.environ.get("UNIONREC_EXACT_COUNT_MAX", 10_000))
# On PostgreSQL, a count the planner expects to cost more than this (its units: about one per
# page read; 5,000 is a few ms) is answered by the planner's estimate: a filter served branch by
# branch costs an index probe per branch of the subtree (7,000 for a province, `make bench`).
UNIONREC_EXACT_COUNT_MAX_COST = float(os.environ.get("UNIONREC_EXACT_COUNT_MAX_COST", 5_000))
UNIONREC_API_PAGE_NUMBER_MAX_ROWS = int(os.environ.get("UNIONREC_API_PAGE_NUMBER_MAX_ROWS", 10_000))
# Small cells (unionrec.small_cells, issue 15): outside the scope of a secretary or a reviewer
# of the branch, a count of people below this, and a share computed from one, is shown "< 5".
UNIONREC_SMALL_CELL = int(os.environ.get("UNIONREC_SMALL_CELL", 5))
# PDFs are laid out in a pool of warm child processes (reports.pdf_pool), each document
# stopped after this many seconds.
UNIONREC_PDF_SECONDS = float(os.environ.get("UNIONREC_PDF_SECONDS", 60))
UNIONREC_PDF_WORKERS = int(os.environ.get("UNIONREC_PDF_WORKERS", 2))
# The task worker's heartbeat (unionrec.heartbeat): written this often, and a worker not heard
# of for the second figure is taken as stopped (its running tasks and their jobs fail).
UNIONREC_WORKER_BEAT_SECONDS = float(os.environ.get("UNIONREC_WORKER_BEAT_SECONDS", 10))
UNIONREC_WORKER_DEAD_SECONDS = float(os.environ.get("UNIONREC_WORKER_DEAD_SECONDS", 30))
# Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (unionrec.lockout);
# a value that is no address or network stops the start with ip_network's ValueError.
UNIONREC_TRUSTED_PROXIES = [
    str(ipaddress.ip_network(net.strip()))
    for net in os.environ.get("UNIONREC_TRUSTED_PROXIES", "").split(",")
    if net.strip()
]
if UNIONREC_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz and check_health (unionrec.health): the worker's heartbeat must be this recent.
UNIONREC_HEALTH_WORKER_SECONDS = float(os.environ.get("UNIONREC_HEALTH_WORKER_SECONDS", 60))
# /metrics answers a scraper that sends this token (unionrec.observability); unset: no /metrics.
UNIONREC_METRICS = os.environ.get("UNIONREC_METRICS", "")
# An API token's life from its issue (unionrec.tokens): as long as a session at most.
UNIONREC_TOKEN_HOURS = float(os.environ.get("UNIONREC_TOKEN_HOURS", 12))
# Login lockout (unionrec.lockout, reliability-security test 20).
UNIONREC_LOGIN_MAX_FAILURES = int(os.environ.get("UNIONREC_LOGIN_MAX_FAILURES", 5))
UNIONREC_LOGIN_MAX_FAILURES_PER_IP = int(os.environ.get("UNIONREC_LOGIN_MAX_FAILURES_PER_IP", 20))
UNIONREC_LOGIN_LOCKOUT_MINUTES = float(os.environ.get("UNIONREC_LOGIN_LOCKOUT_MINUTES", 15))
