"""`aws-compute:services`: the stage's ECS cluster, its shared ALB, and workloads by name (on
Fargate, or on the cluster's EC2 capacity providers).

Config reference (camelCase keys; defaults are the components' own, production-safe):

```yaml
aws-compute:services:
  mutableImageTags: warn          # allow | warn | reject: registry images on latest/no tag
  cluster:
    containerInsights: enabled    # enabled | enhanced
    defaultCapacity: [{provider: FARGATE, weight: 1, base: 1}]
    execLogRetentionDays: 365
    serviceConnectNamespace: app.internal   # optional Cloud Map HTTP namespace
    protect: true                 # Pulumi protect on the Exec session log group (audit data)
    ec2Capacity:                  # ECS capacity providers on Auto Scaling groups; none by default
      general:                    # the key strategies name; lowercase, digits, '-'; at most 20 characters
        architecture: arm64       # every aws-compute:autoscaling instance knob: instanceTypes,
        instanceTypes: [m7g.large, m6g.large]   # minSize, maxSize, onDemandBaseCapacity, Spot,
        minSize: 0                # rootVolume (30 GiB by default), instanceRefresh, warmPool, ...
        maxSize: 10               # (no scaling, desiredCapacity, userData or loadBalancer: ECS owns them)
        managedScaling: {targetCapacity: 100, minimumScalingStepSize: 1, maximumScalingStepSize: 10,
                         instanceWarmupPeriod: 300}
        managedTerminationProtection: true   # instances running tasks are kept out of scale-in
        managedDraining: true     # tasks are moved before an instance terminates
  loadBalancer:                   # one ALB per stage (built whenever configured); web services and
                                  # ASG groups with loadBalancer.alb: shared attach listener rules
    scheme: internet-facing       # internal (default) | internet-facing (public subnets)
    ingressCidrs: [0.0.0.0/0]     # required; who may reach the listener ports
    listeners: httpsWithRedirect  # or httpOnlyDev (dev only: plain HTTP, no certificate)
    certificateArn: arn:aws:acm:...:certificate/...
    sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
    idleTimeout: 60
    deletionProtection: true
    accessLogsBucket: my-alb-logs   # optional, with accessLogsPrefix
    protect: true                 # Pulumi protect on the ALB and its WAF log group
    waf:                          # optional WAFv2 web ACL in front of the ALB (on in prod)
      managedRuleGroups: [AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet]
      rateLimit: 1000             # requests per client IP per window (10-2000000000), then blocked
      rateWindowSeconds: 300      # 60 | 120 | 300 | 600
      mode: block                 # block | count (record only, to roll rules out)
      logRetentionDays: 365       # aws-waf-logs-… group; Authorization and Cookie redacted
  services:
    <name>:                       # lowercase letters, digits, '-'; at most 16 characters
      cpu: 512                    # Fargate table: 256..16384 units; memory must fit the cpu
      memory: 1024
      architecture: ARM64         # ARM64 | X86_64
      ephemeralStorageGib: 21     # optional, 21-200
      capacity: [{provider: FARGATE_SPOT, weight: 3}, {provider: FARGATE, weight: 1, base: 1}]
      # or an EC2 capacity provider (never mixed with Fargate): capacity: [{provider: general}]
      placement:                  # EC2 capacity only; default: ECS spreads tasks across AZs
        strategies: [{type: spread, field: "attribute:ecs.availability-zone"}, {type: binpack, field: memory}]
        constraints: [{type: memberOf, expression: "attribute:ecs.instance-type =~ m7g.*"}]   # or distinctInstance
      executeCommand: false       # ECS Exec; needs container.readOnlyRootFilesystem: false
      logRetentionDays: 365
      egress:                     # where tasks may connect; default: HTTPS anywhere only
        - {port: 443}             # keep one tcp 443 rule: image pulls, secrets and logs
        - {port: 5432, securityGroupId: sg-0123456789abcdef0, description: Orders database}
        - {port: 123, protocol: udp, cidr: 10.20.0.0/16}
      taskRoleStatements: [{actions: [s3:GetObject], resources: [arn:aws:s3:::bucket/*]}]
      taskRoleManagedPolicyArns: []
      container:
        image: {uri: public.ecr.aws/...@sha256:...}   # or {context: ./app, tag: 1.4.2}
        port: 8080                # web and Service Connect servers
        portName: http
        command: [...]
        environment: {LOG_LEVEL: info}                 # never secrets
        secrets: {DB_PASSWORD: {arn: arn:aws:secretsmanager:..., jsonKey: password}}
        secretsKmsKeyArns: []
        healthCheck: {command: [CMD-SHELL, ...], interval: 30, timeout: 5, retries: 3, startPeriod: 60}
        user: "1000:1000"
        readOnlyRootFilesystem: true
        scratchPaths: [/tmp]      # writable task-scratch mounts on the read-only root (at most 8)
      # exactly one of:
      web: {priority: 10, pathPatterns: ["/*"], hostHeaders: [], health: {...},
            healthCheckGracePeriod: 60, scaling: {...}, deployment: {...}, serviceConnect: {...}}
      # priority: unique on the shared listener, ASG groups with loadBalancer.alb: shared included
      worker: {queue: {visibilityTimeout: 300, ...} | {arn: ..., kmsKeyArn: ...},
               targetBacklogPerTask: 100, scaling: {...}, deployment: {...}, serviceConnect: {...}}
      # targetBacklogPerTask: visible messages per running task (latency / time per message)
      job: {schedule: cron(0 2 * * ? *), timezone: UTC, taskCount: 1, retryAttempts: 2, maxEventAge: 3600}
```

`health` (the target group; the same block as an ASG's `loadBalancer.health`): path (/health),
matcher ("200"), interval (30), timeout (10), healthyThreshold (2), unhealthyThreshold (3),
deregistrationDelay (30), slowStart (30; 0 turns it off).
`scaling`: minCapacity, maxCapacity, cpuTarget (70), memoryTarget (80), requestsPerTarget,
scaleInCooldown, scaleOutCooldown, schedules [{name, schedule, minCapacity, maxCapacity, timezone}].
`serviceConnect`: mode (clientServer | client), discoveryName, dnsAliases, allowFrom (names of
services of this stage whose tasks may call this one on its container port).
On EC2 capacity a workload keeps its kind (web, worker, job) and awsvpc networking; its task
definition requires EC2 compatibility, `cpu` is 128-196608 units with any `memory` the
instances can hold, `architecture` matches the provider's, and there is no ephemeralStorageGib.
`placement`: at most 5 strategies (spread on instanceId, host or attribute:<name>; binpack on cpu
or memory; random) and 10 constraints (distinctInstance; memberOf with a cluster query expression).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pulumi
from pydantic import Field

from components import (
    ON_DEMAND,
    CapacityShare,
    ClusterRef,
    ContainerArgs,
    ContainerInsights,
    CpuArchitecture,
    DeploymentArgs,
    DockerBuild,
    Ec2CapacityArgs,
    Ec2CapacityRef,
    EcsClusterArgs,
    ExistingQueue,
    FargateServiceArgs,
    GroupAlarmsArgs,
    GroupScalingArgs,
    HealthCheckArgs,
    ListenerAttachment,
    ListenerMode,
    LoadBalancerAlarmsArgs,
    LoadBalancerArgs,
    ManagedScalingArgs,
    MutableTagPolicy,
    NewQueue,
    PlacementArgs,
    PlacementConstraintArgs,
    PlacementConstraintType,
    PlacementStrategyArgs,
    PlacementStrategyType,
    Problem,
    QueueWorkload,
    RateWindowSeconds,
    RegistryImage,
    ScheduledCapacity,
    ScheduledJob,
    Scheme,
    SecretRef,
    ServiceAlarmsArgs,
    ServiceConnectArgs,
    ServiceConnectMode,
    ServiceScalingArgs,
    Statement,
    WafArgs,
    WafMode,
    WebWorkload,
    Workload,
)
from stage.alb import RouteConfig
from stage.autoscaling import InstanceGroupConfig, RootVolumeConfig
from stage.base import ConfigModel, args_default, args_problems
from stage.egress import EgressRuleConfig, egress_config

#: Names become logical names (`svc-<name>-tg`); 16 characters keep autonamed target groups under 32.
_NAME = re.compile(r"^[a-z][a-z0-9-]{0,15}$")
_CLUSTER = EcsClusterArgs()
_SCALING = ServiceScalingArgs()
_DEPLOYMENT = DeploymentArgs()
_NEW_QUEUE = NewQueue()
_JOB = ScheduledJob(schedule="rate(1 day)")


def _defaults(args_type: type) -> dict[str, Any]:
    """A component args class's plain field defaults, so config defaults never drift from them."""
    return {f.name: f.default for f in dataclasses.fields(args_type) if f.default is not dataclasses.MISSING}


