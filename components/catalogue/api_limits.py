"""AWS's own API limits, checked on component args before any child exists.

AWS publishes the input model of every API call in botocore: lengths, ranges, patterns,
enums and list sizes that CreateFunction, CreateNodegroup, ... enforce. A value that breaks
one plans cleanly and fails halfway through `pulumi up`. Two tables tie an args field to
the model: `ARGS_FIELDS` says which resource input an args field becomes, `API_MEMBERS`
which API member that input is sent as. `with_api_limits` checks every mapped field of an
args object (nested args, lists and maps included) and reports it at the field's path, so
the stage names the YAML key; a field the component's own rules already refuse is not
reported twice (its rule is the more specific).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from components.catalogue.models import Shape, service_model
from components.problems import Problem


@dataclass(frozen=True)
class Member:
    """An input member of an AWS API call; `path` is dotted, `[]` steps into list items."""

    service: str
    operation: str
    path: str

    def __str__(self) -> str:
        return f"{self.operation} {self.path}"


_LAMBDA = "aws:lambda/function:Function"
_ESM = "aws:lambda/eventSourceMapping:EventSourceMapping"
_INVOKE = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"
_URL = "aws:lambda/functionUrl:FunctionUrl"
_SCHEDULE = "aws:scheduler/schedule:Schedule"
_TG = "aws:lb/targetGroup:TargetGroup"
_RULE = "aws:lb/listenerRule:ListenerRule"
_ASG = "aws:autoscaling/group:Group"
_NODES = "aws:eks/nodeGroup:NodeGroup"
_EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget"
_EVENT_BUS = "aws:cloudwatch/eventBus:EventBus"
_LAYER = "aws:lambda/layerVersion:LayerVersion"

#: (Pulumi resource type, input property path) -> the API member the provider sends it as.
API_MEMBERS: dict[tuple[str, str], Member] = {
    (_LAMBDA, "memorySize"): Member("lambda", "CreateFunction", "MemorySize"),
    (_LAMBDA, "timeout"): Member("lambda", "CreateFunction", "Timeout"),
    (_LAMBDA, "ephemeralStorage.size"): Member("lambda", "CreateFunction", "EphemeralStorage.Size"),
    (_LAMBDA, "description"): Member("lambda", "CreateFunction", "Description"),
    (_LAMBDA, "handler"): Member("lambda", "CreateFunction", "Handler"),
    (_LAMBDA, "runtime"): Member("lambda", "CreateFunction", "Runtime"),
    (_LAMBDA, "reservedConcurrentExecutions"): Member(
        "lambda", "PutFunctionConcurrency", "ReservedConcurrentExecutions"
    ),
    ("aws:lambda/alias:Alias", "name"): Member("lambda", "CreateAlias", "Name"),
    (
        "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
        "provisionedConcurrentExecutions",
    ): Member("lambda", "PutProvisionedConcurrencyConfig", "ProvisionedConcurrentExecutions"),
    (_ESM, "batchSize"): Member("lambda", "CreateEventSourceMapping", "BatchSize"),
    (_ESM, "maximumBatchingWindowInSeconds"): Member(
        "lambda", "CreateEventSourceMapping", "MaximumBatchingWindowInSeconds"
    ),
    (_ESM, "scalingConfig.maximumConcurrency"): Member(
        "lambda", "CreateEventSourceMapping", "ScalingConfig.MaximumConcurrency"
    ),
    (_INVOKE, "maximumRetryAttempts"): Member("lambda", "PutFunctionEventInvokeConfig", "MaximumRetryAttempts"),
    (_INVOKE, "maximumEventAgeInSeconds"): Member("lambda", "PutFunctionEventInvokeConfig", "MaximumEventAgeInSeconds"),
    (_URL, "cors.allowOrigins"): Member("lambda", "CreateFunctionUrlConfig", "Cors.AllowOrigins"),
    (_URL, "cors.allowMethods"): Member("lambda", "CreateFunctionUrlConfig", "Cors.AllowMethods"),
    (_SCHEDULE, "scheduleExpression"): Member("scheduler", "CreateSchedule", "ScheduleExpression"),
    (_SCHEDULE, "scheduleExpressionTimezone"): Member("scheduler", "CreateSchedule", "ScheduleExpressionTimezone"),
    (_SCHEDULE, "target.retryPolicy.maximumRetryAttempts"): Member(
        "scheduler", "CreateSchedule", "Target.RetryPolicy.MaximumRetryAttempts"
    ),
    (_SCHEDULE, "target.retryPolicy.maximumEventAgeInSeconds"): Member(
        "scheduler", "CreateSchedule", "Target.RetryPolicy.MaximumEventAgeInSeconds"
    ),
    (_SCHEDULE, "target.ecsParameters.taskCount"): Member(
        "scheduler", "CreateSchedule", "Target.EcsParameters.TaskCount"
    ),
    ("aws:ecs/service:Service", "capacityProviderStrategies[].weight"): Member(
        "ecs", "CreateService", "capacityProviderStrategy.[].weight"
    ),
    ("aws:ecs/service:Service", "capacityProviderStrategies[].base"): Member(
        "ecs", "CreateService", "capacityProviderStrategy.[].base"
    ),
    (_TG, "port"): Member("elbv2", "CreateTargetGroup", "Port"),
    (_TG, "healthCheck.path"): Member("elbv2", "CreateTargetGroup", "HealthCheckPath"),
    (_TG, "healthCheck.interval"): Member("elbv2", "CreateTargetGroup", "HealthCheckIntervalSeconds"),
    (_TG, "healthCheck.timeout"): Member("elbv2", "CreateTargetGroup", "HealthCheckTimeoutSeconds"),
    (_TG, "healthCheck.healthyThreshold"): Member("elbv2", "CreateTargetGroup", "HealthyThresholdCount"),
    (_TG, "healthCheck.unhealthyThreshold"): Member("elbv2", "CreateTargetGroup", "UnhealthyThresholdCount"),
    (_RULE, "priority"): Member("elbv2", "CreateRule", "Priority"),
    (_ASG, "instanceRefresh.preferences.minHealthyPercentage"): Member(
        "autoscaling", "StartInstanceRefresh", "Preferences.MinHealthyPercentage"
    ),
    (_ASG, "instanceRefresh.preferences.maxHealthyPercentage"): Member(
        "autoscaling", "StartInstanceRefresh", "Preferences.MaxHealthyPercentage"
    ),
    (_ASG, "warmPool.minSize"): Member("autoscaling", "PutWarmPool", "MinSize"),
    (_ASG, "warmPool.maxGroupPreparedCapacity"): Member("autoscaling", "PutWarmPool", "MaxGroupPreparedCapacity"),
    (_ASG, "initialLifecycleHooks[].name"): Member("autoscaling", "PutLifecycleHook", "LifecycleHookName"),
    ("aws:autoscaling/schedule:Schedule", "scheduledActionName"): Member(
        "autoscaling", "PutScheduledUpdateGroupAction", "ScheduledActionName"
    ),
    ("aws:autoscaling/schedule:Schedule", "recurrence"): Member(
        "autoscaling", "PutScheduledUpdateGroupAction", "Recurrence"
    ),
    ("aws:autoscaling/schedule:Schedule", "timeZone"): Member(
        "autoscaling", "PutScheduledUpdateGroupAction", "TimeZone"
    ),
    ("aws:autoscaling/policy:Policy", "predictiveScalingConfiguration.schedulingBufferTime"): Member(
        "autoscaling", "PutScalingPolicy", "PredictiveScalingConfiguration.SchedulingBufferTime"
    ),
    ("aws:appautoscaling/scheduledAction:ScheduledAction", "schedule"): Member(
        "application-autoscaling", "PutScheduledAction", "Schedule"
    ),
    ("aws:eks/cluster:Cluster", "name"): Member("eks", "CreateCluster", "name"),
    (_NODES, "scalingConfig.minSize"): Member("eks", "CreateNodegroup", "scalingConfig.minSize"),
    (_NODES, "scalingConfig.maxSize"): Member("eks", "CreateNodegroup", "scalingConfig.maxSize"),
    (_NODES, "scalingConfig.desiredSize"): Member("eks", "CreateNodegroup", "scalingConfig.desiredSize"),
    (_NODES, "updateConfig.maxUnavailable"): Member("eks", "CreateNodegroup", "updateConfig.maxUnavailable"),
    (_NODES, "taints[].key"): Member("eks", "CreateNodegroup", "taints.[].key"),
    (_NODES, "taints[].value"): Member("eks", "CreateNodegroup", "taints.[].value"),
    (_EVENT_TARGET, "retryPolicy.maximumRetryAttempts"): Member(
        "events", "PutTargets", "Targets.[].RetryPolicy.MaximumRetryAttempts"
    ),
    (_EVENT_TARGET, "retryPolicy.maximumEventAgeInSeconds"): Member(
        "events", "PutTargets", "Targets.[].RetryPolicy.MaximumEventAgeInSeconds"
    ),
    (_EVENT_TARGET, "inputPath"): Member("events", "PutTargets", "Targets.[].InputPath"),
    ("aws:cloudwatch/eventRule:EventRule", "description"): Member("events", "PutRule", "Description"),
    (_EVENT_BUS, "name"): Member("events", "CreateEventBus", "Name"),
    (_EVENT_BUS, "description"): Member("events", "CreateEventBus", "Description"),
    (_LAYER, "layerName"): Member("lambda", "PublishLayerVersion", "LayerName"),
    (_LAYER, "description"): Member("lambda", "PublishLayerVersion", "Description"),
    (_LAYER, "licenseInfo"): Member("lambda", "PublishLayerVersion", "LicenseInfo"),
    (_LAYER, "compatibleRuntimes"): Member("lambda", "PublishLayerVersion", "CompatibleRuntimes"),
    (_LAYER, "compatibleArchitectures"): Member("lambda", "PublishLayerVersion", "CompatibleArchitectures"),
}

_Convert = Callable[[Any], Any]


def _positive(value: Any) -> Any:
    """0 means "none" for provisioned concurrency: nothing is sent."""
    return value or None


_Target = tuple[str, str] | tuple[str, str, _Convert]

#: (args class, field) -> (Pulumi resource type, input property path) its value becomes, and
#: how the component turns the field into that value when it is not sent as is.
ARGS_FIELDS: dict[tuple[str, str], _Target] = {
    ("LambdaFunctionArgs", "memory_mb"): (_LAMBDA, "memorySize"),
    ("LambdaFunctionArgs", "timeout_seconds"): (_LAMBDA, "timeout"),
    ("LambdaFunctionArgs", "ephemeral_storage_mb"): (_LAMBDA, "ephemeralStorage.size"),
    ("LambdaFunctionArgs", "description"): (_LAMBDA, "description"),
    ("LambdaFunctionArgs", "reserved_concurrency"): (_LAMBDA, "reservedConcurrentExecutions"),
    ("LambdaFunctionArgs", "alias_name"): ("aws:lambda/alias:Alias", "name"),
    ("LambdaFunctionArgs", "provisioned_concurrency"): (
        "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
        "provisionedConcurrentExecutions",
        _positive,
    ),
    ("ZipCode", "handler"): (_LAMBDA, "handler"),
    ("ZipCode", "runtime"): (_LAMBDA, "runtime"),
    ("SqsTriggerArgs", "batch_size"): (_ESM, "batchSize"),
    ("SqsTriggerArgs", "max_batching_window_seconds"): (_ESM, "maximumBatchingWindowInSeconds"),
    ("SqsTriggerArgs", "max_concurrency"): (_ESM, "scalingConfig.maximumConcurrency"),
    ("AsyncInvokeArgs", "max_retry_attempts"): (_INVOKE, "maximumRetryAttempts"),
    ("AsyncInvokeArgs", "max_event_age_seconds"): (_INVOKE, "maximumEventAgeInSeconds"),
    ("FunctionUrlArgs", "cors_allowed_origins"): (_URL, "cors.allowOrigins"),
    ("FunctionUrlArgs", "cors_allowed_methods"): (_URL, "cors.allowMethods"),
    ("ScheduleArgs", "expression"): (_SCHEDULE, "scheduleExpression"),
    ("ScheduleArgs", "timezone"): (_SCHEDULE, "scheduleExpressionTimezone"),
    ("ScheduleArgs", "max_retry_attempts"): (_SCHEDULE, "target.retryPolicy.maximumRetryAttempts"),
    ("ScheduleArgs", "max_event_age_seconds"): (_SCHEDULE, "target.retryPolicy.maximumEventAgeInSeconds"),
    ("ScheduledJob", "schedule"): (_SCHEDULE, "scheduleExpression"),
    ("ScheduledJob", "timezone"): (_SCHEDULE, "scheduleExpressionTimezone"),
    ("ScheduledJob", "retry_attempts"): (_SCHEDULE, "target.retryPolicy.maximumRetryAttempts"),
    ("ScheduledJob", "max_event_age"): (_SCHEDULE, "target.retryPolicy.maximumEventAgeInSeconds"),
    ("ScheduledJob", "task_count"): (_SCHEDULE, "target.ecsParameters.taskCount"),
    ("CapacityShare", "weight"): ("aws:ecs/service:Service", "capacityProviderStrategies[].weight"),
    ("CapacityShare", "base"): ("aws:ecs/service:Service", "capacityProviderStrategies[].base"),
    ("TargetHealthArgs", "path"): (_TG, "healthCheck.path"),
    ("TargetHealthArgs", "interval"): (_TG, "healthCheck.interval"),
    ("TargetHealthArgs", "timeout"): (_TG, "healthCheck.timeout"),
    ("TargetHealthArgs", "healthy_threshold"): (_TG, "healthCheck.healthyThreshold"),
    ("TargetHealthArgs", "unhealthy_threshold"): (_TG, "healthCheck.unhealthyThreshold"),
    ("WebWorkload", "priority"): (_RULE, "priority"),
    ("AlbTargetArgs", "priority"): (_RULE, "priority"),
    ("InstanceTargetArgs", "priority"): (_RULE, "priority"),
    ("InstanceTargetArgs", "port"): (_TG, "port"),
    ("InstanceRefreshArgs", "min_healthy_percentage"): (_ASG, "instanceRefresh.preferences.minHealthyPercentage"),
    ("InstanceRefreshArgs", "max_healthy_percentage"): (_ASG, "instanceRefresh.preferences.maxHealthyPercentage"),
    ("WarmPoolArgs", "min_size"): (_ASG, "warmPool.minSize"),
    ("WarmPoolArgs", "max_group_prepared_capacity"): (_ASG, "warmPool.maxGroupPreparedCapacity"),
    ("LifecycleHookArgs", "name"): (_ASG, "initialLifecycleHooks[].name"),
    ("ScheduledActionArgs", "name"): ("aws:autoscaling/schedule:Schedule", "scheduledActionName"),
    ("ScheduledActionArgs", "recurrence"): ("aws:autoscaling/schedule:Schedule", "recurrence"),
    ("ScheduledActionArgs", "time_zone"): ("aws:autoscaling/schedule:Schedule", "timeZone"),
    ("PredictiveScalingArgs", "scheduling_buffer_seconds"): (
        "aws:autoscaling/policy:Policy",
        "predictiveScalingConfiguration.schedulingBufferTime",
    ),
    ("ScheduledCapacity", "schedule"): ("aws:appautoscaling/scheduledAction:ScheduledAction", "schedule"),
    ("EksClusterArgs", "cluster_name"): ("aws:eks/cluster:Cluster", "name"),
    ("NodeGroupArgs", "min_size"): (_NODES, "scalingConfig.minSize"),
    ("NodeGroupArgs", "max_size"): (_NODES, "scalingConfig.maxSize"),
    ("NodeGroupArgs", "desired_size"): (_NODES, "scalingConfig.desiredSize"),
    ("NodeGroupArgs", "max_unavailable"): (_NODES, "updateConfig.maxUnavailable"),
    ("TaintArgs", "key"): (_NODES, "taints[].key"),
    ("TaintArgs", "value"): (_NODES, "taints[].value"),
    ("EventRuleArgs", "max_retry_attempts"): (_EVENT_TARGET, "retryPolicy.maximumRetryAttempts"),
    ("EventRuleArgs", "max_event_age_seconds"): (_EVENT_TARGET, "retryPolicy.maximumEventAgeInSeconds"),
    ("EventRuleArgs", "input_path"): (_EVENT_TARGET, "inputPath"),
    ("EventRuleArgs", "description"): ("aws:cloudwatch/eventRule:EventRule", "description"),
    ("EventBusArgs", "name"): (_EVENT_BUS, "name"),
    ("EventBusArgs", "description"): (_EVENT_BUS, "description"),
    ("LambdaLayerArgs", "layer_name"): (_LAYER, "layerName"),
    ("LambdaLayerArgs", "description"): (_LAYER, "description"),
    ("LambdaLayerArgs", "license_info"): (_LAYER, "licenseInfo"),
    ("LambdaLayerArgs", "compatible_runtimes"): (_LAYER, "compatibleRuntimes"),
    ("LambdaLayerArgs", "compatible_architectures"): (_LAYER, "compatibleArchitectures"),
}


@cache
def member_shape(member: Member) -> Shape:
    """The botocore shape of `member`; KeyError when the pinned model has no such member."""
    shape = service_model(member.service).input_shape(member.operation)
    for step in member.path.split("."):
        shape = shape.member if step == "[]" else shape.members[step]
    return shape


@cache
def _pattern(pattern: str) -> re.Pattern[str] | None:
    """The model's (Java) pattern in Python, or None when Python cannot express it
    (UTF-16 surrogate ranges: any str matches those)."""
    try:
        return re.compile(pattern)
    except re.error:
        return None


def value_problems(field: str, value: Any, member: Member) -> list[Problem]:
    """What `member`'s model refuses in `value`, at `field`."""
    rules = _violations(value, _limits(member_shape(member)))
    return [Problem(field, f"{value!r} is refused by AWS {member}: {rule}") for rule in rules]


