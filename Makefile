# 晋创通 JinChuang — developer and CI entry points.
#   make setup   install everything the project needs (idempotent; fast when nothing changed)
#   make run     set up, load the demo data, print the demo logins, serve on http://127.0.0.1:8000 (with a worker)
#   make lint    ruff, mypy, import-linter
#   make test    set up, lint, then pytest on SQLite and (when reachable; required in CI) PostgreSQL
#   make bench   our engine against OpenFisca (separate venv bench/.venv); BENCH_QUICK=1 for small sizes

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON_BOOTSTRAP ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
VENDOR := jinchuang/web/static/vendor
LOCALE_PO := $(wildcard jinchuang/locale/*/LC_MESSAGES/django.po jinchuang/*/locale/*/LC_MESSAGES/django.po)
LOCALE_MO := $(LOCALE_PO:.po=.mo)
PYTEST_ARGS ?=

.PHONY: help setup python-deps system-deps frontend messages migrate run lint test test-sqlite test-postgres test-api-fuzz bench

help:
	@echo "make setup | make run | make lint | make test | make bench"

# --- setup -----------------------------------------------------------------------------------------
setup: python-deps system-deps frontend messages migrate

$(PY):
	$(PYTHON_BOOTSTRAP) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

python-deps: $(VENV)/.installed

# Debian packages: chromium (browser tests), gettext (msgfmt), node/npm (front-end libraries),
# a CJK font so that screenshots of the Chinese pages show characters, not boxes.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing="$$missing fonts-wqy-microhei"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  else \
	    echo "Missing Debian packages:$$missing — run: sudo apt-get install -y$$missing"; \
	    echo "(browser tests need /usr/bin/chromium; translations need msgfmt; HTMX/ECharts need npm)"; \
	  fi; \
	fi

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/htmx.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $@

$(VENDOR)/echarts.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/echarts/dist/echarts.min.js $@

frontend: $(VENDOR)/htmx.min.js $(VENDOR)/echarts.min.js

%.mo: %.po
	msgfmt --check -o $@ $<

messages: $(LOCALE_MO)

migrate: python-deps
	$(PY) manage.py migrate --noinput -v 0

# --- run -------------------------------------------------------------------------------------------
run: setup
	@echo "== Loading the policy catalog (five documents, validated) =="
	$(VENV)/bin/jinchuang catalog validate
	$(PY) manage.py catalog_publish
	$(PY) manage.py load_demo
	$(PY) manage.py load_demo_applications
	$(PY) manage.py load_demo_records
	$(PY) manage.py offers_refresh
	$(PY) manage.py make_demo_population
	@echo "Also: demo_applicant_lf (临汾 enterprise named in the demo 高企 list; same password) — its 免申即享 offer waits at /applications/offers/"
	@echo "Open http://127.0.0.1:8000/ and log in with one of the demo logins above."
	@echo "== Background worker (manage.py worker) runs beside the server; it stops when the server stops =="
	$(PY) manage.py worker & worker=$$!; trap 'kill -TERM $$worker 2>/dev/null || true; wait $$worker || true' EXIT; \
	  $(PY) manage.py runserver 127.0.0.1:8000

# --- lint ------------------------------------------------------------------------------------------
lint: python-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy jinchuang manage.py tests/conftest.py tests/factories.py tests/test_*.py \
	  tests/accounts tests/audit tests/web tests/browser tests/simulations tests/applications/web tests/applications/api scripts/api_fuzz.py
	$(VENV)/bin/lint-imports

# --- test ------------------------------------------------------------------------------------------
test: setup lint test-sqlite test-postgres test-api-fuzz

test-sqlite:
	@echo "== pytest on SQLite =="
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)

# The database-facing tests (marker "database", added automatically in tests/conftest.py) run again on
# PostgreSQL. In CI an unreachable PostgreSQL fails the build; elsewhere the pass is skipped with a message.
test-postgres:
	@if url="$$(scripts/postgres-url)"; then \
	  echo "== pytest on PostgreSQL =="; \
	  DATABASE_URL="$$url" $(PY) -m pytest -m "database and not browser" $(PYTEST_ARGS); \
	elif [ "$${CI:-}" = "true" ]; then \
	  echo "ERROR: CI=true but PostgreSQL at 127.0.0.1:5432 (database test, trust auth) cannot be reached." >&2; \
	  exit 1; \
	else \
	  echo "== pytest on PostgreSQL: SKIPPED (PostgreSQL not reachable at 127.0.0.1:5432; CI requires it) =="; \
	fi

# schemathesis (--checks all) against the application API's OpenAPI operations on a live server started by
# scripts/api_fuzz.py (runserver --noreload, temporary SQLite database with the demo data, one application
# and a token); bounded by --max-time plus a hard timeout. It fuzzes every operation of /api/v1 (--all).
API_FUZZ_ARGS ?= --all --max-examples 10 --max-time 150
test-api-fuzz: python-deps
	@echo "== schemathesis on /api/v1 =="
	$(PY) scripts/api_fuzz.py $(API_FUZZ_ARGS)

# --- bench -----------------------------------------------------------------------------------------
# OpenFisca lives only in bench/.venv (bench/requirements.txt), never in the project's dependencies.
BENCH_VENV := bench/.venv
BENCH_PY := $(BENCH_VENV)/bin/python

$(BENCH_PY):
	$(PYTHON_BOOTSTRAP) -m venv $(BENCH_VENV)

$(BENCH_VENV)/.installed: bench/requirements.txt pyproject.toml | $(BENCH_PY)
	$(BENCH_PY) -m pip install -q -r bench/requirements.txt
	$(BENCH_PY) -m pip install -q -e .
	touch $@

bench: $(BENCH_VENV)/.installed
	PYTHONPATH=$(CURDIR) $(BENCH_PY) -m bench.run
