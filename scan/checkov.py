"""Run the pinned checkov over one stack's plan, converted to Terraform plan JSON, with a cache.

checkov takes ~15 s a stack, so its findings are cached in `.scan-cache/` under the hash of
the converted plan and the installed checkov version: a plan that did not change is not
scanned again. The baseline is applied afresh on every run (it is cheap), so editing it
never needs a rescan.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from offline import stacks, terraform
from offline.engine import Plan

SCAN_VENV = stacks.PROJECT_DIR / ".venv-scan"
CACHE_DIR = stacks.PROJECT_DIR / ".scan-cache"


class ScannerMissingError(RuntimeError):
    pass


@dataclass(frozen=True, order=True)
class Finding:
    check_id: str
    resource: str
    """Terraform address: `<type>.<Pulumi logical name>`."""
    check_name: str


@dataclass(frozen=True)
class Results:
    stack: str
    checkov_version: str
    passed: tuple[Finding, ...]
    failed: tuple[Finding, ...]

    @property
    def checks_run(self) -> int:
        return len(self.passed) + len(self.failed)


def checkov_version() -> str:
    """The version installed in .venv-scan (read from its metadata: no process started)."""
    found = sorted(SCAN_VENV.glob("lib/python*/site-packages/checkov-*.dist-info"))
    if not found or not (SCAN_VENV / "bin" / "checkov").exists():
        raise ScannerMissingError(f"checkov is not installed in {SCAN_VENV}; run `make scan` (it creates it)")
    return found[-1].name.removeprefix("checkov-").removesuffix(".dist-info")


def _parse(stack: str, version: str, report: dict) -> Results:
    def findings(key: str) -> tuple[Finding, ...]:
        return tuple(sorted(Finding(c["check_id"], c["resource"], c["check_name"]) for c in report["results"][key]))

    return Results(stack, version, findings("passed_checks"), findings("failed_checks"))


def _run_checkov(plan_file: Path) -> dict:
    completed = subprocess.run(
        [
            str(SCAN_VENV / "bin" / "checkov"),
            "--file",
            str(plan_file),
            "--framework",
            "terraform_plan",
            "--output",
            "json",
            "--skip-download",  # offline: no platform policies, no guideline links
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LOG_LEVEL": "ERROR"},
    )
    # checkov exits 1 when a check fails; anything but a JSON report is its own failure.
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError as error:
        raise RuntimeError(
            f"checkov failed on {plan_file} (exit {completed.returncode}):\n{completed.stderr}"
        ) from error
    if report.get("summary", {}).get("parsing_errors"):
        raise RuntimeError(f"checkov could not parse {plan_file}")
    return report


def _cached(path: Path, stack: str, version: str) -> Results | None:
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    return Results(
        stack, version, tuple(Finding(**f) for f in data["passed"]), tuple(Finding(**f) for f in data["failed"])
    )


def scan(stack: str, plan: Plan, region: str) -> Results:
    """checkov's findings for this plan: from the cache, or by running it once (a lock per
    stack makes a parallel test worker wait for the run instead of repeating it)."""
    version = checkov_version()
    document = terraform.to_json(plan, region)
    key = hashlib.sha256(f"{version}\n{document}".encode()).hexdigest()[:20]
    cached = CACHE_DIR / f"{stack}-{key}.json"
    if (results := _cached(cached, stack, version)) is not None:
        return results
    CACHE_DIR.mkdir(exist_ok=True)
    with (CACHE_DIR / f"{stack}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (results := _cached(cached, stack, version)) is not None:
            return results
        with tempfile.TemporaryDirectory(dir=CACHE_DIR) as folder:
            plan_file = Path(folder) / f"{stack}.tfplan.json"
            plan_file.write_text(document)
            results = _parse(stack, version, _run_checkov(plan_file))
        findings = {"passed": [asdict(f) for f in results.passed], "failed": [asdict(f) for f in results.failed]}
        partial = cached.with_suffix(".tmp")
        partial.write_text(json.dumps(findings))
        partial.replace(cached)
    for old in CACHE_DIR.glob(f"{stack}-*.json"):
        if old != cached and len(old.stem) == len(cached.stem):  # this stack's older plans
            old.unlink(missing_ok=True)
    return results
