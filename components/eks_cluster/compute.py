"""EKS data-plane compute: managed node groups (through a hardened launch template),
Fargate profiles, and the node role EKS Auto Mode launches its nodes with.

Args and their rules live here; `EksCluster` calls the builders with itself as parent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_aws as aws

from components.architecture import Architecture
from components.catalogue.models import unknown_instance_type
from components.iam import aws_managed_policy_arn, service_trust_policy
from components.validation import CheckedArgs, Problem

CapacityType = Literal["ON_DEMAND", "SPOT"]
TaintEffect = Literal["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]
HopLimit = Literal[1, 2]

#: The EKS-optimized Amazon Linux 2023 AMI type for each CPU architecture (AL2 is retired
#: for new Kubernetes versions, so the seed's AL2_x86_64 is not offered).
AMI_TYPES: dict[Architecture, str] = {"arm64": "AL2023_ARM_64_STANDARD", "x86_64": "AL2023_x86_64_STANDARD"}

_INSTANCE_TYPE = re.compile(r"^(?P<family>[a-z][a-z0-9-]*)\.[a-z0-9]+$")
#: Graviton families carry a `g` right after the generation digit (m7g, c7gn, r8gd, im4gn,
#: g5g), plus the first-generation a1; everything else is x86_64 (m7i, m7a, g5, inf2).
_GRAVITON_FAMILY = re.compile(r"^(a1|[a-z]+\d+g[a-z]*(-[a-z]+)?)$")
#: GPU (p, g), Inferentia/Trainium (inf, trn) and Gaudi (dl) families: they need the
#: NVIDIA or Neuron AMI types, whose drivers the STANDARD AMIs lack.
_ACCELERATED_FAMILY = re.compile(r"^(p|g|inf|trn|dl)\d")
_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$")
_LABEL_KEY = re.compile(r"^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][A-Za-z0-9._-]*)?[A-Za-z0-9])?$")
#: The EKS node group API caps label and taint keys and values at 63 characters, prefix
#: included (tighter than Kubernetes, which allows a 253-character prefix).
EKS_LABEL_MAX = 63

#: Managed policies every node-group node needs: join the cluster, pull images, run the VPC CNI.
NODE_GROUP_POLICIES = ("AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy")
#: What an EKS Auto Mode node needs; Auto Mode runs the CNI itself.
AUTO_MODE_NODE_POLICIES = ("AmazonEKSWorkerNodeMinimalPolicy", "AmazonEC2ContainerRegistryPullOnly")


def architecture(instance_type: str) -> Architecture | None:
    """The CPU architecture of an instance type, or None if it is not an instance type name."""
    match = _INSTANCE_TYPE.match(instance_type)
    if not match:
        return None
    return "arm64" if _GRAVITON_FAMILY.match(match["family"]) else "x86_64"


@dataclass(frozen=True, kw_only=True)
class TaintArgs(CheckedArgs):
    """A Kubernetes taint on every node of a node group."""

    key: str
    """The taint key (a Kubernetes label key)."""
    value: str | None = None
    """The taint value; none by default."""
    effect: TaintEffect = "NO_SCHEDULE"
    """NO_SCHEDULE by default: only pods that tolerate the taint are placed on these nodes."""


@dataclass(frozen=True, kw_only=True)
class NodeGroupArgs(CheckedArgs):
    """A managed node group: instance types, capacity type, size, disk, labels and taints."""

    instance_types: Sequence[str] = ("m7g.large",)
    """Instance types, all of one CPU architecture (the AMI follows it). Graviton m7g.large
    by default: general purpose, the best price-performance."""
    capacity_type: CapacityType = "ON_DEMAND"
    """ON_DEMAND by default (a stable base); SPOT is the cheaper knob for interruptible work,
    best with several instance types."""
    min_size: int = 2
    """At least two nodes by default, so one node's loss or replacement keeps capacity."""
    desired_size: int = 2
    """The starting size. Later changes (by an autoscaler) are kept: the node group ignores
    drift of its desired size, so a deployment never scales a busy group back down."""
    max_size: int = 6
    """The ceiling an autoscaler may scale to."""
    max_unavailable: int = 1
    """Nodes replaced at once during an update: 1 by default, the gentlest rollout."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Kubernetes labels on every node; none by default."""
    taints: Sequence[TaintArgs] = ()
    """Kubernetes taints on every node; none by default."""
    disk_size_gib: int = 50
    """Root volume size (gp3, encrypted): 50 GiB by default, room for image layers."""
    metadata_hop_limit: HopLimit = 1
    """IMDSv2 response hop limit. 1 by default: the node's instance-role credentials are
    unreachable from pod network namespaces, so pods get AWS access only through Pod
    Identity (or IRSA). Set 2 only for pods that must read IMDS themselves (e.g. agents
    that discover region or instance id without Pod Identity)."""

    @property
    def architectures(self) -> set[Architecture]:
        return {a for a in map(architecture, self.instance_types) if a}

    @property
    def ami_type(self) -> str:
        (arch,) = self.architectures
        return AMI_TYPES[arch]


