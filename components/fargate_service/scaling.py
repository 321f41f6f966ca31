"""Application Auto Scaling of an ECS service's desired count.

Target tracking on CPU and memory (the seed's 70 / 80), optionally on ALB requests per
target or on an SQS queue's backlog per task, with cooldowns, plus scheduled capacity changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from pulumi_aws.appautoscaling import (
    PolicyTargetTrackingScalingPolicyConfigurationArgs as TrackingConfig,
)
from pulumi_aws.appautoscaling import (
    PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationArgs as CustomizedMetric,
)
from pulumi_aws.appautoscaling import (
    PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricArgs as MetricQuery,
)
from pulumi_aws.appautoscaling import (
    PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricMetricStatArgs as MetricStat,
)
from pulumi_aws.appautoscaling import (
    PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricMetricStatMetricArgs as Metric,
)
from pulumi_aws.appautoscaling import (
    PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricMetricStatMetricDimensionArgs as MetricDimension,  # noqa: E501
)
from pulumi_aws.appautoscaling import (
    PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs as PredefinedMetric,
)

from components.schedules import schedule_problems, timezone_problems
from components.validation import SCHEDULED_ACTION_NAME, CheckedArgs, Problem


@dataclass(frozen=True, kw_only=True)
class ScheduledCapacity(CheckedArgs):
    """Capacity bounds that change on a schedule (e.g. business hours)."""

    name: str
    """Identifies the action inside the service; unique per service, 1-100 letters, digits,
    - and _ (it starts the autonamed action, where AWS refuses `:`, `/` and `|`)."""
    schedule: str
    """`cron(0 8 ? * MON-FRI *)`, `rate(...)` or `at(...)`."""
    min_capacity: int
    """Fewest tasks from this time on."""
    max_capacity: int
    """Most tasks from this time on."""
    timezone: str = "UTC"
    """IANA time zone the cron runs in; UTC by default."""


@dataclass(frozen=True, kw_only=True)
class ServiceScalingArgs(CheckedArgs):
    """How an ECS service scales: task bounds, target tracking on CPU, memory and requests, scheduled bounds."""

    min_capacity: int = 2
    """Fewest tasks; 2 by default so one AZ can fail (the seed's prod minimum)."""
    max_capacity: int = 10
    """Most tasks; 10 by default (the seed's prod maximum)."""
    cpu_target: float | None = 70
    """Average CPU % to track; 70 by default (the seed's). None disables the policy."""
    memory_target: float | None = 80
    """Average memory % to track; 80 by default (the seed's). None disables the policy."""
    requests_per_target: int | None = None
    """ALB requests per task to track (web services only); off by default."""
    scale_in_cooldown: int = 60
    """Seconds between scale-in steps; 60 by default (the seed's)."""
    scale_out_cooldown: int = 60
    """Seconds between scale-out steps; 60 by default (the seed's)."""
    schedules: Sequence[ScheduledCapacity] = ()
    """Scheduled changes of min/max capacity; none by default."""


def scaling_problems(args: ServiceScalingArgs, *, min_floor: int) -> list[Problem]:
    """`min_floor` is 1 for web services (an ALB with no target) and 0 for queue workers."""
    problems: list[Problem] = []
    if args.min_capacity < min_floor:
        problems.append(Problem("scaling.min_capacity", f"{args.min_capacity} is below {min_floor}"))
    if args.max_capacity < max(args.min_capacity, 1):
        problems.append(Problem("scaling.max_capacity", f"{args.max_capacity} is below minCapacity or 1"))
    for name in ("cpu_target", "memory_target"):
        target = getattr(args, name)
        if target is not None and not 10 <= target <= 95:
            problems.append(Problem(f"scaling.{name}", f"{target}% is outside 10-95"))
    if args.requests_per_target is not None and args.requests_per_target < 1:
        problems.append(Problem("scaling.requests_per_target", "must be at least 1"))
    for name in ("scale_in_cooldown", "scale_out_cooldown"):
        if not 0 <= getattr(args, name) <= 3600:
            problems.append(Problem(f"scaling.{name}", f"{getattr(args, name)} is outside 0-3600 seconds"))
    names = [s.name for s in args.schedules]
    if len(set(names)) != len(names):
        problems.append(Problem("scaling.schedules", "two schedules share a name; name each once"))
    for i, action in enumerate(args.schedules):
        path = f"scaling.schedules[{i}]"
        if not SCHEDULED_ACTION_NAME.match(action.name):
            problems.append(Problem(f"{path}.name", f"{action.name!r}: use 1-100 letters, digits, - or _"))
        problems += schedule_problems(f"{path}.schedule", action.schedule)
        problems += timezone_problems(f"{path}.timezone", action.timezone)
        if not 0 <= action.min_capacity <= action.max_capacity:
            problems.append(Problem(path, "needs 0 <= minCapacity <= maxCapacity"))
    return problems


@dataclass(frozen=True, kw_only=True)
class QueueBacklogMetric:
    """The SQS backlog a queue worker tracks, per running task."""

    queue_name: pulumi.Input[str]
    """The queue's name (the CloudWatch dimension)."""
    target_backlog_per_task: int
    """Visible messages per running task to hold the backlog at."""


@dataclass(frozen=True)
class _MetricRef:
    namespace: str
    metric_name: str
    dimensions: dict[str, pulumi.Input[str]]


def _queue_messages(queue_name: pulumi.Input[str]) -> _MetricRef:
    """The SQS metric both the backlog ratio and the scale-from-zero alarm read."""
    return _MetricRef("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": queue_name})


