"""`aws-compute:autoscaling`: EC2 Auto Scaling groups of the stage, by name.

Config reference (every key optional unless marked; defaults are AutoScalingGroupArgs'):

```yaml
aws-compute:autoscaling:
  web:                                  # group name: lowercase, digits, dashes
    architecture: arm64                 # arm64 (Graviton) | x86_64; every type must match
    instanceTypes: [m7g.large, m6g.large]   # priority order; or instead:
    # instanceRequirements: {vcpuMin: 2, vcpuMax: 4, memoryMinMib: 4096, burstable: excluded}
    imageId: ami-0123456789abcdef0      # default: latest Amazon Linux 2023 (public SSM parameter)
    minSize: 2
    maxSize: 4
    desiredCapacity: 2                  # default unset: policies own capacity
    onDemandBaseCapacity: 0
    onDemandPercentageAboveBase: 100    # 100 = no Spot
    spotAllocationStrategy: price-capacity-optimized
    onDemandAllocationStrategy: prioritized   # lowest-price with instanceRequirements
    capacityRebalance: true             # Spot groups only
    imdsHopLimit: 1                     # 2 when containers on the host need IMDS
    rootVolume: {sizeGib: 20, iops: 3000, throughputMibs: 125, kmsKeyId: null, deviceName: /dev/xvda}
    userData: "#!/bin/bash ..."         # no secrets: fetch them at boot
    cloudwatchAgent: {retentionDays: 365, logFiles: [/var/log/cloud-init-output.log]}   # default off
    egress: [{port: 443, description: HTTPS}]   # same shape as services.<name>.egress
    healthCheckGracePeriodSeconds: 300
    defaultInstanceWarmupSeconds: 120
    instanceRefresh: {enabled: true, minHealthyPercentage: 90, maxHealthyPercentage: 100,
                      skipMatching: true, autoRollback: true}
    warmPool: {poolState: Stopped, minSize: 0, maxGroupPreparedCapacity: null, reuseOnScaleIn: false}
    lifecycleHooks: [{name: drain, transition: terminating, heartbeatTimeoutSeconds: 300,
                      defaultResult: ABANDON}]
    maxInstanceLifetimeDays: 14
    loadBalancer:                       # default off; instance targets, ELB health checks
      alb: shared                       # required: shared | external
                                        #   shared: the stage's ALB (aws-compute:services.loadBalancer),
                                        #   on its HTTPS listener (HTTP in httpOnlyDev)
                                        #   external: an existing listener, with both keys below
      # listenerArn: arn:aws:elasticloadbalancing:...:listener/app/<alb>/<id>/<id>
      # securityGroupId: sg-...         # the external ALB's security group
      priority: 5                       # required; unique on the listener, Fargate web services included
      pathPatterns: [/legacy/*]         # with hostHeaders: 1-5 values in all
      hostHeaders: [legacy.example.com]
      port: 8080                        # the application's port on the instances
      health: {path: /health, matcher: "200", interval: 30, timeout: 10, healthyThreshold: 2,
               unhealthyThreshold: 3, deregistrationDelay: 30, slowStart: 30}   # as Fargate's web.health
    scaling:
      cpuTarget: 50                     # null: no CPU policy
      requestsPerTarget: 1000           # needs loadBalancer
      scaleIn: true
      scheduledActions: [{name: morning, recurrence: "0 7 * * MON-FRI", timeZone: UTC,
                          minSize: 4, maxSize: 8, desiredCapacity: null}]
      predictive: {mode: ForecastOnly, cpuTarget: 50, schedulingBufferSeconds: 300}
```

The group runs in the network's private subnets; stack output `autoscalingGroups` maps each
name to its groupName, groupArn, launchTemplateId, securityGroupId, roleName, targetGroupArn.
Behind a load balancer, the instances admit only the ALB's security group on `port`, and the
ALB's security group gets egress to them on that port. Stage rules: `alb: shared` needs
`aws-compute:services.loadBalancer`; two rules on one listener (ASG groups and Fargate web
services alike) never share a priority; a group with a loadBalancer is named in at most 21
characters, as its target group is autonamed `<name>-tg-<7 random>` within AWS's 32.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

import pulumi
from pydantic import Field, StringConstraints, field_validator

from components import (
    Architecture,
    AutoScalingGroupArgs,
    BurstablePerformance,
    CloudWatchAgentArgs,
    GroupAlarmsArgs,
    GroupScalingArgs,
    InstanceRefreshArgs,
    InstanceRequirementsArgs,
    InstanceTargetArgs,
    LifecycleHookArgs,
    LifecycleTransition,
    ListenerAttachment,
    OnDemandAllocationStrategy,
    PredictiveMode,
    PredictiveScalingArgs,
    Problem,
    RootVolumeArgs,
    ScheduledActionArgs,
    SpotAllocationStrategy,
    WarmPoolArgs,
    WarmPoolState,
    existing_listener,
)
from stage.alb import SHARED_LISTENER, RouteConfig
from stage.base import ConfigModel, args_default, args_problems
from stage.egress import EgressRuleConfig, egress_config

GroupName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,30}$")]

_LISTENER_ARN = re.compile(
    r"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener/app/[^/]+/[0-9a-f]+/[0-9a-f]+$"
)
_SECURITY_GROUP_ID = re.compile(r"^sg-([0-9a-f]{8}|[0-9a-f]{17})$")
#: Stand-ins for wired values when the rules run from config alone (rules never read them).
_PLACEHOLDER = "wired-at-deploy-time"
_PLACEHOLDER_LISTENER = ListenerAttachment(
    listener_arn=_PLACEHOLDER, security_group_id=_PLACEHOLDER, load_balancer_arn_suffix=_PLACEHOLDER
)
AlbChoice = Literal["shared", "external"]
"""`shared`: the stage's ALB (aws-compute:services.loadBalancer); `external`: an existing
listener by listenerArn and securityGroupId."""


class InstanceRequirementsConfig(ConfigModel):
    vcpu_min: int
    vcpu_max: int | None = None
    memory_min_mib: int
    memory_max_mib: int | None = None
    burstable: BurstablePerformance = args_default(InstanceRequirementsArgs, "burstable")


class RootVolumeConfig(ConfigModel):
    size_gib: int = args_default(RootVolumeArgs, "size_gib")
    iops: int = args_default(RootVolumeArgs, "iops")
    throughput_mibs: int = args_default(RootVolumeArgs, "throughput_mibs")
    kms_key_id: str | None = None
    device_name: str = args_default(RootVolumeArgs, "device_name")


class InstanceRefreshConfig(ConfigModel):
    enabled: bool = True
    min_healthy_percentage: int = args_default(InstanceRefreshArgs, "min_healthy_percentage")
    max_healthy_percentage: int = args_default(InstanceRefreshArgs, "max_healthy_percentage")
    skip_matching: bool = args_default(InstanceRefreshArgs, "skip_matching")
    auto_rollback: bool = args_default(InstanceRefreshArgs, "auto_rollback")

    def to_args(self) -> InstanceRefreshArgs | None:
        return InstanceRefreshArgs(**self.model_dump(exclude={"enabled"})) if self.enabled else None


class CloudWatchAgentConfig(ConfigModel):
    retention_days: int = args_default(CloudWatchAgentArgs, "retention_days")
    log_files: list[str] = Field(default_factory=lambda: list(args_default(CloudWatchAgentArgs, "log_files")))

    def to_args(self) -> CloudWatchAgentArgs:
        return CloudWatchAgentArgs(retention_days=self.retention_days, log_files=tuple(self.log_files))


class WarmPoolConfig(ConfigModel):
    pool_state: WarmPoolState = args_default(WarmPoolArgs, "pool_state")
    min_size: int = args_default(WarmPoolArgs, "min_size")
    max_group_prepared_capacity: int | None = None
    reuse_on_scale_in: bool = args_default(WarmPoolArgs, "reuse_on_scale_in")


class LifecycleHookConfig(ConfigModel):
    name: str
    transition: LifecycleTransition
    heartbeat_timeout_seconds: int = args_default(LifecycleHookArgs, "heartbeat_timeout_seconds")
    default_result: Literal["CONTINUE", "ABANDON"] = args_default(LifecycleHookArgs, "default_result")


class LoadBalancerConfig(RouteConfig):
    """Where the instances sit: on the stage's shared ALB, or on an existing listener by ARN."""

    alb: AlbChoice
    listener_arn: str | None = None
    security_group_id: str | None = None
    port: int = args_default(InstanceTargetArgs, "port")

    @field_validator("listener_arn")
    @classmethod
    def _listener_arn(cls, value: str | None) -> str | None:
        if value is not None and not _LISTENER_ARN.match(value):
            raise ValueError(
                "not an ALB listener ARN; copy it from the ALB's listener"
                " (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<alb>/<id>/<id>)"
            )
        return value

    @field_validator("security_group_id")
    @classmethod
    def _security_group_id(cls, value: str | None) -> str | None:
        if value is not None and not _SECURITY_GROUP_ID.match(value):
            raise ValueError("not a security group id (sg- and 8 or 17 hex digits); use the ALB's security group")
        return value

    @property
    def listener_identity(self) -> str:
        """Equal for rules on the same listener: the shared ALB's, or the external ARN."""
        return self.listener_arn if self.alb == "external" and self.listener_arn else SHARED_LISTENER

    def problems(self) -> list[Problem]:
        """`external` names its listener; `shared` takes it from aws-compute:services.loadBalancer."""
        keys = ("listener_arn", "security_group_id")
        if self.alb == "external":
            return [
                Problem(key, "alb: external needs the existing ALB's listenerArn and securityGroupId; set it")
                for key in keys
                if getattr(self, key) is None
            ]
        return [
            Problem(key, "alb: shared uses the stage's ALB (aws-compute:services.loadBalancer); remove it")
            for key in keys
            if getattr(self, key) is not None
        ]

    def to_args(self, shared: ListenerAttachment | None) -> InstanceTargetArgs:
        """The component's args; `shared` is the stage ALB's listener (None when it has none)."""
        if self.alb == "external":
            assert self.listener_arn and self.security_group_id, "validated: external names its listener"
            listener = existing_listener(self.listener_arn, self.security_group_id)
        elif shared is None:
            raise ValueError("alb: shared needs aws-compute:services.loadBalancer (validated by the stage)")
        else:
            listener = shared
        return InstanceTargetArgs(listener=listener, port=self.port, **self.route_args())


