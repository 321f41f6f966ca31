"""AutoScalingGroup: EC2 instances in private subnets, from a hardened launch template,
spread over instance types and purchase options, scaled by policy, optionally behind an
ALB listener (the stage's shared ALB or an existing one; `components.alb_target`).

The seed's design (mixed instances with Spot, Graviton, IMDSv2 enforced) done the Pulumi
way, with two corrections: the seed mixes t4g (arm64) with t3/t3a (x86_64) under one AMI,
which cannot boot, so every instance type here must match `architecture`; and it sets a
Spot max price, which AWS advises against (it only raises interruptions), so none is set.

The AMI is read at deploy time from the public SSM parameter of Amazon Linux 2023 rather
than written as `resolve:ssm:` in the launch template: a new AMI then shows in the plan as
a new launch template version, rolls out through an instance refresh that can roll back
(AWS refuses rollback for `resolve:ssm:` images), and every instance of the group runs the
same image instead of whatever was latest when each one launched.
"""

from __future__ import annotations

import base64
import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_aws as aws

from components.alb_target import AlbTargetArgs, alb_target_problems, attach_to_listener
from components.autoscaling.cloudwatch_agent import (
    CloudWatchAgentArgs,
    agent_statements,
    cloudwatch_agent_problems,
    user_data_with_agent,
)
from components.autoscaling.instance_types import Architecture, instance_type_problem
from components.autoscaling.scaling import ScalingArgs, ScalingTarget, add_scaling, scaling_problems
from components.catalogue.api_limits import with_api_limits
from components.iam import policy_document, service_trust_policy
from components.secret_refs import script_secret_findings
from components.validation import Problem, raise_if_any

SpotAllocationStrategy = Literal["price-capacity-optimized", "capacity-optimized", "capacity-optimized-prioritized"]
OnDemandAllocationStrategy = Literal["prioritized", "lowest-price"]
BurstablePerformance = Literal["included", "excluded", "required"]
LifecycleTransition = Literal["launching", "terminating"]
WarmPoolState = Literal["Stopped", "Running"]

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
#: Group metrics published every minute (free for Auto Scaling group metrics).
GROUP_METRICS = (
    aws.autoscaling.Metric.GROUP_MIN_SIZE,
    aws.autoscaling.Metric.GROUP_MAX_SIZE,
    aws.autoscaling.Metric.GROUP_DESIRED_CAPACITY,
    aws.autoscaling.Metric.GROUP_IN_SERVICE_INSTANCES,
    aws.autoscaling.Metric.GROUP_PENDING_INSTANCES,
    aws.autoscaling.Metric.GROUP_STANDBY_INSTANCES,
    aws.autoscaling.Metric.GROUP_TERMINATING_INSTANCES,
    aws.autoscaling.Metric.GROUP_TOTAL_INSTANCES,
)
_LIFECYCLE_TRANSITIONS = {
    "launching": "autoscaling:EC2_INSTANCE_LAUNCHING",
    "terminating": "autoscaling:EC2_INSTANCE_TERMINATING",
}
_AMI_ID = re.compile(r"^ami-([0-9a-f]{8}|[0-9a-f]{17})$")
_HOOK_NAME = re.compile(r"^[A-Za-z0-9_/-]{1,255}$")
_CPU_MANUFACTURERS: dict[Architecture, list[str]] = {"arm64": ["amazon-web-services"], "x86_64": ["intel", "amd"]}


def al2023_ami_parameter(architecture: Architecture) -> str:
    """The public SSM parameter holding the latest Amazon Linux 2023 AMI for `architecture`."""
    return f"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{architecture}"


@dataclass(frozen=True, kw_only=True)
class InstanceRequirementsArgs:
    """Attribute-based instance type selection; CPU makers follow the group's architecture."""

    vcpu_min: int
    """Fewest vCPUs an instance type may have."""
    vcpu_max: int | None = None
    """Most vCPUs; None for no upper bound."""
    memory_min_mib: int
    """Least memory (MiB) an instance type may have."""
    memory_max_mib: int | None = None
    """Most memory (MiB); None for no upper bound."""
    burstable: BurstablePerformance = "excluded"
    """Burstable (T) types excluded by default: credits run out under sustained load."""


