"""`aws-compute:functions`: Lambda functions by name, each a `LambdaFunction`.

Config reference (camelCase; defaults are LambdaFunctionArgs' own, see its docstrings):

```yaml
aws-compute:functions:
  api:                                   # logical name: lowercase, digits, dashes
    code:                                # kind: zip | image
      kind: zip
      path: functions/api                # source directory, relative to the project
      handler: handler.handler
      runtime: python3.13                # supported runtimes only; deprecated ones name their replacement
    # code: {kind: image, imageUri: <account>.dkr.ecr.<region>.amazonaws.com/repo@sha256:...}
    # code: {kind: image, buildContext: functions/img, command: [app.handler]}  # immutable, scanned ECR repo
    architecture: arm64                  # arm64 | x86_64
    memoryMb: 1024                       # 128-10240
    timeoutSeconds: 30                   # 1-900, never Lambda's 3 s default
    ephemeralStorageMb: 512              # 512-10240
    environment: {STAGE: dev}            # no secrets: names/values that look like one are rejected
    secrets: {DB_SECRET_ARN: arn:aws:secretsmanager:...}   # the variable holds the ARN, the role may read it
    snapStart: false                     # Java 11+/Python 3.12+/.NET 8+, zip only, no provisioned concurrency
    aliasName: live                      # every deploy publishes a version behind this alias
    provisionedConcurrency: 0
    reservedConcurrency: null
    logRetentionDays: 90
    logLevel: INFO                       # JSON logs; systemLogLevel: INFO
    tracing: Active                      # Active | PassThrough
    powertools: {serviceName: api, metricsNamespace: AwsCompute, layerVersion: 27}
    layers: [common]                     # aws-compute:layers names or layer version ARNs; after Powertools, 5 in all
    events: {order-placed: {bus: stage, pattern: {source: [shop.orders]}, target: alias}}   # stage/events.py
    url: {authType: AWS_IAM, invokeMode: BUFFERED, corsAllowedOrigins: [], corsAllowedMethods: [GET]}
    schedule: {expression: rate(15 minutes), timezone: UTC, payload: {}, enabled: true}
    sqs: {batchSize: 10, maxBatchingWindowSeconds: 0, reportBatchItemFailures: true, maxConcurrency: null,
          visibilityTimeoutSeconds: null, maxReceiveCount: 5, existingQueueArn: null}
    asyncInvoke: {maxRetryAttempts: 2, maxEventAgeSeconds: 21600, onFailure: destination}  # | deadLetterQueue | none
    vpc: {egressPorts: [443]}            # present = attach to the network's private subnets
    policyStatements: [{actions: [dynamodb:GetItem], resources: [arn:aws:dynamodb:...:table/orders]}]
    managedPolicyArns: []
```
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Annotated, Any, Literal

import pulumi
from pydantic import Field, StringConstraints

from components import (
    Architecture,
    AsyncFailure,
    AsyncInvokeArgs,
    FunctionAlarmsArgs,
    FunctionUrlArgs,
    ImageCode,
    InvokeMode,
    LambdaFunctionArgs,
    LayerRef,
    LogLevel,
    PowertoolsArgs,
    Problem,
    ScheduleArgs,
    SqsTriggerArgs,
    Statement,
    SystemLogLevel,
    TracingMode,
    UrlAuth,
    VpcPlacement,
    ZipCode,
)
from stage.base import ConfigModel, args_default, args_problems
from stage.events import PLACEHOLDER_BUS, EventRuleConfig, RuleName

#: At most 38 characters: the longest physical name built from it, the scheduler role
#: `fn-<name>-scheduler-role-<7 random>`, must fit IAM's 64 (autonaming fails beyond).
FunctionName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,37}$")]

#: A layer version ARN (how `layers` tells an ARN from an `aws-compute:layers` name).
_ARN_PREFIX = "arn:"


@dataclass(frozen=True, kw_only=True)
class FunctionWiring:
    """The stage resources a function is wired to (Outputs in a stack, placeholders when validating)."""

    vpc_id: pulumi.Input[str]
    private_subnet_ids: pulumi.Input[Sequence[str]]
    layers: Mapping[str, LayerRef] = field(default_factory=dict)
    """The stage's layers by name (`aws-compute:layers`)."""
    event_bus_name: pulumi.Input[str] | None = None
    """The stage's custom bus (`aws-compute:eventBus`), for rules with `bus: stage`."""
    alarms: FunctionAlarmsArgs | None = None
    """The stage's function alarms (on its alarm topic); None when it has none."""


def _fits(name: str, runtime: str, architecture: Architecture) -> LayerRef:
    """A stand-in for a named layer while the function is checked alone, fitting it: the stage
    checks the name and the layer's runtimes and architectures (`layer_link_problems`)."""
    return LayerRef(
        name=name,
        arn=f"arn:aws:lambda:us-east-1:123456789012:layer:{name}:1",
        compatible_runtimes=(runtime,),
        compatible_architectures=(architecture,),
    )


