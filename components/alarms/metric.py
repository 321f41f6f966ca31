"""One CloudWatch alarm, the way every component raises it: on a metric or on the difference
of two (metric math), notifying the stage's topic when it fires and when it recovers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypedDict

import pulumi
import pulumi_aws as aws

from components.alarms.args import AlarmArgs

Comparison = Literal["GreaterThanOrEqualToThreshold", "GreaterThanThreshold"]


@dataclass(frozen=True)
class Metric:
    namespace: str
    name: str
    dimensions: Mapping[str, pulumi.Input[str]]
    statistic: Literal["Sum", "Average", "Maximum"]


def metric_alarm(
    name: str,
    alarm: AlarmArgs,
    metric: Metric,
    *,
    description: str,
    topic_arn: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
    comparison: Comparison = "GreaterThanOrEqualToThreshold",
) -> aws.cloudwatch.MetricAlarm:
    """An alarm on one metric; periods without data do not breach (an idle queue or function
    publishes nothing)."""
    return aws.cloudwatch.MetricAlarm(
        name,
        alarm_description=description,
        namespace=metric.namespace,
        metric_name=metric.name,
        dimensions=dict(metric.dimensions),
        statistic=metric.statistic,
        period=alarm.period_seconds,
        **_trigger(alarm, comparison, topic_arn),
        opts=opts,
    )


def shortfall_alarm(
    name: str,
    alarm: AlarmArgs,
    wanted: Metric,
    actual: Metric,
    *,
    description: str,
    topic_arn: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> aws.cloudwatch.MetricAlarm:
    """An alarm on `wanted - actual` (desired minus running tasks or in-service instances)."""

    def query(id_: str, metric: Metric) -> aws.cloudwatch.MetricAlarmMetricQueryArgs:
        return aws.cloudwatch.MetricAlarmMetricQueryArgs(
            id=id_,
            return_data=False,
            metric=aws.cloudwatch.MetricAlarmMetricQueryMetricArgs(
                namespace=metric.namespace,
                metric_name=metric.name,
                dimensions=dict(metric.dimensions),
                stat=metric.statistic,
                period=alarm.period_seconds,
            ),
        )

    return aws.cloudwatch.MetricAlarm(
        name,
        alarm_description=description,
        metric_queries=[
            aws.cloudwatch.MetricAlarmMetricQueryArgs(
                id="shortfall", expression="wanted - actual", label="shortfall", return_data=True
            ),
            query("wanted", wanted),
            query("actual", actual),
        ],
        **_trigger(alarm, "GreaterThanOrEqualToThreshold", topic_arn),
        opts=opts,
    )


class _Trigger(TypedDict):
    comparison_operator: str
    threshold: float
    evaluation_periods: int
    datapoints_to_alarm: int
    treat_missing_data: str
    actions_enabled: bool
    alarm_actions: list[pulumi.Input[str]]
    ok_actions: list[pulumi.Input[str]]


def _trigger(alarm: AlarmArgs, comparison: Comparison, topic_arn: pulumi.Input[str]) -> _Trigger:
    return {
        "comparison_operator": comparison,
        "threshold": alarm.threshold,
        "evaluation_periods": alarm.evaluation_periods,
        "datapoints_to_alarm": alarm.datapoints_to_alarm or alarm.evaluation_periods,
        "treat_missing_data": "notBreaching",
        "actions_enabled": True,
        "alarm_actions": [topic_arn],
        "ok_actions": [topic_arn],
    }
