"""What a Fargate workload is: a web service behind the ALB, a queue worker, or a scheduled job.

`FargateServiceArgs.workload` takes one of these; the fields each kind owns live here, with
their rules, so that `fargate_service.py` stays about building resources.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi

from components.fargate_scaling import ScalingArgs, scaling_problems
from components.load_balancer import ListenerAttachment
from components.queues import MAX_RECEIVE_COUNT_RANGE, RETENTION_RANGE, VISIBILITY_TIMEOUT_RANGE, queue_arn_problems
from components.schedules import schedule_problems, timezone_problems
from components.secret_refs import kms_key_problems
from components.validation import Problem

ServiceConnectMode = Literal["clientServer", "client"]

_DNS_LABELS = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
_HOST = re.compile(r"^[a-z0-9*?.-]{1,128}$", re.I)
_MATCHER = re.compile(r"^\d{3}([,-]\d{3})*$")
#: ALB listener rules accept at most five condition values in total.
MAX_RULE_VALUES = 5


@dataclass(frozen=True, kw_only=True)
class DeploymentArgs:
    min_healthy_percent: int = 100
    """Tasks kept running during a deployment, in % of desired; 100 by default (no capacity dip)."""
    max_percent: int = 200
    """Tasks allowed during a deployment, in % of desired; 200 by default (a full new set)."""


@dataclass(frozen=True, kw_only=True)
class ServiceConnectArgs:
    """ECS Service Connect for east-west calls through the cluster's Cloud Map namespace."""

    namespace_arn: pulumi.Input[str]
    """The HTTP namespace (the cluster's `namespace_arn`)."""
    mode: ServiceConnectMode = "clientServer"
    """`clientServer` by default: publish the container port and call others; `client` only calls."""
    discovery_name: str | None = None
    """Cloud Map name of this service; the component name by default."""
    dns_aliases: Sequence[str] = ()
    """Names clients use (`api`, `api.internal`), on the container port; the discovery name by default."""


@dataclass(frozen=True, kw_only=True)
class _LongRunning:
    scaling: ScalingArgs = field(default_factory=ScalingArgs)
    """Autoscaling bounds and policies; on by default (2-10 tasks, CPU 70 %, memory 80 %)."""
    deployment: DeploymentArgs = field(default_factory=DeploymentArgs)
    """Rolling deployment bounds; the circuit breaker with rollback is always on."""
    service_connect: ServiceConnectArgs | None = None
    """Join Service Connect; off by default."""


@dataclass(frozen=True, kw_only=True)
class TargetHealthArgs:
    """The target group's health check and draining, as in the seed."""

    path: str = "/health"
    """Health check path; `/health` by default."""
    interval: int = 30
    """Seconds between checks (5-300); 30 by default."""
    timeout: int = 10
    """Seconds before a check fails (2-120, less than interval); 10 by default."""
    healthy_threshold: int = 2
    """Successes before healthy (2-10); 2 by default."""
    unhealthy_threshold: int = 3
    """Failures before unhealthy (2-10); 3 by default."""
    matcher: str = "200"
    """HTTP codes that count as healthy (`200`, `200,204`, `200-299`); 200 by default."""
    deregistration_delay: int = 30
    """Seconds to drain a target (0-3600); 30 by default (the seed's), AWS's 300 is slow."""
    slow_start: int = 30
    """Seconds to ramp traffic to a new target (0 or 30-900); 30 by default (the seed's)."""


@dataclass(frozen=True, kw_only=True)
class WebWorkload(_LongRunning):
    """A service behind the shared ALB, routed by path and/or host."""

    load_balancer: ListenerAttachment
    """The ALB listener and security group to attach to."""
    priority: int
    """Listener rule priority (1-50000), unique on the listener; lower wins."""
    path_patterns: Sequence[str] = ()
    """Paths routed here (`/api/*`); with host headers, both must match."""
    host_headers: Sequence[str] = ()
    """Hosts routed here (`api.example.com`)."""
    health: TargetHealthArgs = field(default_factory=TargetHealthArgs)
    """Target group health check and draining."""
    health_check_grace_period: int = 60
    """Seconds ECS ignores ALB health checks after a task starts (0-7200); 60 by default."""


