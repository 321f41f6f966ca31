"""The ECS service that keeps a web or queue workload's tasks running: load balancer wiring
(web), Service Connect, deployment safety (circuit breaker with rollback) and its scaling."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.alb_target import attach_to_listener
from components.capacity import CapacityShare
from components.ecs_cluster import ClusterRef
from components.fargate_service.placement import PlacementArgs
from components.fargate_service.scaling import QueueBacklogMetric, service_scaling
from components.fargate_service.work_queue import WorkQueue
from components.fargate_service.workloads import QueueWorkload, WebWorkload


@dataclass(frozen=True)
class TaskPlacement:
    """Where and on what capacity the tasks run; shared by services and scheduled jobs."""

    cluster: ClusterRef
    subnet_ids: pulumi.Input[Sequence[str]]
    security_group_id: pulumi.Input[str]
    capacity: Sequence[CapacityShare]
    execute_command: bool
    placement: PlacementArgs
    on_ec2: bool
    """Whether the strategy names the cluster's EC2 capacity providers (else Fargate's)."""

    def provider_name(self, share: CapacityShare) -> pulumi.Input[str]:
        """FARGATE / FARGATE_SPOT as such; an EC2 capacity provider's key as its name."""
        ref = self.cluster.ec2_capacity.get(share.provider)
        return ref.name if ref is not None else share.provider

    @property
    def platform_version(self) -> str | None:
        """Fargate's platform version; ECS refuses one for tasks on EC2."""
        return None if self.on_ec2 else "LATEST"


@dataclass(frozen=True)
class RunningService:
    name: pulumi.Output[str]
    arn: pulumi.Output[str]
    url: pulumi.Output[str] | None
    """The ALB URL of the first routed path (web services whose listener has a base URL)."""
    target_group_arn_suffix: pulumi.Output[str] | None
    """Web services: the target group's CloudWatch dimension."""


@dataclass(frozen=True)
class ServiceLogs:
    """Where Service Connect's proxy logs go: the service's own log group."""

    group_name: pulumi.Input[str]
    region: pulumi.Input[str]


def ecs_service(
    name: str,
    workload: WebWorkload | QueueWorkload,
    *,
    task_definition: aws.ecs.TaskDefinition,
    placement: TaskPlacement,
    container_name: str,
    container_port: int | None,
    port_name: str,
    vpc_id: pulumi.Input[str],
    queue: WorkQueue | None,
    logs: ServiceLogs,
    grants: Sequence[pulumi.Resource],
    parent: pulumi.Resource,
) -> RunningService:
    """`<name>-service` (and for web workloads its target group and listener rule), started
    only once every grant of its roles exists, then its autoscaling."""
    child = pulumi.ResourceOptions(parent=parent)
    load_balancers = None
    depends_on = list(grants)
    request_count_label = None
    url = None
    target_group_arn_suffix = None
    if isinstance(workload, WebWorkload):
        port = _required_port(name, container_port)
        target = attach_to_listener(
            name,
            workload,
            port=port,
            target_type="ip",
            vpc_id=vpc_id,
            target_security_group_id=placement.security_group_id,
            opts=child,
        )
        load_balancers = [
            aws.ecs.ServiceLoadBalancerArgs(
                target_group_arn=target.target_group.arn, container_name=container_name, container_port=port
            )
        ]
        depends_on.append(target.listener_rule)
        request_count_label = target.request_count_label
        target_group_arn_suffix = target.target_group.arn_suffix
        base_url = workload.listener.base_url
        if base_url is not None:
            first_path = workload.path_patterns[0].rstrip("*") if workload.path_patterns else "/"
            url = pulumi.Output.concat(base_url, first_path)
    service = aws.ecs.Service(
        f"{name}-service",
        cluster=placement.cluster.arn,
        task_definition=task_definition.arn,
        desired_count=workload.scaling.min_capacity,
        capacity_provider_strategies=[
            aws.ecs.ServiceCapacityProviderStrategyArgs(
                capacity_provider=placement.provider_name(s), weight=s.weight, base=s.base
            )
            for s in placement.capacity
        ],
        platform_version=placement.platform_version,
        ordered_placement_strategies=[
            aws.ecs.ServiceOrderedPlacementStrategyArgs(type=s.type, field=s.field)
            for s in placement.placement.strategies
        ]
        or None,
        placement_constraints=[
            aws.ecs.ServicePlacementConstraintArgs(type=c.type, expression=c.expression)
            for c in placement.placement.constraints
        ]
        or None,
        network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
            subnets=placement.subnet_ids, security_groups=[placement.security_group_id], assign_public_ip=False
        ),
        deployment_circuit_breaker=aws.ecs.ServiceDeploymentCircuitBreakerArgs(enable=True, rollback=True),
        deployment_minimum_healthy_percent=workload.deployment.min_healthy_percent,
        deployment_maximum_percent=workload.deployment.max_percent,
        enable_execute_command=placement.execute_command,
        enable_ecs_managed_tags=True,
        propagate_tags="SERVICE",
        health_check_grace_period_seconds=(
            workload.health_check_grace_period if isinstance(workload, WebWorkload) else None
        ),
        load_balancers=load_balancers,
        service_connect_configuration=_service_connect(name, workload, container_port, port_name, logs),
        wait_for_steady_state=False,
        # ECS refuses a changed capacity provider strategy without a forced deployment
        # (and the provider fails the plan): updates to the service always roll its tasks.
        force_new_deployment=True,
        opts=pulumi.ResourceOptions(
            parent=parent,
            depends_on=depends_on,
            # Autoscaling owns the task count once the service exists.
            ignore_changes=["desiredCount"],
        ),
    )
    service_scaling(
        name,
        workload.scaling,
        cluster_name=placement.cluster.name,
        service_name=service.name,
        request_count_label=request_count_label,
        queue_backlog=(
            QueueBacklogMetric(queue_name=queue.name, target_backlog_per_task=workload.target_backlog_per_task)
            if isinstance(workload, QueueWorkload) and queue is not None
            else None
        ),
        opts=child,
    )
    return RunningService(name=service.name, arn=service.arn, url=url, target_group_arn_suffix=target_group_arn_suffix)


def _required_port(name: str, port: int | None) -> int:
    """The container port; the args rules guarantee one wherever traffic arrives."""
    if port is None:
        raise ValueError(f"{name} has no container port (container.port) to receive traffic on")
    return port


def _service_connect(
    name: str,
    workload: WebWorkload | QueueWorkload,
    container_port: int | None,
    port_name: str,
    logs: ServiceLogs,
) -> aws.ecs.ServiceServiceConnectConfigurationArgs | None:
    connect = workload.service_connect
    if connect is None:
        return None
    services = None
    if connect.mode == "clientServer":
        discovery = connect.discovery_name or name
        port = _required_port(name, container_port)
        services = [
            aws.ecs.ServiceServiceConnectConfigurationServiceArgs(
                port_name=port_name,
                discovery_name=discovery,
                client_alias=[
                    aws.ecs.ServiceServiceConnectConfigurationServiceClientAliasArgs(port=port, dns_name=alias)
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
                "awslogs-group": logs.group_name,
                "awslogs-region": logs.region,
                "awslogs-stream-prefix": "service-connect",
            },
        ),
    )