_LB = _defaults(LoadBalancerArgs)
_SERVICE = _defaults(FargateServiceArgs)
_WAF = _defaults(WafArgs)
_CONTAINER = _defaults(ContainerArgs)
_HEALTH_CHECK = _defaults(HealthCheckArgs)


# ---------------------------------------------------------------- blocks shared by kinds
class CapacityConfig(ConfigModel):
    provider: str
    """FARGATE, FARGATE_SPOT or a key of cluster.ec2Capacity."""
    weight: int = 1
    base: int = 0

    def to_args(self) -> CapacityShare:
        return CapacityShare(provider=self.provider, weight=self.weight, base=self.base)


def _capacity_default() -> list[CapacityConfig]:
    return [CapacityConfig(provider=s.provider, weight=s.weight, base=s.base) for s in ON_DEMAND]


class ScheduledCapacityConfig(ConfigModel):
    name: str
    schedule: str
    min_capacity: int
    max_capacity: int
    timezone: str = "UTC"


class ScalingConfig(ConfigModel):
    min_capacity: int = _SCALING.min_capacity
    max_capacity: int = _SCALING.max_capacity
    cpu_target: float | None = _SCALING.cpu_target
    memory_target: float | None = _SCALING.memory_target
    requests_per_target: int | None = None
    scale_in_cooldown: int = _SCALING.scale_in_cooldown
    scale_out_cooldown: int = _SCALING.scale_out_cooldown
    schedules: list[ScheduledCapacityConfig] = Field(default_factory=list)

    def to_args(self) -> ServiceScalingArgs:
        fields = self.model_dump(exclude={"schedules"})
        return ServiceScalingArgs(
            **fields, schedules=tuple(ScheduledCapacity(**s.model_dump()) for s in self.schedules)
        )


