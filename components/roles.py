"""The one way a component builds an IAM role with its grants.

`<prefix>-role` trusted by `trust`, the inline `<prefix>-policy` of `statements` (when there
are any) and one `<prefix>-managed-<i>` attachment per managed policy ARN. Whatever uses the
role should depend on `grants`: a service, schedule or function started before its policies
are attached fails its first calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

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
    managed_policy_arns: Sequence[pulumi.Input[str]] = (),
    opts: pulumi.ResourceOptions,
) -> RoleWithGrants:
    role = aws.iam.Role(f"{prefix}-role", description=description, assume_role_policy=trust, opts=opts)
    grants: list[pulumi.Resource] = []
    if statements:
        grants.append(
            aws.iam.RolePolicy(f"{prefix}-policy", role=role.id, policy=policy_document(statements), opts=opts)
        )
    grants += [
        aws.iam.RolePolicyAttachment(f"{prefix}-managed-{i}", role=role.name, policy_arn=arn, opts=opts)
        for i, arn in enumerate(managed_policy_arns)
    ]
    return RoleWithGrants(role, grants)
