"""EksCluster: a production EKS cluster from pulumi_aws resources only (no pulumi-eks).

The seeds' "Production-Ready EKS Cluster", "EKS Auto Mode" and "EKS Pod Identities":
a private control plane logging all five log types, secrets envelope-encrypted with KMS,
access through EKS access entries (authentication mode API), managed add-ons, and either
managed node groups (with Fargate profiles) or EKS Auto Mode. Compute and workload
identity live in `eks_compute` and `eks_identity`.

Where the seeds are outdated this follows what AWS accepts today: Kubernetes 1.28 and the
AL2 AMI are retired (see `eks_versions`, AL2023 AMIs), and a Pod Identity trust policy
needs `sts:TagSession` beside `sts:AssumeRole`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from components.account_scope import account_scope
from components.alarms.sets import eks_alarms
from components.cidr_ingress import cidr_ingress_rules
from components.eks_cluster.access import access_entries
from components.eks_cluster.args import (
    AddonName,
    EksClusterArgs,
)
from components.eks_cluster.compute import (
    AUTO_MODE_NODE_POLICIES,
    NODE_GROUP_POLICIES,
    fargate_profiles,
    node_group,
    node_role,
    role_with_managed_policies,
)
from components.eks_cluster.identity import (
    irsa_oidc_provider,
    pod_identities,
    pod_identity_trust,
)
from components.eks_cluster.kubeconfig import kubeconfig_json
from components.eks_cluster.secrets import grant_secrets_key, secrets_key
from components.eks_cluster.versions import LATEST_KUBERNETES_VERSION, support_tier
from components.iam import aws_managed_policy_arn, service_trust_policy
from components.roles import role_with_grants

#: The five control-plane log types; all are on, as the seed has them.
CONTROL_PLANE_LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")


#: Add-ons installed before the nodes (networking and credentials); CoreDNS and the EBS CSI
#: driver come after them, since their pods need a node to become ACTIVE.
ADDONS_BEFORE_COMPUTE: tuple[AddonName, ...] = ("vpc-cni", "kube-proxy", "eks-pod-identity-agent")


EBS_CSI_DRIVER: AddonName = "aws-ebs-csi-driver"


CLUSTER_POLICIES = ("AmazonEKSClusterPolicy",)


#: What the cluster role needs on top when Auto Mode manages compute, storage, load balancing.
AUTO_MODE_CLUSTER_POLICIES = (
    "AmazonEKSComputePolicy",
    "AmazonEKSBlockStoragePolicy",
    "AmazonEKSLoadBalancingPolicy",
    "AmazonEKSNetworkingPolicy",
)


def _oidc_issuer(identities: Sequence[aws.eks.outputs.ClusterIdentity]) -> str:
    """The cluster's OIDC issuer URL (EKS always has exactly one)."""
    oidcs = identities[0].oidcs or []
    return (oidcs[0].issuer or "") if oidcs else ""


def _auto_mode_blocks(args: EksClusterArgs, node_role: aws.iam.Role | None) -> dict[str, Any]:
    """Auto Mode's compute, block storage and load balancing, enabled together (AWS rejects
    a partial set); none of them without Auto Mode."""
    if node_role is None:
        return {}
    return {
        "compute_config": aws.eks.ClusterComputeConfigArgs(
            enabled=True, node_pools=list(args.auto_mode_node_pools), node_role_arn=node_role.arn
        ),
        "storage_config": aws.eks.ClusterStorageConfigArgs(
            block_storage=aws.eks.ClusterStorageConfigBlockStorageArgs(enabled=True)
        ),
        "kubernetes_network_config": aws.eks.ClusterKubernetesNetworkConfigArgs(
            elastic_load_balancing=aws.eks.ClusterKubernetesNetworkConfigElasticLoadBalancingArgs(enabled=True)
        ),
    }


