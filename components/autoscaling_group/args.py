"""The args of autoscaling_group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi

from components.alarms import GroupAlarmsArgs
from components.alb_target import AlbTargetArgs
from components.autoscaling_group.cloudwatch_agent import (
    CloudWatchAgentArgs,
)
from components.autoscaling_group.instance_types import Architecture
from components.autoscaling_group.scaling import GroupScalingArgs
from components.egress import EgressRuleArgs
from components.validation import CheckedArgs

SpotAllocationStrategy = Literal["price-capacity-optimized", "capacity-optimized", "capacity-optimized-prioritized"]


OnDemandAllocationStrategy = Literal["prioritized", "lowest-price"]


BurstablePerformance = Literal["included", "excluded", "required"]


LifecycleTransition = Literal["launching", "terminating"]


WarmPoolState = Literal["Stopped", "Running"]


ScaledBy = Literal["policies", "ecsManagedScaling"]
"""Who owns a group's desired capacity: its own scaling policies, or an ECS capacity provider."""


@dataclass(frozen=True, kw_only=True)
class InstanceRequirementsArgs(CheckedArgs):
    """Attribute-based instance type selection; CPU makers follow the group's architecture."""

    vcpu_min: int
    """Fewest vCPUs an instance type may have."""
    vcpu_max: int | None = None
    """Most vCPUs; None for no upper bound."""
    memory_min_mib: int
    """Least memory (MiB) an instance type may have."""
    memory_max_mib: int | None = None
    """Most memory (MiB); None for no upper bound."""
    burstable: BurstablePerformance = "excluded"
    """Burstable (T) types excluded by default: credits run out under sustained load."""


@dataclass(frozen=True, kw_only=True)
class RootVolumeArgs(CheckedArgs):
    """The instances' root volume: encrypted gp3 of a size, IOPS and throughput."""

    size_gib: int = 20
    """Root volume size; 20 GiB by default, room for logs and packages above the 8 GiB image."""
    iops: int = 3000
    """gp3 IOPS; 3000 is the free baseline."""
    throughput_mibs: int = 125
    """gp3 throughput (MiB/s); 125 is the free baseline."""
    kms_key_id: pulumi.Input[str] | None = None
    """KMS key ARN for encryption; None uses the account's aws/ebs key. Always encrypted."""
    device_name: str = "/dev/xvda"
    """The AMI's root device; /dev/xvda for Amazon Linux (set it with a custom `image_id`)."""


@dataclass(frozen=True, kw_only=True)
class InstanceRefreshArgs(CheckedArgs):
    """The rolling replacement of instances when the launch template or instance mix changes."""

    min_healthy_percentage: int = 90
    """Capacity kept in service during a refresh (0-100); 90 replaces 10% at a time."""
    max_healthy_percentage: int = 100
    """Capacity allowed during a refresh (100-200, at most 100 above the minimum); above
    100 launches replacements before terminating, at the cost of extra instances."""
    skip_matching: bool = True
    """Skip instances already on the desired configuration, so a retried refresh resumes."""
    auto_rollback: bool = True
    """Roll back to the previous launch template version when the refresh fails."""


@dataclass(frozen=True, kw_only=True)
class WarmPoolArgs(CheckedArgs):
    """A warm pool of pre-initialised instances for fast scale-out."""

    pool_state: WarmPoolState = "Stopped"
    """Stopped by default: only volumes are billed while instances wait."""
    min_size: int = 0
    """Instances always kept in the pool."""
    max_group_prepared_capacity: int | None = None
    """Cap on group plus pool; None means the group's max_size."""
    reuse_on_scale_in: bool = False
    """Return scaled-in instances to the pool instead of terminating them."""


@dataclass(frozen=True, kw_only=True)
class LifecycleHookArgs(CheckedArgs):
    """A lifecycle hook pausing instances while they launch or terminate."""

    name: str
    """Unique per group; the name your hook handler completes the action with."""
    transition: LifecycleTransition
    """Pause instances while launching (bootstrap) or terminating (drain, ship logs)."""
    heartbeat_timeout_seconds: int = 300
    """How long an instance waits for the handler (30-7200 seconds)."""
    default_result: Literal["CONTINUE", "ABANDON"] = "ABANDON"
    """What happens on timeout; ABANDON by default so an unprepared instance never serves."""


@dataclass(frozen=True, kw_only=True)
class InstanceTargetArgs(AlbTargetArgs):
    """The group's instances behind an ALB listener (the stage's shared ALB or an existing one)."""

    port: int = 8080
    """The port the application listens on in the instances; 8080 by default (unprivileged)."""


