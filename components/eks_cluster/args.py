"""The args of eks_cluster."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi

from components.alarms import EksAlarmsArgs
from components.eks_cluster.access import ViewerPolicy
from components.eks_cluster.compute import (
    FargateProfileArgs,
    NodeGroupArgs,
)
from components.eks_cluster.identity import (
    PodIdentityArgs,
)
from components.eks_cluster.versions import LATEST_KUBERNETES_VERSION
from components.validation import CheckedArgs

ComputeStrategy = Literal["managedNodeGroups", "autoMode"]


EndpointAccess = Literal["private", "privateAndPublic"]


SupportType = Literal["STANDARD", "EXTENDED"]


AutoModeNodePool = Literal["general-purpose", "system"]


AddonName = Literal["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "aws-ebs-csi-driver"]


@dataclass(frozen=True, kw_only=True)
class EksClusterArgs(CheckedArgs):
    """The args of `EksCluster`: version and support, endpoint access,
    compute strategy, add-ons, identities and access."""

    cluster_name: str
    """The cluster's physical name; required. Explicit because the control-plane log group
    `/aws/eks/<name>/cluster` must exist (with retention) before the cluster does; derive it
    deterministically (the stage uses `<project>-<stack>`)."""
    vpc_id: pulumi.Input[str]
    """The VPC of the cluster security group."""
    subnet_ids: pulumi.Input[Sequence[str]]
    """Private subnets (two AZs at least) for the control-plane ENIs, nodes and Fargate pods."""
    kubernetes_version: str = LATEST_KUBERNETES_VERSION
    """A version in `eks_versions.SUPPORTED_KUBERNETES_VERSIONS`; the newest by default."""
    support_type: SupportType = "EXTENDED"
    """EXTENDED by default (the AWS default): a version past standard support keeps running
    (at extra cost) instead of being upgraded under you. STANDARD auto-upgrades instead."""
    endpoint_access: EndpointAccess = "private"
    """private by default: the API is reachable only from inside the VPC.
    privateAndPublic also opens it to `public_access_cidrs`, and only to them."""
    public_access_cidrs: Sequence[str] = ()
    """The allowlist of the public endpoint; required with privateAndPublic, never 0.0.0.0/0."""
    api_ingress_cidrs: Sequence[str] = ()
    """CIDRs inside the network (VPN, bastion) allowed to reach the private endpoint on 443;
    none by default (nodes use the EKS-managed cluster security group)."""
    log_retention_days: int = 365
    """Retention of the control-plane logs: a year by default, for audit."""
    protect: bool = True
    """Pulumi `protect` on the cluster, its secrets KMS key and the control-plane log group (audit data):
    `pulumi up` refuses to delete or replace them until the flag is lifted, so a mistaken change cannot take
    them down. On by default; dev turns it off to tear stages down freely."""
    secrets_kms_key_arn: pulumi.Input[str] | None = None
    """A KMS key for secrets envelope encryption; by default the component creates one
    (rotation on, key policy scoped to the account's administrators and the cluster role)."""
    admin_principal_arns: Sequence[str] = ()
    """IAM roles/users given AmazonEKSClusterAdminPolicy; at least one is required, since the
    cluster creator gets no implicit admin access."""
    viewer_principal_arns: Sequence[str] = ()
    """IAM roles/users given read-only access (`viewer_policy`); none by default."""
    viewer_policy: ViewerPolicy = "AmazonEKSViewPolicy"
    """AmazonEKSViewPolicy by default: reads workloads but not Secrets. AmazonEKSAdminViewPolicy
    also reads Secrets."""
    compute: ComputeStrategy = "managedNodeGroups"
    """managedNodeGroups by default (node_groups and fargate_profiles). autoMode lets EKS
    Auto Mode own nodes, storage and load balancing instead."""
    node_groups: Mapping[str, NodeGroupArgs] = field(default_factory=dict)
    """Managed node groups by name (managedNodeGroups only); none by default."""
    auto_mode_node_pools: Sequence[AutoModeNodePool] = ("general-purpose", "system")
    """Built-in Auto Mode node pools (autoMode only); both by default."""
    fargate_profiles: Mapping[str, FargateProfileArgs] = field(default_factory=dict)
    """Fargate profiles by name, in the private subnets; none by default."""
    addon_versions: Mapping[AddonName, str] = field(default_factory=dict)
    """Pinned add-on versions; an add-on not listed gets EKS's default version for the
    cluster's Kubernetes version (addon_version omitted)."""
    ebs_csi_driver: bool = False
    """Install the EBS CSI driver add-on with its own Pod Identity role; off by default
    (managedNodeGroups only: Auto Mode has block storage built in)."""
    pod_identities: Mapping[str, PodIdentityArgs] = field(default_factory=dict)
    """Pod Identity roles and associations by name; none by default."""
    irsa_oidc_provider: bool = False
    """Also register the cluster's OIDC issuer with IAM, for IRSA; off by default (Pod
    Identity needs no provider)."""
    deletion_protection: bool = True
    """On by default: the cluster cannot be deleted until this is turned off."""
    alarms: EksAlarmsArgs | None = None
    """Node groups short of desired and unschedulable pods, notifying a topic; none by default."""
