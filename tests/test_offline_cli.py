"""`python -m offline plan|cost`: the tree, the JSON shapes, the cost line, and clear failures."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from offline import cost, engine, stacks
from offline.__main__ import main
from tests.program_copy import copy_program


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of this project's program with a stack file the test writes."""
    return copy_program(tmp_path)


@pytest.mark.usefixtures("planned")
def test_plan_prints_children_under_their_component_then_counts_and_outputs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["plan", "--stack", "dev"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Stack aws-compute-dev (Pulumi.dev.yaml): ")
    # the component at the top level, its children one level in
    assert re.search(r"^[├└]─ network  \(aws-compute:network:Network\)$", out, re.MULTILINE)
    assert re.search(r"^[│ ]  [├└]─ network-vpc  \(aws:ec2/vpc:Vpc\)$", out, re.MULTILINE)
    assert "\nResources by type:\n" in out
    assert "     1  aws:ec2/natGateway:NatGateway\n" in out
    assert "\nOutputs:\n" in out
    assert '  vpcCidr: "10.10.0.0/16"' in out


@pytest.mark.usefixtures("planned")
def test_plan_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--stack", "network-prod", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert set(plan) == {"stack", "resources", "outputs", "warnings", "violations", "waived"}
    assert plan["violations"] == []
    assert plan["waived"] == []
    assert plan["stack"] == "network-prod"
    vpc = next(r for r in plan["resources"] if r["name"] == "network-vpc")
    assert set(vpc) == {"type", "name", "urn", "parent", "inputs"}
    assert vpc["type"] == "aws:ec2/vpc:Vpc"
    assert (
        vpc["urn"] == "urn:pulumi:network-prod::aws-compute::aws-compute:network:Network$aws:ec2/vpc:Vpc::network-vpc"
    )
    assert vpc["parent"] == "urn:pulumi:network-prod::aws-compute::aws-compute:network:Network::network"
    assert vpc["inputs"]["cidrBlock"] == "10.20.0.0/16"
    assert plan["outputs"]["vpcCidr"] == "10.20.0.0/16"


def test_unknown_stack_lists_the_stacks_found(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--stack", "staging"]) == 2
    err = capsys.readouterr().err
    assert "no stack 'staging'" in err
    assert "Stacks found: apps-prod, dev, network-prod" in err


def test_bad_stage_config_prints_the_schema_message_and_fails(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "Pulumi.bad.yaml").write_text(
        "config:\n  aws:region: us-east-1\n  aws-compute:network:\n    natGateway: single\n    azCount: 1\n"
    )
    assert main(["plan", "--stack", "bad", "--project-dir", str(project)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "error: Pulumi.bad.yaml has 2 stage-config problems; nothing was deployed:\n"
        "  - aws-compute:network.natGateway: unknown key; did you mean 'natGateways'? allowed keys: cidrBlock,"
        " azCount, availabilityZones, tiers, subnetPrefixLengths, natGateways, flowLogs, gatewayEndpoints,"
        " interfaceEndpoints, protect, fromStack, existing\n"
        "  - aws-compute:network.azCount: 1 AZs; use 2 to 4 (3 is the HA default)\n"
        "Fix them in Pulumi.bad.yaml (or with `pulumi config set --path`) and run again.\n"
    )


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


@pytest.mark.usefixtures("planned")
def test_dev_plan_prints_the_waivers_it_applied(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--stack", "dev", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["violations"] == []
    assert [(w["rule"], w["resource"], w["enforcement"], w["expires"]) for w in plan["waived"]] == [
        ("no-plain-http-internet", name, "mandatory", None) for name in ("alb-http", "svc-api-rule", "web-rule")
    ]
    assert all(w["reason"].startswith("dev has no certificate (listeners: httpOnlyDev)") for w in plan["waived"])


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch, stack_plans: dict[str, engine.Plan]) -> None:
    """The CLI answers from the session's plans instead of planning each stack again."""
    monkeypatch.setattr(stacks, "run_stacks", lambda names, project_dir: {s: stack_plans[s] for s in names})


@pytest.mark.usefixtures("planned")
def test_plan_with_cost_ends_with_the_monthly_range(
    capsys: pytest.CaptureFixture[str], stack_plans: dict[str, engine.Plan]
) -> None:
    assert main(["plan", "--stack", "dev", "--cost"]) == 0
    low, high = cost.monthly_range(stack_plans["dev"])
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == (
        f"Monthly cost (estimate, us-east-1, prices of 2026-12-01): ${low:,.2f} – ${high:,.2f}"
        "  (python -m offline cost --stack dev)"
    )


@pytest.mark.usefixtures("planned")
def test_plan_without_cost_prints_no_cost(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--stack", "dev"]) == 0
    assert "Monthly cost" not in capsys.readouterr().out
    assert main(["plan", "--stack", "dev", "--json"]) == 0
    assert "cost" not in json.loads(capsys.readouterr().out)


@pytest.mark.usefixtures("planned")
def test_cost_json_traces_each_charge_to_prices_and_assumptions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cost", "--stack", "network-prod", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["stack"], document["region"], document["pricesAsOf"]) == (
        "network-prod",
        "us-east-1",
        "2026-12-01",
    )
    network = next(c for c in document["components"] if c["name"] == "network")
    assert network["type"] == "aws-compute:network:Network"
    assert {
        "resource": "network-nat-0",
        "type": "aws:ec2/natGateway:NatGateway",
        "charge": "NAT gateway hours",
        "low": 32.85,
        "high": 32.85,
        "basis": "730 h × $0.045/h",
    } in network["charges"]
    assert document["prices"]["nat_gateway_hour"] == {
        "usd": 0.045,
        "ratio": None,
        "unit": "NAT gateway-hour",
        "source": "https://aws.amazon.com/vpc/pricing/",
        "confirmed": True,
    }
    assert {"key": "natGatewayGbPerMonth", "value": 100, "set": False} in document["assumptions"]
    assert document["total"]["low"] == pytest.approx(sum(c["low"] for c in document["components"]), abs=0.01)
    assert document["unpriced"] == []
    assert main(["cost", "--stack", "apps-prod", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["prices"]["alb_lcu_hour"]["confirmed"] is False


@pytest.mark.usefixtures("planned")
def test_cost_text_groups_charges_under_their_component(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cost", "--stack", "dev"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Monthly cost estimate: aws-compute-dev (Pulumi.dev.yaml) in us-east-1, USD, prices of 2026-12-01"
    )
    assert re.search(r"^network \(Network\) +\$\d", out, re.MULTILINE)
    assert re.search(r"^  network-nat-0 +NAT gateway hours +\$32\.85  730 h × \$0\.045/h$", out, re.MULTILINE)
    assert re.search(r"^Total +\$[\d,.]+ – \$[\d,.]+$", out, re.MULTILINE)
    assert "\n  - natGatewayGbPerMonth = 100\n" in out
    assert "\n  - ecs-cluster: Container Insights (enabled) metrics and log events\n" in out


def test_cost_of_an_unknown_stack_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cost", "--stack", "nope"]) == 2
    assert capsys.readouterr().err.startswith("error: no stack 'nope'")


def test_cost_in_a_region_without_prices_exits_1(
    monkeypatch: pytest.MonkeyPatch, dev_plan: engine.Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        stacks, "run_stacks", lambda names, project_dir: {"dev": dataclasses.replace(dev_plan, region="ap-northeast-1")}
    )
    assert main(["cost", "--stack", "dev"]) == 1
    assert capsys.readouterr().err == (
        "error: no price file for region 'ap-northeast-1' (ap-northeast-1.toml);"
        " prices exist for: eu-west-1, us-east-1\n"
    )


@pytest.mark.usefixtures("planned")
def test_plan_json_with_cost_adds_only_a_cost_key(
    capsys: pytest.CaptureFixture[str], stack_plans: dict[str, engine.Plan]
) -> None:
    assert main(["plan", "--stack", "apps-prod", "--json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert main(["plan", "--stack", "apps-prod", "--json", "--cost"]) == 0
    with_cost = json.loads(capsys.readouterr().out)
    low, high = cost.monthly_range(stack_plans["apps-prod"])
    assert with_cost.pop("cost") == {
        "low": round(low, 2),
        "high": round(high, 2),
        "region": "us-east-1",
        "pricesAsOf": "2026-12-01",
    }
    assert with_cost == plain