def _running_tasks(cluster_name: pulumi.Input[str], service_name: pulumi.Input[str]) -> _MetricRef:
    """Container Insights' running task count of the service (our clusters always enable it)."""
    return _MetricRef(
        "ECS/ContainerInsights", "RunningTaskCount", {"ClusterName": cluster_name, "ServiceName": service_name}
    )


def _tracking_query(query_id: str, metric: _MetricRef, stat: str) -> MetricQuery:
    return MetricQuery(
        id=query_id,
        metric_stat=MetricStat(
            metric=Metric(
                namespace=metric.namespace,
                metric_name=metric.metric_name,
                dimensions=[MetricDimension(name=k, value=v) for k, v in metric.dimensions.items()],
            ),
            stat=stat,
        ),
        return_data=False,
    )


def backlog_per_task(
    queue_name: pulumi.Input[str], cluster_name: pulumi.Input[str], service_name: pulumi.Input[str]
) -> CustomizedMetric:
    """AWS's "backlog per task" (Application Auto Scaling guide, target tracking with metric
    math): visible messages divided by the service's running tasks."""
    return CustomizedMetric(
        metrics=[
            _tracking_query("m1", _queue_messages(queue_name), "Sum"),
            _tracking_query("m2", _running_tasks(cluster_name, service_name), "Average"),
            MetricQuery(id="e1", expression="m1 / m2", label="Visible messages per running task", return_data=True),
        ]
    )


def service_scaling(
    name: str,
    args: ServiceScalingArgs,
    *,
    cluster_name: pulumi.Input[str],
    service_name: pulumi.Input[str],
    request_count_label: pulumi.Input[str] | None,
    queue_backlog: QueueBacklogMetric | None,
    opts: pulumi.ResourceOptions,
) -> aws.appautoscaling.Target:
    """The scalable target with its policies and scheduled actions."""
    target = aws.appautoscaling.Target(
        f"{name}-scaling-target",
        service_namespace="ecs",
        scalable_dimension="ecs:service:DesiredCount",
        resource_id=pulumi.Output.concat("service/", cluster_name, "/", service_name),
        min_capacity=args.min_capacity,
        max_capacity=args.max_capacity,
        opts=opts,
    )
    metrics: dict[str, tuple[float, PredefinedMetric | CustomizedMetric]] = {}
    if args.cpu_target is not None:
        metrics["cpu"] = (args.cpu_target, PredefinedMetric(predefined_metric_type="ECSServiceAverageCPUUtilization"))
    if args.memory_target is not None:
        metrics["memory"] = (
            args.memory_target,
            PredefinedMetric(predefined_metric_type="ECSServiceAverageMemoryUtilization"),
        )
    if args.requests_per_target is not None and request_count_label is not None:
        metrics["requests"] = (
            args.requests_per_target,
            PredefinedMetric(predefined_metric_type="ALBRequestCountPerTarget", resource_label=request_count_label),
        )
    if queue_backlog is not None:
        metrics["queue-backlog"] = (
            queue_backlog.target_backlog_per_task,
            backlog_per_task(queue_backlog.queue_name, cluster_name, service_name),
        )
    policies = {
        kind: TrackingConfig(
            target_value=target_value,
            predefined_metric_specification=metric if isinstance(metric, PredefinedMetric) else None,
            customized_metric_specification=metric if isinstance(metric, CustomizedMetric) else None,
            scale_in_cooldown=args.scale_in_cooldown,
            scale_out_cooldown=args.scale_out_cooldown,
        )
        for kind, (target_value, metric) in metrics.items()
    }
    for kind, configuration in policies.items():
        aws.appautoscaling.Policy(
            f"{name}-scale-on-{kind}",
            policy_type="TargetTrackingScaling",
            service_namespace=target.service_namespace,
            scalable_dimension=target.scalable_dimension,
            resource_id=target.resource_id,
            target_tracking_scaling_policy_configuration=configuration,
            opts=opts,
        )
    if queue_backlog is not None and args.min_capacity == 0:
        _start_from_zero(name, args, target, queue_backlog.queue_name, cluster_name, service_name, opts)
    for action in args.schedules:
        aws.appautoscaling.ScheduledAction(
            f"{name}-schedule-{action.name}",
            service_namespace=target.service_namespace,
            scalable_dimension=target.scalable_dimension,
            resource_id=target.resource_id,
            schedule=action.schedule,
            timezone=action.timezone,
            scalable_target_action=aws.appautoscaling.ScheduledActionScalableTargetActionArgs(
                min_capacity=action.min_capacity, max_capacity=action.max_capacity
            ),
            opts=opts,
        )
    return target