@dataclass(frozen=True, kw_only=True)
class NewQueue:
    """An SQS queue created for the worker: SSE on, TLS-only access, with a dead-letter queue."""

    visibility_timeout: int = 300
    """Seconds a received message is hidden (0-43200); 300 by default: longer than a job."""
    retention_seconds: int = 345600
    """Message retention (60-1209600); 4 days by default (SQS's)."""
    max_receive_count: int = 5
    """Receives before a message moves to the DLQ (1-1000); 5 by default."""


@dataclass(frozen=True, kw_only=True)
class ExistingQueue:
    arn: str
    """ARN of a queue owned elsewhere."""
    kms_key_arn: str | None = None
    """Its customer-managed KMS key, if any; the worker may decrypt with it."""


@dataclass(frozen=True, kw_only=True)
class QueueWorkload(_LongRunning):
    """A service with no load balancer that consumes an SQS queue and scales on its depth."""

    queue: NewQueue | ExistingQueue = field(default_factory=NewQueue)
    """A queue created here (default) or an existing queue by ARN."""
    target_visible_messages: int = 100
    """Visible messages to track (the seed's 100); capacity grows while the backlog is larger.
    The scaling block's CPU/memory policies apply too (set them to None to scale on depth only)."""


@dataclass(frozen=True, kw_only=True)
class ScheduledJob:
    """A Fargate task started by an EventBridge Scheduler schedule (no ECS service)."""

    schedule: str
    """`cron(0 2 * * ? *)`, `rate(1 hour)` or `at(...)`."""
    timezone: str = "UTC"
    """IANA zone of the cron expression; UTC by default (the seed's advice)."""
    task_count: int = 1
    """Tasks per run (1-10); 1 by default."""
    retry_attempts: int = 2
    """Retries when RunTask fails (0-185); 2 by default."""
    max_event_age: int = 3600
    """Seconds a run may wait to be started (60-86400); an hour by default."""


Workload = WebWorkload | QueueWorkload | ScheduledJob


def workload_problems(workload: Workload, *, container_port: int | None) -> list[Problem]:
    """Rules of the workload block; field paths start with `workload.`."""
    if isinstance(workload, ScheduledJob):
        problems = _job_problems(workload)
    else:
        problems = _long_running_problems(workload, container_port)
        problems += _web_problems(workload, container_port) if isinstance(workload, WebWorkload) else []
        problems += _queue_problems(workload) if isinstance(workload, QueueWorkload) else []
    return [Problem(f"workload.{p.field}", p.message) for p in problems]


def _long_running_problems(workload: WebWorkload | QueueWorkload, container_port: int | None) -> list[Problem]:
    problems = scaling_problems(workload.scaling, min_floor=1 if isinstance(workload, WebWorkload) else 0)
    if isinstance(workload, QueueWorkload) and workload.scaling.requests_per_target is not None:
        problems.append(Problem("scaling.requests_per_target", "a queue worker has no ALB; remove it"))
    deployment = workload.deployment
    if not 0 <= deployment.min_healthy_percent <= 100:
        problems.append(Problem("deployment.min_healthy_percent", f"{deployment.min_healthy_percent} is outside 0-100"))
    if not 100 <= deployment.max_percent <= 200:
        problems.append(Problem("deployment.max_percent", f"{deployment.max_percent} is outside 100-200"))
    if deployment.max_percent <= deployment.min_healthy_percent:
        problems.append(
            Problem("deployment.max_percent", "must exceed minHealthyPercent, or no new task could ever start")
        )
    connect = workload.service_connect
    if connect is not None:
        if connect.mode == "clientServer" and container_port is None:
            problems.append(
                Problem(
                    "service_connect.mode",
                    "clientServer publishes the container port; set container.port or use client",
                )
            )
        if connect.mode == "client" and (connect.dns_aliases or connect.discovery_name):
            problems.append(
                Problem("service_connect", "a client publishes nothing; remove dnsAliases and discoveryName")
            )
        for name in [*connect.dns_aliases, *([connect.discovery_name] if connect.discovery_name else [])]:
            if not _DNS_LABELS.match(name):
                problems.append(Problem("service_connect.dns_aliases", f"{name!r} is not a DNS name"))
    return problems


