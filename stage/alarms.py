"""`aws-compute:alarms`: the stage's alarm topic, who it notifies, and every alarm's trigger.

Config reference (camelCase keys; each alarm is on with the defaults shown, `null` turns it
off, and a block sets only what it changes):

```yaml
aws-compute:alarms:
  enabled: true                   # false: no topic and no alarm (a throwaway stage)
  displayName: aws-compute prod   # sender name of email notifications
  subscriptions:                  # each endpoint once; none by default (nobody is paged)
    - {protocol: email, endpoint: oncall@example.com}          # confirmed from the email SNS sends
    - {protocol: https, endpoint: "https://events.pagerduty.com/integration/<key>/enqueue"}  # must auto-confirm
    - {protocol: sqs, endpoint: "arn:aws:sqs:us-east-1:123456789012:alarms"}   # its policy lets the topic send
    - {protocol: lambda, endpoint: "arn:aws:lambda:us-east-1:123456789012:function:notify"}  # permission added
  functions:                      # every Lambda function
    errors: {threshold: 1, periodSeconds: 300, evaluationPeriods: 1}
    throttles: {threshold: 1, periodSeconds: 300, evaluationPeriods: 1}
    deadLetterQueue: {threshold: 1, periodSeconds: 300, evaluationPeriods: 1}     # visible messages
    queueAgeSeconds: {threshold: 900, periodSeconds: 300, evaluationPeriods: 1}   # its SQS trigger
  services:                       # every ECS service (jobs have none)
    runningBelowDesired: {threshold: 1, periodSeconds: 60, evaluationPeriods: 5}  # desired - running tasks
    cpu: {threshold: 90, periodSeconds: 300, evaluationPeriods: 3}                # percent, above
    memory: {threshold: 90, periodSeconds: 300, evaluationPeriods: 3}
    queueAgeSeconds: {threshold: 900, periodSeconds: 300, evaluationPeriods: 1}   # workers
    deadLetterQueue: {threshold: 1, periodSeconds: 300, evaluationPeriods: 1}     # workers with a created queue
    targetServerErrors: {threshold: 10, periodSeconds: 300, evaluationPeriods: 1} # 5xx from web services
    unhealthyTargets: {threshold: 1, periodSeconds: 60, evaluationPeriods: 3}
  loadBalancer:
    serverErrors: {threshold: 10, periodSeconds: 300, evaluationPeriods: 1}       # 5xx the ALB generates
  autoscaling:                    # every group, ECS EC2 capacity included
    inServiceBelowDesired: {threshold: 1, periodSeconds: 60, evaluationPeriods: 10}
    targetServerErrors: {threshold: 10, periodSeconds: 300, evaluationPeriods: 1} # groups behind an ALB
    unhealthyTargets: {threshold: 1, periodSeconds: 60, evaluationPeriods: 3}
  eks:
    nodeGroupBelowDesired: {threshold: 1, periodSeconds: 60, evaluationPeriods: 10}
    unschedulablePods: {threshold: 1, periodSeconds: 60, evaluationPeriods: 10}
```

Every alarm also takes `datapointsToAlarm` ("M out of N"; all periods by default). Alarms
notify when they fire and when they recover.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Any, ClassVar

import pulumi
from pydantic import Field

from components import (
    AlarmArgs,
    AlarmTopicArgs,
    EksAlarmsArgs,
    FunctionAlarmsArgs,
    GroupAlarmsArgs,
    LoadBalancerAlarmsArgs,
    Problem,
    ServiceAlarmsArgs,
    SubscriptionArgs,
    SubscriptionProtocol,
)
from stage.base import ConfigModel, args_problems


class AlarmConfig(ConfigModel):
    """One alarm's trigger; unset keys keep that alarm's default."""

    threshold: float | None = None
    period_seconds: int | None = None
    evaluation_periods: int | None = None
    datapoints_to_alarm: int | None = None

    def merged(self, default: AlarmArgs) -> AlarmArgs:
        return dataclasses.replace(default, **self.model_dump(exclude_unset=True))


def _on() -> AlarmConfig:
    return AlarmConfig()


class _AlarmsBlock(ConfigModel):
    """The alarms of one kind of component: each field an alarm of `args_type`."""

    args_type: ClassVar[type]

    def to_args(self, topic_arn: pulumi.Input[str]) -> Any:
        defaults = self.args_type(topic_arn=topic_arn)
        return dataclasses.replace(
            defaults,
            **{
                name: None if block is None else block.merged(getattr(defaults, name))
                for name, block in ((name, getattr(self, name)) for name in type(self).model_fields)
            },
        )

    def problems(self) -> list[Problem]:
        """Each alarm's rules, named by its key."""
        defaults = self.args_type(topic_arn="topic")
        return [
            Problem(f"{name}.{p.field}", p.message)
            for name in type(self).model_fields
            if (block := getattr(self, name)) is not None
            for p in args_problems(functools.partial(block.merged, getattr(defaults, name)))
        ]


