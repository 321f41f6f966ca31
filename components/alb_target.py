"""Put a group of targets behind an existing ALB listener: a target group, a listener rule
and the ingress that lets only the ALB reach the targets.

Reusable by any compute behind a shared ALB (instances of an Auto Scaling group, or IP
targets of a Fargate service): the caller passes the wired listener ARN and ALB security
group, its own VPC and target security group, and chooses the target type.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_aws as aws

from components.validation import Problem

TargetType = Literal["instance", "ip"]

#: AWS counts every path and host value against this limit per listener rule.
MAX_CONDITION_VALUES = 5
_MATCHER = re.compile(r"^[2-4]\d\d(-[2-4]\d\d)?(,[2-4]\d\d(-[2-4]\d\d)?)*$")


@dataclass(frozen=True, kw_only=True)
class HealthCheckArgs:
    path: str = "/"
    """HTTP path the ALB probes; `/` by default, point it at a cheap readiness endpoint."""
    matcher: str = "200-399"
    """Healthy status codes (`200`, `200-399`, `200,204`); 2xx-3xx by default, so redirects count as up."""
    interval_seconds: int = 15
    """Seconds between probes (5-300); 15 detects a dead target in under a minute."""
    timeout_seconds: int = 5
    """Seconds before a probe fails (2-120, below the interval); 5 is AWS's default."""
    healthy_threshold: int = 2
    """Consecutive successes to mark a target healthy (2-10); 2 lets new instances in fast."""
    unhealthy_threshold: int = 3
    """Consecutive failures to mark a target unhealthy (2-10); 3 tolerates a slow probe."""


@dataclass(frozen=True, kw_only=True)
class AlbTargetArgs:
    listener_arn: pulumi.Input[str]
    """The ALB listener to add a rule to (wired from the shared ALB or an explicit ARN)."""
    security_group_id: pulumi.Input[str]
    """The ALB's security group: the only source allowed to reach the targets' port."""
    priority: int
    """Listener rule priority (1-50000), unique per listener; no default, as two rules on a
    shared listener must never collide."""
    path_patterns: Sequence[str] = ()
    """Path conditions (`/api/*`); with `host_headers`, 1-5 values in all (an AWS limit)."""
    host_headers: Sequence[str] = ()
    """Host conditions (`api.example.com`); both kinds must match when both are given."""
    port: int = 8080
    """The port the application listens on in the targets; 8080 by default (unprivileged)."""
    health_check: HealthCheckArgs = field(default_factory=HealthCheckArgs)
    """The ALB health check, HTTP on the traffic port."""
    deregistration_delay_seconds: int = 60
    """Seconds a leaving target drains in-flight requests (0-3600); 60 instead of AWS's
    300 so deployments and scale-in are not held for 5 minutes. Raise it for long requests."""


def alb_target_problems(args: AlbTargetArgs, prefix: str = "") -> list[Problem]:
    """Every rule AlbTargetArgs must satisfy; field paths start with `prefix`."""
    problems: list[Problem] = []
    hc = args.health_check
    if not 1 <= args.priority <= 50000:
        problems.append(Problem(f"{prefix}priority", f"{args.priority} is outside 1-50000; pick a free priority"))
    values = len(args.path_patterns) + len(args.host_headers)
    if not 1 <= values <= MAX_CONDITION_VALUES:
        problems.append(
            Problem(
                f"{prefix}path_patterns",
                f"{values} path/host values; a listener rule needs 1 to {MAX_CONDITION_VALUES} in all",
            )
        )
    for path in args.path_patterns:
        if not path.startswith("/") or len(path) > 128:
            problems.append(Problem(f"{prefix}path_patterns", f"{path!r} must start with '/' (128 characters at most)"))
    for host in args.host_headers:
        if not host or len(host) > 128 or " " in host:
            problems.append(Problem(f"{prefix}host_headers", f"{host!r} is not a host name (128 characters at most)"))
    if not 1 <= args.port <= 65535:
        problems.append(Problem(f"{prefix}port", f"{args.port} is not a TCP port; use 1-65535"))
    if not 0 <= args.deregistration_delay_seconds <= 3600:
        problems.append(Problem(f"{prefix}deregistration_delay_seconds", "must be 0-3600 seconds"))
    if not hc.path.startswith("/"):
        problems.append(Problem(f"{prefix}health_check.path", f"{hc.path!r} must start with '/'"))
    if not _MATCHER.match(hc.matcher):
        problems.append(
            Problem(
                f"{prefix}health_check.matcher", f"{hc.matcher!r}: write codes 200-499 as '200', '200-399' or '200,204'"
            )
        )
    if not 5 <= hc.interval_seconds <= 300:
        problems.append(Problem(f"{prefix}health_check.interval_seconds", "must be 5-300 seconds"))
    if not 2 <= hc.timeout_seconds <= 120 or hc.timeout_seconds >= hc.interval_seconds:
        problems.append(
            Problem(f"{prefix}health_check.timeout_seconds", "must be 2-120 seconds and shorter than the interval")
        )
    for name in ("healthy_threshold", "unhealthy_threshold"):
        if not 2 <= getattr(hc, name) <= 10:
            problems.append(Problem(f"{prefix}health_check.{name}", "must be 2-10 probes"))
    return problems


@dataclass(frozen=True)
class AlbTarget:
    """What `attach_to_listener` created."""

    target_group: aws.lb.TargetGroup
    listener_rule: aws.lb.ListenerRule
    request_count_label: pulumi.Output[str]
    """The `app/<alb>/<id>/targetgroup/<tg>/<id>` label of ALBRequestCountPerTarget metrics."""


def load_balancer_suffix(listener_arn: str) -> str:
    """`arn:...:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2` -> `app/web/50dc6c495c0c9188`."""
    resource = listener_arn.split(":", 5)[-1]
    return "/".join(resource.split("/")[1:4])


def attach_to_listener(
    name: str,
    args: AlbTargetArgs,
    *,
    vpc_id: pulumi.Input[str],
    target_type: TargetType,
    target_security_group_id: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> AlbTarget:
    """A target group and listener rule forwarding to it, and ingress from the ALB only."""
    hc = args.health_check
    target_group = aws.lb.TargetGroup(
        f"{name}-tg",
        vpc_id=vpc_id,
        target_type=target_type,
        port=args.port,
        protocol="HTTP",
        deregistration_delay=args.deregistration_delay_seconds,
        health_check=aws.lb.TargetGroupHealthCheckArgs(
            enabled=True,
            protocol="HTTP",
            port="traffic-port",
            path=hc.path,
            matcher=hc.matcher,
            interval=hc.interval_seconds,
            timeout=hc.timeout_seconds,
            healthy_threshold=hc.healthy_threshold,
            unhealthy_threshold=hc.unhealthy_threshold,
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
        listener_arn=args.listener_arn,
        priority=args.priority,
        actions=[aws.lb.ListenerRuleActionArgs(type="forward", target_group_arn=target_group.arn)],
        conditions=conditions,
        opts=opts,
    )
    aws.vpc.SecurityGroupIngressRule(
        f"{name}-from-alb",
        security_group_id=target_security_group_id,
        description="Application port from the load balancer only",
        ip_protocol="tcp",
        from_port=args.port,
        to_port=args.port,
        referenced_security_group_id=args.security_group_id,
        opts=opts,
    )
    label = pulumi.Output.all(pulumi.Output.from_input(args.listener_arn), target_group.arn_suffix).apply(
        lambda parts: f"{load_balancer_suffix(parts[0])}/{parts[1]}"
    )
    return AlbTarget(target_group=target_group, listener_rule=listener_rule, request_count_label=label)
