"""EcsCluster: the stage's ECS cluster (Fargate and EC2 capacity providers, Container Insights, ECS Exec logs).

Public: the names in `__all__` (also re-exported by `components`). Every other module of
this package is private to it: `args` (the dataclasses), `rules` (their validation),
`resources` (the ComponentResource) and its helpers.
"""

from __future__ import annotations

from components.ecs_cluster import rules as _rules  # noqa: F401 (registers the args' rules, see CheckedArgs)
from components.ecs_cluster.args import (
    ClusterRef,
    ContainerInsights,
    Ec2CapacityArgs,
    Ec2CapacityRef,
    EcsClusterArgs,
    ManagedScalingArgs,
)
from components.ecs_cluster.resources import EcsCluster

__all__ = [
    "ClusterRef",
    "ContainerInsights",
    "Ec2CapacityArgs",
    "Ec2CapacityRef",
    "EcsCluster",
    "EcsClusterArgs",
    "ManagedScalingArgs",
]
