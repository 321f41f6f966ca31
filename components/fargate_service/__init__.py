"""FargateService: one containerised workload on ECS Fargate (web service, queue worker or scheduled job).

Public: the names in `__all__` (also re-exported by `components`). Every other module of
this package is private to it: `args` (the dataclasses), `rules` (their validation),
`resources` (the ComponentResource) and its helpers.
"""

from __future__ import annotations

from components.fargate_service import rules as _rules  # noqa: F401 (registers the args' rules, see CheckedArgs)
from components.fargate_service.args import CpuArchitecture, FargateServiceArgs
from components.fargate_service.container import (
    ContainerArgs,
    DockerBuild,
    HealthCheckArgs,
    ImageSource,
    MutableTagPolicy,
    RegistryImage,
    SecretRef,
)
from components.fargate_service.placement import (
    PlacementArgs,
    PlacementConstraintArgs,
    PlacementConstraintType,
    PlacementStrategyArgs,
    PlacementStrategyType,
)
from components.fargate_service.resources import FargateService
from components.fargate_service.scaling import ScheduledCapacity, ServiceScalingArgs
from components.fargate_service.workloads import (
    DeploymentArgs,
    ExistingQueue,
    NewQueue,
    QueueWorkload,
    ScheduledJob,
    ServiceConnectArgs,
    ServiceConnectMode,
    WebWorkload,
    Workload,
)

__all__ = [
    "ContainerArgs",
    "CpuArchitecture",
    "DeploymentArgs",
    "DockerBuild",
    "ExistingQueue",
    "FargateService",
    "FargateServiceArgs",
    "HealthCheckArgs",
    "ImageSource",
    "MutableTagPolicy",
    "NewQueue",
    "PlacementArgs",
    "PlacementConstraintArgs",
    "PlacementConstraintType",
    "PlacementStrategyArgs",
    "PlacementStrategyType",
    "QueueWorkload",
    "RegistryImage",
    "ScheduledCapacity",
    "ScheduledJob",
    "SecretRef",
    "ServiceConnectArgs",
    "ServiceConnectMode",
    "ServiceScalingArgs",
    "WebWorkload",
    "Workload",
]
