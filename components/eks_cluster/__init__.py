"""EksCluster: an EKS cluster with managed node groups or Auto Mode, Fargate profiles, Pod Identity and access entries.

Public: the names in `__all__` (also re-exported by `components`). Every other module of
this package is private to it: `args` (the dataclasses), `rules` (their validation),
`resources` (the ComponentResource) and its helpers.
"""

from __future__ import annotations

from components.eks_cluster import rules as _rules  # noqa: F401 (registers the args' rules, see CheckedArgs)
from components.eks_cluster.access import ViewerPolicy
from components.eks_cluster.args import (
    AddonName,
    AutoModeNodePool,
    ComputeStrategy,
    EksClusterArgs,
    EndpointAccess,
    SupportType,
)
from components.eks_cluster.compute import (
    CapacityType,
    FargateProfileArgs,
    FargateSelectorArgs,
    HopLimit,
    NodeGroupArgs,
    TaintArgs,
    TaintEffect,
)
from components.eks_cluster.identity import PodIdentityArgs
from components.eks_cluster.resources import EksCluster

__all__ = [
    "AddonName",
    "AutoModeNodePool",
    "CapacityType",
    "ComputeStrategy",
    "EksCluster",
    "EksClusterArgs",
    "EndpointAccess",
    "FargateProfileArgs",
    "FargateSelectorArgs",
    "HopLimit",
    "NodeGroupArgs",
    "PodIdentityArgs",
    "SupportType",
    "TaintArgs",
    "TaintEffect",
    "ViewerPolicy",
]
