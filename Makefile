# Lucid: `make run` starts everything on embedded defaults; `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: run test lint fuzz soak bench backup restore stop status shell psql clean

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found; run: make PYTHON=python3 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

# Local development settings, made once: DEBUG on and a random secret.
.env:
	@printf 'DEBUG=true\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "wrote .env (DEBUG=true, a random SECRET_KEY); edit it to configure Lucid"

run: $(VENV)/.installed .env
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) ensure_demo_superuser
	$(MANAGE) seed_demo
	$(MANAGE) runstack

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.test_settings $(MANAGE) makemigrations --check --dry-run

test: lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Schemathesis over the whole OpenAPI schema with more examples than `make test` runs (10).
FUZZ_EXAMPLES ?= 25
fuzz: $(VENV)/.installed
	LUCID_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/pytest -m fuzz tests/test_schemathesis.py $(PYTEST_ARGS)

# The fault tests at length: PostgreSQL killed SOAK_CRASHES times under load, figures printed.
SOAK_CRASHES ?= 10
soak: $(VENV)/.installed
	LUCID_SOAK_CRASHES=$(SOAK_CRASHES) $(VENV)/bin/pytest -s -p no:randomly tests/test_faults.py $(PYTEST_ARGS)

# `make bench BENCH=dreamshot` runs one module's cases (see bench/__main__.py).
bench: $(VENV)/.installed
	$(PY) -m bench $(BENCH)

# A pg_dump of the database into .data/backups/ (or a real server's, with DATABASE_URL set).
backup: $(VENV)/.installed
	$(MANAGE) backup

# Replaces the database with a backup, all or nothing: `make restore FILE=.data/backups/….dump`.
restore: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "usage: make restore FILE=<backup file>"; exit 2; }
	$(MANAGE) restore "$(FILE)" --yes

stop: $(VENV)/.installed
	@for dir in .data .data/test .data/bench; do \
		echo "$$dir:"; LUCID_DATA_DIR=$$dir $(PY) -m config.embedded stop; \
	done

status: $(VENV)/.installed
	$(PY) -m config.embedded status

shell: $(VENV)/.installed .env
	$(MANAGE) shell

psql: $(VENV)/.installed .env
	$(MANAGE) dbshell

clean: stop
	rm -rf .data