@dataclass(frozen=True, kw_only=True)
class RootVolumeArgs:
    size_gib: int = 20
    """Root volume size; 20 GiB by default, room for logs and packages above the 8 GiB image."""
    iops: int = 3000
    """gp3 IOPS; 3000 is the free baseline."""
    throughput_mibs: int = 125
    """gp3 throughput (MiB/s); 125 is the free baseline."""
    kms_key_id: pulumi.Input[str] | None = None
    """KMS key ARN for encryption; None uses the account's aws/ebs key. Always encrypted."""
    device_name: str = "/dev/xvda"
    """The AMI's root device; /dev/xvda for Amazon Linux (set it with a custom `image_id`)."""


@dataclass(frozen=True, kw_only=True)
class EgressRuleArgs:
    port: int
    """TCP port allowed out."""
    cidr: str = "0.0.0.0/0"
    """IPv4 destination; anywhere by default, as AWS APIs and package mirrors have no fixed range."""
    description: str = "Outbound"
    """Shown in the console next to the rule."""


@dataclass(frozen=True, kw_only=True)
class InstanceRefreshArgs:
    min_healthy_percentage: int = 90
    """Capacity kept in service during a refresh (0-100); 90 replaces 10% at a time."""
    max_healthy_percentage: int = 100
    """Capacity allowed during a refresh (100-200, at most 100 above the minimum); above
    100 launches replacements before terminating, at the cost of extra instances."""
    skip_matching: bool = True
    """Skip instances already on the desired configuration, so a retried refresh resumes."""
    auto_rollback: bool = True
    """Roll back to the previous launch template version when the refresh fails."""


@dataclass(frozen=True, kw_only=True)
class WarmPoolArgs:
    pool_state: WarmPoolState = "Stopped"
    """Stopped by default: only volumes are billed while instances wait."""
    min_size: int = 0
    """Instances always kept in the pool."""
    max_group_prepared_capacity: int | None = None
    """Cap on group plus pool; None means the group's max_size."""
    reuse_on_scale_in: bool = False
    """Return scaled-in instances to the pool instead of terminating them."""


@dataclass(frozen=True, kw_only=True)
class LifecycleHookArgs:
    name: str
    """Unique per group; the name your hook handler completes the action with."""
    transition: LifecycleTransition
    """Pause instances while launching (bootstrap) or terminating (drain, ship logs)."""
    heartbeat_timeout_seconds: int = 300
    """How long an instance waits for the handler (30-7200 seconds)."""
    default_result: Literal["CONTINUE", "ABANDON"] = "ABANDON"
    """What happens on timeout; ABANDON by default so an unprepared instance never serves."""


@dataclass(frozen=True, kw_only=True)
class InstanceTargetArgs(AlbTargetArgs):
    """The group's instances behind an ALB listener (the stage's shared ALB or an existing one)."""

    port: int = 8080
    """The port the application listens on in the instances; 8080 by default (unprivileged)."""


