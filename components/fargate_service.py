"""FargateService: one containerised workload on ECS Fargate, the Pulumi way.

The seed's "Web Application with ECS Fargate + ALB" (and its "Background Worker" and
"Scheduled Task" patterns): a task definition (ARM64, awsvpc, awslogs to its own log
group), separate least-privilege execution and task roles, a security group that admits
only the ALB, and by workload kind

- `WebWorkload`: a service behind the shared ALB (target group + listener rule), with
  circuit breaker and rollback, autoscaling and optional Service Connect;
- `QueueWorkload`: a service without a load balancer that consumes an SQS queue (created
  here with a DLQ and SSE, or existing) and scales on its depth;
- `ScheduledJob`: no service; an EventBridge Scheduler schedule runs the task.

The cluster (`components.ecs_cluster`) and the ALB (`components.load_balancer`) are
shared per stage and passed in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_aws as aws

from components.alb_target import attach_to_listener
from components.catalogue.api_limits import with_api_limits
from components.ecs_cluster import ClusterRef
from components.fargate.capacity import ON_DEMAND, CapacityShare, capacity_problems
from components.fargate.container import (
    ContainerArgs,
    DockerBuild,
    container_definition,
    container_problems,
    image_is_mutable,
    scratch_volumes,
)
from components.fargate.container_image import resolve_image
from components.fargate.iam import (
    exec_statements,
    execution_statements,
    queue_consumer_statements,
    scheduler_statements,
)
from components.fargate.scaling import QueueBacklogMetric, service_scaling
from components.fargate.sizing import ephemeral_storage_problems, task_size_problems
from components.fargate.work_queue import work_queue
from components.fargate.workloads import (
    QueueWorkload,
    ScheduledJob,
    WebWorkload,
    Workload,
    workload_problems,
)
from components.grants import managed_policy_problems, statement_problems
from components.iam import Statement, policy_document, service_trust_policy
from components.scheduler_role import scheduler_role
from components.validation import Problem, raise_if_any, retention_problems

CpuArchitecture = Literal["ARM64", "X86_64"]

CONTAINER_NAME = "app"
_FAMILY = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
_PLATFORMS: dict[CpuArchitecture, str] = {"ARM64": "linux/arm64", "X86_64": "linux/amd64"}


@dataclass(frozen=True, kw_only=True)
class FargateServiceArgs:
    cluster: ClusterRef
    """The stage's ECS cluster (`EcsCluster.ref()`)."""
    vpc_id: pulumi.Input[str]
    """The VPC of the tasks' security group."""
    subnet_ids: pulumi.Input[Sequence[str]]
    """Private subnets for the tasks; they never get a public IP."""
    container: ContainerArgs
    """The task's one essential container."""
    workload: Workload
    """Web service, queue worker or scheduled job."""
    family: str | None = None
    """Task definition family; the component name by default. Pass a stage-qualified
    name when stacks share an account and region."""
    cpu: int = 512
    """Task CPU units; 512 (0.5 vCPU) by default, the seed's starting size."""
    memory: int = 1024
    """Task memory in MiB; 1024 by default. Must be valid for `cpu` (Fargate table)."""
    architecture: CpuArchitecture = "ARM64"
    """ARM64 (Graviton) by default: about 20% cheaper (the seed's); X86_64 for amd64-only images."""
    ephemeral_storage_gib: int | None = None
    """Task scratch storage (21-200 GiB); Fargate's free 20 GiB by default."""
    capacity: Sequence[CapacityShare] = ON_DEMAND
    """Capacity-provider strategy; on-demand FARGATE with a base of 1 by default. Dev
    weights FARGATE_SPOT; prod keeps a FARGATE base and never a spot base."""
    execute_command: bool = False
    """ECS Exec (shell into tasks); off by default in the component, a dev knob. Needs
    `container.read_only_root_filesystem` off (the SSM agent writes to the root)."""
    log_retention_days: int = 365
    """Retention of the container log group; a year by default, dev lowers it."""
    task_role_statements: Sequence[Statement] = ()
    """IAM statements the application is granted, scoped to resource ARNs; none by default."""
    task_role_managed_policy_arns: Sequence[str] = ()
    """Managed policies attached to the task role; none by default."""

    def __post_init__(self) -> None:
        raise_if_any("FargateServiceArgs", with_api_limits(self, fargate_service_problems(self)))


def fargate_service_problems(args: FargateServiceArgs) -> list[Problem]:
    """Every rule FargateServiceArgs must satisfy; the stage config runs these too."""
    problems = [Problem(f"container.{p.field}", p.message) for p in container_problems(args.container)]
    problems += task_size_problems(args.cpu, args.memory)
    problems += ephemeral_storage_problems("ephemeral_storage_gib", args.ephemeral_storage_gib)
    problems += capacity_problems("capacity", args.capacity)
    problems += retention_problems("log_retention_days", args.log_retention_days)
    if args.family is not None and not _FAMILY.match(args.family):
        problems.append(Problem("family", f"{args.family!r}: use 1-255 letters, digits, _ and -"))
    if args.execute_command and args.container.read_only_root_filesystem:
        problems.append(
            Problem(
                "execute_command",
                "ECS Exec needs a writable root filesystem for its agent; set"
                " container.readOnlyRootFilesystem to false, or turn executeCommand off",
            )
        )
    problems += statement_problems("task_role_statements", args.task_role_statements)
    problems += managed_policy_problems("task_role_managed_policy_arns", args.task_role_managed_policy_arns)
    problems += workload_problems(args.workload, container_port=args.container.port)
    if isinstance(args.workload, WebWorkload) and args.container.port is None:
        problems.append(Problem("container.port", "a web service needs the port the ALB forwards to"))
    if isinstance(args.workload, ScheduledJob) and args.container.port is not None:
        problems.append(Problem("container.port", "a scheduled job receives no traffic; remove the port"))
    return problems


