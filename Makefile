# Linkwell: `make up` starts the platform with demo data, `make test` runs the linters and every
# test, `make bench` measures. Each installs what it needs first (venv, Kafka jars, PostgreSQL).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PACKAGES := contracts runtime $(wildcard services/*) demo
STAMP := $(VENV)/.installed-$(shell cat requirements.txt $(addsuffix /pyproject.toml,$(PACKAGES)) | sha1sum | cut -c1-12)

.PHONY: install up down status lint format test bench generate clean compose-up compose-down compose-smoke

install: $(STAMP)
	@deploy/bin/kafka install
	@deploy/bin/postgres install
	@deploy/bin/chromium install

$(STAMP): requirements.txt $(addsuffix /pyproject.toml,$(PACKAGES))
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps --config-settings editable_mode=compat $(addprefix -e ,$(PACKAGES))
	@rm -f $(VENV)/.installed-* && touch $@

up: install
	@deploy/bin/up

down:
	@deploy/bin/down

# each platform process under `make up`: state, pid, uptime, restarts, last exit (exit 1 unless all run)
status:
	@deploy/bin/processes status

# ruff (lint and format) and mypy (strict on contracts, runtime and every domain/): pyproject.toml
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install lint
	$(PY) -m pytest

# On the dev broker and cluster (started when they are not running; a running `make up` is shared),
# as the broker's admin and the cluster's superuser: the bench makes and drops its own topics and
# databases. KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL point it elsewhere.
bench: install
	@if [ -z "$${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then deploy/bin/kafka start; fi
	@if [ -z "$${DATABASE_URL:-}" ]; then deploy/bin/postgres start; fi
	export KAFKA_SASL_USERNAME=$${KAFKA_SASL_USERNAME:-admin}; \
	export KAFKA_SASL_PASSWORD_FILE=$${KAFKA_SASL_PASSWORD_FILE:-$$(deploy/bin/kafka password-file admin)}; \
	export KAFKA_BOOTSTRAP_SERVERS=$${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$${KAFKA_PORT:-19092}}; \
	export DATABASE_URL=$${DATABASE_URL:-postgresql://postgres:$$($(PY) -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.stdin.read().strip(), safe=""))' <$${LINKWELL_STATE_DIR:-.local/dev}/secrets/pg-postgres.password)@127.0.0.1:$${PG_PORT:-25432}/postgres}; \
	$(PY) bench/backbone.py && $(PY) bench/fullscale.py

generate: install
	$(PY) -m contracts.generate

clean: down
	rm -rf .local $(VENV)

# The platform on Docker (docker-compose.yml): the engine and images are made by deploy/bin scripts.
compose-up:
	@deploy/bin/compose up

compose-down:
	@deploy/bin/compose down

compose-smoke:
	@deploy/bin/compose-smoke