@dataclass(frozen=True, kw_only=True)
class AutoScalingGroupArgs(CheckedArgs):
    """The args of `AutoScalingGroup`: placement, instance mix and purchase
    options, launch template, scaling, refresh and load balancer."""

    vpc_id: pulumi.Input[str]
    """The VPC of the subnets; the group's security group lives there."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Subnets to launch into: the network's private subnets, one per AZ."""
    architecture: Architecture = "arm64"
    """CPU architecture of the AMI and of every instance type; Graviton (arm64) by default,
    the seed's cheaper choice."""
    instance_types: Sequence[str] = ()
    """Instance types in priority order (the first is the on-demand favourite); list several
    families so Spot has pools to choose from. Give these or `instance_requirements`."""
    instance_requirements: InstanceRequirementsArgs | None = None
    """Attribute-based selection instead of `instance_types`; None by default."""
    image_id: str | None = None
    """An explicit AMI id; None reads `image_parameter` at deploy time."""
    image_parameter: str | None = None
    """The SSM parameter holding the AMI id, read at deploy time (the ECS-optimised AL2023's,
    `/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id`, for ECS container
    instances); None reads the latest Amazon Linux 2023 for `architecture`. Not with `image_id`."""
    min_size: int = 2
    """Fewest instances; 2 by default so one AZ or instance can fail without an outage."""
    max_size: int = 4
    """Most instances."""
    desired_capacity: int | None = None
    """None by default: the group starts at min_size and policies own capacity afterwards
    (a fixed value would be reset by every `pulumi up`)."""
    on_demand_base_capacity: int = 0
    """Instances always bought on-demand before any percentage applies."""
    on_demand_percentage_above_base: int = 100
    """On-demand share (0-100) above the base; 100 by default (no Spot unless asked for)."""
    spot_allocation_strategy: SpotAllocationStrategy = "price-capacity-optimized"
    """AWS's recommended strategy: the cheapest of the pools least likely to be interrupted."""
    on_demand_allocation_strategy: OnDemandAllocationStrategy = "prioritized"
    """On-demand follows `instance_types` order by default; attribute-based selection
    requires lowest-price."""
    capacity_rebalance: bool = True
    """Replace Spot instances AWS flags at elevated interruption risk before they are taken."""
    instance_role_aws_managed_policies: Sequence[str] = ()
    """AWS-managed policies (by path and name, `service-role/AmazonEC2ContainerServiceforEC2Role`)
    attached to the instance role beside AmazonSSMManagedInstanceCore; none by default. The
    group launches only once they are attached. Application permissions belong apart (`role_name`)."""
    imds_hop_limit: Literal[1, 2] = 1
    """IMDSv2 response hop limit; 1 keeps credentials on the host. 2 when containers on the
    host (Docker bridge networking, ECS/EKS agents) must reach IMDS."""
    root_volume: RootVolumeArgs = field(default_factory=RootVolumeArgs)
    """Encrypted gp3 root volume."""
    user_data: pulumi.Input[str] | None = None
    """Boot script or cloud-init, as text (base64-encoded here); none by default. Never put
    secrets in it: fetch them at boot from Secrets Manager or SSM."""
    cloudwatch_agent: CloudWatchAgentArgs | None = None
    """Install the CloudWatch agent at boot (memory/disk metrics, log files to a log group of
    the group's own); off by default, as it adds a package install to every boot."""
    egress: Sequence[EgressRuleArgs] = (EgressRuleArgs(port=443, description="HTTPS to AWS APIs and mirrors"),)
    """Outbound rules of the instances' security group; HTTPS only by default (SSM, package
    repositories, AWS APIs). DNS through the VPC resolver and Amazon Time Sync are not
    filtered by security groups. There is no ingress except from the load balancer."""
    health_check_grace_period_seconds: int = 300
    """Seconds before health checks count after launch (0-7200)."""
    default_instance_warmup_seconds: int = 120
    """Seconds before a new instance's metrics count for scaling and refresh (0-3600)."""
    instance_refresh: InstanceRefreshArgs | None = field(default_factory=InstanceRefreshArgs)
    """Rolling replacement when the launch template or instance mix changes; on by default.
    None leaves existing instances alone until they are replaced for another reason."""
    warm_pool: WarmPoolArgs | None = None
    """Pre-initialized instances for fast scale-out; none by default. AWS allows it only for
    on-demand groups of a single instance type (no mixed instances policy)."""
    lifecycle_hooks: Sequence[LifecycleHookArgs] = ()
    """Hooks registered with the group itself, so they apply to its very first instances."""
    max_instance_lifetime_days: int | None = None
    """Replace instances older than this (1-365 days); None keeps them until replaced otherwise."""
    load_balancer: InstanceTargetArgs | None = None
    """Put the instances behind an ALB listener (instance targets, ELB health checks); None by default."""
    scaling: GroupScalingArgs = field(default_factory=GroupScalingArgs)
    """Scaling policies; CPU target tracking at 50% by default."""
    scaled_by: ScaledBy = "policies"
    """Who owns the desired capacity: `policies` (the `scaling` block) by default, or
    `ecsManagedScaling` (an ECS capacity provider's managed scaling, which writes its own target
    tracking policy: then no CPU, request or predictive policy, no desired capacity and no load
    balancer, and the group carries the `AmazonECSManaged` tag ECS would otherwise add)."""
    alarms: GroupAlarmsArgs | None = None
    """In-service instances short of desired, and target 5xx and unhealthy targets behind a
    load balancer, notifying a topic; none by default."""
    protect_from_scale_in: bool = False
    """Launch instances protected from scale-in; off by default. ECS managed termination
    protection requires it (ECS lifts the protection of instances without tasks); an instance
    refresh then replaces protected instances too."""

    @property
    def uses_spot(self) -> bool:
        return self.on_demand_percentage_above_base < 100