_PLACEHOLDER = FunctionWiring(
    vpc_id="vpc-placeholder", private_subnet_ids=["subnet-placeholder"], event_bus_name=PLACEHOLDER_BUS
)


class ZipCodeConfig(ConfigModel):
    kind: Literal["zip"]
    path: str
    handler: str
    runtime: str

    def to_args(self) -> ZipCode:
        return ZipCode(path=self.path, handler=self.handler, runtime=self.runtime)


class ImageCodeConfig(ConfigModel):
    kind: Literal["image"]
    image_uri: str | None = None
    build_context: str | None = None
    command: list[str] = Field(default_factory=list)

    def to_args(self) -> ImageCode:
        return ImageCode(image_uri=self.image_uri, build_context=self.build_context, command=tuple(self.command))


class PowertoolsConfig(ConfigModel):
    service_name: str
    metrics_namespace: str
    layer_version: int = args_default(PowertoolsArgs, "layer_version")

    def to_args(self) -> PowertoolsArgs:
        return PowertoolsArgs(**self.model_dump())


class ScheduleConfig(ConfigModel):
    expression: str
    timezone: str = args_default(ScheduleArgs, "timezone")
    payload: dict[str, Any] = Field(default_factory=dict)
    enabled: bool = args_default(ScheduleArgs, "enabled")
    max_retry_attempts: int = args_default(ScheduleArgs, "max_retry_attempts")
    max_event_age_seconds: int = args_default(ScheduleArgs, "max_event_age_seconds")

    def to_args(self) -> ScheduleArgs:
        return ScheduleArgs(**self.model_dump())


class SqsConfig(ConfigModel):
    existing_queue_arn: str | None = None
    batch_size: int = args_default(SqsTriggerArgs, "batch_size")
    max_batching_window_seconds: int = args_default(SqsTriggerArgs, "max_batching_window_seconds")
    report_batch_item_failures: bool = args_default(SqsTriggerArgs, "report_batch_item_failures")
    max_concurrency: int | None = None
    visibility_timeout_seconds: int | None = None
    max_receive_count: int = args_default(SqsTriggerArgs, "max_receive_count")
    message_retention_seconds: int = args_default(SqsTriggerArgs, "message_retention_seconds")

    def to_args(self) -> SqsTriggerArgs:
        return SqsTriggerArgs(**self.model_dump())


class UrlConfig(ConfigModel):
    auth_type: UrlAuth = args_default(FunctionUrlArgs, "auth_type")
    invoke_mode: InvokeMode = args_default(FunctionUrlArgs, "invoke_mode")
    cors_allowed_origins: list[str] = Field(default_factory=list)
    cors_allowed_methods: list[str] = Field(
        default_factory=lambda: list(args_default(FunctionUrlArgs, "cors_allowed_methods"))
    )

    def to_args(self) -> FunctionUrlArgs:
        return FunctionUrlArgs(
            auth_type=self.auth_type,
            invoke_mode=self.invoke_mode,
            cors_allowed_origins=tuple(self.cors_allowed_origins),
            cors_allowed_methods=tuple(self.cors_allowed_methods),
        )


class AsyncInvokeConfig(ConfigModel):
    max_retry_attempts: int = args_default(AsyncInvokeArgs, "max_retry_attempts")
    max_event_age_seconds: int = args_default(AsyncInvokeArgs, "max_event_age_seconds")
    on_failure: AsyncFailure = args_default(AsyncInvokeArgs, "on_failure")

    def to_args(self) -> AsyncInvokeArgs:
        return AsyncInvokeArgs(**self.model_dump())


class VpcConfig(ConfigModel):
    """Present: the function runs in the network's private subnets, egress only."""

    egress_ports: list[int] = Field(default_factory=lambda: list(args_default(VpcPlacement, "egress_ports")))


class StatementConfig(ConfigModel):
    actions: list[str]
    resources: list[str]

    def to_args(self) -> Statement:
        return Statement(actions=tuple(self.actions), resources=tuple(self.resources))