class DeploymentConfig(ConfigModel):
    min_healthy_percent: int = _DEPLOYMENT.min_healthy_percent
    max_percent: int = _DEPLOYMENT.max_percent


class ServiceConnectConfig(ConfigModel):
    mode: ServiceConnectMode = "clientServer"
    discovery_name: str | None = None
    dns_aliases: list[str] = Field(default_factory=list)
    allow_from: list[str] = Field(default_factory=list)
    """Services of this stage whose tasks may call this one (security-group ingress)."""

    def to_args(self, namespace_arn: pulumi.Input[str]) -> ServiceConnectArgs:
        return ServiceConnectArgs(
            namespace_arn=namespace_arn,
            mode=self.mode,
            discovery_name=self.discovery_name,
            dns_aliases=tuple(self.dns_aliases),
        )


class _LongRunningConfig(ConfigModel):
    scaling: ScalingConfig = Field(default_factory=ScalingConfig)
    deployment: DeploymentConfig = Field(default_factory=DeploymentConfig)
    service_connect: ServiceConnectConfig | None = None


# ---------------------------------------------------------------- kinds
class WebConfig(_LongRunningConfig, RouteConfig):
    """A web service: its listener rule and health (`RouteConfig`) on the stage's shared ALB."""

    health_check_grace_period: int = _defaults(WebWorkload)["health_check_grace_period"]


