"""Workload identity for EKS: Pod Identity roles and associations, and the optional IRSA
OIDC provider.

Pod Identity is the default path (the seed's "EKS Pod Identities"): a role trusted by
`pods.eks.amazonaws.com` for `sts:AssumeRole` and `sts:TagSession`, limited to this
cluster and, through the session tags Pod Identity sets, to one namespace/service account,
which an association binds it to. The seed's pod spec
annotates the service account with `eks.amazonaws.com/role-arn`: that is IRSA, not Pod
Identity, which needs no annotation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.child_keys import by_policy_name
from components.grants import managed_policy_problems, statement_problems
from components.iam import Statement, service_trust_policy
from components.roles import role_with_grants
from components.validation import DNS_LABEL, CheckedArgs, Problem

POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com"


@dataclass(frozen=True, kw_only=True)
class PodIdentityArgs(CheckedArgs):
    """An EKS Pod Identity: a role for one namespace's service account, with its grants."""

    namespace: str
    """Kubernetes namespace of the service account; no default."""
    service_account: str
    """Kubernetes service account whose pods get the role; no default."""
    statements: Sequence[Statement] = ()
    """The role's inline policy: exact actions on exact resource ARNs (no wildcards)."""
    managed_policy_arns: Sequence[str] = ()
    """Managed policies to attach by ARN (AWS-managed ones are reviewed by AWS); none by
    default. Known strings: each policy's name keys its attachment."""


def pod_identity_problems(path: str, args: PodIdentityArgs) -> list[Problem]:
    problems: list[Problem] = []
    for key, value in (("namespace", args.namespace), ("service_account", args.service_account)):
        if not DNS_LABEL.match(value):
            problems.append(Problem(f"{path}.{key}", f"{value!r} is not a Kubernetes name (lowercase DNS label)"))
    if not args.statements and not args.managed_policy_arns:
        problems.append(Problem(path, "grants nothing; add statements or managed policy ARNs"))
    problems += statement_problems(f"{path}.statements", args.statements)
    problems += managed_policy_problems(f"{path}.managed_policy_arns", args.managed_policy_arns)
    return problems


def pod_identity_trust(
    cluster_arn: pulumi.Input[str], account: pulumi.Input[str], namespace: str, service_account: str
) -> pulumi.Output[str]:
    """Pods of this cluster only (aws:SourceArn), in this account, running as exactly this
    service account: Pod Identity tags the session with its namespace and service account, so
    an association made elsewhere for the same role cannot use it (EKS user guide, "Create
    IAM role with trust policy required by EKS Pod Identity")."""
    return service_trust_policy(
        POD_IDENTITY_PRINCIPAL,
        actions=("sts:AssumeRole", "sts:TagSession"),
        conditions={
            "StringEquals": {
                "aws:SourceAccount": account,
                "aws:RequestTag/kubernetes-namespace": namespace,
                "aws:RequestTag/kubernetes-service-account": service_account,
            },
            "ArnEquals": {"aws:SourceArn": cluster_arn},
        },
    )


def pod_identity_role(
    name: str,
    args: PodIdentityArgs,
    *,
    cluster: aws.eks.Cluster,
    account: pulumi.Input[str],
    child: pulumi.ResourceOptions,
) -> aws.iam.Role:
    return role_with_grants(
        name,
        description=f"Pod Identity for {args.namespace}/{args.service_account}",
        trust=pod_identity_trust(cluster.arn, account, args.namespace, args.service_account),
        statements=args.statements,
        managed_policies=by_policy_name(args.managed_policy_arns),
        opts=child,
    ).role


def pod_identities(
    name: str,
    identities: Mapping[str, PodIdentityArgs],
    *,
    cluster: aws.eks.Cluster,
    account: pulumi.Input[str],
    depends_on: Sequence[pulumi.Resource],
    child: pulumi.ResourceOptions,
) -> dict[str, aws.iam.Role]:
    """One role and association per identity; associations wait for the Pod Identity agent."""
    roles = {}
    for key, args in identities.items():
        role = pod_identity_role(f"{name}-pod-{key}", args, cluster=cluster, account=account, child=child)
        aws.eks.PodIdentityAssociation(
            f"{name}-pod-{key}",
            cluster_name=cluster.name,
            namespace=args.namespace,
            service_account=args.service_account,
            role_arn=role.arn,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=list(depends_on))),
        )
        roles[key] = role
    return roles


def irsa_oidc_provider(
    name: str, issuer: pulumi.Input[str], child: pulumi.ResourceOptions
) -> aws.iam.OpenIdConnectProvider:
    """The cluster's OIDC issuer as an IAM identity provider, for IRSA. No thumbprint: IAM
    trusts the EKS issuer's certificate authority itself."""
    return aws.iam.OpenIdConnectProvider(f"{name}-oidc", url=issuer, client_id_lists=["sts.amazonaws.com"], opts=child)
