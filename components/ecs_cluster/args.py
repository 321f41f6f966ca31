"""The args of ecs_cluster."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi

from components.capacity import ON_DEMAND, CapacityShare
from components.validation import CheckedArgs

ContainerInsights = Literal["enabled", "enhanced"]


@dataclass(frozen=True, kw_only=True)
class ClusterRef(CheckedArgs):
    """What a Fargate workload needs to know about the cluster it runs in."""

    arn: pulumi.Input[str]
    """Services and schedules target the cluster by ARN."""
    name: pulumi.Input[str]
    """Autoscaling resource ids and task ARNs use the cluster name."""
    exec_log_group_arn: pulumi.Input[str]
    """Where ECS Exec sessions are logged; tasks with Exec on may write there."""


@dataclass(frozen=True, kw_only=True)
class EcsClusterArgs(CheckedArgs):
    """The args of `EcsCluster`: Container Insights, default capacity, ECS Exec logs and Service Connect namespace."""

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
    protect: bool = True
    """Pulumi `protect` on the ECS Exec session log group (audit data): `pulumi up` refuses to delete or replace
    them until the flag is lifted, so a mistaken change cannot take them down. On by default; dev turns it
    off to tear stages down freely."""
