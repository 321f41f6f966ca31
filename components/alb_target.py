"""Put a group of targets behind an ALB listener: a target group, a listener rule, and the
security-group path from the ALB to the targets' port (ingress on the targets, egress on the
ALB, whose security group has no other egress).

The one implementation for every compute behind an ALB: the IP targets of a Fargate web
service and the instances of an Auto Scaling group. The caller passes the listener handle
(`ListenerAttachment`: the stage's shared ALB, or an existing listener by ARN), its own VPC,
target security group and port, and chooses the target type. With an existing ALB the egress
rule lands on its security group too: harmless where that group already allows egress, and
required where (like the stage ALB's) it allows none.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_aws as aws

from components.load_balancer import ListenerAttachment
from components.validation import CheckedArgs, Problem

TargetType = Literal["instance", "ip"]

#: AWS counts every path and host value against this limit per listener rule.
MAX_RULE_VALUES = 5
_HOST = re.compile(r"^[a-z0-9*?.-]{1,128}$", re.I)
#: ALB matchers: HTTP codes 200-499, as `200`, `200,204` or `200-299`.
_MATCHER = re.compile(r"^[2-4]\d\d(-[2-4]\d\d)?(,[2-4]\d\d(-[2-4]\d\d)?)*$")
#: AWS caps target group names at 32 characters; Pulumi autonames `<logical name>-<7 random>`
#: and refuses (at preview) a logical name that leaves no room for the suffix.
TARGET_GROUP_NAME_LIMIT = 32
_AUTONAME_SUFFIX = 8


@dataclass(frozen=True, kw_only=True)
class TargetHealthArgs(CheckedArgs):
    """The target group's health check and draining, as in the seed."""

    path: str = "/health"
    """Health check path; `/health` by default, a cheap readiness endpoint."""
    interval: int = 30
    """Seconds between checks (5-300); 30 by default."""
    timeout: int = 10
    """Seconds before a check fails (2-120, less than interval); 10 by default."""
    healthy_threshold: int = 2
    """Successes before healthy (2-10); 2 by default, so new targets get traffic fast."""
    unhealthy_threshold: int = 3
    """Failures before unhealthy (2-10); 3 by default, tolerating one slow probe."""
    matcher: str = "200"
    """HTTP codes that count as healthy (`200`, `200,204`, `200-299`; 200-499); 200 by default."""
    deregistration_delay: int = 30
    """Seconds to drain a target (0-3600); 30 by default (the seed's), as AWS's 300 holds
    deployments and scale-in for 5 minutes. Raise it for long requests."""
    slow_start: int = 30
    """Seconds to ramp traffic to a new target (0 or 30-900); 30 by default (the seed's)."""


@dataclass(frozen=True, kw_only=True)
class AlbTargetArgs(CheckedArgs):
    """Where a group of targets sits on an ALB listener, and how the ALB checks it."""

    listener: ListenerAttachment
    """The listener to add a rule to, and the ALB security group allowed to reach the targets."""
    priority: int
    """Listener rule priority (1-50000), unique on the listener; lower wins. No default, as
    two rules on a shared listener must never collide."""
    path_patterns: Sequence[str] = ()
    """Paths routed here (`/api/*`); with host headers, both must match. 1-5 values in all."""
    host_headers: Sequence[str] = ()
    """Hosts routed here (`api.example.com`)."""
    health: TargetHealthArgs = field(default_factory=TargetHealthArgs)
    """Target group health check (HTTP on the traffic port) and draining."""


def alb_target_problems(args: AlbTargetArgs) -> list[Problem]:
    """Every rule AlbTargetArgs must satisfy; field paths relative to the args."""
    problems: list[Problem] = []
    if not 1 <= args.priority <= 50000:
        problems.append(Problem("priority", f"{args.priority} is outside 1-50000; pick a free priority"))
    values = len(args.path_patterns) + len(args.host_headers)
    if values == 0:
        problems.append(
            Problem(
                "path_patterns", "0 path/host values; route something: give pathPatterns (e.g. ['/*']) or hostHeaders"
            )
        )
    elif values > MAX_RULE_VALUES:
        problems.append(
            Problem(
                "path_patterns",
                f"{values} path/host values; a listener rule takes at most {MAX_RULE_VALUES} paths and hosts in total",
            )
        )
    problems += [
        Problem("path_patterns", f"{p!r} must start with / and be at most 128 characters")
        for p in args.path_patterns
        if not p.startswith("/") or len(p) > 128
    ]
    problems += [Problem("host_headers", f"{h!r} is not a host name") for h in args.host_headers if not _HOST.match(h)]
    return problems + [Problem(f"health.{p.field}", p.message) for p in _health_problems(args.health)]


def _health_problems(health: TargetHealthArgs) -> list[Problem]:
    problems: list[Problem] = []
    for name, low, high, unit in (
        ("interval", 5, 300, "seconds"),
        ("timeout", 2, 120, "seconds"),
        ("healthy_threshold", 2, 10, "probes"),
        ("unhealthy_threshold", 2, 10, "probes"),
        ("deregistration_delay", 0, 3600, "seconds"),
    ):
        value = getattr(health, name)
        if not low <= value <= high:
            problems.append(Problem(name, f"{value} is outside {low}-{high} {unit}"))
    if health.timeout >= health.interval:
        problems.append(Problem("timeout", "must be less than the interval"))
    if not health.path.startswith("/"):
        problems.append(Problem("path", f"{health.path!r} must start with /"))
    if not _MATCHER.match(health.matcher):
        problems.append(
            Problem("matcher", f"{health.matcher!r} is not like 200, 200,204 or 200-299 (HTTP codes 200-499)")
        )
    if health.slow_start != 0 and not 30 <= health.slow_start <= 900:
        problems.append(Problem("slow_start", f"{health.slow_start} must be 0 (off) or 30-900 seconds"))
    return problems


