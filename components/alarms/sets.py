"""The alarms each component raises, on the metrics AWS publishes for what it created.

Logical names are `<component>-alarm-<what>` (per node group `...-<group>`), so a
component's alarms sit beside its resources and never collide between components.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import pulumi

from components.alarms.args import (
    AlarmArgs,
    EksAlarmsArgs,
    FunctionAlarmsArgs,
    GroupAlarmsArgs,
    LoadBalancerAlarmsArgs,
    ServiceAlarmsArgs,
    TargetAlarmsArgs,
)
from components.alarms.metric import Metric, metric_alarm, shortfall_alarm

_SQS, _ALB = "AWS/SQS", "AWS/ApplicationELB"


class _QueueMetric(NamedTuple):
    """An SQS metric a queue alarm watches (its Maximum), and what it means when it fires."""

    name: str
    meaning: str


_DEPTH = _QueueMetric(
    "ApproximateNumberOfMessagesVisible", "messages wait in it; inspect them, fix the cause, redrive them"
)
_AGE = _QueueMetric(
    "ApproximateAgeOfOldestMessage", "its oldest message waits too long; the consumer falls behind or fails"
)


def _queue_alarm(
    name: str,
    metric: _QueueMetric,
    alarm: AlarmArgs,
    queue_name: pulumi.Input[str],
    what: str,
    topic: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> None:
    metric_alarm(
        name,
        alarm,
        Metric(_SQS, metric.name, {"QueueName": queue_name}, "Maximum"),
        description=f"{what}: {metric.meaning}",
        topic_arn=topic,
        opts=opts,
    )


def function_alarms(
    name: str,
    alarms: FunctionAlarmsArgs,
    *,
    function_name: pulumi.Input[str],
    trigger_queue_name: pulumi.Input[str] | None,
    dead_letter_queues: Mapping[str, pulumi.Input[str]],
    opts: pulumi.ResourceOptions,
) -> None:
    """Errors and throttles of the function (all versions); the age of its SQS trigger queue;
    the depth of each dead-letter queue it created, by role (`trigger-dlq`, `failures`)."""
    topic = alarms.topic_arn
    for what, alarm, metric in (
        ("errors", alarms.errors, "Errors"),
        ("throttles", alarms.throttles, "Throttles"),
    ):
        if alarm is not None:
            metric_alarm(
                f"{name}-alarm-{what}",
                alarm,
                Metric("AWS/Lambda", metric, {"FunctionName": function_name}, "Sum"),
                description=f"{name}: invocations report {what}",
                topic_arn=topic,
                opts=opts,
            )
    if alarms.queue_age_seconds is not None and trigger_queue_name is not None:
        _queue_alarm(
            f"{name}-alarm-queue-age",
            _AGE,
            alarms.queue_age_seconds,
            trigger_queue_name,
            f"{name}'s queue",
            topic,
            opts,
        )
    if alarms.dead_letter_queue is not None:
        for role, queue_name in dead_letter_queues.items():
            _queue_alarm(
                f"{name}-alarm-{role}-depth",
                _DEPTH,
                alarms.dead_letter_queue,
                queue_name,
                f"{name}'s {role} queue",
                topic,
                opts,
            )


def target_alarms(
    name: str,
    alarms: TargetAlarmsArgs,
    *,
    target_group_arn_suffix: pulumi.Input[str],
    load_balancer_arn_suffix: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> None:
    """5xx answered by the targets, and unhealthy targets, of one target group."""
    dimensions = {"TargetGroup": target_group_arn_suffix, "LoadBalancer": load_balancer_arn_suffix}
    if alarms.target_server_errors is not None:
        metric_alarm(
            f"{name}-alarm-target-5xx",
            alarms.target_server_errors,
            Metric(_ALB, "HTTPCode_Target_5XX_Count", dimensions, "Sum"),
            description=f"{name}: its targets answer with 5xx errors",
            topic_arn=alarms.topic_arn,
            opts=opts,
        )
    if alarms.unhealthy_targets is not None:
        metric_alarm(
            f"{name}-alarm-unhealthy-targets",
            alarms.unhealthy_targets,
            Metric(_ALB, "UnHealthyHostCount", dimensions, "Maximum"),
            description=f"{name}: targets fail the load balancer's health check",
            topic_arn=alarms.topic_arn,
            opts=opts,
        )


def service_alarms(
    name: str,
    alarms: ServiceAlarmsArgs,
    *,
    cluster_name: pulumi.Input[str],
    service_name: pulumi.Input[str],
    queue_name: pulumi.Input[str] | None,
    dead_letter_queue_name: pulumi.Input[str] | None,
    opts: pulumi.ResourceOptions,
) -> None:
    """Running below desired (Container Insights), CPU and memory saturation, and a worker's queue."""
    topic = alarms.topic_arn
    service = {"ClusterName": cluster_name, "ServiceName": service_name}
    if alarms.running_below_desired is not None:
        shortfall_alarm(
            f"{name}-alarm-running-below-desired",
            alarms.running_below_desired,
            Metric("ECS/ContainerInsights", "DesiredTaskCount", service, "Average"),
            Metric("ECS/ContainerInsights", "RunningTaskCount", service, "Average"),
            description=f"{name}: fewer tasks run than desired; tasks fail to start or keep stopping",
            topic_arn=topic,
            opts=opts,
        )
    for what, alarm, metric in (
        ("cpu", alarms.cpu, "CPUUtilization"),
        ("memory", alarms.memory, "MemoryUtilization"),
    ):
        if alarm is not None:
            metric_alarm(
                f"{name}-alarm-{what}",
                alarm,
                Metric("AWS/ECS", metric, service, "Average"),
                description=f"{name}: {what} saturated; scaling has reached its maximum or cannot keep up",
                topic_arn=topic,
                opts=opts,
                comparison="GreaterThanThreshold",
            )
    if alarms.queue_age_seconds is not None and queue_name is not None:
        _queue_alarm(
            f"{name}-alarm-queue-age", _AGE, alarms.queue_age_seconds, queue_name, f"{name}'s queue", topic, opts
        )
    if alarms.dead_letter_queue is not None and dead_letter_queue_name is not None:
        _queue_alarm(
            f"{name}-alarm-dlq-depth",
            _DEPTH,
            alarms.dead_letter_queue,
            dead_letter_queue_name,
            f"{name}'s DLQ",
            topic,
            opts,
        )