@dataclass(frozen=True)
class _Limits:
    """What a shape allows, read from the model once per shape."""

    type_name: str
    low: int | None
    high: int | None
    pattern: str | None
    enum: tuple[str, ...]
    item: _Limits | None  # a list's


@cache
def _limits(shape: Shape) -> _Limits:
    meta = shape.metadata
    item = _limits(shape.member) if shape.type_name == "list" else None
    return _Limits(shape.type_name, meta.get("min"), meta.get("max"), meta.get("pattern"), shape.enum, item)


def _violations(value: Any, limits: _Limits) -> list[str]:
    low, high = limits.low, limits.high
    found: list[str] = []
    if limits.item is not None and isinstance(value, list | tuple):
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            found.append(f"{_bounds(low, high)} items")
        found += [rule for item in value for rule in _violations(item, limits.item)]
    elif limits.type_name in ("integer", "long") and isinstance(value, int):
        if (low is not None and value < low) or (high is not None and value > high):
            found.append(_bounds(low, high))
    elif limits.type_name == "string" and isinstance(value, str):
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            found.append(f"{_bounds(low, high)} characters")
        pattern = _pattern(limits.pattern) if limits.pattern is not None else None
        if pattern is not None and not pattern.fullmatch(value):
            found.append(f"must match {limits.pattern}")
        if limits.enum and value not in limits.enum:
            found.append(f"one of {', '.join(limits.enum)}")
    return found