def target_group_name_problem(name: str) -> str | None:
    """Why targets named `name` cannot get an autonamed `<name>-tg` target group, or None."""
    logical = f"{name}-tg"
    room = TARGET_GROUP_NAME_LIMIT - _AUTONAME_SUFFIX - len("-tg")
    if len(logical) + _AUTONAME_SUFFIX <= TARGET_GROUP_NAME_LIMIT:
        return None
    return (
        f"{name!r} is too long behind an ALB: its target group is autonamed {logical!r} plus 8"
        f" characters, and AWS allows {TARGET_GROUP_NAME_LIMIT}; use a name of at most {room} characters"
    )


@dataclass(frozen=True, kw_only=True)
class ListenerClaim(CheckedArgs):
    """One listener rule priority taken by a target, for the uniqueness rule across targets."""

    field: str
    """Field path of the claiming priority: where the problem is reported."""
    label: str
    """How messages name the claimant (a config key, a component name)."""
    listener: Hashable
    """Identifies the listener: equal values mean the same listener."""
    priority: int
    """The listener rule priority claimed."""


def priority_problems(claims: Sequence[ListenerClaim]) -> list[Problem]:
    """Two rules on one listener cannot share a priority (AWS rejects the second): one
    problem on every later claim, naming the first claimant of that priority."""
    first: dict[tuple[Hashable, int], ListenerClaim] = {}
    problems: list[Problem] = []
    for claim in claims:
        earlier = first.setdefault((claim.listener, claim.priority), claim)
        if earlier is not claim:
            problems.append(
                Problem(
                    claim.field,
                    f"priority {claim.priority} is also used by {earlier.label} on the same listener;"
                    " give each listener rule its own priority",
                )
            )
    return problems


@dataclass(frozen=True)
class AlbTarget:
    """What `attach_to_listener` created."""

    target_group: aws.lb.TargetGroup
    listener_rule: aws.lb.ListenerRule
    request_count_label: pulumi.Output[str]
    """The `app/<alb>/<id>/targetgroup/<tg>/<id>` label of ALBRequestCountPerTarget metrics."""


def attach_to_listener(
    name: str,
    args: AlbTargetArgs,
    *,
    port: int,
    target_type: TargetType,
    vpc_id: pulumi.Input[str],
    target_security_group_id: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> AlbTarget:
    """A target group on `port`, a listener rule forwarding to it, and the ALB -> targets path."""
    if reason := target_group_name_problem(name):
        raise ValueError(reason)
    health = args.health
    target_group = aws.lb.TargetGroup(
        f"{name}-tg",
        vpc_id=vpc_id,
        target_type=target_type,
        port=port,
        protocol="HTTP",
        deregistration_delay=health.deregistration_delay,
        slow_start=health.slow_start,
        health_check=aws.lb.TargetGroupHealthCheckArgs(
            enabled=True,
            protocol="HTTP",
            port="traffic-port",
            path=health.path,
            matcher=health.matcher,
            interval=health.interval,
            timeout=health.timeout,
            healthy_threshold=health.healthy_threshold,
            unhealthy_threshold=health.unhealthy_threshold,
        ),
        opts=opts,
    )
    conditions = []
    if args.path_patterns:
        conditions.append(
            aws.lb.ListenerRuleConditionArgs(
                path_pattern=aws.lb.ListenerRuleConditionPathPatternArgs(values=list(args.path_patterns))
            )
        )
    if args.host_headers:
        conditions.append(
            aws.lb.ListenerRuleConditionArgs(
                host_header=aws.lb.ListenerRuleConditionHostHeaderArgs(values=list(args.host_headers))
            )
        )
    listener_rule = aws.lb.ListenerRule(
        f"{name}-rule",
        listener_arn=args.listener.listener_arn,
        priority=args.priority,
        actions=[aws.lb.ListenerRuleActionArgs(type="forward", target_group_arn=target_group.arn)],
        conditions=conditions,
        opts=opts,
    )
    aws.vpc.SecurityGroupIngressRule(
        f"{name}-from-alb",
        security_group_id=target_security_group_id,
        description="The ALB reaches the application port; nothing else does",
        ip_protocol="tcp",
        from_port=port,
        to_port=port,
        referenced_security_group_id=args.listener.security_group_id,
        opts=opts,
    )
    aws.vpc.SecurityGroupEgressRule(
        f"{name}-alb-to-targets",
        security_group_id=args.listener.security_group_id,
        description=f"The ALB forwards to {name} on its application port",
        ip_protocol="tcp",
        from_port=port,
        to_port=port,
        referenced_security_group_id=target_security_group_id,
        opts=opts,
    )
    label = pulumi.Output.concat(args.listener.load_balancer_arn_suffix, "/", target_group.arn_suffix)
    return AlbTarget(target_group=target_group, listener_rule=listener_rule, request_count_label=label)
