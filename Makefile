# unionrec: the README's commands. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PACKAGES := gettext chromium poppler-utils fonts-dejavu-core
HOST ?= 127.0.0.1
PORT ?= 8000
# A test database name of its own for each run, so two runs on one machine do not collide.
export TEST_DATABASE_NAME ?= test_unionrec_$(shell date +%s)_$(shell echo $$$$)

.PHONY: help install apt run serve migrate demo worker test lint layers typecheck messages \
        compilemessages makemessages pytest pytest-sqlite pytest-postgres pytest-both e2e bench clean

help:
	@echo "make run    install, migrate, load the demo data and serve on http://$(HOST):$(PORT)"
	@echo "make serve  production: gunicorn and the task worker on http://$(HOST):$(PORT), after"
	@echo "            migrate and collectstatic (needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS)"
	@echo "make test   everything CI checks (ruff, the layering, migrations, messages, mypy,"
	@echo "            pytest on SQLite and, when DATABASE_URL names a PostgreSQL database, on"
	@echo "            PostgreSQL too)"
	@echo "make bench  benchmarks on a generated national tree (1 M members, SQLite): statistics"
	@echo "            and the pages and API calls a national officer reaches, through HTTP;"
	@echo "            then documents, rosters and imports (python -m bench --national: 10 M on"
	@echo "            PostgreSQL), a larger fuzz run of the API (docs/api.md) and a member"
	@echo "            import killed 20 times (reliability-security test 60); then 20 and 50"
	@echo "            users at once against make serve on 50,000 members, SQLite and"
	@echo "            PostgreSQL, with a worker killed and the database restarted"

# --- install -------------------------------------------------------------------------------

# Debian packages the project needs: msgfmt, Chromium for the browser tests, pdftotext.
apt:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Python 3.13 or 3.12: pyenv's shims answer "command not found" unless PYENV_VERSION names
# an installed version, so ask pyenv which one it has; else take the machine's own.
$(STAMP): requirements.txt requirements-dev.txt
	@set -e; if [ ! -x $(PY) ]; then \
	  found=""; \
	  for v in 3.13 3.12; do \
	    if command -v pyenv >/dev/null 2>&1; then \
	      pv=$$(pyenv versions --bare 2>/dev/null | grep -E "^$${v//./\\.}(\.[0-9]+)?$$" | sort -V | tail -1); \
	      if [ -n "$$pv" ] && PYENV_VERSION=$$pv python$$v --version >/dev/null 2>&1; then \
	        found="env PYENV_VERSION=$$pv python$$v"; break; fi; \
	    fi; \
	    if python$$v --version >/dev/null 2>&1; then found="python$$v"; break; fi; \
	  done; \
	  if [ -z "$$found" ]; then echo "Python 3.13 or 3.12 is needed (Django 6.1 needs >= 3.12)." >&2; exit 1; fi; \
	  echo "Creating $(VENV) with $$found"; $$found -m venv $(VENV); \
	fi
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $(STAMP)

install: apt $(STAMP)

# --- run -----------------------------------------------------------------------------------

migrate: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input -v 0

demo: migrate compilemessages
	DJANGO_DEBUG=1 $(PY) manage.py load_demo

# The background worker (django-tasks-db) runs beside the server and stops with it: large
# member imports are checked and written by it.
run: demo
	@echo "Serving on http://$(HOST):$(PORT)/  (log in with a demo login above)"
	@echo "Background worker: log in $(VENV)/worker.log"
	@DJANGO_DEBUG=1 $(PY) manage.py db_worker --no-startup-delay > $(VENV)/worker.log 2>&1 & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Production: refuses DEBUG, the development key and unset ALLOWED_HOSTS; migrate once,
# collectstatic (hashed names), then gunicorn and the task worker (unionrec/serve.py).
serve: install compilemessages
	$(PY) -m unionrec.serve --host $(HOST) --port $(PORT)

worker: migrate
	DJANGO_DEBUG=1 $(PY) manage.py db_worker --no-startup-delay