class ScheduledActionConfig(ConfigModel):
    name: str
    recurrence: str
    time_zone: str = args_default(ScheduledActionArgs, "time_zone")
    min_size: int | None = None
    max_size: int | None = None
    desired_capacity: int | None = None


class PredictiveScalingConfig(ConfigModel):
    mode: PredictiveMode = args_default(PredictiveScalingArgs, "mode")
    cpu_target: float = args_default(PredictiveScalingArgs, "cpu_target")
    scheduling_buffer_seconds: int = args_default(PredictiveScalingArgs, "scheduling_buffer_seconds")


class ScalingConfig(ConfigModel):
    cpu_target: float | None = args_default(GroupScalingArgs, "cpu_target")
    requests_per_target: int | None = None
    scale_in: bool = args_default(GroupScalingArgs, "scale_in")
    scheduled_actions: list[ScheduledActionConfig] = Field(default_factory=list)
    predictive: PredictiveScalingConfig | None = None

    def to_args(self) -> GroupScalingArgs:
        return GroupScalingArgs(
            cpu_target=self.cpu_target,
            requests_per_target=self.requests_per_target,
            scale_in=self.scale_in,
            scheduled_actions=tuple(ScheduledActionArgs(**a.model_dump()) for a in self.scheduled_actions),
            predictive=PredictiveScalingArgs(**self.predictive.model_dump()) if self.predictive else None,
        )