def load_balancer_alarms(
    name: str, alarms: LoadBalancerAlarmsArgs, *, arn_suffix: pulumi.Input[str], opts: pulumi.ResourceOptions
) -> None:
    if alarms.server_errors is not None:
        metric_alarm(
            f"{name}-alarm-elb-5xx",
            alarms.server_errors,
            Metric(_ALB, "HTTPCode_ELB_5XX_Count", {"LoadBalancer": arn_suffix}, "Sum"),
            description=f"{name}: the load balancer answers with 5xx itself (no healthy target, timeouts)",
            topic_arn=alarms.topic_arn,
            opts=opts,
        )


def _group_shortfall(
    name: str,
    alarm: AlarmArgs,
    group_name: pulumi.Input[str],
    what: str,
    topic: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> None:
    group = {"AutoScalingGroupName": group_name}
    shortfall_alarm(
        name,
        alarm,
        Metric("AWS/AutoScaling", "GroupDesiredCapacity", group, "Average"),
        Metric("AWS/AutoScaling", "GroupInServiceInstances", group, "Average"),
        description=f"{what}: fewer instances in service than desired; launches or health checks fail",
        topic_arn=topic,
        opts=opts,
    )


def group_alarms(
    name: str, alarms: GroupAlarmsArgs, *, group_name: pulumi.Input[str], opts: pulumi.ResourceOptions
) -> None:
    if alarms.in_service_below_desired is not None:
        _group_shortfall(
            f"{name}-alarm-in-service-below-desired",
            alarms.in_service_below_desired,
            group_name,
            name,
            alarms.topic_arn,
            opts,
        )


def eks_alarms(
    name: str,
    alarms: EksAlarmsArgs,
    *,
    cluster_name: pulumi.Input[str],
    node_group_asgs: Mapping[str, pulumi.Input[str]],
    opts: pulumi.ResourceOptions,
) -> None:
    """Node groups short of desired (their Auto Scaling groups), and unschedulable pods."""
    if alarms.node_group_below_desired is not None:
        for group, asg in node_group_asgs.items():
            _group_shortfall(
                f"{name}-alarm-node-group-below-desired-{group}",
                alarms.node_group_below_desired,
                asg,
                f"{name} node group {group}",
                alarms.topic_arn,
                opts,
            )
    if alarms.unschedulable_pods is not None:
        metric_alarm(
            f"{name}-alarm-unschedulable-pods",
            alarms.unschedulable_pods,
            Metric("AWS/EKS", "scheduler_pending_pods_UNSCHEDULABLE", {"ClusterName": cluster_name}, "Sum"),
            description=f"{name}: pods wait that no node can take; the cluster needs capacity",
            topic_arn=alarms.topic_arn,
            opts=opts,
        )
