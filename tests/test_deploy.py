"""The deployment files of deploy/ (issue 17 item 4; docs/deploy.md): the systemd units pass
`systemd-analyze verify` against this checkout, the nginx site passes `nginx -t` (each when the
tool is installed), and the figures they repeat agree with the application's settings: the
upload size, the timeouts, the port, the trusted proxy."""

from __future__ import annotations

import re
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from unionrec.environment import production_refusals

BASE_DIR = Path(__file__).resolve().parent.parent
DEPLOY = BASE_DIR / "deploy"
UNITS = sorted((DEPLOY / "systemd").iterdir())
SITE = DEPLOY / "nginx" / "unionrec.conf"


def _directives(text: str, name: str) -> list[str]:
    """The values of an nginx directive, comments left out."""
    text = re.sub(r"#[^\n]*", "", text)
    return re.findall(rf"(?:^|[;{{\s]){re.escape(name)}\s+([^;]+);", text)


def _unit_values(path: Path, key: str) -> list[str]:
    return re.findall(rf"^{key}=(.*)$", path.read_text(), flags=re.MULTILINE)


def _seconds(value: str) -> float:
    number, unit = re.fullmatch(r"(\d+)(s|m|)", value.strip()).groups()
    return float(number) * (60 if unit == "m" else 1)


def _bytes(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", value.strip()).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit.lower()]


def _environment_example() -> dict[str, str]:
    pairs = {}
    for line in (DEPLOY / "unionrec.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            pairs[key] = value
    return pairs


def test_the_example_environment_is_one_make_serve_accepts():
    example = _environment_example()
    assert production_refusals(example) == []
    assert "127.0.0.1" in example["UNIONREC_TRUSTED_PROXIES"].split(",")


def test_nginx_takes_every_upload_the_application_takes():
    largest = max(settings.UNIONREC_DOCUMENT_MAX_BYTES, settings.UNIONREC_IMPORT_MAX_BYTES)
    (cap,) = _directives(SITE.read_text(), "client_max_body_size")
    assert _bytes(cap) > largest


def test_each_timeout_sits_above_the_one_inside_it():
    """The PDF limit < gunicorn's request timeout < nginx's wait, and systemd waits for
    gunicorn's graceful stop."""
    gunicorn = runpy.run_path(str(BASE_DIR / "unionrec" / "gunicorn_conf.py"))
    (read,) = _directives(SITE.read_text(), "proxy_read_timeout")
    assert settings.UNIONREC_PDF_SECONDS < gunicorn["timeout"] < _seconds(read)
    (stop,) = _unit_values(DEPLOY / "systemd" / "unionrec-web.service", "TimeoutStopSec")
    assert _seconds(stop) >= gunicorn["graceful_timeout"]


def test_nginx_passes_the_client_and_the_scheme_to_the_port_the_web_unit_serves():
    site = SITE.read_text()
    (upstream,) = _directives(site, "server")[:1]
    (start,) = _unit_values(DEPLOY / "systemd" / "unionrec-web.service", "ExecStart")
    port = re.search(r"--port (\d+)", start).group(1)
    assert upstream.strip() == f"127.0.0.1:{port}"
    headers = _directives(site, "proxy_set_header")
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in headers
    assert "X-Forwarded-Proto $scheme" in headers


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_the_systemd_units_verify_against_this_checkout(tmp_path):
    environment = tmp_path / "unionrec.env"
    environment.write_text("DJANGO_SECRET_KEY=x\n")
    for unit in UNITS:
        text = unit.read_text().replace("/srv/unionrec", str(BASE_DIR))
        text = text.replace("/etc/unionrec/unionrec.env", str(environment))
        (tmp_path / unit.name).write_text(text)
    done = subprocess.run(  # noqa: S603 - a tool of the machine on our own files
        [shutil.which("systemd-analyze"), "verify", "--man=no", *(u.name for u in UNITS)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "" and done.stdout.strip() == ""  # no warning either


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx not installed")
@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl not installed")
def test_the_nginx_site_passes_nginx_t(tmp_path):
    key, cert = tmp_path / "privkey.pem", tmp_path / "fullchain.pem"
    throwaway = ["-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    throwaway += ["-subj", "/CN=unionrec.example.org", "-keyout", str(key), "-out", str(cert)]
    subprocess.run(  # noqa: S603 - a throwaway certificate for the check
        [shutil.which("openssl"), "req", *throwaway],
        check=True,
        capture_output=True,
        timeout=60,
    )
    live = "/etc/letsencrypt/live/unionrec.example.org"
    site = SITE.read_text().replace(f"{live}/fullchain.pem", str(cert))
    (tmp_path / "site.conf").write_text(site.replace(f"{live}/privkey.pem", str(key)))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ access_log off; include {tmp_path}/site.conf; }}\n"
    )
    paths = ["-p", str(tmp_path), "-e", str(tmp_path / "error.log")]
    done = subprocess.run(  # noqa: S603 - a tool of the machine on our own files
        [shutil.which("nginx"), "-t", *paths, "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr
