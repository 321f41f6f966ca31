"""How an Auto Scaling group scales: target tracking, scheduled actions, predictive scaling.

Target tracking is the recommended default (the seed's "Auto Scaling Strategies"): CPU, and
ALB requests per target when the group is behind a load balancer. Scheduled actions cover
known daily patterns; predictive scaling learns them, and starts in ForecastOnly mode so a
forecast is reviewed before it moves capacity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_aws as aws

from components.cron import cron_problem
from components.schedules import timezone_problems
from components.validation import SCHEDULED_ACTION_NAME, CheckedArgs, Problem

PredictiveMode = Literal["ForecastOnly", "ForecastAndScale"]

#: What a scheduled action passes for a size it leaves unchanged.
_UNCHANGED = -1


@dataclass(frozen=True, kw_only=True)
class ScheduledActionArgs(CheckedArgs):
    """A recurring change of the group's size bounds (cron in a time zone)."""

    name: str
    """Unique per group (letters, digits, - and _); also the child's logical name suffix."""
    recurrence: str
    """Unix cron, 5 fields (`0 7 * * MON-FRI`), evaluated in `time_zone`."""
    time_zone: str = "UTC"
    """IANA time zone of the recurrence (`Europe/Paris`); UTC by default."""
    min_size: int | None = None
    """New minimum size; None leaves it unchanged."""
    max_size: int | None = None
    """New maximum size; None leaves it unchanged."""
    desired_capacity: int | None = None
    """New desired capacity; None leaves it unchanged."""


@dataclass(frozen=True, kw_only=True)
class PredictiveScalingArgs(CheckedArgs):
    """Predictive scaling on CPU: forecast only, or forecast and scale ahead of load."""

    mode: PredictiveMode = "ForecastOnly"
    """ForecastOnly by default: review forecasts in the console before letting them scale."""
    cpu_target: float = 50.0
    """Average CPU (%) the forecast plans capacity for."""
    scheduling_buffer_seconds: int = 300
    """How long before the forecast peak instances launch (0-3600); 5 minutes of boot time."""


@dataclass(frozen=True, kw_only=True)
class GroupScalingArgs(CheckedArgs):
    """How an Auto Scaling group scales: target tracking on CPU and requests, scheduled actions, predictive scaling."""

    cpu_target: float | None = 50.0
    """Target tracking on average CPU (%); 50 by default leaves headroom for spikes while
    new instances boot. None for no CPU policy."""
    requests_per_target: int | None = None
    """Target tracking on ALB requests per target; needs a load balancer. None by default."""
    scale_in: bool = True
    """Whether target tracking may remove instances; off only for workloads that must not
    lose instances mid-task (then a schedule or an operator scales in)."""
    scheduled_actions: Sequence[ScheduledActionArgs] = ()
    """Scheduled capacity changes; none by default. A `pulumi up` between two actions sets
    the group's configured sizes back until the next action runs."""
    predictive: PredictiveScalingArgs | None = None
    """Predictive scaling on CPU; off by default (needs 24 hours of history to forecast)."""

    @property
    def has_policy(self) -> bool:
        return (
            self.cpu_target is not None
            or self.requests_per_target is not None
            or bool(self.scheduled_actions)
            or self.predictive is not None
        )


def _percent_problem(field_path: str, value: float) -> list[Problem]:
    if 0 < value <= 100:
        return []
    return [Problem(field_path, f"{value} is not a CPU percentage; use a value above 0 and at most 100")]


