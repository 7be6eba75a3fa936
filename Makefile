# Two commands for a fresh machine: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DEBUG=true

.PHONY: install run test lint demo vendor backup restore clean lock

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo

run: demo
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest --numprocesses=auto --maxprocesses=4 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

backup: install
	$(DEV_ENV) $(BIN)/python manage.py backup $(FILE)

restore: install
	$(DEV_ENV) $(BIN)/python manage.py restore_backup $(FILE)

vendor:
	bash scripts/vendor_frontend.sh

# The production dependencies, pinned with hashes, from pyproject.toml (edit that, then run this).
lock: install
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 --no-header --quiet -o requirements.lock

clean:
	rm -rf $(VENV) .venv-production db.sqlite3 staticfiles test-results
