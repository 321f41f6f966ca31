"""The rules of autoscaling_group."""

from __future__ import annotations

import re

from components.alb_target import alb_target_problems
from components.autoscaling_group.args import (
    AutoScalingGroupArgs,
)
from components.autoscaling_group.cloudwatch_agent import (
    cloudwatch_agent_problems,
)
from components.autoscaling_group.instance_types import instance_type_problem
from components.autoscaling_group.scaling import scaling_problems
from components.egress import egress_problems
from components.grants import TOO_BROAD_POLICIES
from components.secret_refs import script_secret_findings
from components.validation import Problem, rules_for

#: AWS limits: instance type overrides per mixed instances policy, user data bytes.
MAX_INSTANCE_TYPES = 40
MAX_USER_DATA_BYTES = 16 * 1024
#: gp3 limits since the 2025 gp3 expansion (size GiB, IOPS, MiB/s) and their ratios.
GP3_SIZE_GIB = (1, 65536)
GP3_IOPS = (3000, 80000)
GP3_THROUGHPUT = (125, 2000)
GP3_IOPS_PER_GIB = 500
GP3_MIBS_PER_IOPS = 0.25
#: The Amazon Linux 2023 AMI's root snapshot; a smaller root volume cannot be created from it.
AL2023_SNAPSHOT_GIB = 8

_AMI_ID = re.compile(r"^ami-([0-9a-f]{8}|[0-9a-f]{17})$")
#: An SSM parameter name (fully qualified path) and an AWS-managed policy's path and name.
_SSM_PARAMETER = re.compile(r"^/[A-Za-z0-9_.\-/]{1,2047}$")
_AWS_MANAGED_POLICY = re.compile(r"^([\w+=,.@-]+/)*[\w+=,.@-]{1,128}$")


_HOOK_NAME = re.compile(r"^[A-Za-z0-9_/-]{1,255}$")


def _size_problems(args: AutoScalingGroupArgs) -> list[Problem]:
    problems: list[Problem] = []
    if args.min_size < 0:
        problems.append(Problem("min_size", "must not be negative"))
    if args.max_size < 1:
        problems.append(Problem("max_size", "must be at least 1"))
    if args.min_size > args.max_size:
        problems.append(Problem("min_size", f"{args.min_size} is above max_size {args.max_size}; raise max_size"))
    if args.desired_capacity is not None and not args.min_size <= args.desired_capacity <= args.max_size:
        problems.append(Problem("desired_capacity", f"{args.desired_capacity} must lie within min_size..max_size"))
    if args.min_size < args.max_size and args.scaled_by == "policies" and not args.scaling.has_policy:
        problems.append(
            Problem(
                "scaling", "the group may grow but nothing scales it; set a scaling policy or make min_size == max_size"
            )
        )
    return problems


def _instance_problems(args: AutoScalingGroupArgs) -> list[Problem]:
    problems: list[Problem] = []
    types = list(args.instance_types)
    if bool(types) == (args.instance_requirements is not None):
        problems.append(Problem("instance_types", "give either instance_types or instance_requirements (exactly one)"))
    if len(types) > MAX_INSTANCE_TYPES:
        problems.append(Problem("instance_types", f"{len(types)} types; AWS allows {MAX_INSTANCE_TYPES}"))
    if len(set(types)) != len(types):
        problems.append(Problem("instance_types", "a type is listed twice; list each once"))
    problems += [
        Problem("instance_types", reason)
        for instance_type in types
        if (reason := instance_type_problem(instance_type, args.architecture))
    ]
    req = args.instance_requirements
    if req is not None:
        if req.vcpu_min < 1 or (req.vcpu_max is not None and req.vcpu_max < req.vcpu_min):
            problems.append(Problem("instance_requirements.vcpu_min", "need 1 <= vcpu_min <= vcpu_max"))
        if req.memory_min_mib < 0 or (req.memory_max_mib is not None and req.memory_max_mib < req.memory_min_mib):
            problems.append(
                Problem("instance_requirements.memory_min_mib", "need 0 <= memory_min_mib <= memory_max_mib")
            )
        if args.on_demand_allocation_strategy == "prioritized":
            problems.append(
                Problem(
                    "on_demand_allocation_strategy",
                    "attribute-based selection has no priority order; use lowest-price",
                )
            )
        if args.spot_allocation_strategy == "capacity-optimized-prioritized":
            problems.append(
                Problem(
                    "spot_allocation_strategy",
                    "capacity-optimized-prioritized needs an ordered instance_types list; use price-capacity-optimized",
                )
            )
    if args.image_id is not None and not _AMI_ID.match(args.image_id):
        problems.append(Problem("image_id", f"{args.image_id!r} is not an AMI id (ami- and 8 or 17 hex digits)"))
    if args.image_parameter is not None:
        if args.image_id is not None:
            problems.append(Problem("image_parameter", "give image_id or image_parameter, not both"))
        if not _SSM_PARAMETER.match(args.image_parameter):
            problems.append(
                Problem(
                    "image_parameter", f"{args.image_parameter!r} is not an SSM parameter path like /aws/service/..."
                )
            )
    return problems


