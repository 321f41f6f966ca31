"""IAM policy documents as data, so every policy a component writes can be inspected.

Documents are built from `Statement`s and serialised with `pulumi.Output.json_dumps`, which
resolves resource ARNs wired in as Outputs. No wildcard is added here: callers pass the
exact resource ARNs a statement needs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pulumi

from components.validation import CheckedArgs

POLICY_VERSION = "2012-10-17"


@dataclass(frozen=True, kw_only=True)
class Statement(CheckedArgs):
    """One IAM policy statement: exact actions on exact resource ARNs, with optional conditions."""

    actions: Sequence[str]
    """Exact `service:Action` names; no wildcards (the rules refuse them in grants)."""
    resources: Sequence[pulumi.Input[str]]
    """Resource ARNs the actions apply to; never `*` in grants."""
    effect: Literal["Allow", "Deny"] = "Allow"
    """Allow by default."""
    sid: str | None = None
    """Statement id shown in the policy; none by default."""
    conditions: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """IAM condition block, operator -> key -> value (`{"StringEquals": {...}}`); none by default."""

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "Effect": self.effect,
            "Action": sorted(self.actions),
            "Resource": list(self.resources),
        }
        if self.sid:
            doc["Sid"] = self.sid
        if self.conditions:
            doc["Condition"] = {op: dict(kv) for op, kv in self.conditions.items()}
        return doc


def account_root_arn(partition: pulumi.Input[str], account: pulumi.Input[str]) -> pulumi.Output[str]:
    """`arn:<partition>:iam::<account>:root`: the account as a principal (its IAM policies decide)."""
    return pulumi.Output.concat("arn:", partition, ":iam::", account, ":root")


def aws_managed_policy_arn(partition: pulumi.Input[str], policy: str) -> pulumi.Output[str]:
    """`arn:<partition>:iam::aws:policy/<policy>`; `policy` may have a path (`service-role/...`)."""
    return pulumi.Output.concat("arn:", partition, ":iam::aws:policy/", policy)


def policy_document(statements: Sequence[Statement]) -> pulumi.Output[str]:
    """A JSON identity policy from statements (resources may be Outputs)."""
    return pulumi.Output.json_dumps({"Version": POLICY_VERSION, "Statement": [s.to_json() for s in statements]})


def service_trust_policy(
    service: str | Sequence[str],
    *,
    conditions: Mapping[str, Mapping[str, Any]] | None = None,
    actions: Sequence[str] = ("sts:AssumeRole",),
) -> pulumi.Output[str]:
    """A trust policy letting an AWS service principal assume the role.

    Pass `conditions` (aws:SourceAccount / aws:SourceArn) wherever the service sets them,
    to prevent the confused-deputy problem.
    """
    services = [service] if isinstance(service, str) else list(service)
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": services[0] if len(services) == 1 else services},
        "Action": list(actions) if len(actions) > 1 else actions[0],
    }
    if conditions:
        statement["Condition"] = {op: dict(kv) for op, kv in conditions.items()}
    return pulumi.Output.json_dumps({"Version": POLICY_VERSION, "Statement": [statement]})
