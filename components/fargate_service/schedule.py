"""A scheduled job: an EventBridge Scheduler schedule runs the task definition, through a
role allowed to run exactly this family on this cluster and to pass the task's two roles."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from components.account_scope import AccountScope
from components.fargate_service.iam import scheduler_statements
from components.fargate_service.service import TaskPlacement
from components.fargate_service.workloads import ScheduledJob
from components.scheduler_role import scheduler_role


def scheduled_task(
    name: str,
    job: ScheduledJob,
    *,
    task_definition: aws.ecs.TaskDefinition,
    placement: TaskPlacement,
    task_role_arns: Sequence[pulumi.Input[str]],
    scope: AccountScope,
    grants: Sequence[pulumi.Resource],
    parent: pulumi.Resource,
) -> pulumi.Output[str]:
    """`<name>-schedule` with its scheduler role; the schedule waits for every grant. Returns its ARN."""
    role, policy = scheduler_role(
        name,
        description=f"EventBridge Scheduler runs the {name} job",
        statements=scheduler_statements(
            family_arn=scope.arn("ecs", pulumi.Output.concat("task-definition/", task_definition.family, ":*")),
            cluster_arn=placement.cluster.arn,
            cluster_tasks_arn=scope.arn("ecs", pulumi.Output.concat("task/", placement.cluster.name, "/*")),
            role_arns=list(task_role_arns),
        ),
        scope=scope,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    schedule = aws.scheduler.Schedule(
        f"{name}-schedule",
        description=f"Runs the {name} job",
        schedule_expression=job.schedule,
        schedule_expression_timezone=job.timezone,
        state="ENABLED",
        flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(mode="OFF"),
        target=aws.scheduler.ScheduleTargetArgs(
            arn=placement.cluster.arn,
            role_arn=role.arn,
            ecs_parameters=aws.scheduler.ScheduleTargetEcsParametersArgs(
                task_definition_arn=task_definition.arn,
                task_count=job.task_count,
                platform_version=placement.platform_version,
                capacity_provider_strategies=[
                    aws.scheduler.ScheduleTargetEcsParametersCapacityProviderStrategyArgs(
                        capacity_provider=placement.provider_name(s), weight=s.weight, base=s.base
                    )
                    for s in placement.capacity
                ],
                placement_strategies=[
                    aws.scheduler.ScheduleTargetEcsParametersPlacementStrategyArgs(type=s.type, field=s.field)
                    for s in placement.placement.strategies
                ]
                or None,
                placement_constraints=[
                    aws.scheduler.ScheduleTargetEcsParametersPlacementConstraintArgs(
                        type=c.type, expression=c.expression
                    )
                    for c in placement.placement.constraints
                ]
                or None,
                network_configuration=aws.scheduler.ScheduleTargetEcsParametersNetworkConfigurationArgs(
                    subnets=placement.subnet_ids,
                    security_groups=[placement.security_group_id],
                    assign_public_ip=False,
                ),
                enable_ecs_managed_tags=True,
                propagate_tags="TASK_DEFINITION",
                enable_execute_command=placement.execute_command,
            ),
            retry_policy=aws.scheduler.ScheduleTargetRetryPolicyArgs(
                maximum_retry_attempts=job.retry_attempts, maximum_event_age_in_seconds=job.max_event_age
            ),
        ),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[policy, *grants]),
    )
    return schedule.arn