class FargateService(pulumi.ComponentResource):
    """A Fargate task definition and what runs it: an ECS service or a schedule."""

    task_definition_arn: pulumi.Output[str]
    execution_role_arn: pulumi.Output[str]
    task_role_arn: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    log_group_name: pulumi.Output[str]
    image_uri: pulumi.Output[str]
    service_name: pulumi.Output[str] | None
    service_arn: pulumi.Output[str] | None
    url: pulumi.Output[str] | None
    """Web services: the ALB URL of the first routed path (when the listener has a base URL)."""
    queue_url: pulumi.Output[str] | None
    queue_arn: pulumi.Output[str] | None
    dead_letter_queue_arn: pulumi.Output[str] | None
    schedule_arn: pulumi.Output[str] | None
    repository_url: pulumi.Output[str] | None

    def __init__(self, name: str, args: FargateServiceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aws-compute:fargate_service:FargateService", name, None, opts)
        self._name = name
        self._args = args
        child = pulumi.ResourceOptions(parent=self)
        invoke_opts = pulumi.InvokeOutputOptions(parent=self)
        region = aws.get_region_output(opts=invoke_opts).region
        account = aws.get_caller_identity_output(opts=invoke_opts).account_id
        partition = aws.get_partition_output(opts=invoke_opts).partition
        self._account = account

        def arn_prefix(service: str) -> pulumi.Output[str]:
            return pulumi.Output.concat("arn:", partition, f":{service}:", region, ":", account, ":")

        self._arn_prefix = arn_prefix
        workload = args.workload
        container = args.container

        log_group = aws.cloudwatch.LogGroup(f"{name}-logs", retention_in_days=args.log_retention_days, opts=child)
        self.log_group_name = log_group.name
        self._region = region
        image = resolve_image(name, container.image, _PLATFORMS[args.architecture], child)

        queue = work_queue(name, workload.queue, child) if isinstance(workload, QueueWorkload) else None
        task_statements = list(args.task_role_statements)
        extra_env: dict[str, pulumi.Input[str]] = {}
        if queue is not None:
            task_statements += queue_consumer_statements(queue.arn, queue.kms_key_arn)
            extra_env["QUEUE_URL"] = queue.url
        if args.execute_command:
            task_statements += exec_statements(args.cluster.exec_log_group_arn)

        trust = service_trust_policy(
            "ecs-tasks.amazonaws.com",
            conditions={
                "StringEquals": {"aws:SourceAccount": account},
                "ArnLike": {"aws:SourceArn": pulumi.Output.concat(arn_prefix("ecs"), "*")},
            },
        )
        execution_role = aws.iam.Role(
            f"{name}-execution-role",
            description=f"ECS starts {name}: pull its image, write its logs, read its secrets",
            assume_role_policy=trust,
            opts=child,
        )
        # The service (or schedule) waits for every grant: ECS starts tasks as soon as the
        # service exists, and a task started before its roles' policies are attached fails
        # (image pull, secrets, logs), counting towards the deployment circuit breaker.
        grants: list[pulumi.Resource] = [
            aws.iam.RolePolicy(
                f"{name}-execution-policy",
                role=execution_role.id,
                policy=policy_document(
                    execution_statements(
                        repository_arns=image.pull_repository_arns,
                        log_group_arn=log_group.arn,
                        secrets=list(container.secrets.values()),
                        kms_key_arns=list(container.secrets_kms_key_arns),
                    )
                ),
                opts=child,
            )
        ]
        task_role = aws.iam.Role(
            f"{name}-task-role",
            description=f"The {name} application's own permissions",
            assume_role_policy=trust,
            opts=child,
        )
        if task_statements:
            grants.append(
                aws.iam.RolePolicy(
                    f"{name}-task-policy", role=task_role.id, policy=policy_document(task_statements), opts=child
                )
            )
        grants += [
            aws.iam.RolePolicyAttachment(
                f"{name}-task-managed-{i}", role=task_role.name, policy_arn=policy_arn, opts=child
            )
            for i, policy_arn in enumerate(args.task_role_managed_policy_arns)
        ]
        self._grants = grants

        task_definition = aws.ecs.TaskDefinition(
            f"{name}-task",
            family=args.family or name,
            cpu=str(args.cpu),
            memory=str(args.memory),
            network_mode="awsvpc",
            requires_compatibilities=["FARGATE"],
            runtime_platform=aws.ecs.TaskDefinitionRuntimePlatformArgs(
                cpu_architecture=args.architecture, operating_system_family="LINUX"
            ),
            ephemeral_storage=(
                aws.ecs.TaskDefinitionEphemeralStorageArgs(size_in_gib=args.ephemeral_storage_gib)
                if args.ephemeral_storage_gib
                else None
            ),
            # A Fargate bind mount: a volume with only a name lives on the task's ephemeral storage.
            volumes=[aws.ecs.TaskDefinitionVolumeArgs(name=volume) for volume, _ in scratch_volumes(container)] or None,
            execution_role_arn=execution_role.arn,
            task_role_arn=task_role.arn,
            container_definitions=container_definition(
                CONTAINER_NAME,
                container,
                image_uri=image.uri,
                log_group_name=log_group.name,
                region=region,
                extra_environment=extra_env,
            ),
            opts=child,
        )
        security_group = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=args.vpc_id,
            description=f"Tasks of {name}: ingress only from its load balancer or named callers",
            tags={"Name": name},
            opts=child,
        )
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-egress",
            security_group_id=security_group.id,
            description="Outbound: image pulls, AWS APIs and dependencies",
            ip_protocol="-1",
            cidr_ipv4="0.0.0.0/0",
            opts=child,
        )

        self.service_name = self.service_arn = self.url = self.schedule_arn = None
        if isinstance(workload, ScheduledJob):
            self.schedule_arn = self._schedule(
                name,
                workload,
                task_definition,
                security_group,
                (execution_role, task_role),
                child,
            )
        else:
            self._service(name, task_definition, security_group, queue.name if queue else None, child)

        self.task_definition_arn = task_definition.arn
        self.execution_role_arn = execution_role.arn
        self.task_role_arn = task_role.arn
        self.security_group_id = security_group.id
        self.image_uri = pulumi.Output.from_input(image.uri)
        self.repository_url = image.repository_url
        self.queue_url = queue.url if queue else None
        self.queue_arn = queue.arn if queue else None
        self.dead_letter_queue_arn = queue.dead_letter_arn if queue else None
        source = container.image
        if not isinstance(source, DockerBuild) and container.mutable_tags == "warn" and image_is_mutable(source.uri):
            pulumi.log.warn(
                f"{name}: image {source.uri!r} is on a mutable tag; a redeploy may run different"
                " code. Pin it by digest or a version tag.",
                resource=self,
            )
        self.register_outputs(
            {
                "taskDefinitionArn": self.task_definition_arn,
                "executionRoleArn": self.execution_role_arn,
                "taskRoleArn": self.task_role_arn,
                "securityGroupId": self.security_group_id,
                "logGroupName": self.log_group_name,
                "imageUri": self.image_uri,
                "serviceName": self.service_name,
                "serviceArn": self.service_arn,
                "url": self.url,
                "queueUrl": self.queue_url,
                "queueArn": self.queue_arn,
                "deadLetterQueueArn": self.dead_letter_queue_arn,
                "scheduleArn": self.schedule_arn,
                "repositoryUrl": self.repository_url,
            }
        )

    def summary(self) -> dict[str, pulumi.Output[str]]:
        """The outputs worth exporting per workload, camelCase, without the absent ones."""
        outputs = {
            "url": self.url,
            "serviceName": self.service_name,
            "serviceArn": self.service_arn,
            "queueUrl": self.queue_url,
            "deadLetterQueueArn": self.dead_letter_queue_arn,
            "scheduleArn": self.schedule_arn,
            "taskDefinitionArn": self.task_definition_arn,
            "logGroupName": self.log_group_name,
            "repositoryUrl": self.repository_url,
        }
        return {key: value for key, value in outputs.items() if value is not None}

    def allow_from(self, caller: str, security_group_id: pulumi.Input[str]) -> None:
        """Admit another workload's tasks on the container port (Service Connect east-west)."""
        port = self._port()
        aws.vpc.SecurityGroupIngressRule(
            f"{self._name}-from-{caller}",
            security_group_id=self.security_group_id,
            description=f"{caller} calls {self._name} through Service Connect",
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            referenced_security_group_id=security_group_id,
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _port(self) -> int:
        """The container port; the args rules guarantee one wherever a caller needs it."""
        port = self._args.container.port
        if port is None:
            raise ValueError(f"{self._name} has no container port (container.port) to receive traffic on")
        return port

    # ------------------------------------------------------------------ service
    def _service(
        self,
        name: str,
        task_definition: aws.ecs.TaskDefinition,
        security_group: aws.ec2.SecurityGroup,
        queue_name: pulumi.Input[str] | None,
        child: pulumi.ResourceOptions,
    ) -> None:
        args = self._args
        workload = args.workload
        assert isinstance(workload, WebWorkload | QueueWorkload)
        load_balancers = None
        depends_on: list[pulumi.Resource] = list(self._grants)
        request_count_label = None
        if isinstance(workload, WebWorkload):
            port = self._port()
            target = attach_to_listener(
                name,
                workload,
                port=port,
                target_type="ip",
                vpc_id=args.vpc_id,
                target_security_group_id=security_group.id,
                opts=child,
            )
            load_balancers = [
                aws.ecs.ServiceLoadBalancerArgs(
                    target_group_arn=target.target_group.arn, container_name=CONTAINER_NAME, container_port=port
                )
            ]
            depends_on.append(target.listener_rule)
            request_count_label = target.request_count_label
            base_url = workload.listener.base_url
            if base_url is not None:
                first_path = workload.path_patterns[0].rstrip("*") if workload.path_patterns else "/"
                self.url = pulumi.Output.concat(base_url, first_path)
        service = aws.ecs.Service(
            f"{name}-service",
            cluster=args.cluster.arn,
            task_definition=task_definition.arn,
            desired_count=workload.scaling.min_capacity,
            capacity_provider_strategies=[
                aws.ecs.ServiceCapacityProviderStrategyArgs(capacity_provider=s.provider, weight=s.weight, base=s.base)
                for s in args.capacity
            ],
            platform_version="LATEST",
            network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
                subnets=args.subnet_ids, security_groups=[security_group.id], assign_public_ip=False
            ),
            deployment_circuit_breaker=aws.ecs.ServiceDeploymentCircuitBreakerArgs(enable=True, rollback=True),
            deployment_minimum_healthy_percent=workload.deployment.min_healthy_percent,
            deployment_maximum_percent=workload.deployment.max_percent,
            enable_execute_command=args.execute_command,
            enable_ecs_managed_tags=True,
            propagate_tags="SERVICE",
            health_check_grace_period_seconds=(
                workload.health_check_grace_period if isinstance(workload, WebWorkload) else None
            ),
            load_balancers=load_balancers,
            service_connect_configuration=self._service_connect(name, workload),
            wait_for_steady_state=False,
            # ECS refuses a changed capacity provider strategy without a forced deployment
            # (and the provider fails the plan): updates to the service always roll its tasks.
            force_new_deployment=True,
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=depends_on,
                # Autoscaling owns the task count once the service exists.
                ignore_changes=["desiredCount"],
            ),
        )
        service_scaling(
            name,
            workload.scaling,
            cluster_name=args.cluster.name,
            service_name=service.name,
            request_count_label=request_count_label,
            queue_backlog=(
                QueueBacklogMetric(queue_name=queue_name, target_backlog_per_task=workload.target_backlog_per_task)
                if isinstance(workload, QueueWorkload) and queue_name is not None
                else None
            ),
            opts=child,
        )
        self.service_name = service.name
        self.service_arn = service.arn

    def _service_connect(
        self, name: str, workload: WebWorkload | QueueWorkload
    ) -> aws.ecs.ServiceServiceConnectConfigurationArgs | None:
        connect = workload.service_connect
        if connect is None:
            return None
        services = None
        if connect.mode == "clientServer":
            discovery = connect.discovery_name or name
            services = [
                aws.ecs.ServiceServiceConnectConfigurationServiceArgs(
                    port_name=self._args.container.port_name,
                    discovery_name=discovery,
                    client_alias=[
                        aws.ecs.ServiceServiceConnectConfigurationServiceClientAliasArgs(
                            port=self._port(), dns_name=alias
                        )
                        for alias in (connect.dns_aliases or [discovery])
                    ],
                )
            ]
        return aws.ecs.ServiceServiceConnectConfigurationArgs(
            enabled=True,
            namespace=connect.namespace_arn,
            services=services,
            log_configuration=aws.ecs.ServiceServiceConnectConfigurationLogConfigurationArgs(
                log_driver="awslogs",
                options={
                    "awslogs-group": self.log_group_name,
                    "awslogs-region": self._region,
                    "awslogs-stream-prefix": "service-connect",
                },
            ),
        )

    # ------------------------------------------------------------------ scheduled job
    def _schedule(
        self,
        name: str,
        job: ScheduledJob,
        task_definition: aws.ecs.TaskDefinition,
        security_group: aws.ec2.SecurityGroup,
        roles: tuple[aws.iam.Role, aws.iam.Role],
        child: pulumi.ResourceOptions,
    ) -> pulumi.Output[str]:
        args = self._args
        ecs_arn_prefix = self._arn_prefix("ecs")
        role, policy = scheduler_role(
            name,
            description=f"EventBridge Scheduler runs the {name} job",
            statements=scheduler_statements(
                family_arn=pulumi.Output.concat(ecs_arn_prefix, "task-definition/", task_definition.family, ":*"),
                cluster_arn=args.cluster.arn,
                cluster_tasks_arn=pulumi.Output.concat(ecs_arn_prefix, "task/", args.cluster.name, "/*"),
                role_arns=[r.arn for r in roles],
            ),
            account=self._account,
            schedule_group_arn=pulumi.Output.concat(self._arn_prefix("scheduler"), "schedule-group/default"),
            opts=child,
        )
        schedule = aws.scheduler.Schedule(
            f"{name}-schedule",
            description=f"Runs the {name} job",
            schedule_expression=job.schedule,
            schedule_expression_timezone=job.timezone,
            state="ENABLED",
            flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(mode="OFF"),
            target=aws.scheduler.ScheduleTargetArgs(
                arn=args.cluster.arn,
                role_arn=role.arn,
                ecs_parameters=aws.scheduler.ScheduleTargetEcsParametersArgs(
                    task_definition_arn=task_definition.arn,
                    task_count=job.task_count,
                    platform_version="LATEST",
                    capacity_provider_strategies=[
                        aws.scheduler.ScheduleTargetEcsParametersCapacityProviderStrategyArgs(
                            capacity_provider=s.provider, weight=s.weight, base=s.base
                        )
                        for s in args.capacity
                    ],
                    network_configuration=aws.scheduler.ScheduleTargetEcsParametersNetworkConfigurationArgs(
                        subnets=args.subnet_ids, security_groups=[security_group.id], assign_public_ip=False
                    ),
                    enable_ecs_managed_tags=True,
                    propagate_tags="TASK_DEFINITION",
                    enable_execute_command=args.execute_command,
                ),
                retry_policy=aws.scheduler.ScheduleTargetRetryPolicyArgs(
                    maximum_retry_attempts=job.retry_attempts, maximum_event_age_in_seconds=job.max_event_age
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy, *self._grants]),
        )
        return schedule.arn