class FunctionConfig(ConfigModel):
    """One Lambda function; every key but `code` is optional."""

    code: Annotated[ZipCodeConfig | ImageCodeConfig, Field(discriminator="kind")]
    description: str | None = None
    architecture: Architecture = args_default(LambdaFunctionArgs, "architecture")
    memory_mb: int = args_default(LambdaFunctionArgs, "memory_mb")
    timeout_seconds: int = args_default(LambdaFunctionArgs, "timeout_seconds")
    ephemeral_storage_mb: int = args_default(LambdaFunctionArgs, "ephemeral_storage_mb")
    environment: dict[str, str] = Field(default_factory=dict)
    secrets: dict[str, str] = Field(default_factory=dict)
    snap_start: bool = args_default(LambdaFunctionArgs, "snap_start")
    alias_name: str = args_default(LambdaFunctionArgs, "alias_name")
    provisioned_concurrency: int = args_default(LambdaFunctionArgs, "provisioned_concurrency")
    reserved_concurrency: int | None = None
    log_retention_days: int = args_default(LambdaFunctionArgs, "log_retention_days")
    log_level: LogLevel = args_default(LambdaFunctionArgs, "log_level")
    system_log_level: SystemLogLevel = args_default(LambdaFunctionArgs, "system_log_level")
    tracing: TracingMode = args_default(LambdaFunctionArgs, "tracing")
    powertools: PowertoolsConfig | None = None
    schedule: ScheduleConfig | None = None
    sqs: SqsConfig | None = None
    url: UrlConfig | None = None
    async_invoke: AsyncInvokeConfig = Field(default_factory=AsyncInvokeConfig)
    vpc: VpcConfig | None = None
    policy_statements: list[StatementConfig] = Field(default_factory=list)
    managed_policy_arns: list[str] = Field(default_factory=list)
    layers: list[str] = Field(default_factory=list)
    events: dict[RuleName, EventRuleConfig] = Field(default_factory=dict)

    def _layers(self, known: Mapping[str, LayerRef]) -> tuple[LayerRef | str, ...]:
        runtime = self.code.runtime if isinstance(self.code, ZipCodeConfig) else ""
        return tuple(
            layer if layer.startswith(_ARN_PREFIX) else known.get(layer) or _fits(layer, runtime, self.architecture)
            for layer in self.layers
        )

    def to_args(self, wiring: FunctionWiring) -> LambdaFunctionArgs:
        """The component's args; the network, the stage's layers and event bus come from `wiring`."""
        return LambdaFunctionArgs(
            code=self.code.to_args(),
            description=self.description,
            architecture=self.architecture,
            memory_mb=self.memory_mb,
            timeout_seconds=self.timeout_seconds,
            ephemeral_storage_mb=self.ephemeral_storage_mb,
            environment=dict(self.environment),
            secrets=dict(self.secrets),
            snap_start=self.snap_start,
            alias_name=self.alias_name,
            provisioned_concurrency=self.provisioned_concurrency,
            reserved_concurrency=self.reserved_concurrency,
            log_retention_days=self.log_retention_days,
            log_level=self.log_level,
            system_log_level=self.system_log_level,
            tracing=self.tracing,
            powertools=self.powertools.to_args() if self.powertools else None,
            layers=self._layers(wiring.layers),
            schedule=self.schedule.to_args() if self.schedule else None,
            sqs=self.sqs.to_args() if self.sqs else None,
            url=self.url.to_args() if self.url else None,
            events={key: rule.to_args(wiring.event_bus_name) for key, rule in self.events.items()},
            async_invoke=self.async_invoke.to_args(),
            vpc=(
                VpcPlacement(
                    vpc_id=wiring.vpc_id,
                    subnet_ids=wiring.private_subnet_ids,
                    egress_ports=tuple(self.vpc.egress_ports),
                )
                if self.vpc
                else None
            ),
            policy_statements=tuple(s.to_args() for s in self.policy_statements),
            managed_policy_arns=tuple(self.managed_policy_arns),
            alarms=wiring.alarms,
        )

    def problems(self) -> list[Problem]:
        """The function's own rules (an event rule's bus is its `bus` key); how its layers fit
        is the stage's check (`layer_link_problems`)."""
        return [
            Problem(re.sub(r"^(events\.[^.]+)\.event_bus_name$", r"\1.bus", p.field), p.message)
            for p in args_problems(lambda: self.to_args(_PLACEHOLDER))
            if not p.field.startswith("layers[")
        ]


def layer_link_problems(functions: Mapping[str, FunctionConfig], layers: Mapping[str, LayerRef]) -> list[Problem]:
    """Stage rules of `functions.<fn>.layers`: each name is an `aws-compute:layers` entry, and
    fits the function's runtime and architecture (the function's own layer rules, run with
    the stage's layers); field paths from the namespace."""
    problems = []
    for name, function in functions.items():
        problems += [
            Problem(
                f"functions.{name}.layers[{i}]",
                f"no layer {layer!r} in aws-compute:layers; define it there or give a layer version ARN",
            )
            for i, layer in enumerate(function.layers)
            if not layer.startswith(_ARN_PREFIX) and layer not in layers
        ]
        problems += [
            Problem(f"functions.{name}.{p.field}", p.message)
            for p in args_problems(partial(function.to_args, replace(_PLACEHOLDER, layers=layers)))
            if p.field.startswith("layers[")
        ]
    return problems