@dataclass(frozen=True, kw_only=True)
class AutoScalingGroupArgs:
    vpc_id: pulumi.Input[str]
    """The VPC of the subnets; the group's security group lives there."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Subnets to launch into: the network's private subnets, one per AZ."""
    architecture: Architecture = "arm64"
    """CPU architecture of the AMI and of every instance type; Graviton (arm64) by default,
    the seed's cheaper choice."""
    instance_types: Sequence[str] = ()
    """Instance types in priority order (the first is the on-demand favourite); list several
    families so Spot has pools to choose from. Give these or `instance_requirements`."""
    instance_requirements: InstanceRequirementsArgs | None = None
    """Attribute-based selection instead of `instance_types`; None by default."""
    image_id: str | None = None
    """An explicit AMI id; None uses the latest Amazon Linux 2023 for `architecture`."""
    min_size: int = 2
    """Fewest instances; 2 by default so one AZ or instance can fail without an outage."""
    max_size: int = 4
    """Most instances."""
    desired_capacity: int | None = None
    """None by default: the group starts at min_size and policies own capacity afterwards
    (a fixed value would be reset by every `pulumi up`)."""
    on_demand_base_capacity: int = 0
    """Instances always bought on-demand before any percentage applies."""
    on_demand_percentage_above_base: int = 100
    """On-demand share (0-100) above the base; 100 by default (no Spot unless asked for)."""
    spot_allocation_strategy: SpotAllocationStrategy = "price-capacity-optimized"
    """AWS's recommended strategy: the cheapest of the pools least likely to be interrupted."""
    on_demand_allocation_strategy: OnDemandAllocationStrategy = "prioritized"
    """On-demand follows `instance_types` order by default; attribute-based selection
    requires lowest-price."""
    capacity_rebalance: bool = True
    """Replace Spot instances AWS flags at elevated interruption risk before they are taken."""
    imds_hop_limit: Literal[1, 2] = 1
    """IMDSv2 response hop limit; 1 keeps credentials on the host. 2 when containers on the
    host (Docker bridge networking, ECS/EKS agents) must reach IMDS."""
    root_volume: RootVolumeArgs = field(default_factory=RootVolumeArgs)
    """Encrypted gp3 root volume."""
    user_data: pulumi.Input[str] | None = None
    """Boot script or cloud-init, as text (base64-encoded here); none by default. Never put
    secrets in it: fetch them at boot from Secrets Manager or SSM."""
    cloudwatch_agent: CloudWatchAgentArgs | None = None
    """Install the CloudWatch agent at boot (memory/disk metrics, log files to a log group of
    the group's own); off by default, as it adds a package install to every boot."""
    egress: Sequence[EgressRuleArgs] = (EgressRuleArgs(port=443, description="HTTPS to AWS APIs and mirrors"),)
    """Outbound rules of the instances' security group; HTTPS only by default (SSM, package
    repositories, AWS APIs). DNS through the VPC resolver and Amazon Time Sync are not
    filtered by security groups. There is no ingress except from the load balancer."""
    health_check_grace_period_seconds: int = 300
    """Seconds before health checks count after launch (0-7200)."""
    default_instance_warmup_seconds: int = 120
    """Seconds before a new instance's metrics count for scaling and refresh (0-3600)."""
    instance_refresh: InstanceRefreshArgs | None = field(default_factory=InstanceRefreshArgs)
    """Rolling replacement when the launch template or instance mix changes; on by default.
    None leaves existing instances alone until they are replaced for another reason."""
    warm_pool: WarmPoolArgs | None = None
    """Pre-initialized instances for fast scale-out; none by default. AWS allows it only for
    on-demand groups of a single instance type (no mixed instances policy)."""
    lifecycle_hooks: Sequence[LifecycleHookArgs] = ()
    """Hooks registered with the group itself, so they apply to its very first instances."""
    max_instance_lifetime_days: int | None = None
    """Replace instances older than this (1-365 days); None keeps them until replaced otherwise."""
    load_balancer: InstanceTargetArgs | None = None
    """Put the instances behind an ALB listener (instance targets, ELB health checks); None by default."""
    scaling: ScalingArgs = field(default_factory=ScalingArgs)
    """Scaling policies; CPU target tracking at 50% by default."""

    def __post_init__(self) -> None:
        raise_if_any("AutoScalingGroupArgs", with_api_limits(self, autoscaling_group_problems(self)))

    @property
    def uses_spot(self) -> bool:
        return self.on_demand_percentage_above_base < 100


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
    if args.min_size < args.max_size and not args.scaling.has_policy:
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
    for i, rule in enumerate(args.egress):
        if not 1 <= rule.port <= 65535:
            problems.append(Problem(f"egress.{i}.port", f"{rule.port} is not a TCP port; use 1-65535"))
        try:
            ipaddress.IPv4Network(rule.cidr)
        except ValueError:
            problems.append(Problem(f"egress.{i}.cidr", f"{rule.cidr!r} is not an IPv4 CIDR block"))
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


