"""gunicorn's settings for `make serve` (unionrec.serve passes this file with -c).

Workers and threads come from the machine's cores: 2 x cores + 1 processes of 2 threads each
(gunicorn's own advice for the processes), or UNIONREC_WEB_WORKERS and UNIONREC_WEB_THREADS.
A request may run as long as a PDF may (UNIONREC_PDF_SECONDS, whose own limit answers the user
with the way out) and 30 s more, so the server never cuts a request the application would still
answer."""

import os
import shutil

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionrec.settings")

from django.conf import settings

cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
workers = int(os.environ.get("UNIONREC_WEB_WORKERS") or 2 * cores + 1)
threads = int(os.environ.get("UNIONREC_WEB_THREADS") or 2)
worker_class = "gthread"
timeout = int(settings.UNIONREC_PDF_SECONDS) + 30
graceful_timeout = timeout
keepalive = 5
# A worker is replaced after this many requests (with some spread), so a slow leak stays small.
max_requests = 2000
max_requests_jitter = 200
# Django reads the proxy's headers itself, from trusted proxies only (UNIONREC_TRUSTED_PROXIES,
# unionrec.middleware.ProxyHeadersMiddleware): gunicorn passes them on untouched.
forwarded_allow_ips = ""
# Two servers on one machine (two checkouts, the tests) would share the default socket path.
control_socket_disable = True
# The application logs each request its own way; gunicorn's errors go to standard error.
accesslog = None
errorlog = "-"


def on_exit(server: object) -> None:
    """As the master ends: the metrics directory unionrec.serve made for a `--part web` run
    (which became this process, so its own clean-up at exit never runs)."""
    made = os.environ.get("UNIONREC_TEMPORARY_METRICS_DIR")
    if made and made == os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        shutil.rmtree(made, ignore_errors=True)