def _web_problems(web: WebWorkload, container_port: int | None) -> list[Problem]:
    problems: list[Problem] = []
    if not 1 <= web.priority <= 50000:
        problems.append(Problem("priority", f"{web.priority} is outside 1-50000"))
    if not web.path_patterns and not web.host_headers:
        problems.append(Problem("path_patterns", "route something: give pathPatterns (e.g. ['/*']) or hostHeaders"))
    if len(web.path_patterns) + len(web.host_headers) > MAX_RULE_VALUES:
        problems.append(
            Problem("path_patterns", f"a listener rule takes at most {MAX_RULE_VALUES} paths and hosts in total")
        )
    problems += [
        Problem("path_patterns", f"{p!r} must start with / and be at most 128 characters")
        for p in web.path_patterns
        if not p.startswith("/") or len(p) > 128
    ]
    problems += [Problem("host_headers", f"{h!r} is not a host name") for h in web.host_headers if not _HOST.match(h)]
    health = web.health
    for name, low, high in (
        ("interval", 5, 300),
        ("timeout", 2, 120),
        ("healthy_threshold", 2, 10),
        ("unhealthy_threshold", 2, 10),
        ("deregistration_delay", 0, 3600),
    ):
        value = getattr(health, name)
        if not low <= value <= high:
            problems.append(Problem(f"health.{name}", f"{value} is outside {low}-{high}"))
    if health.timeout >= health.interval:
        problems.append(Problem("health.timeout", "must be less than the interval"))
    if not health.path.startswith("/"):
        problems.append(Problem("health.path", f"{health.path!r} must start with /"))
    if not _MATCHER.match(health.matcher):
        problems.append(Problem("health.matcher", f"{health.matcher!r} is not like 200, 200,204 or 200-299"))
    if health.slow_start != 0 and not 30 <= health.slow_start <= 900:
        problems.append(Problem("health.slow_start", f"{health.slow_start} must be 0 (off) or 30-900"))
    if not 0 <= web.health_check_grace_period <= 7200:
        problems.append(Problem("health_check_grace_period", f"{web.health_check_grace_period} is outside 0-7200"))
    return problems


def _queue_problems(worker: QueueWorkload) -> list[Problem]:
    problems: list[Problem] = []
    if worker.target_visible_messages < 1:
        problems.append(Problem("target_visible_messages", "must be at least 1"))
    queue = worker.queue
    if isinstance(queue, ExistingQueue):
        problems += queue_arn_problems("queue.arn", queue.arn)
        if queue.kms_key_arn is not None:
            problems += kms_key_problems("queue.kms_key_arn", [queue.kms_key_arn])
        return problems
    for name, (low, high) in (
        ("visibility_timeout", VISIBILITY_TIMEOUT_RANGE),
        ("retention_seconds", RETENTION_RANGE),
        ("max_receive_count", MAX_RECEIVE_COUNT_RANGE),
    ):
        value = getattr(queue, name)
        if not low <= value <= high:
            problems.append(Problem(f"queue.{name}", f"{value} is outside {low}-{high}"))
    return problems


def _job_problems(job: ScheduledJob) -> list[Problem]:
    problems = schedule_problems("schedule", job.schedule) + timezone_problems("timezone", job.timezone)
    for name, low, high in (("task_count", 1, 10), ("retry_attempts", 0, 185), ("max_event_age", 60, 86400)):
        value = getattr(job, name)
        if not low <= value <= high:
            problems.append(Problem(name, f"{value} is outside {low}-{high}"))
    return problems
