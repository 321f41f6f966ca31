# The two commands a newcomer types: `make plan STACK=dev` and `make test`.
# Both create .venv (the virtualenv Pulumi.yaml names) when it is missing: `plan` with the
# runtime requirements only, `test` adds the dev tools (scripts/setup_venv.py: uv, pip as fallback).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STACK ?= dev
# This environment sets PYTHONDONTWRITEBYTECODE; here imports write bytecode, so each module
# a plan or a test imports is compiled once, and only those (not all of pulumi_aws).
export PYTHONDONTWRITEBYTECODE :=

RUNTIME := $(VENV)/.runtime
DEV := $(VENV)/.dev
SETUP := requirements.txt requirements-setup.txt constraints.txt scripts/setup_venv.py

.PHONY: plan test lint typecheck bench clean

$(RUNTIME): $(SETUP)
	@$(PYTHON) scripts/setup_venv.py runtime
	@touch $@

# The dev requirements include the runtime ones: one install brings both up to date.
$(DEV): $(SETUP) requirements-dev.txt
	@$(PYTHON) scripts/setup_venv.py dev
	@touch $(RUNTIME) $@

plan: $(RUNTIME)
	$(PY) -m offline plan --stack $(STACK)

lint: $(DEV)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Not part of `make test`: a cold mypy run over pulumi_aws takes about a minute (then <1 s).
typecheck: $(DEV)
	$(PY) -m mypy

test: $(DEV) lint
	$(PY) -m pytest -q -n 2

bench: $(DEV)
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
