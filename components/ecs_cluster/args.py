"""The args of ecs_cluster."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi

from components.architecture import Architecture
from components.autoscaling_group import AutoScalingGroupArgs
from components.capacity import ON_DEMAND, CapacityShare
from components.validation import CheckedArgs

ContainerInsights = Literal["enabled", "enhanced"]


@dataclass(frozen=True, kw_only=True)
class Ec2CapacityRef(CheckedArgs):
    """What a workload needs to know about one of the cluster's EC2 capacity providers."""

    name: pulumi.Input[str]
    """The capacity provider's name, which strategies name."""
    architecture: Architecture
    """The CPU architecture of its instances; tasks placed there must match it."""


@dataclass(frozen=True, kw_only=True)
class ClusterRef(CheckedArgs):
    """What a workload needs to know about the cluster it runs in."""

    arn: pulumi.Input[str]
    """Services and schedules target the cluster by ARN."""
    name: pulumi.Input[str]
    """Autoscaling resource ids and task ARNs use the cluster name."""
    exec_log_group_arn: pulumi.Input[str]
    """Where ECS Exec sessions are logged; tasks with Exec on may write there."""
    ec2_capacity: Mapping[str, Ec2CapacityRef] = field(default_factory=dict)
    """The cluster's EC2 capacity providers by key (`EcsClusterArgs.ec2_capacity`); a
    capacity strategy names them by key beside FARGATE and FARGATE_SPOT. None by default."""


@dataclass(frozen=True, kw_only=True)
class ManagedScalingArgs(CheckedArgs):
    """ECS managed scaling: ECS sizes the group to what its tasks reserve."""

    target_capacity: int = 100
    """Percent of the instances' capacity that tasks should reserve (1-100); 100 by default
    (no idle instance). Lower keeps spare instances, so new tasks start without waiting for
    one to boot."""
    minimum_scaling_step_size: int = 1
    """Fewest instances ECS launches at once (1-10000); 1 by default."""
    maximum_scaling_step_size: int = 10
    """Most instances ECS launches at once (1-10000); 10 by default (AWS's 10000 lets one
    bad deployment launch the whole group's maximum)."""
    instance_warmup_period: int = 300
    """Seconds before a new instance counts in the group's metrics (0-10000); 300 by default (AWS's)."""


@dataclass(frozen=True, kw_only=True)
class Ec2CapacityArgs(CheckedArgs):
    """An ECS capacity provider backed by one of our Auto Scaling groups of ECS container instances.

    The group boots the ECS-optimised Amazon Linux 2023 AMI of its architecture (unless it
    names an image), joins the cluster through its user data, blocks IMDS for awsvpc tasks
    and gets the instance role ECS needs (AmazonEC2ContainerServiceforEC2Role beside
    Session Manager); tasks run in awsvpc mode on their own network interfaces and security
    groups, so the instances admit no ingress."""

    group: AutoScalingGroupArgs
    """The instances: placement, types, purchase options, root volume, refresh. With managed
    scaling, `scaled_by="ecsManagedScaling"`; with managed termination protection,
    `protect_from_scale_in=True`; no `user_data` (the provider writes it)."""
    managed_scaling: ManagedScalingArgs | None = field(default_factory=ManagedScalingArgs)
    """ECS scales the group to its tasks' needs; on by default. None leaves the group to its
    own scaling policies (`scaled_by="policies"`)."""
    managed_termination_protection: bool = True
    """ECS keeps instances running tasks out of scale-in; on by default. Needs managed
    scaling and the group's `protect_from_scale_in`."""
    managed_draining: bool = True
    """ECS drains an instance's tasks (replacing them elsewhere) before Auto Scaling
    terminates it, for scale-in, refresh, Spot interruption and lifetime; on by default."""


@dataclass(frozen=True, kw_only=True)
class EcsClusterArgs(CheckedArgs):
    """The args of `EcsCluster`: Container Insights, capacity providers and their default
    strategy, ECS Exec logs and Service Connect namespace."""

    container_insights: ContainerInsights = "enabled"
    """Container Insights level; `enabled` by default (the seed's), `enhanced` adds
    task- and container-level metrics at a higher CloudWatch cost. Never off."""
    default_capacity: Sequence[CapacityShare] = ON_DEMAND
    """Strategy for tasks that name none; on-demand FARGATE with a base of 1 by default."""
    exec_log_retention_days: int = 365
    """Retention of the ECS Exec session log group; a year by default, for audit."""
    service_connect_namespace: str | None = None
    """Name of a Cloud Map HTTP namespace (e.g. `app.internal`) to create and make the
    cluster's Service Connect default; none by default."""
    ec2_capacity: Mapping[str, Ec2CapacityArgs] = field(default_factory=dict)
    """EC2 capacity providers by key (lowercase letters, digits, `-`), attached to the cluster
    beside FARGATE and FARGATE_SPOT; none by default. Strategies name them by key."""
    protect: bool = True
    """Pulumi `protect` on the ECS Exec session log group (audit data): `pulumi up` refuses to delete or replace
    them until the flag is lifted, so a mistaken change cannot take them down. On by default; dev turns it
    off to tear stages down freely."""
