"""The one way a component builds an IAM role with its grants.

`<prefix>-role` trusted by `trust`, the inline `<prefix>-policy` of `statements` (when there
are any) and one `<prefix>-managed-<policy name>` attachment per managed policy (named
`<prefix>-managed-<i>` by position before 0.2.0: kept as aliases). Whatever uses the
role should depend on `grants`: a service, schedule or function started before its policies
are attached fails its first calls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.child_keys import published_as
from components.iam import Statement, policy_document


@dataclass(frozen=True)
class RoleWithGrants:
    role: aws.iam.Role
    grants: list[pulumi.Resource]
    """The inline policy and managed-policy attachments, in that order."""


def role_with_grants(
    prefix: str,
    *,
    description: str,
    trust: pulumi.Input[str],
    statements: Sequence[Statement] = (),
    managed_policies: Mapping[str, pulumi.Input[str]] | None = None,
    opts: pulumi.ResourceOptions,
) -> RoleWithGrants:
    """`managed_policies`: ARNs by policy name (`child_keys.by_policy_name`), which names
    their attachments."""
    role = aws.iam.Role(f"{prefix}-role", description=description, assume_role_policy=trust, opts=opts)
    grants: list[pulumi.Resource] = []
    if statements:
        grants.append(
            aws.iam.RolePolicy(f"{prefix}-policy", role=role.id, policy=policy_document(statements), opts=opts)
        )
    grants += [
        aws.iam.RolePolicyAttachment(
            f"{prefix}-managed-{policy}",
            role=role.name,
            policy_arn=arn,
            opts=published_as(opts, f"{prefix}-managed-{position}"),
        )
        for position, (policy, arn) in enumerate((managed_policies or {}).items())
    ]
    return RoleWithGrants(role, grants)
