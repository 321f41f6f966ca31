"""Who may use an EKS cluster: access entries (authentication mode API) with EKS access
policies, cluster-wide. No aws-auth ConfigMap, and no implicit admin for the creator."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import pulumi
import pulumi_aws as aws

from components.child_keys import arn_name, repeated_keys
from components.validation import Problem

ViewerPolicy = Literal["AmazonEKSViewPolicy", "AmazonEKSAdminViewPolicy"]
ADMIN_POLICY = "AmazonEKSClusterAdminPolicy"
_PRINCIPAL_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:(role|user)/[\w+=,.@/-]+$")


def access_problems(admins: Sequence[str], viewers: Sequence[str]) -> list[Problem]:
    problems = []
    if not admins:
        problems.append(
            Problem(
                "admin_principal_arns",
                "no cluster admin: the creator gets no implicit access; list at least one IAM role ARN",
            )
        )
    for field_name, arns in (("admin_principal_arns", list(admins)), ("viewer_principal_arns", list(viewers))):
        bad = [a for a in arns if not _PRINCIPAL_ARN.match(a)]
        if bad:
            problems.append(Problem(field_name, f"{bad} are not IAM role or user ARNs"))
        if len(set(arns)) != len(arns):
            problems.append(Problem(field_name, "a principal is listed twice; list each once"))
        else:
            problems += repeated_keys(
                field_name,
                [arn_name(a) for a in arns],
                "{count} principals are named {key}, and the name keys their access entries; grant one of them"
                " through a role of another name",
            )
    both = sorted(set(admins) & set(viewers))
    if both:
        problems.append(Problem("viewer_principal_arns", f"{both} are admins already; list each principal once"))
    return problems


def access_entries(
    name: str,
    *,
    admins: Sequence[str],
    viewers: Sequence[str],
    viewer_policy: ViewerPolicy,
    cluster: aws.eks.Cluster,
    partition: pulumi.Input[str],
    child: pulumi.ResourceOptions,
) -> None:
    """An access entry per principal, with its access policy associated cluster-wide."""
    grants = [("admin", arn, ADMIN_POLICY) for arn in admins] + [("viewer", arn, viewer_policy) for arn in viewers]
    for kind, principal, policy in grants:
        # Named by the principal's name, not its position, so reordering replaces nothing.
        entry_name = f"{name}-{kind}-{arn_name(principal)}"
        entry = aws.eks.AccessEntry(
            entry_name, cluster_name=cluster.name, principal_arn=principal, type="STANDARD", opts=child
        )
        aws.eks.AccessPolicyAssociation(
            f"{entry_name}-policy",
            cluster_name=cluster.name,
            principal_arn=entry.principal_arn,
            policy_arn=pulumi.Output.concat("arn:", partition, ":eks::aws:cluster-access-policy/", policy),
            access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(type="cluster"),
            opts=child,
        )