class QueueConfig(ConfigModel):
    """A queue created for the worker (the defaults), or an existing one when `arn` is set."""

    arn: str | None = None
    kms_key_arn: str | None = None
    visibility_timeout: int = _NEW_QUEUE.visibility_timeout
    retention_seconds: int = _NEW_QUEUE.retention_seconds
    max_receive_count: int = _NEW_QUEUE.max_receive_count

    def problems(self) -> list[Problem]:
        created_only = {"visibility_timeout", "retention_seconds", "max_receive_count"} & self.model_fields_set
        if self.arn is not None and created_only:
            return [
                Problem("queue", f"an existing queue (arn) is configured where it lives; remove {sorted(created_only)}")
            ]
        if self.arn is None and self.kms_key_arn is not None:
            return [Problem("queue.kms_key_arn", "a created queue uses SQS-managed encryption; kmsKeyArn needs arn")]
        return []

    def to_args(self) -> NewQueue | ExistingQueue:
        if self.arn is not None:
            return ExistingQueue(arn=self.arn, kms_key_arn=self.kms_key_arn)
        return NewQueue(
            visibility_timeout=self.visibility_timeout,
            retention_seconds=self.retention_seconds,
            max_receive_count=self.max_receive_count,
        )


class WorkerConfig(_LongRunningConfig):
    queue: QueueConfig = Field(default_factory=QueueConfig)
    target_backlog_per_task: int = _defaults(QueueWorkload)["target_backlog_per_task"]


class JobConfig(ConfigModel):
    schedule: str
    timezone: str = _JOB.timezone
    task_count: int = _JOB.task_count
    retry_attempts: int = _JOB.retry_attempts
    max_event_age: int = _JOB.max_event_age

    def to_args(self) -> ScheduledJob:
        return ScheduledJob(**self.model_dump())


# ---------------------------------------------------------------- container
class ImageConfig(ConfigModel):
    """`uri` for a registry image, or `context` + `tag` for a Docker build."""

    uri: str | None = None
    context: str | None = None
    tag: str | None = None
    dockerfile: str | None = None
    target: str | None = None
    keep_images: int = _defaults(DockerBuild)["keep_images"]

    def problems(self) -> list[Problem]:
        if (self.uri is None) == (self.context is None):
            return [Problem("container.image", "give exactly one of uri (registry image) or context (Docker build)")]
        if self.context is not None and self.tag is None:
            return [Problem("container.image.tag", "a Docker build needs a version tag (the repository is immutable)")]
        if self.uri is not None and {"tag", "dockerfile", "target", "keep_images"} & self.model_fields_set:
            return [Problem("container.image", "tag/dockerfile/target/keepImages apply to builds; put the tag in uri")]
        return []

    def to_args(self) -> RegistryImage | DockerBuild:
        if self.uri is not None:
            return RegistryImage(uri=self.uri)
        return DockerBuild(
            context=self.context or "",
            tag=self.tag or "",
            dockerfile=self.dockerfile,
            target=self.target,
            keep_images=self.keep_images,
        )


class SecretConfig(ConfigModel):
    arn: str
    json_key: str | None = None


class HealthCheckConfig(ConfigModel):
    command: list[str]
    interval: int = _HEALTH_CHECK["interval"]
    timeout: int = _HEALTH_CHECK["timeout"]
    retries: int = _HEALTH_CHECK["retries"]
    start_period: int = _HEALTH_CHECK["start_period"]


class ContainerConfig(ConfigModel):
    image: ImageConfig
    port: int | None = None
    port_name: str = _CONTAINER["port_name"]
    command: list[str] | None = None
    environment: dict[str, str] = Field(default_factory=dict)
    secrets: dict[str, SecretConfig] = Field(default_factory=dict)
    secrets_kms_key_arns: list[str] = Field(default_factory=list)
    health_check: HealthCheckConfig | None = None
    user: str | None = None
    read_only_root_filesystem: bool = _CONTAINER["read_only_root_filesystem"]
    scratch_paths: list[str] = Field(default_factory=list)

    def to_args(self, mutable_tags: MutableTagPolicy) -> ContainerArgs:
        return ContainerArgs(
            image=self.image.to_args(),
            port=self.port,
            port_name=self.port_name,
            command=tuple(self.command) if self.command is not None else None,
            environment=dict(self.environment),
            secrets={k: SecretRef(arn=s.arn, json_key=s.json_key) for k, s in self.secrets.items()},
            secrets_kms_key_arns=tuple(self.secrets_kms_key_arns),
            health_check=HealthCheckArgs(**self.health_check.model_dump()) if self.health_check else None,
            user=self.user,
            read_only_root_filesystem=self.read_only_root_filesystem,
            scratch_paths=tuple(self.scratch_paths),
            mutable_tags=mutable_tags,
        )


