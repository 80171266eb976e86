# The two commands of the README: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	./scripts/run.sh

test: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/bandit -q -r tcm people plans contacts compliance billing -x "*/migrations/*" --severity-level medium
	./scripts/audit.sh

BENCH_PERSONS ?= 10000
bench: $(VENV)/.installed-dev
	BENCH_PERSONS=$(BENCH_PERSONS) nice -n 10 $(BIN)/python bench/run.py

.PHONY: screenshots
screenshots: $(VENV)/.installed-dev  # docs/screenshots/*.png from fresh demo data
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) var staticfiles
