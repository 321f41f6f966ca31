# The two commands a newcomer types: `make plan STACK=dev` and `make test`.
# Both create .venv (the virtualenv Pulumi.yaml names) when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
STACK ?= dev

.PHONY: plan test lint typecheck bench wheel clean

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $(STAMP)

plan: $(STAMP)
	$(PY) -m offline plan --stack $(STACK) --cost

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Not part of `make test`: a cold mypy run over pulumi_aws takes about a minute (then <1 s).
typecheck: $(STAMP)
	$(PY) -m mypy

test: $(STAMP) lint
	$(PY) -m pytest -q -n 2

bench: $(STAMP)
	$(PY) -m bench

# dist/aws_compute-<version>-py3-none-any.whl, built offline from a copy of the checkout.
wheel: $(STAMP)
	$(PY) -m tests.installed dist

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis dist