class StatementConfig(ConfigModel):
    actions: list[str]
    resources: list[str]
    sid: str | None = None

    def to_args(self) -> Statement:
        return Statement(actions=tuple(self.actions), resources=tuple(self.resources), sid=self.sid)


class PlacementStrategyConfig(ConfigModel):
    type: PlacementStrategyType
    field: str | None = None


class PlacementConstraintConfig(ConfigModel):
    type: PlacementConstraintType
    expression: str | None = None


class PlacementConfig(ConfigModel):
    """Task placement on EC2 capacity (`placement: {strategies: [...], constraints: [...]}`)."""

    strategies: list[PlacementStrategyConfig] = Field(default_factory=list)
    constraints: list[PlacementConstraintConfig] = Field(default_factory=list)

    def to_args(self) -> PlacementArgs:
        return PlacementArgs(
            strategies=tuple(PlacementStrategyArgs(**s.model_dump()) for s in self.strategies),
            constraints=tuple(PlacementConstraintArgs(**c.model_dump()) for c in self.constraints),
        )


# ---------------------------------------------------------------- one workload
@dataclass(frozen=True, kw_only=True)
class ServiceWiring:
    """The stage resources a workload is wired to (Outputs in a stack, placeholders when validating)."""

    cluster: ClusterRef
    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[Sequence[str]]
    load_balancer: ListenerAttachment | None
    namespace_arn: pulumi.Input[str] | None
    family_prefix: str
    alarms: ServiceAlarmsArgs | None = None
    """The stage's service alarms (on its alarm topic); None when it has none."""


def _placeholder_wiring(cluster: ClusterRef) -> ServiceWiring:
    """Stand-ins for what a workload is wired to when its rules run from config alone."""
    return dataclasses.replace(_PLACEHOLDER, cluster=cluster)


_PLACEHOLDER = ServiceWiring(
    cluster=ClusterRef(arn="cluster-arn", name="cluster", exec_log_group_arn="exec-log-group-arn"),
    vpc_id="vpc-id",
    subnet_ids=["subnet-id"],
    load_balancer=ListenerAttachment(
        listener_arn="listener-arn", security_group_id="sg-id", load_balancer_arn_suffix="app/x/y"
    ),
    namespace_arn="namespace-arn",
    family_prefix="stage",
)


