"""Build AutoScalingGroups offline for tests: valid args with overrides, and their plans."""

from __future__ import annotations

from typing import Any

from components import AutoScalingGroup, AutoScalingGroupArgs, InstanceTargetArgs, existing_listener
from offline.engine import Plan, run

LISTENER_ARN = (
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared/50dc6c495c0c9188/f2f7dc8efc522ab2"
)
ALB_SG = "sg-0123456789abcdef0"
ASG = "aws:autoscaling/group:Group"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
POLICY = "aws:autoscaling/policy:Policy"
SCHEDULE = "aws:autoscaling/schedule:Schedule"


def group_args(**overrides: Any) -> AutoScalingGroupArgs:
    """Valid args (two Graviton types, private subnets) with `overrides` applied."""
    values: dict[str, Any] = {
        "vpc_id": "vpc-0123456789abcdef0",
        "subnet_ids": ["subnet-a", "subnet-b"],
        "instance_types": ("m7g.large", "c7g.large"),
    }
    values.update(overrides)
    return AutoScalingGroupArgs(**values)


def load_balancer(**overrides: Any) -> InstanceTargetArgs:
    """Instance targets on an existing listener (`LISTENER_ARN`, `ALB_SG`), with `overrides`."""
    values: dict[str, Any] = {
        "listener": existing_listener(LISTENER_ARN, ALB_SG),
        "priority": 10,
        "path_patterns": ("/api/*",),
    }
    values.update(overrides)
    return InstanceTargetArgs(**values)


def build(**overrides: Any) -> Plan:
    """The plan of one group named `web` built from `group_args(**overrides)`."""
    args = group_args(**overrides)
    return run(lambda: AutoScalingGroup("web", args))