class EksCluster(pulumi.ComponentResource):
    """Control plane, access, add-ons, compute and workload identity of one EKS cluster."""

    cluster_name: pulumi.Output[str]
    cluster_arn: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    certificate_authority: pulumi.Output[str]
    oidc_issuer: pulumi.Output[str]
    cluster_security_group_id: pulumi.Output[str]
    node_role_arns: pulumi.Output[list[str]]
    pod_identity_role_arns: pulumi.Output[dict[str, str]]
    kubeconfig: pulumi.Output[str]

    def __init__(self, name: str, args: EksClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aws-compute:eks_cluster:EksCluster", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        scope = account_scope(self)
        region, account, partition = scope.region, scope.account, scope.partition
        auto_mode = args.compute == "autoMode"
        if support_tier(args.kubernetes_version) == "extended":
            pulumi.log.warn(
                f"EKS {args.kubernetes_version} is in extended support, billed at a higher hourly rate;"
                f" plan the upgrade to {LATEST_KUBERNETES_VERSION}",
                resource=self,
            )

        for group, group_args in args.node_groups.items():
            if group_args.capacity_type == "SPOT" and len(group_args.instance_types) < 2:
                pulumi.log.warn(
                    f"node group {group} is SPOT with one instance type; list several of similar size so an"
                    " interruption in one Spot pool does not take the whole group",
                    resource=self,
                )

        cluster_role, cluster_attachments = role_with_managed_policies(
            f"{name}-cluster-role",
            description=f"EKS control plane of {args.cluster_name}",
            trust=service_trust_policy("eks.amazonaws.com", actions=("sts:AssumeRole", "sts:TagSession")),
            policies=CLUSTER_POLICIES + (AUTO_MODE_CLUSTER_POLICIES if auto_mode else ()),
            partition=partition,
            child=child,
        )
        # What holds state or takes long to rebuild carries `protect` when the args ask.
        stateful = pulumi.ResourceOptions(parent=self, protect=args.protect)
        key_arn = args.secrets_kms_key_arn
        # The cluster role may use the key before EKS validates it at creation.
        key_grants: list[pulumi.Resource] = []
        if key_arn is None:
            key_arn = secrets_key(f"{name}-secrets-key", args.cluster_name, cluster_role, account, partition, stateful)
        else:
            key_grants.append(grant_secrets_key(f"{name}-cluster-secrets-key", key_arn, cluster_role, child))
        log_group = aws.cloudwatch.LogGroup(
            f"{name}-control-plane-logs",
            name=f"/aws/eks/{args.cluster_name}/cluster",
            retention_in_days=args.log_retention_days,
            opts=stateful,
        )
        security_group = self._security_group(name, args, child)
        auto_node_role = (
            node_role(f"{name}-auto-node-role", AUTO_MODE_NODE_POLICIES, partition, child)[0] if auto_mode else None
        )

        cluster = aws.eks.Cluster(
            f"{name}-cluster",
            name=args.cluster_name,
            version=args.kubernetes_version,
            role_arn=cluster_role.arn,
            vpc_config=aws.eks.ClusterVpcConfigArgs(
                subnet_ids=args.subnet_ids,
                security_group_ids=[security_group.id],
                endpoint_private_access=True,
                endpoint_public_access=args.endpoint_access == "privateAndPublic",
                public_access_cidrs=list(args.public_access_cidrs) or None,
            ),
            enabled_cluster_log_types=list(CONTROL_PLANE_LOG_TYPES),
            encryption_config=aws.eks.ClusterEncryptionConfigArgs(
                resources=["secrets"], provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=key_arn)
            ),
            access_config=aws.eks.ClusterAccessConfigArgs(
                authentication_mode="API", bootstrap_cluster_creator_admin_permissions=False
            ),
            bootstrap_self_managed_addons=False,
            upgrade_policy=aws.eks.ClusterUpgradePolicyArgs(support_type=args.support_type),
            deletion_protection=args.deletion_protection,
            **_auto_mode_blocks(args, auto_node_role),
            tags={"Name": args.cluster_name},
            opts=pulumi.ResourceOptions.merge(
                stateful, pulumi.ResourceOptions(depends_on=[log_group, *cluster_attachments, *key_grants])
            ),
        )
        access_entries(
            name,
            admins=args.admin_principal_arns,
            viewers=args.viewer_principal_arns,
            viewer_policy=args.viewer_policy,
            cluster=cluster,
            partition=partition,
            child=child,
        )

        fargate = (
            fargate_profiles(
                name,
                args.fargate_profiles,
                cluster=cluster,
                subnet_ids=args.subnet_ids,
                partition=partition,
                region=region,
                account=account,
                child=child,
            )
            if args.fargate_profiles
            else []
        )
        node_role_arns: list[pulumi.Output[str]]
        credentials_ready: list[pulumi.Resource]
        node_groups: dict[str, aws.eks.NodeGroup] = {}
        if auto_node_role:
            # Auto Mode runs networking, DNS, Pod Identity and storage itself, and creates the
            # access entry of its node role.
            node_role_arns, credentials_ready = [auto_node_role.arn], [cluster]
        else:
            node_role_arns, credentials_ready, node_groups = self._node_group_compute(
                name, args, cluster, fargate, account, partition, child
            )
        if args.alarms is not None:
            eks_alarms(
                name,
                args.alarms,
                cluster_name=cluster.name,
                node_group_asgs={
                    group: node.resources.apply(_autoscaling_group_name) for group, node in node_groups.items()
                },
                opts=child,
            )
        roles = pod_identities(
            name, args.pod_identities, cluster=cluster, account=account, depends_on=credentials_ready, child=child
        )
        oidc_issuer = cluster.identities.apply(_oidc_issuer)
        if args.irsa_oidc_provider:
            irsa_oidc_provider(name, oidc_issuer, child)

        self.cluster_name = cluster.name
        self.cluster_arn = cluster.arn
        self.endpoint = cluster.endpoint
        self.certificate_authority = cluster.certificate_authority.apply(lambda ca: ca.data or "")
        self.oidc_issuer = oidc_issuer
        self.cluster_security_group_id = cluster.vpc_config.apply(lambda vpc: vpc.cluster_security_group_id or "")
        self.node_role_arns = pulumi.Output.all(*node_role_arns)
        self.pod_identity_role_arns = pulumi.Output.all(**{key: role.arn for key, role in roles.items()}).apply(dict)
        self.kubeconfig = pulumi.Output.secret(
            pulumi.Output.all(cluster.name, self.endpoint, self.certificate_authority, region).apply(
                lambda a: kubeconfig_json(*a)
            )
        )
        self.register_outputs(
            {
                "clusterName": self.cluster_name,
                "clusterArn": self.cluster_arn,
                "endpoint": self.endpoint,
                "certificateAuthority": self.certificate_authority,
                "oidcIssuer": self.oidc_issuer,
                "clusterSecurityGroupId": self.cluster_security_group_id,
                "nodeRoleArns": self.node_role_arns,
                "podIdentityRoleArns": self.pod_identity_role_arns,
                "kubeconfig": self.kubeconfig,
            }
        )

    def _node_group_compute(
        self,
        name: str,
        args: EksClusterArgs,
        cluster: aws.eks.Cluster,
        fargate: Sequence[pulumi.Resource],
        account: pulumi.Output[str],
        partition: pulumi.Output[str],
        child: pulumi.ResourceOptions,
    ) -> tuple[list[pulumi.Output[str]], list[pulumi.Resource], dict[str, aws.eks.NodeGroup]]:
        """Networking add-ons, then node groups, then the add-ons that need a node.

        Returns the node role ARNs, what Pod Identity associations must wait for, and the
        node groups by name.
        """
        before = [self._addon(name, cluster, addon, args, child, depends_on=[]) for addon in ADDONS_BEFORE_COMPUTE]
        compute: list[pulumi.Resource] = list(fargate)
        node_role_arns = []
        node_groups: dict[str, aws.eks.NodeGroup] = {}
        if args.node_groups:
            role, attachments = node_role(f"{name}-node-role", NODE_GROUP_POLICIES, partition, child)
            node_role_arns.append(role.arn)
            after_addons = pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(depends_on=[*before, *attachments])
            )
            node_groups = {
                group: node_group(
                    name, group, group_args, cluster=cluster, role=role, subnet_ids=args.subnet_ids, child=after_addons
                )
                for group, group_args in args.node_groups.items()
            }
            compute += node_groups.values()
        # CoreDNS asks for EC2 nodes unless told otherwise; with none, it runs on Fargate.
        coredns_config = None if args.node_groups else {"computeType": "Fargate"}
        self._addon(name, cluster, "coredns", args, child, depends_on=compute, configuration=coredns_config)
        if args.ebs_csi_driver:
            self._ebs_csi_driver(name, cluster, args, account, partition, child, depends_on=compute)
        return node_role_arns, [before[ADDONS_BEFORE_COMPUTE.index("eks-pod-identity-agent")]], node_groups

    @staticmethod
    def _security_group(name: str, args: EksClusterArgs, child: pulumi.ResourceOptions) -> aws.ec2.SecurityGroup:
        """Extra control-plane security group: HTTPS in from `api_ingress_cidrs` only, nothing else."""
        sg = aws.ec2.SecurityGroup(
            f"{name}-cluster-sg",
            vpc_id=args.vpc_id,
            description=f"EKS control plane of {args.cluster_name}: API access from listed CIDRs only",
            tags={"Name": f"{args.cluster_name}-control-plane"},
            opts=child,
        )
        cidr_ingress_rules(f"{name}-cluster-api", sg.id, 443, args.api_ingress_cidrs, "Kubernetes API (HTTPS)", child)
        return sg

    @staticmethod
    def _addon(
        name: str,
        cluster: aws.eks.Cluster,
        addon: AddonName,
        args: EksClusterArgs,
        child: pulumi.ResourceOptions,
        *,
        depends_on: Sequence[pulumi.Resource],
        pod_identity: aws.eks.AddonPodIdentityAssociationArgs | None = None,
        configuration: Mapping[str, Any] | None = None,
    ) -> aws.eks.Addon:
        return aws.eks.Addon(
            f"{name}-{addon}",
            cluster_name=cluster.name,
            addon_name=addon,
            addon_version=args.addon_versions.get(addon),
            resolve_conflicts_on_create="OVERWRITE",
            resolve_conflicts_on_update="PRESERVE",
            pod_identity_associations=[pod_identity] if pod_identity else None,
            configuration_values=json.dumps(configuration) if configuration else None,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=list(depends_on))),
        )

    def _ebs_csi_driver(
        self,
        name: str,
        cluster: aws.eks.Cluster,
        args: EksClusterArgs,
        account: pulumi.Output[str],
        partition: pulumi.Output[str],
        child: pulumi.ResourceOptions,
        *,
        depends_on: Sequence[pulumi.Resource],
    ) -> None:
        """The EBS CSI driver add-on, its controller credentialed through Pod Identity."""
        service_account = "ebs-csi-controller-sa"
        role = role_with_grants(
            f"{name}-ebs-csi",
            description=f"Pod Identity for kube-system/{service_account}",
            trust=pod_identity_trust(cluster.arn, account, "kube-system", service_account),
            managed_policies={
                "AmazonEBSCSIDriverPolicy": aws_managed_policy_arn(partition, "service-role/AmazonEBSCSIDriverPolicy")
            },
            opts=child,
        ).role
        self._addon(
            name,
            cluster,
            EBS_CSI_DRIVER,
            args,
            child,
            depends_on=depends_on,
            pod_identity=aws.eks.AddonPodIdentityAssociationArgs(role_arn=role.arn, service_account=service_account),
        )


def _autoscaling_group_name(resources: Sequence[aws.eks.outputs.NodeGroupResource]) -> str:
    """The Auto Scaling group EKS created for a managed node group (one per node group)."""
    groups = resources[0].autoscaling_groups or []
    return groups[0].name or ""