class ServiceConfig(ConfigModel):
    cpu: int = _SERVICE["cpu"]
    memory: int = _SERVICE["memory"]
    architecture: CpuArchitecture = _SERVICE["architecture"]
    ephemeral_storage_gib: int | None = None
    capacity: list[CapacityConfig] = Field(default_factory=_capacity_default)
    placement: PlacementConfig = Field(default_factory=PlacementConfig)
    execute_command: bool = _SERVICE["execute_command"]
    log_retention_days: int = _SERVICE["log_retention_days"]
    egress: list[EgressRuleConfig] = Field(default_factory=lambda: egress_config(_SERVICE["egress"]))
    task_role_statements: list[StatementConfig] = Field(default_factory=list)
    task_role_managed_policy_arns: list[str] = Field(default_factory=list)
    container: ContainerConfig
    web: WebConfig | None = None
    worker: WorkerConfig | None = None
    job: JobConfig | None = None

    @property
    def kind(self) -> Literal["web", "worker", "job"] | None:
        kinds = [k for k in ("web", "worker", "job") if getattr(self, k) is not None]
        return kinds[0] if len(kinds) == 1 else None  # type: ignore[return-value]

    @property
    def service_connect(self) -> ServiceConnectConfig | None:
        block = self.web or self.worker
        return block.service_connect if block else None

    def to_args(self, name: str, wiring: ServiceWiring, mutable_tags: MutableTagPolicy) -> FargateServiceArgs:
        return FargateServiceArgs(
            cluster=wiring.cluster,
            vpc_id=wiring.vpc_id,
            subnet_ids=wiring.subnet_ids,
            family=f"{wiring.family_prefix}-{name}",
            cpu=self.cpu,
            memory=self.memory,
            architecture=self.architecture,
            ephemeral_storage_gib=self.ephemeral_storage_gib,
            capacity=tuple(c.to_args() for c in self.capacity),
            placement=self.placement.to_args(),
            execute_command=self.execute_command,
            log_retention_days=self.log_retention_days,
            egress=tuple(rule.to_args() for rule in self.egress),
            task_role_statements=tuple(s.to_args() for s in self.task_role_statements),
            task_role_managed_policy_arns=tuple(self.task_role_managed_policy_arns),
            container=self.container.to_args(mutable_tags),
            workload=self._workload(wiring),
            alarms=wiring.alarms,
        )

    def _workload(self, wiring: ServiceWiring) -> Workload:
        if self.job is not None:
            return self.job.to_args()
        block = self.web or self.worker
        assert block is not None, "validated: exactly one of web, worker, job"
        connect = block.service_connect
        common: dict[str, Any] = {
            "scaling": block.scaling.to_args(),
            "deployment": DeploymentArgs(**block.deployment.model_dump()),
            "service_connect": (
                connect.to_args(wiring.namespace_arn) if connect and wiring.namespace_arn is not None else None
            ),
        }
        if isinstance(block, WorkerConfig):
            return QueueWorkload(
                queue=block.queue.to_args(), target_backlog_per_task=block.target_backlog_per_task, **common
            )
        assert wiring.load_balancer is not None, "validated: web services need aws-compute:services.loadBalancer"
        return WebWorkload(
            listener=wiring.load_balancer,
            health_check_grace_period=block.health_check_grace_period,
            **block.route_args(),
            **common,
        )

    def problems_as(self, name: str, mutable_tags: MutableTagPolicy, cluster: ClusterRef) -> list[Problem]:
        """This workload's problems with YAML-relative paths (`workload.` -> its kind)."""
        if self.kind is None:
            return [Problem("", "give exactly one of web, worker or job")]
        own = self.container.image.problems()
        if self.worker is not None:
            own += [Problem(f"worker.{p.field}", p.message) for p in self.worker.queue.problems()]
        if own:
            return own
        found = args_problems(lambda: self.to_args(name, _placeholder_wiring(cluster), mutable_tags))
        return [Problem(re.sub(r"^workload\b", self.kind, p.field), p.message) for p in found]


# ---------------------------------------------------------------- the area
class ManagedScalingConfig(ConfigModel):
    target_capacity: int = args_default(ManagedScalingArgs, "target_capacity")
    minimum_scaling_step_size: int = args_default(ManagedScalingArgs, "minimum_scaling_step_size")
    maximum_scaling_step_size: int = args_default(ManagedScalingArgs, "maximum_scaling_step_size")
    instance_warmup_period: int = args_default(ManagedScalingArgs, "instance_warmup_period")


#: ECS container instances keep image layers on the root volume: 30 GiB by default.
_ECS_ROOT_VOLUME = {"sizeGib": 30}


