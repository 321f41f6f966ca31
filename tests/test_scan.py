"""checkov over every stack: no failure without a reviewed reason, and the README says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from offline import stacks
from offline.engine import Plan
from scan import baseline, checkov, report
from scan.checkov import Finding, Results

README = stacks.PROJECT_DIR / "README.md"


@pytest.fixture(scope="module")
def verdicts(stack_plans: dict[str, Plan]) -> dict[str, baseline.Verdict]:
    accepted = baseline.load()
    found = {}
    for stack, plan in stack_plans.items():
        region = str(stacks.stack_config(stack)[0].get("aws:region", "us-east-1"))
        found[stack] = baseline.judge(checkov.scan(stack, plan, region), accepted)
    return found


@pytest.mark.parametrize("stack", stacks.stack_names())
def test_every_checkov_failure_is_accepted_with_a_reason(
    verdicts: dict[str, baseline.Verdict], stack_plans: dict[str, Plan], stack: str
) -> None:
    verdict = verdicts[stack]
    # the plan was read: at least a check per AWS resource (a network stack has few resources)
    assert verdict.results.checks_run >= len([r for r in stack_plans[stack].resources if r.custom])
    assert verdict.clean, report.text([verdict])


def test_the_readme_shows_the_scan_summary(verdicts: dict[str, baseline.Verdict]) -> None:
    section = re.search(r"<!-- scan-summary -->\n(.*?)\n<!-- /scan-summary -->", README.read_text(), re.DOTALL)
    assert section, "README.md has no <!-- scan-summary --> section"
    assert section.group(1) == report.markdown(list(verdicts.values())), "run `python -m scan --markdown`"


LOG = "aws_cloudwatch_log_group"


def results(*failed: Finding, stack: str = "dev") -> Results:
    return Results(stack, "3.3.30", passed=(), failed=failed)


def entry(**fields: object) -> baseline.Accepted:
    return baseline.Accepted.model_validate(
        {"check": "CKV_AWS_158", "resources": [f"{LOG}.*"], "reason": "encrypted by AWS-owned keys already", **fields}
    )


def test_an_entry_accepts_its_check_on_matching_resources_in_its_stacks() -> None:
    kms = Finding("CKV_AWS_158", f"{LOG}.app-logs", "log group KMS")
    other = Finding("CKV_AWS_338", f"{LOG}.app-logs", "retention")
    verdict = baseline.judge(results(kms, other), [entry()])
    assert [f for f, _ in verdict.accepted] == [kms]
    assert verdict.unexplained == (other,)
    prod_only = entry(stacks=["prod"])
    assert baseline.judge(results(kms), [prod_only]).unexplained == (kms,)


def test_an_entry_that_accepts_nothing_is_stale() -> None:
    verdict = baseline.judge(results(), [entry(resources=[f"{LOG}.*", "aws_lb.web"])])
    assert [(e.check, pattern) for e, pattern in verdict.stale] == [
        ("CKV_AWS_158", f"{LOG}.*"),
        ("CKV_AWS_158", "aws_lb.web"),
    ]
    assert not verdict.clean
    # ... but not in a stack it does not name
    assert baseline.judge(results(), [entry(stacks=["prod"])]).stale == ()


def test_a_bad_baseline_reports_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "baseline.yaml"
    path.write_text("- {check: CKV_AWS_158, resources: []}\n- {check: aws-158, resources: [x], reason: too short}\n")
    with pytest.raises(baseline.BaselineError) as error:
        baseline.load(path)
    assert str(error.value) == (
        "baseline.yaml has 4 problem(s):\n"
        "  - entry 0.resources: Tuple should have at least 1 item after validation, not 0\n"
        "  - entry 0.reason: Field required\n"
        "  - entry 1.check: String should match pattern '^CKV2?_[A-Z0-9]+_\\d+$'\n"
        "  - entry 1.reason: String should have at least 20 characters"
    )