def _role_problems(args: AutoScalingGroupArgs) -> list[Problem]:
    field = "instance_role_aws_managed_policies"
    policies = list(args.instance_role_aws_managed_policies)
    problems = [
        Problem(field, f"{policy!r} is not an AWS-managed policy path and name (service-role/Name)")
        for policy in policies
        if not _AWS_MANAGED_POLICY.match(policy)
    ]
    problems += [
        Problem(field, f"{policy!r} is far beyond least privilege; grant the instances what they need apart")
        for policy in policies
        if policy.rsplit("/", 1)[-1] in TOO_BROAD_POLICIES
    ]
    names = [policy.rsplit("/", 1)[-1] for policy in policies]
    if len(set(names)) != len(names) or "AmazonSSMManagedInstanceCore" in names:
        problems.append(Problem(field, "a policy is listed twice (AmazonSSMManagedInstanceCore is always attached)"))
    return problems


def _ecs_managed_problems(args: AutoScalingGroupArgs) -> list[Problem]:
    """An ECS capacity provider's managed scaling owns the desired capacity with its own
    target tracking policy; anything else moving it would fight ECS."""
    if args.scaled_by != "ecsManagedScaling":
        return []
    owned = "ECS managed scaling owns the group's capacity"
    problems = [
        Problem(f"scaling.{policy}", f"{owned}; remove this policy (scheduled actions may still move the bounds)")
        for policy in ("cpu_target", "requests_per_target", "predictive")
        if getattr(args.scaling, policy) is not None
    ]
    if args.desired_capacity is not None:
        problems.append(Problem("desired_capacity", f"{owned}; remove it"))
    if args.load_balancer is not None:
        problems.append(
            Problem("load_balancer", "ECS registers each task with its target group; put the ALB on the service")
        )
    return problems


def _purchase_problems(args: AutoScalingGroupArgs) -> list[Problem]:
    problems: list[Problem] = []
    if args.on_demand_base_capacity < 0:
        problems.append(Problem("on_demand_base_capacity", "must not be negative"))
    if not 0 <= args.on_demand_percentage_above_base <= 100:
        problems.append(Problem("on_demand_percentage_above_base", "must be a percentage, 0-100"))
    pool = args.warm_pool
    if pool is not None:
        if args.uses_spot or len(args.instance_types) != 1:
            problems.append(
                Problem(
                    "warm_pool",
                    "AWS allows warm pools only for on-demand groups of one instance type; list one"
                    " instance type with on_demand_percentage_above_base 100, or remove the warm pool",
                )
            )
        if pool.min_size < 0 or (
            pool.max_group_prepared_capacity is not None and pool.max_group_prepared_capacity < args.max_size
        ):
            problems.append(
                Problem("warm_pool", "min_size must be >= 0 and max_group_prepared_capacity >= the group's max_size")
            )
    return problems


def _volume_problems(args: AutoScalingGroupArgs) -> list[Problem]:
    vol = args.root_volume
    problems: list[Problem] = []
    if not GP3_SIZE_GIB[0] <= vol.size_gib <= GP3_SIZE_GIB[1]:
        problems.append(Problem("root_volume.size_gib", f"gp3 volumes are {GP3_SIZE_GIB[0]}-{GP3_SIZE_GIB[1]} GiB"))
    if args.image_id is None and vol.size_gib < AL2023_SNAPSHOT_GIB:
        problems.append(
            Problem("root_volume.size_gib", f"the Amazon Linux 2023 image needs at least {AL2023_SNAPSHOT_GIB} GiB")
        )
    if not GP3_IOPS[0] <= vol.iops <= GP3_IOPS[1]:
        problems.append(Problem("root_volume.iops", f"gp3 IOPS are {GP3_IOPS[0]}-{GP3_IOPS[1]}"))
    elif vol.iops > max(GP3_IOPS[0], GP3_IOPS_PER_GIB * vol.size_gib):
        # The 3000 IOPS baseline comes with every gp3 volume, whatever its size.
        problems.append(
            Problem(
                "root_volume.iops",
                f"{vol.iops} IOPS exceed {GP3_IOPS_PER_GIB} per GiB of a {vol.size_gib} GiB volume;"
                " grow the volume or lower IOPS",
            )
        )
    if not GP3_THROUGHPUT[0] <= vol.throughput_mibs <= GP3_THROUGHPUT[1]:
        problems.append(
            Problem("root_volume.throughput_mibs", f"gp3 throughput is {GP3_THROUGHPUT[0]}-{GP3_THROUGHPUT[1]} MiB/s")
        )
    elif vol.throughput_mibs > GP3_MIBS_PER_IOPS * vol.iops:
        problems.append(
            Problem(
                "root_volume.throughput_mibs",
                f"{vol.throughput_mibs} MiB/s exceed {GP3_MIBS_PER_IOPS} MiB/s per IOPS of {vol.iops} IOPS; raise IOPS",
            )
        )
    return problems


