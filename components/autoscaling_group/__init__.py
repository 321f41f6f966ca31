"""AutoScalingGroup: EC2 instances from a hardened launch template, mixed instances and Spot, scaled by policy.

Public: the names in `__all__` (also re-exported by `components`). Every other module of
this package is private to it: `args` (the dataclasses), `rules` (their validation),
`resources` (the ComponentResource) and its helpers.
"""

from __future__ import annotations

from components.autoscaling_group import rules as _rules  # noqa: F401 (registers the args' rules, see CheckedArgs)
from components.autoscaling_group.args import (
    AutoScalingGroupArgs,
    BurstablePerformance,
    InstanceRefreshArgs,
    InstanceRequirementsArgs,
    InstanceTargetArgs,
    LifecycleHookArgs,
    LifecycleTransition,
    OnDemandAllocationStrategy,
    RootVolumeArgs,
    ScaledBy,
    SpotAllocationStrategy,
    WarmPoolArgs,
    WarmPoolState,
)
from components.autoscaling_group.cloudwatch_agent import CloudWatchAgentArgs
from components.autoscaling_group.resources import AutoScalingGroup
from components.autoscaling_group.scaling import (
    GroupScalingArgs,
    PredictiveMode,
    PredictiveScalingArgs,
    ScheduledActionArgs,
)

__all__ = [
    "AutoScalingGroup",
    "AutoScalingGroupArgs",
    "BurstablePerformance",
    "CloudWatchAgentArgs",
    "GroupScalingArgs",
    "InstanceRefreshArgs",
    "InstanceRequirementsArgs",
    "InstanceTargetArgs",
    "LifecycleHookArgs",
    "LifecycleTransition",
    "OnDemandAllocationStrategy",
    "PredictiveMode",
    "PredictiveScalingArgs",
    "RootVolumeArgs",
    "ScaledBy",
    "ScheduledActionArgs",
    "SpotAllocationStrategy",
    "WarmPoolArgs",
    "WarmPoolState",
]