class FunctionAlarmsConfig(_AlarmsBlock):
    args_type = FunctionAlarmsArgs
    errors: AlarmConfig | None = Field(default_factory=_on)
    throttles: AlarmConfig | None = Field(default_factory=_on)
    dead_letter_queue: AlarmConfig | None = Field(default_factory=_on)
    queue_age_seconds: AlarmConfig | None = Field(default_factory=_on)


class ServiceAlarmsConfig(_AlarmsBlock):
    args_type = ServiceAlarmsArgs
    running_below_desired: AlarmConfig | None = Field(default_factory=_on)
    cpu: AlarmConfig | None = Field(default_factory=_on)
    memory: AlarmConfig | None = Field(default_factory=_on)
    queue_age_seconds: AlarmConfig | None = Field(default_factory=_on)
    dead_letter_queue: AlarmConfig | None = Field(default_factory=_on)
    target_server_errors: AlarmConfig | None = Field(default_factory=_on)
    unhealthy_targets: AlarmConfig | None = Field(default_factory=_on)


class LoadBalancerAlarmsConfig(_AlarmsBlock):
    args_type = LoadBalancerAlarmsArgs
    server_errors: AlarmConfig | None = Field(default_factory=_on)


class GroupAlarmsConfig(_AlarmsBlock):
    args_type = GroupAlarmsArgs
    in_service_below_desired: AlarmConfig | None = Field(default_factory=_on)
    target_server_errors: AlarmConfig | None = Field(default_factory=_on)
    unhealthy_targets: AlarmConfig | None = Field(default_factory=_on)


class EksAlarmsConfig(_AlarmsBlock):
    args_type = EksAlarmsArgs
    node_group_below_desired: AlarmConfig | None = Field(default_factory=_on)
    unschedulable_pods: AlarmConfig | None = Field(default_factory=_on)


class SubscriptionConfig(ConfigModel):
    protocol: SubscriptionProtocol
    endpoint: str


@dataclass(frozen=True)
class StageAlarms:
    """The alarms args each area hands its components: all None when the stage has no alarms."""

    functions: FunctionAlarmsArgs | None = None
    services: ServiceAlarmsArgs | None = None
    load_balancer: LoadBalancerAlarmsArgs | None = None
    autoscaling: GroupAlarmsArgs | None = None
    eks: EksAlarmsArgs | None = None


class AlarmsConfig(ConfigModel):
    enabled: bool = True
    display_name: str | None = None
    subscriptions: list[SubscriptionConfig] = Field(default_factory=list)
    functions: FunctionAlarmsConfig = Field(default_factory=FunctionAlarmsConfig)
    services: ServiceAlarmsConfig = Field(default_factory=ServiceAlarmsConfig)
    load_balancer: LoadBalancerAlarmsConfig = Field(default_factory=LoadBalancerAlarmsConfig)
    autoscaling: GroupAlarmsConfig = Field(default_factory=GroupAlarmsConfig)
    eks: EksAlarmsConfig = Field(default_factory=EksAlarmsConfig)

    def topic_args(self) -> AlarmTopicArgs:
        return AlarmTopicArgs(
            display_name=self.display_name,
            subscriptions=tuple(SubscriptionArgs(protocol=s.protocol, endpoint=s.endpoint) for s in self.subscriptions),
        )

    def notifying(self, topic_arn: pulumi.Input[str] | None) -> StageAlarms:
        """Each area's alarms on the stage's topic; none without a topic."""
        if topic_arn is None:
            return StageAlarms()
        return StageAlarms(
            functions=self.functions.to_args(topic_arn),
            services=self.services.to_args(topic_arn),
            load_balancer=self.load_balancer.to_args(topic_arn),
            autoscaling=self.autoscaling.to_args(topic_arn),
            eks=self.eks.to_args(topic_arn),
        )

    def problems(self) -> list[Problem]:
        if not self.enabled:
            return []
        problems = args_problems(self.topic_args)
        for area in ("functions", "services", "load_balancer", "autoscaling", "eks"):
            problems += [Problem(f"{area}.{p.field}", p.message) for p in getattr(self, area).problems()]
        return problems