def _instance_config_problems(args: AutoScalingGroupArgs) -> list[Problem]:
    problems: list[Problem] = []
    if isinstance(args.user_data, str) and len(args.user_data.encode()) > MAX_USER_DATA_BYTES:
        problems.append(
            Problem("user_data", f"more than {MAX_USER_DATA_BYTES} bytes; fetch the rest at boot (S3, SSM documents)")
        )
    if isinstance(args.user_data, str) and (findings := script_secret_findings(args.user_data)):
        problems.append(
            Problem(
                "user_data",
                f"{'; '.join(findings)}: user data is readable by anyone who can describe the instance or its"
                " launch template; fetch secrets at boot (aws secretsmanager get-secret-value, aws ssm get-parameter"
                " --with-decryption) with a grant on the instance role",
            )
        )
    problems += egress_problems(args.egress)
    if not 0 <= args.health_check_grace_period_seconds <= 7200:
        problems.append(Problem("health_check_grace_period_seconds", "must be 0-7200 seconds"))
    if not 0 <= args.default_instance_warmup_seconds <= 3600:
        problems.append(Problem("default_instance_warmup_seconds", "must be 0-3600 seconds"))
    refresh = args.instance_refresh
    if refresh is not None:
        if not 0 <= refresh.min_healthy_percentage <= 100:
            problems.append(Problem("instance_refresh.min_healthy_percentage", "must be 0-100"))
        if not 100 <= refresh.max_healthy_percentage <= 200:
            problems.append(Problem("instance_refresh.max_healthy_percentage", "must be 100-200"))
        elif refresh.max_healthy_percentage - refresh.min_healthy_percentage > 100:
            problems.append(
                Problem("instance_refresh.max_healthy_percentage", "may exceed min_healthy_percentage by 100 at most")
            )
    hook_names = [hook.name for hook in args.lifecycle_hooks]
    if len(set(hook_names)) != len(hook_names):
        problems.append(Problem("lifecycle_hooks", "a hook name is used twice; name each once"))
    for i, hook in enumerate(args.lifecycle_hooks):
        if not _HOOK_NAME.match(hook.name):
            problems.append(Problem(f"lifecycle_hooks.{i}.name", f"{hook.name!r}: use letters, digits, -, _ or /"))
        if not 30 <= hook.heartbeat_timeout_seconds <= 7200:
            problems.append(Problem(f"lifecycle_hooks.{i}.heartbeat_timeout_seconds", "must be 30-7200 seconds"))
    days = args.max_instance_lifetime_days
    if days is not None and not 1 <= days <= 365:
        problems.append(Problem("max_instance_lifetime_days", f"{days} is outside 1-365 days"))
    return problems


@rules_for(AutoScalingGroupArgs)
def autoscaling_group_problems(args: AutoScalingGroupArgs) -> list[Problem]:
    """Every rule AutoScalingGroupArgs must satisfy; the stage config runs these too."""
    problems = (
        _size_problems(args)
        + _instance_problems(args)
        + _purchase_problems(args)
        + _volume_problems(args)
        + _instance_config_problems(args)
        + _role_problems(args)
        + _ecs_managed_problems(args)
    )
    if args.cloudwatch_agent is not None:
        problems += cloudwatch_agent_problems(args.cloudwatch_agent, args.user_data, "cloudwatch_agent.")
    if args.load_balancer is not None:
        problems += [Problem(f"load_balancer.{p.field}", p.message) for p in alb_target_problems(args.load_balancer)]
        if not 1 <= args.load_balancer.port <= 65535:
            problems.append(Problem("load_balancer.port", f"{args.load_balancer.port} is not a TCP port; use 1-65535"))
    problems += scaling_problems(args.scaling, has_load_balancer=args.load_balancer is not None)
    return problems
