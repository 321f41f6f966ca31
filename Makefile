# The two commands a newcomer types: `make plan STACK=dev` and `make test`.
# Both create .venv (the virtualenv Pulumi.yaml names) when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
STACK ?= dev
# checkov lives in a virtualenv of its own: its pins (boto3, packaging) clash with .venv's.
SCAN_VENV := .venv-scan
SCAN_STAMP := $(SCAN_VENV)/.installed

.PHONY: venv plan scan test lint typecheck bench wheel clean

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $(STAMP)

$(SCAN_STAMP): requirements-scan.txt constraints-scan.txt
	test -x $(SCAN_VENV)/bin/python || $(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-scan.txt -c constraints-scan.txt
	touch $(SCAN_STAMP)

venv: $(STAMP)

plan: $(STAMP)
	$(PY) -m offline plan --stack $(STACK) --cost

# actionlint (with shellcheck on run: scripts) and zizmor check the GitHub workflows offline.
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/actionlint
	$(VENV)/bin/zizmor --offline --no-progress .github

# Not part of `make test`: a cold mypy run over pulumi_aws takes about a minute (then <1 s).
typecheck: $(STAMP)
	$(PY) -m mypy

# checkov over every stack's offline plan (as Terraform plan JSON) against scan/baseline.yaml;
# results are cached in .scan-cache by plan hash and checkov version.
scan: $(STAMP) $(SCAN_STAMP)
	$(PY) -m scan

test: $(STAMP) $(SCAN_STAMP) lint
	$(PY) -m pytest -q -n 2

bench: $(STAMP)
	$(PY) -m bench

# dist/aws_compute-<version>-py3-none-any.whl, built offline from a copy of the checkout.
wheel: $(STAMP)
	$(PY) -m tests.installed dist

clean:
	rm -rf $(VENV) $(SCAN_VENV) .scan-cache .pytest_cache .ruff_cache .mypy_cache .hypothesis dist
