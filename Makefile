# The two commands a newcomer needs: `make run` and `make test`.
# Both honour every ARTMARKET_* variable (they are passed through the environment).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= $(or $(ARTMARKET_HOST),127.0.0.1)
PORT ?= $(or $(ARTMARKET_PORT),8000)
PYTEST_ARGS ?= -v --durations=25
# Three workers on two cores: about a third of the CPU sat idle with two (tests wait on servers,
# subprocesses and Chromium); a fresh clone's `.ci/run` went from 10 min 32 s to 9 min 51 s.
PYTEST_WORKERS ?= 3

.PHONY: help run test test-fast lint typecheck imports pytest clean

help:
	@echo "make run   - the whole marketplace on the embedded default (SQLite, sandbox payments, ...)"
	@echo "make test  - lint, format check, types, import contracts and every test tier"
	@echo "make test-fast - the unit and contract tiers on the in-memory fakes (seconds; for every save)"

# uv installs the pinned dependencies in about 20 s where pip took 100 s (ADR 0031); it
# understands dependency groups (--group dev) and installs into the project's venv.
UV_VERSION := 0.13.10
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.installed-runtime: pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e . --group dev
	@touch $@ $(VENV)/.installed-runtime

# Every step of `make run` sees the address served, from which development derives the links it builds.
run: export ARTMARKET_HOST := $(HOST)
run: export ARTMARKET_PORT := $(PORT)
run: $(VENV)/.installed-runtime
	$(BIN)/artmarket db upgrade
	$(BIN)/artmarket seed-demo
	$(BIN)/artmarket serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests $(wildcard bench) $(wildcard scripts)
	$(BIN)/ruff format --check src tests $(wildcard bench) $(wildcard scripts)

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

imports: $(VENV)/.installed-dev
	$(BIN)/lint-imports

pytest: $(VENV)/.installed-dev
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# mypy (one process) checks types while the test tiers run: the tests leave part of the
# machine idle, waiting on servers and processes they start. Both must pass.
test: lint imports $(VENV)/.installed-dev
	@$(BIN)/mypy > $(VENV)/mypy.log 2>&1 & types=$$!; \
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); tests=$$?; \
	wait $$types; typed=$$?; echo "$(BIN)/mypy"; cat $(VENV)/mypy.log; \
	[ $$tests -eq 0 ] && [ $$typed -eq 0 ]

# No server, database file or stand-in: the unit tier and the contract tests of the fakes.
test-fast: $(VENV)/.installed-dev
	$(BIN)/pytest -q tests/unit tests/contract -m "not real_adapter"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