def node_group_problems(path: str, args: NodeGroupArgs) -> list[Problem]:
    problems: list[Problem] = []
    types = list(args.instance_types)
    if not types:
        problems.append(Problem(f"{path}.instance_types", "no instance type; list at least one"))
    problems += [
        Problem(f"{path}.instance_types", reason) for t in types if (reason := unknown_instance_type(t)) is not None
    ]
    if len(set(types)) != len(types):
        problems.append(Problem(f"{path}.instance_types", "an instance type is listed twice; list each once"))
    accelerated = [t for t in types if _ACCELERATED_FAMILY.match(t)]
    if accelerated:
        problems.append(
            Problem(
                f"{path}.instance_types",
                f"{accelerated} are accelerated instances: the AL2023 STANDARD AMI the node group runs has no"
                " GPU/Neuron drivers, so their accelerators would sit unused; use general-purpose types",
            )
        )
    by_arch: dict[str, list[str]] = {}
    for t in types:
        arch = architecture(t)
        if arch:
            by_arch.setdefault(arch, []).append(t)
    if len(by_arch) > 1:
        detail = "; ".join(f"{arch}: {', '.join(ts)}" for arch, ts in sorted(by_arch.items()))
        problems.append(
            Problem(
                f"{path}.instance_types",
                f"a node group runs one AMI, so its instance types must share one architecture ({detail});"
                " split them into one node group per architecture",
            )
        )
    if not 0 <= args.min_size <= args.desired_size <= args.max_size or args.max_size < 1:
        problems.append(
            Problem(
                f"{path}.desired_size",
                f"sizes must satisfy 0 <= min ({args.min_size}) <= desired ({args.desired_size}) <= max"
                f" ({args.max_size}) and max >= 1",
            )
        )
    if not 1 <= args.max_unavailable <= 100 or args.max_unavailable > max(args.max_size, 1):
        problems.append(
            Problem(
                f"{path}.max_unavailable",
                f"{args.max_unavailable} must be 1-100 and at most the maximum size ({args.max_size})",
            )
        )
    if not 20 <= args.disk_size_gib <= 16384:
        problems.append(Problem(f"{path}.disk_size_gib", f"{args.disk_size_gib} GiB; use 20 to 16384 (gp3 limits)"))
    bad_keys = [
        k for k in [*args.labels, *(t.key for t in args.taints)] if not _LABEL_KEY.match(k) or len(k) > EKS_LABEL_MAX
    ]
    if bad_keys:
        problems.append(
            Problem(f"{path}.labels", f"{bad_keys} are not Kubernetes label/taint keys of at most 63 characters")
        )
    label_values = list(args.labels.values())
    taint_values = [t.value for t in args.taints if t.value is not None]
    bad_values = [v for v in label_values + taint_values if not _LABEL_VALUE.match(v) or len(v) > EKS_LABEL_MAX] + [
        v for v in label_values if not v
    ]
    if bad_values:
        problems.append(
            Problem(
                f"{path}.labels",
                f"{bad_values} are not label/taint values EKS accepts: 1-63 letters, digits, '-', '_' or '.',"
                " starting and ending with a letter or digit (taint values may be omitted)",
            )
        )
    if len(args.taints) > 50:
        problems.append(Problem(f"{path}.taints", "EKS allows at most 50 taints per node group"))
    return problems


