# The newcomer's commands: `make run` (demo app on SQLite) and `make test`.
# DATABASE_URL=postgres://… switches any target to PostgreSQL.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The first interpreter on PATH that is Python 3.12 or newer (.python-version
# makes pyenv's python3 resolve to 3.12 on machines that use pyenv).
PYTHON ?= $(shell for candidate in python3 python3.13 python3.12; do \
	if command -v $$candidate >/dev/null 2>&1 && \
	   $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	   echo $$candidate; break; fi; done)

.PHONY: run test bench loadtest scale-test lint format messages check-python unoserver vendor-static clean

run: $(VENV)/.runtime unoserver
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py collectstatic --noinput -v0
	DEBUG=true $(BIN)/python manage.py load_demo_data --if-empty $(if $(DATABASE_URL),,--demo-login)
	# Two job workers (big letter batches, in chunks) run beside the server and stop with it.
	DEBUG=true $(BIN)/python manage.py run_worker & first=$$!; \
	DEBUG=true $(BIN)/python manage.py run_worker & second=$$!; \
	trap 'kill $$first $$second' EXIT; \
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(VENV)/.dev unoserver
	$(BIN)/pytest

bench: $(VENV)/.dev unoserver
	$(BIN)/pytest -m bench tests/benchmarks -q -s

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the sv/fr/cs catalogues from the code, then compile them. The compiled
# .mo files are committed, so running the app needs no gettext tools.
messages: $(VENV)/.dev
	$(BIN)/python manage.py makemessages -l sv -l fr -l cs --ignore=.venv --ignore=staticfiles --ignore=tests --no-location
	$(BIN)/python manage.py compilemessages --ignore=.venv

check-python:
	@test -n "$(PYTHON)" || { echo "Segmenta needs Python 3.12 or newer on PATH (python3, python3.12 or python3.13)." >&2; exit 1; }

$(VENV)/.runtime: requirements.txt | check-python
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

# PDF letters: unoserver keeps LibreOffice warm. It needs LibreOffice's Python
# bindings (Debian's python3-uno), built for the system Python only, so it gets a
# virtualenv of its own on /usr/bin/python3. Without python3-uno this does nothing
# and PDF downloads are off; everything else works.
UNOSERVER_PIN = $(shell grep -o '^unoserver==[^ #]*' requirements.txt)
unoserver:
	@if /usr/bin/python3 -c 'import uno' 2>/dev/null; then \
	  $(MAKE) --no-print-directory -s .unoserver/.installed; \
	else \
	  echo "No python3-uno: PDF letters are off (apt-get install libreoffice-writer-nogui python3-uno)."; \
	fi

.unoserver/.installed: requirements.txt
	/usr/bin/python3 -m venv --system-site-packages .unoserver
	.unoserver/bin/python -m pip install -q $(UNOSERVER_PIN)
	touch $@

# Re-vendor the front-end libraries from the npm registry (the copies in
# static/vendor/ are committed so the app needs no internet at run time).
BOOTSTRAP_VERSION := 5.3.9
TOM_SELECT_VERSION := 2.6.2
AXE_CORE_VERSION := 4.14.1
vendor-static:
	rm -rf /tmp/segmenta-vendor && mkdir -p /tmp/segmenta-vendor
	cd /tmp/segmenta-vendor && npm pack -q bootstrap@$(BOOTSTRAP_VERSION) tom-select@$(TOM_SELECT_VERSION) axe-core@$(AXE_CORE_VERSION)
	mkdir -p /tmp/segmenta-vendor/bootstrap /tmp/segmenta-vendor/tom-select
	tar xzf /tmp/segmenta-vendor/bootstrap-$(BOOTSTRAP_VERSION).tgz -C /tmp/segmenta-vendor/bootstrap
	tar xzf /tmp/segmenta-vendor/tom-select-$(TOM_SELECT_VERSION).tgz -C /tmp/segmenta-vendor/tom-select
	cp /tmp/segmenta-vendor/bootstrap/package/dist/css/bootstrap.min.css* \
	   /tmp/segmenta-vendor/bootstrap/package/dist/js/bootstrap.bundle.min.js* \
	   /tmp/segmenta-vendor/bootstrap/package/LICENSE static/vendor/bootstrap/
	cp /tmp/segmenta-vendor/tom-select/package/dist/js/tom-select.complete.min.js* \
	   /tmp/segmenta-vendor/tom-select/package/dist/css/tom-select.bootstrap5.min.css* \
	   /tmp/segmenta-vendor/tom-select/package/LICENSE static/vendor/tom-select/
	mkdir -p /tmp/segmenta-vendor/axe-core tests/browser/vendor/axe-core
	tar xzf /tmp/segmenta-vendor/axe-core-$(AXE_CORE_VERSION).tgz -C /tmp/segmenta-vendor/axe-core
	cp /tmp/segmenta-vendor/axe-core/package/axe.min.js /tmp/segmenta-vendor/axe-core/package/LICENSE \
	   tests/browser/vendor/axe-core/

clean:
	rm -rf $(VENV) .unoserver staticfiles .pytest_cache .ruff_cache

# gunicorn (4 workers, 127.0.0.1) under a bounded load on a generated database:
# SQLite in var/loadtest/ by default, DATABASE_URL for PostgreSQL. LOADTEST_ARGS
# (e.g. --contacts 50000 --entries 200000) sizes it; see docs/loadtest.md.
loadtest: $(VENV)/.dev
	$(BIN)/python -m loadtest $(LOADTEST_ARGS)

# HAProxy, two gunicorn servers, PgBouncer, two job workers and a shared media
# folder on 127.0.0.1, killed in part under load (docs/deployment.md). Needs
# DATABASE_URL=postgres://… and the Debian packages haproxy and pgbouncer.
scale-test: $(VENV)/.dev
	$(BIN)/python -m scaletest $(SCALETEST_ARGS)
