"""What a Fargate workload is: a web service behind the ALB, a queue worker, or a scheduled job.

`FargateServiceArgs.workload` takes one of these; the fields each kind owns live here, with
their rules, so that `fargate_service.py` stays about building resources.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi

from components.alb_target import AlbTargetArgs, alb_target_problems
from components.fargate_service.scaling import ServiceScalingArgs, scaling_problems
from components.queues import MAX_RECEIVE_COUNT_RANGE, RETENTION_RANGE, VISIBILITY_TIMEOUT_RANGE, queue_arn_problems
from components.schedules import schedule_problems, timezone_problems
from components.secret_refs import kms_key_problems
from components.validation import DNS_NAME, CheckedArgs, Problem

ServiceConnectMode = Literal["clientServer", "client"]


@dataclass(frozen=True, kw_only=True)
class DeploymentArgs(CheckedArgs):
    """How a service replaces its tasks during a deployment (ECS minimum healthy and maximum percent)."""

    min_healthy_percent: int = 100
    """Tasks kept running during a deployment, in % of desired; 100 by default (no capacity dip)."""
    max_percent: int = 200
    """Tasks allowed during a deployment, in % of desired; 200 by default (a full new set)."""


@dataclass(frozen=True, kw_only=True)
class ServiceConnectArgs(CheckedArgs):
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
class _LongRunning(CheckedArgs):
    scaling: ServiceScalingArgs = field(default_factory=ServiceScalingArgs)
    """Autoscaling bounds and policies; on by default (2-10 tasks, CPU 70 %, memory 80 %)."""
    deployment: DeploymentArgs = field(default_factory=DeploymentArgs)
    """Rolling deployment bounds; the circuit breaker with rollback is always on."""
    service_connect: ServiceConnectArgs | None = None
    """Join Service Connect; off by default."""


@dataclass(frozen=True, kw_only=True)
class WebWorkload(_LongRunning, AlbTargetArgs):
    """A service behind the shared ALB, routed by path and/or host (`AlbTargetArgs`'s
    listener, priority, path_patterns, host_headers and health), on the container port."""

    health_check_grace_period: int = 60
    """Seconds ECS ignores ALB health checks after a task starts (0-7200); 60 by default."""


@dataclass(frozen=True, kw_only=True)
class NewQueue(CheckedArgs):
    """An SQS queue created for the worker: SSE on, TLS-only access, with a dead-letter queue."""

    visibility_timeout: int = 300
    """Seconds a received message is hidden (0-43200); 300 by default: longer than a job."""
    retention_seconds: int = 345600
    """Message retention (60-1209600); 4 days by default (SQS's)."""
    max_receive_count: int = 5
    """Receives before a message moves to the DLQ (1-1000); 5 by default."""


@dataclass(frozen=True, kw_only=True)
class ExistingQueue(CheckedArgs):
    """An SQS queue that exists already, named by ARN; the worker may consume it."""

    arn: str
    """ARN of a queue owned elsewhere."""
    kms_key_arn: str | None = None
    """Its customer-managed KMS key, if any; the worker may decrypt with it."""


@dataclass(frozen=True, kw_only=True)
class QueueWorkload(_LongRunning):
    """A service with no load balancer that consumes an SQS queue and scales on its backlog per task."""

    queue: NewQueue | ExistingQueue = field(default_factory=NewQueue)
    """A queue created here (default) or an existing queue by ARN."""
    target_backlog_per_task: int = 100
    """Visible messages per running task to hold the queue at (AWS's "backlog per task":
    acceptable latency / average processing time per message; 100 by default, AWS's worked
    example of 10 s / 0.1 s). Target tracking divides the queue's visible messages by the
    service's running tasks (Container Insights). The scaling block's CPU/memory policies apply
    too (set them to None to scale on the backlog only). With scaling.min_capacity 0, a step
    policy starts the first task as soon as a message waits with none running (a ratio over
    zero tasks is undefined, so target tracking alone would never start one)."""


@dataclass(frozen=True, kw_only=True)
class ScheduledJob(CheckedArgs):
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
        problems += _web_problems(workload) if isinstance(workload, WebWorkload) else []
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
            if not DNS_NAME.match(name):
                problems.append(Problem("service_connect.dns_aliases", f"{name!r} is not a DNS name"))
    return problems


def _web_problems(web: WebWorkload) -> list[Problem]:
    problems = alb_target_problems(web)
    if not 0 <= web.health_check_grace_period <= 7200:
        problems.append(Problem("health_check_grace_period", f"{web.health_check_grace_period} is outside 0-7200"))
    return problems


def _queue_problems(worker: QueueWorkload) -> list[Problem]:
    problems: list[Problem] = []
    if worker.target_backlog_per_task < 1:
        problems.append(Problem("target_backlog_per_task", "must be at least 1 message per task"))
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