def scaling_problems(args: GroupScalingArgs, *, has_load_balancer: bool, prefix: str = "scaling.") -> list[Problem]:
    """Every rule GroupScalingArgs must satisfy within its group."""
    problems: list[Problem] = []
    if args.cpu_target is not None:
        problems += _percent_problem(f"{prefix}cpu_target", args.cpu_target)
    if args.requests_per_target is not None:
        if not has_load_balancer:
            problems.append(
                Problem(
                    f"{prefix}requests_per_target",
                    "scaling on ALB requests needs the group behind a load balancer; set load_balancer or remove it",
                )
            )
        if args.requests_per_target < 1:
            problems.append(Problem(f"{prefix}requests_per_target", "must be at least 1 request per target"))
    names = [action.name for action in args.scheduled_actions]
    if len(set(names)) != len(names):
        problems.append(Problem(f"{prefix}scheduled_actions", "an action name is used twice; name each once"))
    for i, action in enumerate(args.scheduled_actions):
        path = f"{prefix}scheduled_actions.{i}"
        if not SCHEDULED_ACTION_NAME.match(action.name):
            problems.append(Problem(f"{path}.name", f"{action.name!r}: use 1-100 letters, digits, - or _"))
        cron = cron_problem(action.recurrence)
        if cron:
            problems.append(Problem(f"{path}.recurrence", cron))
        problems += timezone_problems(f"{path}.time_zone", action.time_zone)
        sizes = [s for s in (action.min_size, action.desired_capacity, action.max_size) if s is not None]
        if not sizes:
            problems.append(Problem(path, "changes nothing; set min_size, max_size or desired_capacity"))
        if any(s < 0 for s in sizes) or sizes != sorted(sizes):
            problems.append(Problem(path, "sizes must be non-negative with min_size <= desired_capacity <= max_size"))
    if args.predictive is not None:
        problems += _percent_problem(f"{prefix}predictive.cpu_target", args.predictive.cpu_target)
        if not 0 <= args.predictive.scheduling_buffer_seconds <= 3600:
            problems.append(Problem(f"{prefix}predictive.scheduling_buffer_seconds", "must be 0-3600 seconds"))
    return problems


@dataclass(frozen=True, kw_only=True)
class ScalingTarget:
    """The group the policies act on, and the ALB metric label when it has one."""

    group_name: pulumi.Input[str]
    request_count_label: pulumi.Input[str] | None = None
    load_balancer_ready: Sequence[pulumi.Resource] = field(default_factory=tuple)
    """Resources (the listener rule) that must exist before ALB metrics can be tracked."""


def add_scaling(name: str, args: GroupScalingArgs, target: ScalingTarget, opts: pulumi.ResourceOptions) -> None:
    """The policies and scheduled actions of `args`, as children per `opts`."""
    if args.cpu_target is not None:
        _target_tracking(
            f"{name}-cpu", target.group_name, args, args.cpu_target, "ASGAverageCPUUtilization", None, opts
        )
    if args.requests_per_target is not None and target.request_count_label is not None:
        _target_tracking(
            f"{name}-requests",
            target.group_name,
            args,
            float(args.requests_per_target),
            "ALBRequestCountPerTarget",
            target.request_count_label,
            pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=list(target.load_balancer_ready))),
        )
    for action in args.scheduled_actions:
        aws.autoscaling.Schedule(
            f"{name}-schedule-{action.name}",
            autoscaling_group_name=target.group_name,
            scheduled_action_name=action.name,
            recurrence=action.recurrence,
            time_zone=action.time_zone,
            min_size=_UNCHANGED if action.min_size is None else action.min_size,
            max_size=_UNCHANGED if action.max_size is None else action.max_size,
            desired_capacity=_UNCHANGED if action.desired_capacity is None else action.desired_capacity,
            opts=opts,
        )
    if args.predictive is not None:
        spec = aws.autoscaling.PolicyPredictiveScalingConfigurationMetricSpecificationArgs(
            target_value=args.predictive.cpu_target,
            predefined_metric_pair_specification=aws.autoscaling.PolicyPredictiveScalingConfigurationMetricSpecificationPredefinedMetricPairSpecificationArgs(
                predefined_metric_type="ASGCPUUtilization"
            ),
        )
        aws.autoscaling.Policy(
            f"{name}-predictive",
            autoscaling_group_name=target.group_name,
            policy_type="PredictiveScaling",
            predictive_scaling_configuration=aws.autoscaling.PolicyPredictiveScalingConfigurationArgs(
                mode=args.predictive.mode,
                scheduling_buffer_time=str(args.predictive.scheduling_buffer_seconds),
                max_capacity_breach_behavior="HonorMaxCapacity",
                metric_specification=spec,
            ),
            opts=opts,
        )


def _target_tracking(
    policy_name: str,
    group_name: pulumi.Input[str],
    args: GroupScalingArgs,
    target_value: float,
    metric: str,
    resource_label: pulumi.Input[str] | None,
    opts: pulumi.ResourceOptions,
) -> None:
    aws.autoscaling.Policy(
        policy_name,
        autoscaling_group_name=group_name,
        policy_type="TargetTrackingScaling",
        target_tracking_configuration=aws.autoscaling.PolicyTargetTrackingConfigurationArgs(
            target_value=target_value,
            disable_scale_in=not args.scale_in,
            predefined_metric_specification=aws.autoscaling.PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs(
                predefined_metric_type=metric, resource_label=resource_label
            ),
        ),
        opts=opts,
    )
