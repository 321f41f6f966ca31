"""The KMS key that envelope-encrypts an EKS cluster's Kubernetes Secrets."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.iam import POLICY_VERSION, Statement, account_root_arn, policy_document
from components.kms import KEY_ADMIN_ACTIONS

#: What EKS does with the secrets key, as the cluster role.
SECRETS_KEY_ACTIONS = ("kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:ListGrants")
_AWS_RESOURCE_GRANTS = {"Bool": {"kms:GrantIsForAWSResource": "true"}}


def secrets_key(
    name: str,
    cluster_name: str,
    cluster_role: aws.iam.Role,
    account: pulumi.Input[str],
    partition: pulumi.Input[str],
    child: pulumi.ResourceOptions,
) -> pulumi.Output[str]:
    """A rotating key (and alias `alias/eks/<cluster>`) whose policy lets the account
    administer it and only the cluster role use it; returns the key ARN. In a key policy
    `Resource: "*"` means this key."""
    root = account_root_arn(partition, account)
    statements = [
        {"Sid": "AccountAdministersKey", "Principal": {"AWS": root}, "Action": list(KEY_ADMIN_ACTIONS)},
        {
            "Sid": "ClusterEnvelopeEncryption",
            "Principal": {"AWS": cluster_role.arn},
            "Action": list(SECRETS_KEY_ACTIONS),
        },
        {
            "Sid": "ClusterGrantsForAwsResources",
            "Principal": {"AWS": cluster_role.arn},
            "Action": "kms:CreateGrant",
            "Condition": _AWS_RESOURCE_GRANTS,
        },
    ]
    key = aws.kms.Key(
        name,
        description=f"EKS secrets envelope encryption for {cluster_name}",
        enable_key_rotation=True,
        deletion_window_in_days=30,
        policy=pulumi.Output.json_dumps(
            {"Version": POLICY_VERSION, "Statement": [{"Effect": "Allow", **s, "Resource": "*"} for s in statements]}
        ),
        opts=child,
    )
    aws.kms.Alias(f"{name}-alias", name=f"alias/eks/{cluster_name}", target_key_id=key.key_id, opts=child)
    return key.arn


def grant_secrets_key(
    name: str, key_arn: pulumi.Input[str], cluster_role: aws.iam.Role, child: pulumi.ResourceOptions
) -> aws.iam.RolePolicy:
    """For a key made elsewhere: the cluster role may use that key only (its key policy
    must delegate to IAM)."""
    return aws.iam.RolePolicy(
        name,
        role=cluster_role.id,
        policy=policy_document(
            [
                Statement(sid="EnvelopeEncryption", actions=SECRETS_KEY_ACTIONS, resources=[key_arn]),
                Statement(
                    sid="GrantsForAwsResources",
                    actions=["kms:CreateGrant"],
                    resources=[key_arn],
                    conditions=_AWS_RESOURCE_GRANTS,
                ),
            ]
        ),
        opts=child,
    )
