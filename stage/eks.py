"""`aws-compute:eks`: one EKS cluster per stage; no key, no cluster.

Config reference (camelCase; defaults are EksClusterArgs' own, the secure ones):

    aws-compute:eks:
      clusterName: my-cluster            # default <project>-<stack>; names the log group too
      kubernetesVersion: "1.36"          # one EKS supports today (components/eks_cluster/versions.py)
      supportType: EXTENDED              # or STANDARD (auto-upgrade at end of standard support)
      endpointAccess: private            # or privateAndPublic, which needs publicAccessCidrs
      publicAccessCidrs: [203.0.113.0/24]  # never 0.0.0.0/0
      apiIngressCidrs: [10.20.0.0/16]    # who in the network may reach the private endpoint
      logRetentionDays: 365              # control-plane logs (all five types)
      protect: true                      # Pulumi protect on cluster, secrets key and control-plane logs
      secretsKmsKeyArn: arn:aws:kms:...  # default: a key the component creates (rotation on)
      adminPrincipalArns: [arn:aws:iam::<account>:role/platform-admin]   # at least one
      viewerPrincipalArns: []
      viewerPolicy: AmazonEKSViewPolicy  # or AmazonEKSAdminViewPolicy (reads Secrets too)
      compute: managedNodeGroups         # or autoMode (no nodeGroups, no add-on pins)
      nodeGroups:
        general:
          instanceTypes: [m7g.large]     # one architecture per group; AMI follows it
          capacityType: ON_DEMAND        # or SPOT
          minSize: 2
          desiredSize: 2
          maxSize: 6
          maxUnavailable: 1
          labels: {workload-type: general}
          taints: [{key: dedicated, value: general, effect: NO_SCHEDULE}]
          diskSizeGib: 50                # encrypted gp3 root
          metadataHopLimit: 1            # 2 only for pods that read IMDS without Pod Identity
      autoModeNodePools: [general-purpose, system]
      fargateProfiles:
        serverless: {selectors: [{namespace: serverless, labels: {compute-type: fargate}}]}
      addonVersions: {vpc-cni: v1.20.0-eksbuild.1}   # unlisted add-ons get EKS's default
      ebsCsiDriver: false                # EBS CSI add-on with a Pod Identity role
      podIdentities:
        orders:
          namespace: orders
          serviceAccount: orders-api
          statements: [{actions: [s3:GetObject], resources: [arn:aws:s3:::bucket/*]}]
          managedPolicyArns: []
      irsaOidcProvider: false            # OIDC provider for IRSA
      deletionProtection: true
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
from pydantic import Field

from components import (
    AddonName,
    AutoModeNodePool,
    CapacityType,
    ComputeStrategy,
    EksAlarmsArgs,
    EksClusterArgs,
    EndpointAccess,
    FargateProfileArgs,
    FargateSelectorArgs,
    HopLimit,
    NodeGroupArgs,
    PodIdentityArgs,
    Problem,
    Statement,
    SupportType,
    TaintArgs,
    TaintEffect,
    ViewerPolicy,
)
from stage.base import ConfigModel, args_default, args_problems

_NODE_DEFAULTS = NodeGroupArgs()
_TAINT_EFFECT: TaintEffect = TaintArgs(key="k").effect
_PLACEHOLDER_NAME = "placeholder"


class TaintConfig(ConfigModel):
    key: str
    value: str | None = None
    effect: TaintEffect = _TAINT_EFFECT


class NodeGroupConfig(ConfigModel):
    instance_types: list[str] = Field(default_factory=lambda: list(_NODE_DEFAULTS.instance_types))
    capacity_type: CapacityType = _NODE_DEFAULTS.capacity_type
    min_size: int = _NODE_DEFAULTS.min_size
    desired_size: int = _NODE_DEFAULTS.desired_size
    max_size: int = _NODE_DEFAULTS.max_size
    max_unavailable: int = _NODE_DEFAULTS.max_unavailable
    labels: dict[str, str] = Field(default_factory=dict)
    taints: list[TaintConfig] = Field(default_factory=list)
    disk_size_gib: int = _NODE_DEFAULTS.disk_size_gib
    metadata_hop_limit: HopLimit = _NODE_DEFAULTS.metadata_hop_limit

    def to_args(self) -> NodeGroupArgs:
        return NodeGroupArgs(
            instance_types=tuple(self.instance_types),
            capacity_type=self.capacity_type,
            min_size=self.min_size,
            desired_size=self.desired_size,
            max_size=self.max_size,
            max_unavailable=self.max_unavailable,
            labels=dict(self.labels),
            taints=tuple(TaintArgs(key=t.key, value=t.value, effect=t.effect) for t in self.taints),
            disk_size_gib=self.disk_size_gib,
            metadata_hop_limit=self.metadata_hop_limit,
        )


class FargateSelectorConfig(ConfigModel):
    namespace: str
    labels: dict[str, str] = Field(default_factory=dict)


class FargateProfileConfig(ConfigModel):
    selectors: list[FargateSelectorConfig]

    def to_args(self) -> FargateProfileArgs:
        return FargateProfileArgs(
            selectors=tuple(FargateSelectorArgs(namespace=s.namespace, labels=dict(s.labels)) for s in self.selectors)
        )


class PolicyStatementConfig(ConfigModel):
    actions: list[str]
    resources: list[str]


class PodIdentityConfig(ConfigModel):
    namespace: str
    service_account: str
    statements: list[PolicyStatementConfig] = Field(default_factory=list)
    managed_policy_arns: list[str] = Field(default_factory=list)

    def to_args(self) -> PodIdentityArgs:
        return PodIdentityArgs(
            namespace=self.namespace,
            service_account=self.service_account,
            statements=tuple(Statement(actions=s.actions, resources=s.resources) for s in self.statements),
            managed_policy_arns=tuple(self.managed_policy_arns),
        )


class EksConfig(ConfigModel):
    """Present means one cluster for the stage; see the module docstring for every key."""

    cluster_name: str | None = None
    kubernetes_version: str = args_default(EksClusterArgs, "kubernetes_version")
    support_type: SupportType = args_default(EksClusterArgs, "support_type")
    endpoint_access: EndpointAccess = args_default(EksClusterArgs, "endpoint_access")
    public_access_cidrs: list[str] = Field(default_factory=list)
    api_ingress_cidrs: list[str] = Field(default_factory=list)
    log_retention_days: int = args_default(EksClusterArgs, "log_retention_days")
    protect: bool = args_default(EksClusterArgs, "protect")
    secrets_kms_key_arn: str | None = None
    admin_principal_arns: list[str] = Field(default_factory=list)
    viewer_principal_arns: list[str] = Field(default_factory=list)
    viewer_policy: ViewerPolicy = args_default(EksClusterArgs, "viewer_policy")
    compute: ComputeStrategy = args_default(EksClusterArgs, "compute")
    node_groups: dict[str, NodeGroupConfig] = Field(default_factory=dict)
    auto_mode_node_pools: list[AutoModeNodePool] = Field(
        default_factory=lambda: list(args_default(EksClusterArgs, "auto_mode_node_pools"))
    )
    fargate_profiles: dict[str, FargateProfileConfig] = Field(default_factory=dict)
    addon_versions: dict[AddonName, str] = Field(default_factory=dict)
    ebs_csi_driver: bool = args_default(EksClusterArgs, "ebs_csi_driver")
    pod_identities: dict[str, PodIdentityConfig] = Field(default_factory=dict)
    irsa_oidc_provider: bool = args_default(EksClusterArgs, "irsa_oidc_provider")
    deletion_protection: bool = args_default(EksClusterArgs, "deletion_protection")

    def to_args(
        self,
        *,
        vpc_id: pulumi.Input[str],
        subnet_ids: pulumi.Input[Sequence[str]],
        default_cluster_name: str,
        alarms: EksAlarmsArgs | None = None,
    ) -> EksClusterArgs:
        """The component args, wired to the network's VPC and private subnets and the stage's EKS alarms."""
        return EksClusterArgs(
            cluster_name=self.cluster_name or default_cluster_name,
            vpc_id=vpc_id,
            subnet_ids=subnet_ids,
            kubernetes_version=self.kubernetes_version,
            support_type=self.support_type,
            endpoint_access=self.endpoint_access,
            public_access_cidrs=tuple(self.public_access_cidrs),
            api_ingress_cidrs=tuple(self.api_ingress_cidrs),
            log_retention_days=self.log_retention_days,
            protect=self.protect,
            secrets_kms_key_arn=self.secrets_kms_key_arn,
            admin_principal_arns=tuple(self.admin_principal_arns),
            viewer_principal_arns=tuple(self.viewer_principal_arns),
            viewer_policy=self.viewer_policy,
            compute=self.compute,
            node_groups={key: group.to_args() for key, group in self.node_groups.items()},
            auto_mode_node_pools=tuple(self.auto_mode_node_pools),
            fargate_profiles={key: profile.to_args() for key, profile in self.fargate_profiles.items()},
            addon_versions=dict(self.addon_versions),
            ebs_csi_driver=self.ebs_csi_driver,
            pod_identities={key: identity.to_args() for key, identity in self.pod_identities.items()},
            irsa_oidc_provider=self.irsa_oidc_provider,
            deletion_protection=self.deletion_protection,
            alarms=alarms,
        )

    def problems(self) -> list[Problem]:
        """The component's own rules, with placeholders for the wired network values."""
        return args_problems(
            lambda: self.to_args(
                vpc_id="vpc-placeholder", subnet_ids=["subnet-placeholder"], default_cluster_name=_PLACEHOLDER_NAME
            )
        )
