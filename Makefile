# The two commands a newcomer types: `make plan STACK=dev` and `make test`.
# Both create .venv (the virtualenv Pulumi.yaml names) when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
STACK ?= dev

.PHONY: venv plan test lint typecheck bench clean

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $(STAMP)

venv: $(STAMP)

plan: $(STAMP)
	$(PY) -m offline plan --stack $(STACK)

# actionlint (with shellcheck on run: scripts) and zizmor check the GitHub workflows offline.
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/actionlint
	$(VENV)/bin/zizmor --offline --no-progress .github

# Not part of `make test`: a cold mypy run over pulumi_aws takes about a minute (then <1 s).
typecheck: $(STAMP)
	$(PY) -m mypy

test: $(STAMP) lint
	$(PY) -m pytest -q -n 2

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
