"""Least-privilege checks for every IAM policy document a component writes.

`lint` runs parliament (the IAM linter) over a policy; `assert_least_privilege` adds our
own rules: no wildcard actions, and `Resource: "*"` allowed only for actions AWS cannot scope
(a Deny on "*" narrows, so it may name any action).
"""

from __future__ import annotations

import json
from typing import Any

import parliament

#: Actions that IAM does not scope to a resource ARN, so they must name "*".
UNSCOPABLE_ACTIONS = frozenset(
    {
        "ecr:GetAuthorizationToken",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "xray:GetSamplingStatisticSummaries",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSubnets",
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
        "cloudwatch:PutMetricData",
        "logs:DescribeLogGroups",  # ECS Exec session logging (the task role finds its log group)
    }
)


def lint(policy: str | dict[str, Any]) -> list[str]:
    """Parliament findings, as `ISSUE: detail` strings; empty when clean."""
    text = policy if isinstance(policy, str) else json.dumps(policy)
    analyzed = parliament.analyze_policy_string(text)
    return [
        f"{f.issue}: {f.detail}"
        for f in analyzed.findings
        # RESOURCE_STAR is judged by assert_least_privilege, which knows unscopable actions.
        if f.issue != "RESOURCE_STAR"
    ]


def statements(policy: str | dict[str, Any]) -> list[dict[str, Any]]:
    doc = json.loads(policy) if isinstance(policy, str) else policy
    found = doc["Statement"]
    return found if isinstance(found, list) else [found]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def assert_least_privilege(policy: str | dict[str, Any]) -> None:
    findings = lint(policy)
    assert not findings, f"parliament findings: {findings}"
    for statement in statements(policy):
        actions = _as_list(statement.get("Action", []))
        assert not any("*" in action for action in actions), f"wildcard action in {statement}"
        resources = _as_list(statement.get("Resource", []))
        if "*" in resources and statement["Effect"] == "Allow":
            scoped = [a for a in actions if a not in UNSCOPABLE_ACTIONS]
            assert not scoped, f"{scoped} can be scoped to resource ARNs but are granted on '*'"