class Ec2CapacityConfig(InstanceGroupConfig):
    """An ECS capacity provider on an Auto Scaling group: the group's instance knobs (as in
    aws-compute:autoscaling), ECS managed scaling, termination protection and draining."""

    root_volume: RootVolumeConfig = Field(default_factory=lambda: RootVolumeConfig.model_validate(_ECS_ROOT_VOLUME))
    managed_scaling: ManagedScalingConfig = Field(default_factory=ManagedScalingConfig)
    managed_termination_protection: bool = args_default(Ec2CapacityArgs, "managed_termination_protection")
    managed_draining: bool = args_default(Ec2CapacityArgs, "managed_draining")

    def to_args(
        self,
        *,
        vpc_id: pulumi.Input[str],
        subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
        alarms: GroupAlarmsArgs | None = None,
    ) -> Ec2CapacityArgs:
        """ECS managed scaling owns the group (no policies of its own); instances are protected
        from scale-in exactly when managed termination protection is on."""
        return Ec2CapacityArgs(
            group=self.group_args(
                vpc_id=vpc_id,
                subnet_ids=subnet_ids,
                scaled_by="ecsManagedScaling",
                scaling=GroupScalingArgs(cpu_target=None),
                protect_from_scale_in=self.managed_termination_protection,
                alarms=alarms,
            ),
            managed_scaling=ManagedScalingArgs(**self.managed_scaling.model_dump()),
            managed_termination_protection=self.managed_termination_protection,
            managed_draining=self.managed_draining,
        )


class ClusterConfig(ConfigModel):
    container_insights: ContainerInsights = _CLUSTER.container_insights
    default_capacity: list[CapacityConfig] = Field(default_factory=_capacity_default)
    exec_log_retention_days: int = _CLUSTER.exec_log_retention_days
    service_connect_namespace: str | None = None
    protect: bool = _CLUSTER.protect
    ec2_capacity: dict[str, Ec2CapacityConfig] = Field(default_factory=dict)

    def to_args(
        self,
        *,
        vpc_id: pulumi.Input[str],
        subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
        group_alarms: GroupAlarmsArgs | None = None,
    ) -> EcsClusterArgs:
        """The cluster's args; EC2 capacity runs in the network's private subnets, its groups
        raising the stage's Auto Scaling group alarms."""
        return EcsClusterArgs(
            container_insights=self.container_insights,
            default_capacity=tuple(c.to_args() for c in self.default_capacity),
            exec_log_retention_days=self.exec_log_retention_days,
            service_connect_namespace=self.service_connect_namespace,
            protect=self.protect,
            ec2_capacity={
                key: capacity.to_args(vpc_id=vpc_id, subnet_ids=subnet_ids, alarms=group_alarms)
                for key, capacity in self.ec2_capacity.items()
            },
        )

    def problems(self) -> list[Problem]:
        """Each EC2 capacity's group's rules, then the cluster's (the providers' among them),
        with key paths as written: a group's keys sit beside its provider's."""
        problems = [
            Problem(f"ec2_capacity.{key}.{p.field}", p.message)
            for key, capacity in self.ec2_capacity.items()
            for p in args_problems(functools.partial(capacity.to_args, vpc_id="vpc", subnet_ids=["subnet"]))
        ]
        if problems:
            return problems
        # The provider's rules on its group name the group's keys, which sit beside the provider's.
        return [
            Problem(re.sub(r"^(ec2_capacity\.[^.]+\.)group\.", r"\1", p.field), p.message)
            for p in args_problems(lambda: self.to_args(vpc_id="vpc", subnet_ids=["subnet"]))
        ]

    def placeholder_ref(self) -> ClusterRef:
        """A stand-in for the cluster, with its EC2 capacity keys and architectures, for rules run from config."""
        return dataclasses.replace(
            _PLACEHOLDER.cluster,
            ec2_capacity={
                key: Ec2CapacityRef(name=key, architecture=capacity.architecture)
                for key, capacity in self.ec2_capacity.items()
            },
        )


class WafConfig(ConfigModel):
    """`loadBalancer.waf`: present = a WAFv2 web ACL in front of the ALB."""

    managed_rule_groups: list[str] = Field(default_factory=lambda: list(_WAF["managed_rule_groups"]))
    rate_limit: int = _WAF["rate_limit"]
    rate_window_seconds: RateWindowSeconds = _WAF["rate_window_seconds"]
    mode: WafMode = _WAF["mode"]
    log_retention_days: int = _WAF["log_retention_days"]

    def to_args(self) -> WafArgs:
        return WafArgs(**{**self.model_dump(), "managed_rule_groups": tuple(self.managed_rule_groups)})