class InstanceGroupConfig(ConfigModel):
    """The instances of a group, shared by `aws-compute:autoscaling` groups and ECS EC2
    capacity (`aws-compute:services.cluster.ec2Capacity`); defaults are AutoScalingGroupArgs'."""

    architecture: Architecture = args_default(AutoScalingGroupArgs, "architecture")
    instance_types: list[str] = Field(default_factory=list)
    instance_requirements: InstanceRequirementsConfig | None = None
    image_id: str | None = None
    min_size: int = args_default(AutoScalingGroupArgs, "min_size")
    max_size: int = args_default(AutoScalingGroupArgs, "max_size")
    on_demand_base_capacity: int = args_default(AutoScalingGroupArgs, "on_demand_base_capacity")
    on_demand_percentage_above_base: int = args_default(AutoScalingGroupArgs, "on_demand_percentage_above_base")
    spot_allocation_strategy: SpotAllocationStrategy = args_default(AutoScalingGroupArgs, "spot_allocation_strategy")
    on_demand_allocation_strategy: OnDemandAllocationStrategy = args_default(
        AutoScalingGroupArgs, "on_demand_allocation_strategy"
    )
    capacity_rebalance: bool = args_default(AutoScalingGroupArgs, "capacity_rebalance")
    imds_hop_limit: Literal[1, 2] = args_default(AutoScalingGroupArgs, "imds_hop_limit")
    root_volume: RootVolumeConfig = Field(default_factory=RootVolumeConfig)
    cloudwatch_agent: CloudWatchAgentConfig | None = None
    egress: list[EgressRuleConfig] = Field(
        default_factory=lambda: egress_config(args_default(AutoScalingGroupArgs, "egress"))
    )
    health_check_grace_period_seconds: int = args_default(AutoScalingGroupArgs, "health_check_grace_period_seconds")
    default_instance_warmup_seconds: int = args_default(AutoScalingGroupArgs, "default_instance_warmup_seconds")
    instance_refresh: InstanceRefreshConfig = Field(default_factory=InstanceRefreshConfig)
    warm_pool: WarmPoolConfig | None = None
    lifecycle_hooks: list[LifecycleHookConfig] = Field(default_factory=list)
    max_instance_lifetime_days: int | None = None

    def group_args(
        self, *, vpc_id: pulumi.Input[str], subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]], **extra: Any
    ) -> AutoScalingGroupArgs:
        """The group's args with the network's VPC and private subnets wired in, plus what
        the caller adds (`extra`: scaling, load balancer, user data, ...)."""
        req = self.instance_requirements
        return AutoScalingGroupArgs(
            **self.model_dump(
                include={
                    "architecture",
                    "image_id",
                    "min_size",
                    "max_size",
                    "on_demand_base_capacity",
                    "on_demand_percentage_above_base",
                    "spot_allocation_strategy",
                    "on_demand_allocation_strategy",
                    "capacity_rebalance",
                    "imds_hop_limit",
                    "health_check_grace_period_seconds",
                    "default_instance_warmup_seconds",
                    "max_instance_lifetime_days",
                }
            ),
            vpc_id=vpc_id,
            subnet_ids=subnet_ids,
            instance_types=tuple(self.instance_types),
            instance_requirements=InstanceRequirementsArgs(**req.model_dump()) if req else None,
            root_volume=RootVolumeArgs(**self.root_volume.model_dump()),
            egress=tuple(rule.to_args() for rule in self.egress),
            cloudwatch_agent=self.cloudwatch_agent.to_args() if self.cloudwatch_agent else None,
            instance_refresh=self.instance_refresh.to_args(),
            warm_pool=WarmPoolArgs(**self.warm_pool.model_dump()) if self.warm_pool else None,
            lifecycle_hooks=tuple(LifecycleHookArgs(**hook.model_dump()) for hook in self.lifecycle_hooks),
            **extra,
        )