# --- checks --------------------------------------------------------------------------------

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The layering (import-linter's contracts in pyproject.toml): members imports neither congresses
# nor reports, congresses not reports, the domain modules no Django, no app's views another's.
layers: install
	$(VENV)/bin/lint-imports --no-cache

typecheck: install
	UNIONREC_TESTING=1 $(VENV)/bin/mypy members/domain.py members/services.py \
	  members/import_rows.py members/import_files.py members/imports.py members/import_checks.py \
	  members/import_template.py members/corrections.py members/correction_services.py members/own.py members/erasure.py \
	  members/erasure_texts.py members/basis.py \
	  congresses/domain.py congresses/services.py congresses/parts.py congresses/committees.py \
	  congresses/record_checks.py congresses/findings.py congresses/breakdown.py congresses/first_meeting.py \
	  congresses/meeting_plan.py congresses/post_rules.py congresses/people.py \
	  congresses/lifecycle.py congresses/elections/lifecycle.py \
	  congresses/read_only.py congresses/warnings.py congresses/elections/changes.py \
	  congresses/elections/counting.py congresses/elections/domain.py \
	  congresses/elections/services.py congresses/elections/rounds.py \
	  congresses/elections/certification.py congresses/elections/results.py \
	  congresses/resolutions/domain.py congresses/resolutions/services.py \
	  congresses/resolutions/progress.py congresses/resolutions/goals.py \
	  congresses/resolutions/split_gaps.py \
	  members/importer.py members/import_lifetime.py unionrec/daily.py members/bulk.py members/locks.py members/counting.py \
	  members/search.py members/name_words.py members/disclosure.py members/statistics.py unionrec/keyset.py unionrec/counts.py \
	  unionrec/pagination.py unionrec/prepared.py unionrec/estimates.py unionrec/plans.py members/tables.py \
	  reports/datasets/*.py reports/formats/*.py reports/views/*.py \
	  reports/pdf.py reports/excel.py reports/charts.py reports/urls.py \
	  reports/exports.py reports/tasks.py reports/models.py \
	  reports/management/commands/export_report.py unionrec/lockout.py unionrec/models.py \
	  unionrec/access_log.py unionrec/jobs.py unionrec/management/commands/backup_db.py \
	  unionrec/records.py unionrec/forms.py unionrec/access.py unionrec/days.py unionrec/api.py \
	  unionrec/query.py \
	  unionrec/schema.py unionrec/tokens.py unionrec/token_views.py unionrec/heartbeat.py congresses/elections/db_rules.py unionrec/history_lock.py reports/pdf_pool.py reports/middleware.py unionrec/health.py \
	  unionrec/environment.py unionrec/serve.py unionrec/middleware.py unionrec/observability.py

compilemessages: install
	UNIONREC_TESTING=1 $(PY) manage.py compilemessages -v 0 --ignore=.venv

makemessages: install
	UNIONREC_TESTING=1 $(PY) manage.py makemessages -l vi -l en --no-obsolete \
	  --ignore=.venv --ignore=bench --ignore=tests --ignore=staticfiles

migrations-check: install
	UNIONREC_TESTING=1 $(PY) manage.py makemigrations --check --dry-run

deploy-check: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$(openssl rand -hex 32) DJANGO_ALLOWED_HOSTS=unionrec.example \
	  $(PY) manage.py check --deploy --fail-level WARNING

pytest-sqlite: install compilemessages
	env -u DATABASE_URL UNIONREC_TESTING=1 $(if $(FUZZ_SQLITE),UNIONREC_FUZZ_ROLES=$(FUZZ_SQLITE)) \
	  $(PY) -m pytest -q

pytest-postgres: install compilemessages
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "== pytest on PostgreSQL (test database $$TEST_DATABASE_NAME) =="; \
	  UNIONREC_TESTING=1 $(if $(FUZZ_POSTGRES),UNIONREC_FUZZ_ROLES=$(FUZZ_POSTGRES)) $(PY) -m pytest -q; \
	else \
	  echo "DATABASE_URL is not set: ran the tests on SQLite only."; \
	fi

# The two suites side by side: on two cores the run takes about as long as the longer one. Each
# suite's output is printed whole when it ends (--output-sync); the cache plugin is off so that
# they do not write one .pytest_cache at once. With both, the API's fuzz test
# (tests/test_api_fuzz.py, 2.5 to 4 minutes for the four roles) shares its roles between them:
# on each database a role that writes (the secretary on SQLite, the superuser on PostgreSQL)
# and one that reads. One database alone, and `make bench`, fuzz every role.
FUZZ_SPLIT = FUZZ_SQLITE=secretary,member FUZZ_POSTGRES=admin,reviewer
pytest-both: install compilemessages
	PYTEST_ADDOPTS="-p no:cacheprovider $$PYTEST_ADDOPTS" \
	  $(MAKE) --no-print-directory -j2 --output-sync=target pytest-sqlite pytest-postgres \
	  $(if $(DATABASE_URL),$(FUZZ_SPLIT))

test: lint layers migrations-check compilemessages typecheck deploy-check pytest-both

bench: install
	UNIONREC_TESTING=1 $(PY) -m bench --database sqlite
	UNIONREC_TESTING=1 $(PY) -m bench.documents
	UNIONREC_TESTING=1 $(PY) -m bench.roster
	UNIONREC_TESTING=1 $(PY) -m bench.imports
	env -u DATABASE_URL UNIONREC_TESTING=1 UNIONREC_FUZZ_EXAMPLES=60 \
	  $(PY) -m pytest -q -m fuzz tests/test_api_fuzz.py
	env -u DATABASE_URL UNIONREC_TESTING=1 UNIONREC_CRASH_KILLS=20 \
	  $(PY) -m pytest -q tests/members/test_import_crash.py
	UNIONREC_TESTING=1 $(PY) -m bench.load --database sqlite
	UNIONREC_TESTING=1 $(PY) -m bench.load --database postgres --faults

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache staticfiles