def autoscaling_group_problems(args: AutoScalingGroupArgs) -> list[Problem]:
    """Every rule AutoScalingGroupArgs must satisfy; the stage config runs these too."""
    problems = (
        _size_problems(args)
        + _instance_problems(args)
        + _purchase_problems(args)
        + _volume_problems(args)
        + _instance_config_problems(args)
    )
    if args.cloudwatch_agent is not None:
        problems += cloudwatch_agent_problems(args.cloudwatch_agent, args.user_data, "cloudwatch_agent.")
    if args.load_balancer is not None:
        problems += [Problem(f"load_balancer.{p.field}", p.message) for p in alb_target_problems(args.load_balancer)]
        if not 1 <= args.load_balancer.port <= 65535:
            problems.append(Problem("load_balancer.port", f"{args.load_balancer.port} is not a TCP port; use 1-65535"))
    problems += scaling_problems(args.scaling, has_load_balancer=args.load_balancer is not None)
    return problems


class AutoScalingGroup(pulumi.ComponentResource):
    """Launch template, instance role and profile, security group, group, scaling, ALB attachment."""

    group_name: pulumi.Output[str]
    group_arn: pulumi.Output[str]
    launch_template_id: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    role_name: pulumi.Output[str]
    target_group_arn: pulumi.Output[str] | None

    def __init__(self, name: str, args: AutoScalingGroupArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aws-compute:autoscaling_group:AutoScalingGroup", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        role, profile = self._instance_profile(name, child)
        user_data = self._user_data(name, args, role, child)
        sg = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=args.vpc_id,
            description=f"Instances of {name}: no ingress except from its load balancer",
            tags={"Name": name},
            opts=child,
        )
        for i, rule in enumerate(args.egress):
            aws.vpc.SecurityGroupEgressRule(
                f"{name}-egress-{i}",
                security_group_id=sg.id,
                description=rule.description,
                ip_protocol="tcp",
                from_port=rule.port,
                to_port=rule.port,
                cidr_ipv4=rule.cidr,
                opts=child,
            )
        attachment = (
            attach_to_listener(
                name,
                args.load_balancer,
                port=args.load_balancer.port,
                target_type="instance",
                vpc_id=args.vpc_id,
                target_security_group_id=sg.id,
                opts=child,
            )
            if args.load_balancer is not None
            else None
        )
        template = self._launch_template(name, args, profile, sg, user_data, child)
        version = template.latest_version.apply(str)
        group = aws.autoscaling.Group(
            f"{name}-asg",
            vpc_zone_identifiers=args.subnet_ids,
            min_size=args.min_size,
            max_size=args.max_size,
            desired_capacity=args.desired_capacity,
            launch_template=(
                aws.autoscaling.GroupLaunchTemplateArgs(id=template.id, version=version) if args.warm_pool else None
            ),
            mixed_instances_policy=None if args.warm_pool else self._mixed_instances_policy(args, template, version),
            capacity_rebalance=args.capacity_rebalance if args.uses_spot else None,
            health_check_type="ELB" if attachment else "EC2",
            health_check_grace_period=args.health_check_grace_period_seconds,
            default_instance_warmup=args.default_instance_warmup_seconds,
            target_group_arns=[attachment.target_group.arn] if attachment else None,
            instance_refresh=self._instance_refresh(args.instance_refresh),
            warm_pool=self._warm_pool(args.warm_pool),
            initial_lifecycle_hooks=self._lifecycle_hooks(args.lifecycle_hooks),
            max_instance_lifetime=(
                args.max_instance_lifetime_days * 86400 if args.max_instance_lifetime_days is not None else None
            ),
            enabled_metrics=list(GROUP_METRICS),
            metrics_granularity="1Minute",
            tags=[aws.autoscaling.GroupTagArgs(key="Name", value=name, propagate_at_launch=True)],
            opts=child,
        )
        add_scaling(
            name,
            args.scaling,
            ScalingTarget(
                group_name=group.name,
                request_count_label=attachment.request_count_label if attachment else None,
                load_balancer_ready=[attachment.listener_rule] if attachment else [],
            ),
            child,
        )

        self.group_name = group.name
        self.group_arn = group.arn
        self.launch_template_id = template.id
        self.security_group_id = sg.id
        self.role_name = role.name
        self.target_group_arn = attachment.target_group.arn if attachment else None
        self.exports: dict[str, pulumi.Output[str] | None] = {
            "groupName": self.group_name,
            "groupArn": self.group_arn,
            "launchTemplateId": self.launch_template_id,
            "securityGroupId": self.security_group_id,
            "roleName": self.role_name,
            "targetGroupArn": self.target_group_arn,
        }
        """The outputs above by camelCase key, as registered (and exported by the stack)."""
        self.register_outputs(self.exports)

    def _instance_profile(
        self, name: str, child: pulumi.ResourceOptions
    ) -> tuple[aws.iam.Role, aws.iam.InstanceProfile]:
        """A role reachable through SSM Session Manager (no SSH key, no port 22)."""
        partition = aws.get_partition_output(opts=pulumi.InvokeOutputOptions(parent=self)).partition
        role = aws.iam.Role(
            f"{name}-role",
            description=f"Instances of {name}: Session Manager access; add application permissions apart",
            assume_role_policy=service_trust_policy("ec2.amazonaws.com"),
            opts=child,
        )
        aws.iam.RolePolicyAttachment(
            f"{name}-ssm-core",
            role=role.name,
            policy_arn=pulumi.Output.concat("arn:", partition, ":iam::aws:policy/AmazonSSMManagedInstanceCore"),
            opts=child,
        )
        profile = aws.iam.InstanceProfile(f"{name}-profile", role=role.name, opts=child)
        return role, profile

    @staticmethod
    def _user_data(
        name: str, args: AutoScalingGroupArgs, role: aws.iam.Role, child: pulumi.ResourceOptions
    ) -> pulumi.Input[str] | None:
        """The caller's user data, preceded by the CloudWatch agent's setup when it is on."""
        agent = args.cloudwatch_agent
        if agent is None:
            return args.user_data
        log_group = aws.cloudwatch.LogGroup(f"{name}-logs", retention_in_days=agent.retention_days, opts=child)
        aws.iam.RolePolicy(
            f"{name}-cloudwatch-agent",
            role=role.id,
            policy=policy_document(agent_statements(log_group.arn)),
            opts=child,
        )
        return user_data_with_agent(agent, log_group.name, args.user_data)

    def _launch_template(
        self,
        name: str,
        args: AutoScalingGroupArgs,
        profile: aws.iam.InstanceProfile,
        sg: aws.ec2.SecurityGroup,
        user_data: pulumi.Input[str] | None,
        child: pulumi.ResourceOptions,
    ) -> aws.ec2.LaunchTemplate:
        image_id: pulumi.Input[str] = args.image_id or (
            aws.ssm.get_parameter_output(
                name=al2023_ami_parameter(args.architecture), opts=pulumi.InvokeOutputOptions(parent=self)
            ).insecure_value
        )
        vol = args.root_volume
        return aws.ec2.LaunchTemplate(
            f"{name}-lt",
            description=f"Instances of {name}",
            image_id=image_id,
            # A warm pool rules out the mixed instances policy: its one type lives here.
            instance_type=args.instance_types[0] if args.warm_pool else None,
            iam_instance_profile=aws.ec2.LaunchTemplateIamInstanceProfileArgs(arn=profile.arn),
            vpc_security_group_ids=[sg.id],
            metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
                http_endpoint="enabled",
                http_tokens="required",
                http_put_response_hop_limit=args.imds_hop_limit,
                instance_metadata_tags="disabled",
            ),
            monitoring=aws.ec2.LaunchTemplateMonitoringArgs(enabled=True),
            block_device_mappings=[
                aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
                    device_name=vol.device_name,
                    ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                        volume_type="gp3",
                        volume_size=vol.size_gib,
                        iops=vol.iops,
                        throughput=vol.throughput_mibs,
                        encrypted="true",
                        kms_key_id=vol.kms_key_id,
                        delete_on_termination="true",
                    ),
                )
            ],
            user_data=(
                pulumi.Output.from_input(user_data).apply(lambda text: base64.b64encode(text.encode()).decode())
                if user_data is not None
                else None
            ),
            tag_specifications=[
                aws.ec2.LaunchTemplateTagSpecificationArgs(resource_type=kind, tags={"Name": name})
                for kind in ("instance", "volume")
            ],
            update_default_version=True,
            opts=child,
        )

    @staticmethod
    def _mixed_instances_policy(
        args: AutoScalingGroupArgs, template: aws.ec2.LaunchTemplate, version: pulumi.Output[str]
    ) -> aws.autoscaling.GroupMixedInstancesPolicyArgs:
        req = args.instance_requirements
        overrides = (
            [
                aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideArgs(instance_type=t)
                for t in args.instance_types
            ]
            if req is None
            else [
                aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideArgs(
                    instance_requirements=aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideInstanceRequirementsArgs(
                        vcpu_count=aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideInstanceRequirementsVcpuCountArgs(
                            min=req.vcpu_min, max=req.vcpu_max
                        ),
                        memory_mib=aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideInstanceRequirementsMemoryMibArgs(
                            min=req.memory_min_mib, max=req.memory_max_mib
                        ),
                        burstable_performance=req.burstable,
                        cpu_manufacturers=_CPU_MANUFACTURERS[args.architecture],
                        instance_generations=["current"],
                    )
                )
            ]
        )
        return aws.autoscaling.GroupMixedInstancesPolicyArgs(
            instances_distribution=aws.autoscaling.GroupMixedInstancesPolicyInstancesDistributionArgs(
                on_demand_base_capacity=args.on_demand_base_capacity,
                on_demand_percentage_above_base_capacity=args.on_demand_percentage_above_base,
                on_demand_allocation_strategy=args.on_demand_allocation_strategy,
                spot_allocation_strategy=args.spot_allocation_strategy,
            ),
            launch_template=aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateArgs(
                launch_template_specification=aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateLaunchTemplateSpecificationArgs(
                    launch_template_id=template.id, version=version
                ),
                overrides=overrides,
            ),
        )

    @staticmethod
    def _instance_refresh(refresh: InstanceRefreshArgs | None) -> aws.autoscaling.GroupInstanceRefreshArgs | None:
        if refresh is None:
            return None
        return aws.autoscaling.GroupInstanceRefreshArgs(
            strategy="Rolling",
            preferences=aws.autoscaling.GroupInstanceRefreshPreferencesArgs(
                min_healthy_percentage=refresh.min_healthy_percentage,
                max_healthy_percentage=refresh.max_healthy_percentage,
                skip_matching=refresh.skip_matching,
                auto_rollback=refresh.auto_rollback,
            ),
        )

    @staticmethod
    def _lifecycle_hooks(
        hooks: Sequence[LifecycleHookArgs],
    ) -> list[aws.autoscaling.GroupInitialLifecycleHookArgs] | None:
        """Hooks on the group itself (not apart), so the group's first instances wait for them too."""
        return [
            aws.autoscaling.GroupInitialLifecycleHookArgs(
                name=hook.name,
                lifecycle_transition=_LIFECYCLE_TRANSITIONS[hook.transition],
                heartbeat_timeout=hook.heartbeat_timeout_seconds,
                default_result=hook.default_result,
            )
            for hook in hooks
        ] or None

    @staticmethod
    def _warm_pool(pool: WarmPoolArgs | None) -> aws.autoscaling.GroupWarmPoolArgs | None:
        if pool is None:
            return None
        return aws.autoscaling.GroupWarmPoolArgs(
            pool_state=pool.pool_state,
            min_size=pool.min_size,
            max_group_prepared_capacity=pool.max_group_prepared_capacity,
            instance_reuse_policy=aws.autoscaling.GroupWarmPoolInstanceReusePolicyArgs(
                reuse_on_scale_in=pool.reuse_on_scale_in
            ),
        )
