"""The rules of ecs_cluster."""

from __future__ import annotations

import re

from components.capacity import FARGATE_PROVIDERS, capacity_problems
from components.ecs_cluster.args import Ec2CapacityArgs, EcsClusterArgs, ManagedScalingArgs
from components.ecs_cluster.ec2_capacity import ECS_ROOT_VOLUME_MIN_GIB
from components.validation import DNS_NAME, Problem, retention_problems, rules_for

#: Capacity provider keys: part of logical names (`<cluster>-ec2-<key>-asg`), short enough for them.
_KEY = re.compile(r"^[a-z][a-z0-9-]{0,19}$")


@rules_for(EcsClusterArgs)
def ecs_cluster_problems(args: EcsClusterArgs) -> list[Problem]:
    problems = capacity_problems("default_capacity", args.default_capacity, args.ec2_capacity)
    problems += retention_problems("exec_log_retention_days", args.exec_log_retention_days)
    if args.service_connect_namespace is not None and not DNS_NAME.match(args.service_connect_namespace):
        problems.append(
            Problem(
                "service_connect_namespace", f"{args.service_connect_namespace!r} is not a DNS name like app.internal"
            )
        )
    for key, capacity in args.ec2_capacity.items():
        if not _KEY.match(key) or key.upper() in FARGATE_PROVIDERS:
            problems.append(
                Problem(f"ec2_capacity.{key}", "name EC2 capacity with 1-20 lowercase letters, digits and '-'")
            )
        problems += [Problem(f"ec2_capacity.{key}.{p.field}", p.message) for p in ec2_capacity_problems(capacity)]
    return problems


def ec2_capacity_problems(capacity: Ec2CapacityArgs) -> list[Problem]:
    """What ECS requires of a capacity provider and its group (the group's own rules ran when it was built)."""
    group = capacity.group
    problems: list[Problem] = []
    if capacity.managed_scaling is not None:
        problems += _managed_scaling_problems(capacity.managed_scaling)
        if group.scaled_by != "ecsManagedScaling":
            problems.append(
                Problem(
                    "group.scaled_by",
                    "managed scaling owns the group's capacity; set scaled_by to ecsManagedScaling"
                    " (no CPU, request or predictive policy)",
                )
            )
    elif group.scaled_by == "ecsManagedScaling":
        problems.append(Problem("group.scaled_by", "nothing scales the group without managed scaling; use policies"))
    if capacity.managed_termination_protection:
        if capacity.managed_scaling is None:
            problems.append(
                Problem("managed_termination_protection", "works only with managed scaling; turn managed scaling on")
            )
        if not group.protect_from_scale_in:
            problems.append(
                Problem(
                    "group.protect_from_scale_in",
                    "managed termination protection needs instances protected from scale-in; set it to true",
                )
            )
    elif group.protect_from_scale_in:
        problems.append(
            Problem(
                "group.protect_from_scale_in",
                "without managed termination protection nothing lifts the protection, so the group never scales in;"
                " turn it off, or turn managed termination protection on",
            )
        )
    if group.user_data is not None:
        problems.append(Problem("group.user_data", "the capacity provider writes the user data that joins the cluster"))
    if group.load_balancer is not None:
        problems.append(Problem("group.load_balancer", "ECS registers each task with its target group; remove it"))
    if group.image_id is None and group.root_volume.size_gib < ECS_ROOT_VOLUME_MIN_GIB:
        problems.append(
            Problem(
                "group.root_volume.size_gib",
                f"the ECS-optimised AMI needs at least {ECS_ROOT_VOLUME_MIN_GIB} GiB (its snapshot and image layers)",
            )
        )
    return problems


def _managed_scaling_problems(scaling: ManagedScalingArgs) -> list[Problem]:
    """The ranges of ECS's ManagedScaling (botocore's ecs model)."""
    problems = [
        Problem(f"managed_scaling.{name}", f"{getattr(scaling, name)} is outside {low}-{high}")
        for name, low, high in (
            ("target_capacity", 1, 100),
            ("minimum_scaling_step_size", 1, 10000),
            ("maximum_scaling_step_size", 1, 10000),
            ("instance_warmup_period", 0, 10000),
        )
        if not low <= getattr(scaling, name) <= high
    ]
    if scaling.minimum_scaling_step_size > scaling.maximum_scaling_step_size:
        problems.append(
            Problem("managed_scaling.minimum_scaling_step_size", "must not exceed maximum_scaling_step_size")
        )
    return problems
