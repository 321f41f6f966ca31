"""`enable_governance()`: the one call a consumer's program makes for standard tags and the
IMDSv2 guard, and the policy rule judging IMDSv2 with the guard's own predicate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi_aws as aws
import pytest
from pulumi.runtime import rpc

from components.governance import GovernanceError, enable_governance, imdsv2_problem, policy_rules
from offline.__main__ import main
from offline.engine import run


def test_standard_tags_name_the_stack_and_project_and_extra_tags_win() -> None:
    applied: list[dict[str, str]] = []

    def program() -> None:
        applied.append(enable_governance(tags={"CostCenter": "42", "ManagedBy": "platform"}))
        aws.sqs.Queue("queue", tags={"Name": "jobs"})

    plan = run(program, stack="staging", project="shop")
    assert applied == [
        {"Environment": "staging", "ManagedBy": "platform", "Project": "shop", "Stack": "staging", "CostCenter": "42"}
    ]
    assert plan.named("queue").inputs["tags"] == {"Name": "jobs", **applied[0]}


def test_environment_overrides_the_stack_name() -> None:
    plan = run(lambda: (enable_governance(environment="production"), aws.sqs.Queue("queue")), stack="prod-eu")
    assert plan.named("queue").inputs["tags"]["Environment"] == "production"
    assert plan.named("queue").inputs["tags"]["Stack"] == "prod-eu"


def test_the_imdsv2_guard_is_registered_too() -> None:
    def program() -> None:
        enable_governance()
        aws.ec2.Instance("bastion", ami="ami-12345678", instance_type="t3.micro")

    with pytest.raises(GovernanceError, match=r"^instance 'bastion' \(aws:ec2/instance:Instance\) must require IMDSv2"):
        run(program)


def test_tags_aws_would_reject_fail_before_anything_is_registered() -> None:
    def program() -> None:
        enable_governance(tags={"aws:owner": "me", "Team": "a" * 300})
        aws.sqs.Queue("queue")

    with pytest.raises(ValueError) as raised:
        run(program)
    assert str(raised.value) == (
        "enable_governance(tags=...): tag keys ['aws:owner'] are invalid: 1-128 characters, not starting with"
        " 'aws:'; the values of tags ['Team'] are invalid: at most 256 letters, digits, spaces and _.:/=+-@"
    )


def test_a_refused_resource_stops_the_plan_with_one_line_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: legacy\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_aws as aws\n"
        "from components.governance import enable_governance\n"
        "enable_governance()\n"
        "aws.ec2.Instance('old', ami='ami-12345678', instance_type='t3.micro')\n"
    )
    assert main(["plan", "--stack", "dev", "--project-dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        "error: instance 'old' (aws:ec2/instance:Instance) must require IMDSv2: it does not set"
        " metadataOptions.httpTokens, so IMDSv1 stays open; set it to 'required'\n"
    )


@pytest.mark.parametrize(
    "props",
    [
        {},
        {"metadataOptions": {"httpTokens": "optional"}},
        {"metadataOptions": {"httpEndpoint": "disabled"}},
        {"metadataOptions": {"httpTokens": "required"}},
        {"metadataOptions": {"httpTokens": rpc.UNKNOWN}},
    ],
)
@pytest.mark.parametrize(
    "type_",
    [
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws:ec2/instance:Instance",
        "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
        "aws:ec2/launchConfiguration:LaunchConfiguration",
    ],
)
def test_the_policy_rule_and_the_guard_judge_alike(type_: str, props: dict[str, Any]) -> None:
    problem = imdsv2_problem(props)
    messages = [v.message for v in policy_rules.check([(type_, "r", props)]) if v.rule == "imdsv2-required"]
    assert messages == ([f"instance metadata must require IMDSv2: it {problem}"] if problem else [])
