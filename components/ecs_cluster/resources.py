"""EcsCluster: one ECS cluster per stage for services and scheduled jobs.

Container Insights on, FARGATE and FARGATE_SPOT capacity providers (and EC2 capacity
providers on our Auto Scaling groups, `ec2_capacity.py`) with a default strategy, ECS Exec
sessions logged to a log group, and optionally a Cloud Map HTTP namespace that Service
Connect services of the cluster join by default.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.capacity import FARGATE_PROVIDERS
from components.ecs_cluster.args import (
    ClusterRef,
    Ec2CapacityRef,
    EcsClusterArgs,
)
from components.ecs_cluster.ec2_capacity import ec2_capacity_provider


class EcsCluster(pulumi.ComponentResource):
    """An ECS cluster with Fargate capacity providers, Exec logging and Container Insights."""

    arn: pulumi.Output[str]
    name: pulumi.Output[str]
    exec_log_group_name: pulumi.Output[str]
    exec_log_group_arn: pulumi.Output[str]
    namespace_arn: pulumi.Output[str] | None
    ec2_capacity: dict[str, Ec2CapacityRef]
    """The EC2 capacity providers by key: their names and architectures."""

    def __init__(self, name: str, args: EcsClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aws-compute:ecs_cluster:EcsCluster", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        exec_logs = aws.cloudwatch.LogGroup(
            f"{name}-exec-logs",
            retention_in_days=args.exec_log_retention_days,
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect),
        )
        namespace = (
            aws.servicediscovery.HttpNamespace(
                f"{name}-namespace",
                name=args.service_connect_namespace,
                description=f"Service Connect namespace of {name}",
                opts=child,
            )
            if args.service_connect_namespace
            else None
        )
        cluster = aws.ecs.Cluster(
            f"{name}-cluster",
            settings=[aws.ecs.ClusterSettingArgs(name="containerInsights", value=args.container_insights)],
            configuration=aws.ecs.ClusterConfigurationArgs(
                execute_command_configuration=aws.ecs.ClusterConfigurationExecuteCommandConfigurationArgs(
                    logging="OVERRIDE",
                    log_configuration=aws.ecs.ClusterConfigurationExecuteCommandConfigurationLogConfigurationArgs(
                        cloud_watch_log_group_name=exec_logs.name,
                    ),
                ),
            ),
            service_connect_defaults=(
                aws.ecs.ClusterServiceConnectDefaultsArgs(namespace=namespace.arn) if namespace else None
            ),
            opts=child,
        )
        self.ec2_capacity = {}
        for key, ec2 in args.ec2_capacity.items():
            self.ec2_capacity[key] = ec2_capacity_provider(name, key, ec2, cluster.name, child)
        capacity = aws.ecs.ClusterCapacityProviders(
            f"{name}-capacity-providers",
            cluster_name=cluster.name,
            capacity_providers=[*FARGATE_PROVIDERS, *(ref.name for ref in self.ec2_capacity.values())],
            default_capacity_provider_strategies=[
                aws.ecs.ClusterCapacityProvidersDefaultCapacityProviderStrategyArgs(
                    capacity_provider=self.ec2_capacity[share.provider].name
                    if share.provider in self.ec2_capacity
                    else share.provider,
                    weight=share.weight,
                    base=share.base,
                )
                for share in args.default_capacity
            ],
            opts=child,
        )
        # Services must not start before the capacity providers are attached: both outputs
        # carry the ClusterCapacityProviders dependency.
        self.arn = pulumi.Output.all(cluster.arn, capacity.cluster_name).apply(lambda values: values[0])
        self.name = capacity.cluster_name
        self.exec_log_group_name = exec_logs.name
        self.exec_log_group_arn = exec_logs.arn
        self.namespace_arn = namespace.arn if namespace else None
        self.register_outputs(
            {
                "arn": self.arn,
                "name": self.name,
                "execLogGroupName": self.exec_log_group_name,
                "namespaceArn": self.namespace_arn,
                "ec2CapacityProviders": {key: ref.name for key, ref in self.ec2_capacity.items()},
            }
        )

    def ref(self) -> ClusterRef:
        return ClusterRef(
            arn=self.arn, name=self.name, exec_log_group_arn=self.exec_log_group_arn, ec2_capacity=self.ec2_capacity
        )
