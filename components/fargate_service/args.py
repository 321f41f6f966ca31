"""The args of fargate_service."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi

from components.alarms import ServiceAlarmsArgs
from components.capacity import ON_DEMAND, CapacityShare
from components.ecs_cluster import ClusterRef
from components.egress import EgressRuleArgs
from components.fargate_service.container import (
    ContainerArgs,
)
from components.fargate_service.placement import PlacementArgs
from components.fargate_service.workloads import (
    Workload,
)
from components.iam import Statement
from components.validation import CheckedArgs

CpuArchitecture = Literal["ARM64", "X86_64"]


@dataclass(frozen=True, kw_only=True)
class FargateServiceArgs(CheckedArgs):
    """The args of `FargateService`: cluster, network, container, workload kind, task size and grants."""

    cluster: ClusterRef
    """The stage's ECS cluster (`EcsCluster.ref()`)."""
    vpc_id: pulumi.Input[str]
    """The VPC of the tasks' security group."""
    subnet_ids: pulumi.Input[Sequence[str]]
    """Private subnets for the tasks; they never get a public IP."""
    egress: Sequence[EgressRuleArgs] = (
        EgressRuleArgs(port=443, description="HTTPS: image pulls, AWS APIs and dependencies"),
    )
    """Where tasks may connect: HTTPS anywhere by default (ECR, Secrets Manager, logs and
    other AWS APIs through NAT or endpoints). Name every other destination (a database's
    security group and port, a partner's CIDR); callers of Service Connect services are
    admitted by `allow_from`, which adds their egress too."""
    container: ContainerArgs
    """The task's one essential container."""
    workload: Workload
    """Web service, queue worker or scheduled job."""
    family: str | None = None
    """Task definition family; the component name by default. Pass a stage-qualified
    name when stacks share an account and region."""
    cpu: int = 512
    """Task CPU units; 512 (0.5 vCPU) by default, the seed's starting size (on EC2: 128-196608)."""
    memory: int = 1024
    """Task memory in MiB; 1024 by default. On Fargate it must be valid for `cpu` (Fargate table)."""
    architecture: CpuArchitecture = "ARM64"
    """ARM64 (Graviton) by default: about 20% cheaper (the seed's); X86_64 for amd64-only images."""
    ephemeral_storage_gib: int | None = None
    """Task scratch storage (21-200 GiB); Fargate's free 20 GiB by default (Fargate only)."""
    capacity: Sequence[CapacityShare] = ON_DEMAND
    """Capacity-provider strategy; on-demand FARGATE with a base of 1 by default. Dev
    weights FARGATE_SPOT; prod keeps a FARGATE base and never a spot base. Naming the
    cluster's EC2 capacity providers instead (by key) runs the tasks on its instances."""
    placement: PlacementArgs = field(default_factory=PlacementArgs)
    """Placement strategies and constraints, on EC2 capacity only; none by default (ECS
    spreads a service's tasks across Availability Zones)."""
    execute_command: bool = False
    """ECS Exec (shell into tasks); off by default in the component, a dev knob. Needs
    `container.read_only_root_filesystem` off (the SSM agent writes to the root)."""
    log_retention_days: int = 365
    """Retention of the container log group; a year by default, dev lowers it."""
    task_role_statements: Sequence[Statement] = ()
    """IAM statements the application is granted, scoped to resource ARNs; none by default."""
    task_role_managed_policy_arns: Sequence[str] = ()
    """Managed policies attached to the task role; none by default."""
    alarms: ServiceAlarmsArgs | None = None
    """Running below desired, CPU and memory saturation, queue age and DLQ depth (workers),
    target 5xx and unhealthy targets (web), notifying a topic; none by default."""
