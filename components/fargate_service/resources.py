"""FargateService: one containerised workload on ECS Fargate (or on the cluster's EC2
capacity providers), the Pulumi way.

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
shared per stage and passed in. A capacity strategy naming the cluster's EC2 capacity
providers runs the same workload on its instances: the task definition requires EC2
compatibility (still awsvpc: each task has its own network interface and security group),
no Fargate platform version is set, and `placement` strategies and constraints apply.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.account_scope import account_scope
from components.alarms import ServiceAlarmsArgs
from components.alarms.sets import service_alarms, target_alarms
from components.capacity import runs_on_ec2
from components.child_keys import by_policy_name
from components.egress import egress_rules
from components.fargate_service.args import CpuArchitecture, FargateServiceArgs
from components.fargate_service.container import DockerBuild, container_definition, image_is_mutable, scratch_volumes
from components.fargate_service.container_image import resolve_image
from components.fargate_service.iam import exec_statements, execution_statements, queue_consumer_statements
from components.fargate_service.schedule import scheduled_task
from components.fargate_service.service import RunningService, ServiceLogs, TaskPlacement, ecs_service
from components.fargate_service.work_queue import WorkQueue, work_queue
from components.fargate_service.workloads import QueueWorkload, ScheduledJob, WebWorkload
from components.iam import Statement, service_trust_policy
from components.roles import role_with_grants

CONTAINER_NAME = "app"


_PLATFORMS: dict[CpuArchitecture, str] = {"ARM64": "linux/arm64", "X86_64": "linux/amd64"}


class FargateService(pulumi.ComponentResource):
    """A Fargate task definition and what runs it: an ECS service or a schedule."""

    task_definition_arn: pulumi.Output[str]
    execution_role_arn: pulumi.Output[str]
    task_role_arn: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    log_group_name: pulumi.Output[str]
    image_uri: pulumi.Output[str]
    container_port: int | None
    """The port the container receives traffic on (`allow_from` opens it); None for jobs and workers without one."""
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
        child = pulumi.ResourceOptions(parent=self)
        scope = account_scope(self)

        workload = args.workload
        container = args.container
        on_ec2 = runs_on_ec2(args.capacity)
        log_group = aws.cloudwatch.LogGroup(f"{name}-logs", retention_in_days=args.log_retention_days, opts=child)
        image = resolve_image(name, container.image, _PLATFORMS[args.architecture], child)
        queue = work_queue(name, workload.queue, child) if isinstance(workload, QueueWorkload) else None

        trust = service_trust_policy(
            "ecs-tasks.amazonaws.com",
            conditions={
                "StringEquals": {"aws:SourceAccount": scope.account},
                "ArnLike": {"aws:SourceArn": scope.arn("ecs", "*")},
            },
        )
        execution = role_with_grants(
            f"{name}-execution",
            description=f"ECS starts {name}: pull its image, write its logs, read its secrets",
            trust=trust,
            statements=execution_statements(
                repository_arns=image.pull_repository_arns,
                log_group_arn=log_group.arn,
                secrets=list(container.secrets.values()),
                kms_key_arns=list(container.secrets_kms_key_arns),
            ),
            opts=child,
        )
        task = role_with_grants(
            f"{name}-task",
            description=f"The {name} application's own permissions",
            trust=trust,
            statements=_task_statements(args, queue),
            managed_policies=by_policy_name(args.task_role_managed_policy_arns),
            opts=child,
        )
        # The service (or schedule) waits for every grant: ECS starts tasks as soon as the
        # service exists, and a task started before its roles' policies are attached fails
        # (image pull, secrets, logs), counting towards the deployment circuit breaker.
        grants = [*execution.grants, *task.grants]

        task_definition = aws.ecs.TaskDefinition(
            f"{name}-task",
            family=args.family or name,
            cpu=str(args.cpu),
            memory=str(args.memory),
            network_mode="awsvpc",
            requires_compatibilities=["EC2" if on_ec2 else "FARGATE"],
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
            execution_role_arn=execution.role.arn,
            task_role_arn=task.role.arn,
            container_definitions=container_definition(
                CONTAINER_NAME,
                container,
                image_uri=image.uri,
                log_group_name=log_group.name,
                region=scope.region,
                extra_environment={"QUEUE_URL": queue.url} if queue is not None else {},
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
        # Before 0.2.0 tasks had one egress rule, `{name}-egress` (all traffic anywhere): the
        # first rule now takes over its state, updated in place rather than replaced.
        egress_rules(name, security_group.id, args.egress, child, published_names=[f"{name}-egress"])
        placement = TaskPlacement(
            cluster=args.cluster,
            subnet_ids=args.subnet_ids,
            security_group_id=security_group.id,
            capacity=args.capacity,
            execute_command=args.execute_command,
            placement=args.placement,
            on_ec2=on_ec2,
        )

        self.service_name = self.service_arn = self.url = self.schedule_arn = None
        if isinstance(workload, ScheduledJob):
            self.schedule_arn = scheduled_task(
                name,
                workload,
                task_definition=task_definition,
                placement=placement,
                task_role_arns=[execution.role.arn, task.role.arn],
                scope=scope,
                grants=grants,
                parent=self,
            )
        else:
            service = ecs_service(
                name,
                workload,
                task_definition=task_definition,
                placement=placement,
                container_name=CONTAINER_NAME,
                container_port=container.port,
                port_name=container.port_name,
                vpc_id=args.vpc_id,
                queue=queue,
                logs=ServiceLogs(group_name=log_group.name, region=scope.region),
                grants=grants,
                parent=self,
            )
            self.service_name, self.service_arn, self.url = service.name, service.arn, service.url
            if args.alarms is not None:
                _alarms(name, args.alarms, args, service, queue, child)

        self.task_definition_arn = task_definition.arn
        self.execution_role_arn = execution.role.arn
        self.task_role_arn = task.role.arn
        self.security_group_id = security_group.id
        self.log_group_name = log_group.name
        self.image_uri = pulumi.Output.from_input(image.uri)
        self.container_port = container.port
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
        port = self.container_port
        if port is None:
            raise ValueError(f"{self._name} has no container port (container.port) to receive traffic on")
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


def _alarms(
    name: str,
    alarms: ServiceAlarmsArgs,
    args: FargateServiceArgs,
    service: RunningService,
    queue: WorkQueue | None,
    child: pulumi.ResourceOptions,
) -> None:
    """The service's alarms, and its target group's when it is a web service."""
    service_alarms(
        name,
        alarms,
        cluster_name=args.cluster.name,
        service_name=service.name,
        queue_name=queue.name if queue is not None else None,
        dead_letter_queue_name=(
            queue.dead_letter_arn.apply(lambda arn: arn.rsplit(":", 1)[-1])
            if queue is not None and queue.dead_letter_arn is not None
            else None
        ),
        opts=child,
    )
    workload = args.workload
    if isinstance(workload, WebWorkload) and service.target_group_arn_suffix is not None:
        target_alarms(
            name,
            alarms,
            target_group_arn_suffix=service.target_group_arn_suffix,
            load_balancer_arn_suffix=workload.listener.load_balancer_arn_suffix,
            opts=child,
        )


def _task_statements(args: FargateServiceArgs, queue: WorkQueue | None) -> list[Statement]:
    """The application's grants: the caller's, consuming its queue, and ECS Exec's channel."""
    statements = list(args.task_role_statements)
    if queue is not None:
        statements += queue_consumer_statements(queue.arn, queue.kms_key_arn)
    if args.execute_command:
        statements += exec_statements(args.cluster.exec_log_group_arn)
    return statements
