"""Small ECS-on-EC2 programs shared by the EC2 capacity tests: a cluster with one capacity
provider on an Auto Scaling group, and services placed on it."""

from __future__ import annotations

from typing import Any

from components import (
    AutoScalingGroupArgs,
    CapacityShare,
    ClusterRef,
    Ec2CapacityArgs,
    Ec2CapacityRef,
    EcsCluster,
    EcsClusterArgs,
    FargateService,
    FargateServiceArgs,
    GroupScalingArgs,
    PlacementArgs,
    PlacementConstraintArgs,
    PlacementStrategyArgs,
    QueueWorkload,
    RootVolumeArgs,
    ScheduledJob,
)
from offline import engine
from offline.engine import Plan
from tests.fargate_builders import container

ON_GENERAL = (CapacityShare(provider="general", weight=1),)
SEED_PLACEMENT = PlacementArgs(
    strategies=(
        PlacementStrategyArgs(type="spread", field="attribute:ecs.availability-zone"),
        PlacementStrategyArgs(type="binpack", field="memory"),
    ),
    constraints=(PlacementConstraintArgs(type="memberOf", expression="attribute:ecs.instance-type =~ m7g.*"),),
)
EC2_CLUSTER_REF = ClusterRef(
    arn="arn:aws:ecs:us-east-1:123456789012:cluster/c",
    name="c",
    exec_log_group_arn="arn:x",
    ec2_capacity={
        "general": Ec2CapacityRef(name="cp-general", architecture="arm64"),
        "amd": Ec2CapacityRef(name="cp-amd", architecture="x86_64"),
    },
)


def group(**overrides: Any) -> AutoScalingGroupArgs:
    """An ECS container-instance group as managed scaling wants it."""
    values: dict[str, Any] = {
        "vpc_id": "vpc-1",
        "subnet_ids": ["subnet-p1", "subnet-p2"],
        "instance_types": ("m7g.large", "m6g.large"),
        "min_size": 0,
        "max_size": 6,
        "scaled_by": "ecsManagedScaling",
        "scaling": GroupScalingArgs(cpu_target=None),
        "protect_from_scale_in": True,
        "root_volume": RootVolumeArgs(size_gib=30),
    }
    values.update(overrides)
    return AutoScalingGroupArgs(**values)


def capacity(**overrides: Any) -> Ec2CapacityArgs:
    return Ec2CapacityArgs(**{"group": group(), **overrides})


def ec2_service_args(**overrides: Any) -> FargateServiceArgs:
    base: dict[str, Any] = {
        "cluster": EC2_CLUSTER_REF,
        "vpc_id": "vpc-1",
        "subnet_ids": ["subnet-p1", "subnet-p2"],
        "container": container(),
        "workload": QueueWorkload(),
        "capacity": ON_GENERAL,
        "cpu": 1024,
        "memory": 3072,
    }
    return FargateServiceArgs(**{**base, **overrides})


def ec2_program(**cluster_overrides: Any) -> None:
    """A cluster with the `general` capacity provider, a worker and a job placed on it."""
    cluster = EcsCluster("ecs", EcsClusterArgs(ec2_capacity={"general": capacity()}, **cluster_overrides))
    common: dict[str, Any] = {
        "cluster": cluster.ref(),
        "vpc_id": "vpc-1",
        "subnet_ids": ["subnet-p1", "subnet-p2"],
        "container": container(),
        "capacity": ON_GENERAL,
        "placement": SEED_PLACEMENT,
    }
    FargateService("renderer", FargateServiceArgs(**common, workload=QueueWorkload()))
    FargateService("nightly", FargateServiceArgs(**common, workload=ScheduledJob(schedule="cron(0 2 * * ? *)")))


def run_ec2(**cluster_overrides: Any) -> Plan:
    return engine.run(lambda: ec2_program(**cluster_overrides))
