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
SETUP := requirements-setup.txt scripts/setup_venv.py
# checkov lives in a virtualenv of its own: its pins (boto3, packaging) clash with .venv's.
SCAN_VENV := .venv-scan
SCAN_STAMP := $(SCAN_VENV)/.installed

.PHONY: venv plan scan test lint typecheck bench wheel clean

$(RUNTIME): requirements.txt constraints.txt $(SETUP)
	@$(PYTHON) scripts/setup_venv.py runtime
	@touch $@

# The dev requirements include the runtime ones: one install brings both up to date.
$(DEV): requirements.txt requirements-dev.txt constraints.txt $(SETUP)
	@$(PYTHON) scripts/setup_venv.py dev
	@touch $(RUNTIME) $@

$(SCAN_STAMP): requirements-scan.txt constraints-scan.txt $(SETUP)
	@$(PYTHON) scripts/setup_venv.py scan
	@touch $@

# The full .venv (runtime and dev tools), for CI steps that need more than `plan`.
venv: $(DEV)

plan: $(RUNTIME)
	$(PY) -m offline plan --stack $(STACK) --cost

# actionlint (with shellcheck on run: scripts) and zizmor check the GitHub workflows offline.
lint: $(DEV)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/actionlint
	$(VENV)/bin/zizmor --offline --no-progress .github

# Not part of `make test`: a cold mypy run over pulumi_aws takes about a minute (then <1 s).
typecheck: $(DEV)
	$(PY) -m mypy

# checkov over every stack's offline plan (as Terraform plan JSON) against scan/baseline.yaml;
# results are cached in .scan-cache by plan hash and checkov version.
scan: $(DEV) $(SCAN_STAMP)
	$(PY) -m scan

test: $(DEV) $(SCAN_STAMP) lint
	$(PY) -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder

# The seed patterns in AWS CDK (bench/cdk), for `make bench` to time `cdk synth` beside the plan.
CDK_APP := bench/cdk
CDK_STAMP := $(CDK_APP)/node_modules/.installed

# Without npm, `make bench` runs the rest and says that `cdk synth` was not timed.
$(CDK_STAMP): $(CDK_APP)/package.json $(CDK_APP)/package-lock.json
	@if command -v npm >/dev/null; then \
		cd $(CDK_APP) && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: bench/cdk is not installed, and make bench will not time cdk synth"; fi

bench: $(DEV) $(CDK_STAMP)
	$(PY) -m bench

# dist/aws_compute-<version>-py3-none-any.whl, built offline from a copy of the checkout.
wheel: $(DEV)
	$(PY) -m tests.installed dist

clean:
	rm -rf $(VENV) $(SCAN_VENV) .scan-cache .pytest_cache .ruff_cache .mypy_cache .hypothesis dist \
		$(CDK_APP)/node_modules $(CDK_APP)/cdk.out $(CDK_APP)/js