def _bounds(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low} to {high}"
    return f"at least {low}" if low is not None else f"at most {high}"


#: Values that hold no args: most fields, and most list items.
_SCALAR = str | int | float | None


def _children(path: str, value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, _SCALAR):
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield path, value
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _children(f"{path}[{i}]", item)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _children(f"{path}.{key}", item)


@cache
def _mapped_fields(args_type: type) -> tuple[tuple[str, _Target | None], ...]:
    """Each field of the dataclass `args_type`, with where it is sent (`ARGS_FIELDS`) if anywhere."""
    return tuple((f.name, ARGS_FIELDS.get((args_type.__name__, f.name))) for f in dataclasses.fields(args_type))


def api_limit_problems(args: Any, prefix: str = "") -> list[Problem]:
    """Every mapped field of `args` (and of the args nested in it) that AWS's model refuses;
    values wired from other resources (Outputs) are never judged."""
    problems = []
    args_type: type = type(args)
    for name, target in _mapped_fields(args_type):
        value = getattr(args, name)
        path = f"{prefix}{name}"
        if target is not None:
            converted = target[2](value) if len(target) == 3 else value
            if isinstance(converted, str | int | list | tuple) and not isinstance(converted, bool):
                problems += value_problems(path, converted, API_MEMBERS[target[0], target[1]])
        if not isinstance(value, _SCALAR):  # not even a generator for the usual field
            problems += [
                p for child_path, child in _children(path, value) for p in api_limit_problems(child, child_path + ".")
            ]
    return problems


def with_api_limits(args: Any, problems: list[Problem]) -> list[Problem]:
    """The component's own `problems`, then what AWS's models refuse in fields (and inside
    blocks) that those problems leave alone."""
    ruled = {_steps(p.field) for p in problems}
    return problems + [p for p in api_limit_problems(args) if not any(_steps(p.field)[: len(r)] == r for r in ruled)]


def _steps(field: str) -> tuple[str, ...]:
    """`hooks[0].name` and `hooks.0.name` -> ("hooks", "0", "name")."""
    return tuple(re.sub(r"\[(\d+)\]", r".\1", field).split("."))