@dataclass(frozen=True, kw_only=True)
class FargateSelectorArgs(CheckedArgs):
    """Which pods a Fargate profile takes: a namespace and optional labels."""

    namespace: str
    """Pods in this namespace run on Fargate..."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """...when they carry all these labels; none by default (every pod of the namespace)."""


@dataclass(frozen=True, kw_only=True)
class FargateProfileArgs(CheckedArgs):
    """A Fargate profile: pods matching any of its selectors run on Fargate."""

    selectors: Sequence[FargateSelectorArgs]
    """One to five namespace/label selectors (an EKS limit); no default."""


def fargate_profile_problems(path: str, args: FargateProfileArgs) -> list[Problem]:
    problems: list[Problem] = []
    if not 1 <= len(args.selectors) <= 5:
        problems.append(Problem(f"{path}.selectors", f"{len(args.selectors)} selectors; EKS takes 1 to 5"))
    for i, selector in enumerate(args.selectors):
        if not selector.namespace:
            problems.append(Problem(f"{path}.selectors.{i}.namespace", "empty namespace; name one"))
        if len(selector.labels) > 5:
            problems.append(Problem(f"{path}.selectors.{i}.labels", "EKS takes at most 5 labels per selector"))
    return problems


def name_problems(path: str, names: Sequence[str]) -> list[Problem]:
    return [
        Problem(f"{path}.{n}", f"{n!r} is not a valid name; use 1-40 lowercase letters, digits and dashes")
        for n in names
        if not _NAME.match(n)
    ]


# ---------------------------------------------------------------- builders
def role_with_managed_policies(
    name: str,
    *,
    description: str,
    trust: pulumi.Input[str],
    policies: Sequence[str],
    partition: pulumi.Input[str],
    child: pulumi.ResourceOptions,
) -> tuple[aws.iam.Role, list[aws.iam.RolePolicyAttachment]]:
    """A role and its AWS-managed policy attachments (logical names `{name}-{policy}`)."""
    role = aws.iam.Role(name, description=description, assume_role_policy=trust, opts=child)
    attachments = [
        aws.iam.RolePolicyAttachment(
            f"{name}-{policy}", role=role.name, policy_arn=aws_managed_policy_arn(partition, policy), opts=child
        )
        for policy in policies
    ]
    return role, attachments


def node_role(
    name: str, policies: Sequence[str], partition: pulumi.Input[str], child: pulumi.ResourceOptions
) -> tuple[aws.iam.Role, list[aws.iam.RolePolicyAttachment]]:
    return role_with_managed_policies(
        name,
        description="EKS nodes: join the cluster and pull images",
        trust=service_trust_policy("ec2.amazonaws.com"),
        policies=policies,
        partition=partition,
        child=child,
    )


def node_group(
    name: str,
    group: str,
    args: NodeGroupArgs,
    *,
    cluster: aws.eks.Cluster,
    role: aws.iam.Role,
    subnet_ids: pulumi.Input[Sequence[str]],
    child: pulumi.ResourceOptions,
) -> aws.eks.NodeGroup:
    """A managed node group launched from a template that enforces IMDSv2 and an encrypted gp3 root."""
    template = aws.ec2.LaunchTemplate(
        f"{name}-{group}-lt",
        description=f"EKS node group {group}: IMDSv2 only, encrypted gp3 root volume",
        update_default_version=True,
        metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
            http_endpoint="enabled",
            http_tokens="required",
            http_put_response_hop_limit=args.metadata_hop_limit,
        ),
        block_device_mappings=[
            aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
                device_name="/dev/xvda",
                ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                    volume_type="gp3",
                    volume_size=args.disk_size_gib,
                    encrypted="true",
                    delete_on_termination="true",
                ),
            )
        ],
        tag_specifications=[
            aws.ec2.LaunchTemplateTagSpecificationArgs(resource_type=kind, tags={"Name": f"{name}-{group}"})
            for kind in ("instance", "volume")
        ],
        opts=child,
    )
    return aws.eks.NodeGroup(
        f"{name}-{group}",
        cluster_name=cluster.name,
        node_role_arn=role.arn,
        subnet_ids=subnet_ids,
        ami_type=args.ami_type,
        capacity_type=args.capacity_type,
        instance_types=list(args.instance_types),
        scaling_config=aws.eks.NodeGroupScalingConfigArgs(
            min_size=args.min_size, desired_size=args.desired_size, max_size=args.max_size
        ),
        update_config=aws.eks.NodeGroupUpdateConfigArgs(max_unavailable=args.max_unavailable),
        launch_template=aws.eks.NodeGroupLaunchTemplateArgs(id=template.id, version=template.latest_version.apply(str)),
        labels=dict(args.labels),
        taints=[aws.eks.NodeGroupTaintArgs(key=t.key, value=t.value, effect=t.effect) for t in args.taints],
        tags={"Name": f"{name}-{group}"},
        opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(ignore_changes=["scalingConfig.desiredSize"])),
    )


def fargate_profiles(
    name: str,
    profiles: Mapping[str, FargateProfileArgs],
    *,
    cluster: aws.eks.Cluster,
    subnet_ids: pulumi.Input[Sequence[str]],
    partition: pulumi.Input[str],
    region: pulumi.Input[str],
    account: pulumi.Input[str],
    child: pulumi.ResourceOptions,
) -> list[aws.eks.FargateProfile]:
    """Fargate profiles in the private subnets, sharing one pod execution role scoped to this cluster's profiles."""
    profile_arns = pulumi.Output.concat(
        "arn:", partition, ":eks:", region, ":", account, ":fargateprofile/", cluster.name, "/*"
    )
    role, attachments = role_with_managed_policies(
        f"{name}-fargate-role",
        description="EKS Fargate pods: pull images and write logs",
        trust=service_trust_policy(
            "eks-fargate-pods.amazonaws.com", conditions={"ArnLike": {"aws:SourceArn": profile_arns}}
        ),
        policies=("AmazonEKSFargatePodExecutionRolePolicy",),
        partition=partition,
        child=child,
    )
    return [
        aws.eks.FargateProfile(
            f"{name}-{profile}",
            cluster_name=cluster.name,
            pod_execution_role_arn=role.arn,
            subnet_ids=subnet_ids,
            selectors=[
                aws.eks.FargateProfileSelectorArgs(namespace=s.namespace, labels=dict(s.labels) or None)
                for s in args.selectors
            ],
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=attachments)),
        )
        for profile, args in profiles.items()
    ]