def _start_from_zero(
    name: str,
    args: ServiceScalingArgs,
    target: aws.appautoscaling.Target,
    queue_name: pulumi.Input[str],
    cluster_name: pulumi.Input[str],
    service_name: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> None:
    """Backlog per task is undefined over zero tasks, so target tracking never starts the
    first one: a step policy adds a task when messages are visible while none runs.

    The alarm is gated on zero running tasks (FILL: no data counts as none) so that, once
    tasks run, it stays OK and never fights target tracking; the step adds one task
    (ChangeInCapacity, not ExactCapacity, so a late alarm can never shrink a running fleet).
    """
    policy = aws.appautoscaling.Policy(
        f"{name}-scale-from-zero",
        policy_type="StepScaling",
        service_namespace=target.service_namespace,
        scalable_dimension=target.scalable_dimension,
        resource_id=target.resource_id,
        step_scaling_policy_configuration=aws.appautoscaling.PolicyStepScalingPolicyConfigurationArgs(
            adjustment_type="ChangeInCapacity",
            cooldown=args.scale_out_cooldown,
            metric_aggregation_type="Maximum",
            step_adjustments=[
                aws.appautoscaling.PolicyStepScalingPolicyConfigurationStepAdjustmentArgs(
                    metric_interval_lower_bound="0", scaling_adjustment=1
                )
            ],
        ),
        opts=opts,
    )
    aws.cloudwatch.MetricAlarm(
        f"{name}-backlog-without-tasks",
        alarm_description=f"Messages wait in the {name} queue while no task runs: start one",
        comparison_operator="GreaterThanOrEqualToThreshold",
        threshold=1,
        evaluation_periods=1,
        treat_missing_data="notBreaching",
        metric_queries=[
            _alarm_query("m1", _queue_messages(queue_name), "Maximum"),
            _alarm_query("m2", _running_tasks(cluster_name, service_name), "Maximum"),
            aws.cloudwatch.MetricAlarmMetricQueryArgs(
                id="e1",
                expression="IF(m1 > 0 AND FILL(m2, 0) == 0, 1, 0)",
                label="Visible messages with no running task",
                return_data=True,
            ),
        ],
        alarm_actions=[policy.arn],
        opts=opts,
    )


def _alarm_query(query_id: str, metric: _MetricRef, stat: str) -> aws.cloudwatch.MetricAlarmMetricQueryArgs:
    return aws.cloudwatch.MetricAlarmMetricQueryArgs(
        id=query_id,
        metric=aws.cloudwatch.MetricAlarmMetricQueryMetricArgs(
            namespace=metric.namespace,
            metric_name=metric.metric_name,
            dimensions=metric.dimensions,
            period=60,
            stat=stat,
        ),
        return_data=False,
    )