class AutoScalingGroupConfig(InstanceGroupConfig):
    """One group; defaults are AutoScalingGroupArgs' own (2-4 on-demand instances, arm64)."""

    desired_capacity: int | None = None
    user_data: str | None = None
    load_balancer: LoadBalancerConfig | None = None
    scaling: ScalingConfig = Field(default_factory=ScalingConfig)

    def to_args(
        self,
        *,
        vpc_id: pulumi.Input[str],
        subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
        shared_alb: ListenerAttachment | None = None,
        alarms: GroupAlarmsArgs | None = None,
    ) -> AutoScalingGroupArgs:
        """The component's args, with the network's VPC and private subnets, the stage's
        shared ALB listener (for `loadBalancer.alb: shared`) and its group alarms wired in."""
        return self.group_args(
            vpc_id=vpc_id,
            subnet_ids=subnet_ids,
            desired_capacity=self.desired_capacity,
            user_data=self.user_data,
            load_balancer=self.load_balancer.to_args(shared_alb) if self.load_balancer else None,
            scaling=self.scaling.to_args(),
            alarms=alarms,
        )

    def problems(self) -> list[Problem]:
        if self.load_balancer is not None and (own := self.load_balancer.problems()):
            return [Problem(f"load_balancer.{p.field}", p.message) for p in own]
        return args_problems(
            lambda: self.to_args(vpc_id=_PLACEHOLDER, subnet_ids=[_PLACEHOLDER], shared_alb=_PLACEHOLDER_LISTENER)
        )


AutoScalingGroups = dict[GroupName, AutoScalingGroupConfig]
"""The groups of a stage by name; rules across groups (listener priorities) are the stage's."""