class LoadBalancerConfig(ConfigModel):
    scheme: Scheme = _LB["scheme"]
    ingress_cidrs: list[str] = Field(default_factory=list)
    listeners: ListenerMode = _LB["listeners"]
    certificate_arn: str | None = None
    ssl_policy: str = _LB["ssl_policy"]
    idle_timeout: int = _LB["idle_timeout"]
    deletion_protection: bool = _LB["deletion_protection"]
    access_logs_bucket: str | None = None
    access_logs_prefix: str | None = None
    protect: bool = _LB["protect"]
    waf: WafConfig | None = None

    def to_args(
        self,
        *,
        vpc_id: pulumi.Input[str],
        public_subnet_ids: pulumi.Input[Sequence[str]],
        private_subnet_ids: pulumi.Input[Sequence[str]],
        alarms: LoadBalancerAlarmsArgs | None = None,
    ) -> LoadBalancerArgs:
        return LoadBalancerArgs(
            vpc_id=vpc_id,
            alarms=alarms,
            subnet_ids=public_subnet_ids if self.scheme == "internet-facing" else private_subnet_ids,
            **self.model_dump(exclude={"waf"}),
            waf=self.waf.to_args() if self.waf is not None else None,
        )

    def problems(self) -> list[Problem]:
        return args_problems(lambda: self.to_args(vpc_id="vpc", public_subnet_ids=[], private_subnet_ids=[]))


class ServicesConfig(ConfigModel):
    mutable_image_tags: MutableTagPolicy = "warn"
    """Stage-level: what a registry image on a mutable tag does (warn by default; dev may allow)."""
    cluster: ClusterConfig = Field(default_factory=ClusterConfig)
    load_balancer: LoadBalancerConfig | None = None
    services: dict[str, ServiceConfig] = Field(default_factory=dict)

    def east_west(self) -> list[tuple[str, str]]:
        """(server, caller) pairs whose security groups must let the caller in."""
        return [
            (name, caller)
            for name, service in self.services.items()
            if service.service_connect is not None
            for caller in service.service_connect.allow_from
        ]

    def problems(self) -> list[Problem]:
        problems: list[Problem] = []
        if self.services or self.cluster.ec2_capacity:
            problems += [Problem(f"cluster.{p.field}", p.message) for p in self.cluster.problems()]
        if self.load_balancer is not None:
            problems += [Problem(f"load_balancer.{p.field}", p.message) for p in self.load_balancer.problems()]
        for name, service in self.services.items():
            path = f"services.{name}"
            if not _NAME.match(name):
                problems.append(Problem(path, "name services with 1-16 lowercase letters, digits and '-'"))
                continue
            problems += [
                Problem(f"{path}.{p.field}" if p.field else path, p.message)
                for p in service.problems_as(name, self.mutable_image_tags, self.cluster.placeholder_ref())
            ]
            problems += self._wiring_problems(path, service)
        return problems

    def _wiring_problems(self, path: str, service: ServiceConfig) -> list[Problem]:
        problems: list[Problem] = []
        if service.web is not None and self.load_balancer is None:
            problems.append(Problem(f"{path}.web", "a web service needs the stage's ALB; configure loadBalancer"))
        connect = service.service_connect
        if connect is None:
            return problems
        kind = service.kind
        if self.cluster.service_connect_namespace is None:
            problems.append(Problem(f"{path}.{kind}.service_connect", "needs cluster.serviceConnectNamespace to join"))
        for caller in connect.allow_from:
            other = self.services.get(caller)
            if other is None or other.service_connect is None:
                problems.append(
                    Problem(
                        f"{path}.{kind}.service_connect.allow_from",
                        f"{caller!r} is not a service of this stage with serviceConnect",
                    )
                )
        if connect.allow_from and connect.mode != "clientServer":
            problems.append(Problem(f"{path}.{kind}.service_connect.allow_from", "only a clientServer can be called"))
        return problems
