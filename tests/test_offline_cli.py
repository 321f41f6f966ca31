"""`python -m offline plan`: the tree, the JSON shape, and clear failures."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from offline import render, stacks
from offline.__main__ import main
from offline.engine import Plan
from policies import rules


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of this project's program with a stack file the test writes."""
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(stacks.PROJECT_DIR / name, tmp_path / name)
    return tmp_path


def test_plan_prints_children_under_their_component_then_counts_and_outputs(
    capsys: pytest.CaptureFixture[str], dev_plan: Plan
) -> None:
    assert main(["plan", "--stack", "dev"]) == 0
    out = capsys.readouterr().out
    # planned again in this warm process: the same plan as the session's first
    assert (
        out
        == render.to_tree(dev_plan, rules.check([(r.type, r.name, r.inputs) for r in dev_plan.resources if r.custom]))
        + "\n"
    )
    assert out.startswith("Stack aws-compute-dev (Pulumi.dev.yaml): ")
    # the component at the top level, its children one level in
    assert re.search(r"^[├└]─ network  \(aws-compute:network:Network\)$", out, re.MULTILINE)
    assert re.search(r"^[│ ]  [├└]─ network-vpc  \(aws:ec2/vpc:Vpc\)$", out, re.MULTILINE)
    assert "\nResources by type:\n" in out
    assert "     1  aws:ec2/natGateway:NatGateway\n" in out
    assert "\nOutputs:\n" in out
    assert '  vpcCidr: "10.10.0.0/16"' in out


def test_plan_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--stack", "prod", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert set(plan) == {"stack", "resources", "outputs", "warnings", "violations"}
    assert plan["violations"] == []
    assert plan["stack"] == "prod"
    vpc = next(r for r in plan["resources"] if r["name"] == "network-vpc")
    assert set(vpc) == {"type", "name", "urn", "parent", "inputs"}
    assert vpc["type"] == "aws:ec2/vpc:Vpc"
    assert vpc["urn"] == "urn:pulumi:prod::aws-compute::aws-compute:network:Network$aws:ec2/vpc:Vpc::network-vpc"
    assert vpc["parent"] == "urn:pulumi:prod::aws-compute::aws-compute:network:Network::network"
    assert vpc["inputs"]["cidrBlock"] == "10.20.0.0/16"
    assert plan["outputs"]["vpcCidr"] == "10.20.0.0/16"


def test_unknown_stack_lists_the_stacks_found(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--stack", "staging"]) == 2
    err = capsys.readouterr().err
    assert "no stack 'staging'" in err
    assert "Stacks found: dev, prod" in err


def test_bad_stage_config_prints_the_schema_message_and_fails(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "Pulumi.bad.yaml").write_text(
        "config:\n  aws:region: us-east-1\n  aws-compute:network:\n    natGateway: single\n    azCount: 1\n"
    )
    assert main(["plan", "--stack", "bad", "--project-dir", str(project)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: Pulumi.bad.yaml has 1 stage-config problem; nothing was deployed:\n")
    assert "aws-compute:network.natGateway: unknown key; did you mean 'natGateways'?" in captured.err
    assert "Traceback" not in captured.err


def test_secure_values_are_passed_as_secrets(project: Path) -> None:
    (project / "Pulumi.sec.yaml").write_text(
        "config:\n  aws-compute:environment:\n    secure: v1:AAAA\n  aws-compute:network:\n    azCount: 2\n"
    )
    config, secret_keys = stacks.stack_config("sec", project)
    assert config["aws-compute:environment"] == stacks.OFFLINE_SECRET
    assert secret_keys == ["aws-compute:environment"]


def test_a_mandatory_policy_violation_fails_the_plan(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "__main__.py").write_text("import pulumi_aws as aws\naws.cloudwatch.LogGroup('forever')\n")
    (project / "Pulumi.leaky.yaml").write_text("config: {}\n")
    assert main(["plan", "--stack", "leaky", "--project-dir", str(project)]) == 3
    out = capsys.readouterr().out
    assert "Policy violations: 1\n  - [mandatory] log-retention: forever: log groups must set retentionInDays" in out
