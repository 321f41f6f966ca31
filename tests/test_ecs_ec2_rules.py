"""Every ECS-on-EC2 rule (capacity providers, their groups, strategies and task placement),
fed a bad value twice: to the component args (ArgsError naming the field) and to the stage
config (`stage.validate` naming the YAML key path)."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

import pytest

import stage
from components import (
    ArgsError,
    CapacityShare,
    EcsClusterArgs,
    GroupScalingArgs,
    InstanceTargetArgs,
    ManagedScalingArgs,
    PlacementArgs,
    PlacementConstraintArgs,
    PlacementStrategyArgs,
    PredictiveScalingArgs,
    RootVolumeArgs,
    ScheduledJob,
    existing_listener,
)
from tests.asg_helpers import ALB_SG, LISTENER_ARN
from tests.ecs_ec2_builders import ON_GENERAL, SEED_PLACEMENT, capacity, ec2_service_args, group
from tests.fargate_builders import PINNED
from tests.rule_cases import (
    Rule,
    args_cases,
    assert_args_rule_names_the_field,
    assert_stage_rule_names_the_key,
    patched,
    stage_cases,
)

GENERAL = "cluster.ec2Capacity.general"
RENDERER = "services.renderer"


def base_config() -> dict[str, Any]:
    """A valid `aws-compute:services` block: one EC2 capacity provider and a worker placed on it."""
    return {
        "services": {
            "cluster": {"ec2Capacity": {"general": {"instanceTypes": ["m7g.large"], "minSize": 0, "maxSize": 4}}},
            "services": {
                "renderer": {
                    "cpu": 1024,
                    "memory": 3072,
                    "capacity": [{"provider": "general"}],
                    "placement": {
                        "strategies": [
                            {"type": "spread", "field": "attribute:ecs.availability-zone"},
                            {"type": "binpack", "field": "memory"},
                        ],
                        "constraints": [{"type": "distinctInstance"}],
                    },
                    "container": {"image": {"uri": PINNED}},
                    "worker": {},
                },
                "web": {"container": {"image": {"uri": PINNED}}, "job": {"schedule": "rate(1 day)"}},
            },
        }
    }


def cluster(**capacity_overrides: Any) -> Callable[[], object]:
    return lambda: EcsClusterArgs(ec2_capacity={"general": capacity(**capacity_overrides)})


def on_group(**group_overrides: Any) -> Callable[[], object]:
    return lambda: EcsClusterArgs(ec2_capacity={"general": capacity(group=group(**group_overrides))})


def svc(**overrides: Any) -> Callable[[], object]:
    return lambda: ec2_service_args(**overrides)


def strategies(*items: PlacementStrategyArgs) -> Callable[[], object]:
    return svc(placement=PlacementArgs(strategies=items))


def constraints(*items: PlacementConstraintArgs) -> Callable[[], object]:
    return svc(placement=PlacementArgs(constraints=items))


SPREAD_AZ = {"type": "spread", "field": "attribute:ecs.availability-zone"}
RULES = [
    # ---- the capacity provider
    Rule(
        "capacity-key",
        lambda: EcsClusterArgs(ec2_capacity={"General_1": capacity()}),
        "EcsClusterArgs",
        "ec2_capacity.General_1",
        {"cluster.ec2Capacity": {"General_1": {"instanceTypes": ["m7g.large"]}}, RENDERER: None},
        "cluster.ec2Capacity.General_1",
        "1-20 lowercase letters, digits and '-'",
    ),
    *(
        Rule(
            f"managed-scaling-{name}",
            cluster(managed_scaling=ManagedScalingArgs(**{name: value})),
            "EcsClusterArgs",
            f"ec2_capacity.general.managed_scaling.{name}",
            {f"{GENERAL}.managedScaling": {camel: value}},
            f"{GENERAL}.managedScaling.{camel}",
            f"{value} is outside {bounds}",
        )
        for name, camel, value, bounds in (
            ("target_capacity", "targetCapacity", 0, "1-100"),
            ("minimum_scaling_step_size", "minimumScalingStepSize", 0, "1-10000"),
            ("maximum_scaling_step_size", "maximumScalingStepSize", 10001, "1-10000"),
            ("instance_warmup_period", "instanceWarmupPeriod", -1, "0-10000"),
        )
    ),
    Rule(
        "managed-scaling-steps-ordered",
        cluster(managed_scaling=ManagedScalingArgs(minimum_scaling_step_size=5, maximum_scaling_step_size=2)),
        "EcsClusterArgs",
        "ec2_capacity.general.managed_scaling.minimum_scaling_step_size",
        {f"{GENERAL}.managedScaling": {"minimumScalingStepSize": 5, "maximumScalingStepSize": 2}},
        f"{GENERAL}.managedScaling.minimumScalingStepSize",
        "must not exceed maximum_scaling_step_size",
    ),
    Rule(
        "managed-scaling-owns-the-group",
        on_group(scaled_by="policies", scaling=GroupScalingArgs()),
        "EcsClusterArgs",
        "ec2_capacity.general.group.scaled_by",
        None,
        "",
        "set scaled_by to ecsManagedScaling",
    ),
    Rule(
        "no-managed-scaling-needs-policies",
        cluster(managed_scaling=None, managed_termination_protection=False, group=group(protect_from_scale_in=False)),
        "EcsClusterArgs",
        "ec2_capacity.general.group.scaled_by",
        None,
        "",
        "nothing scales the group without managed scaling",
    ),
    Rule(
        "termination-protection-needs-managed-scaling",
        cluster(managed_scaling=None, group=group(scaled_by="policies", scaling=GroupScalingArgs())),
        "EcsClusterArgs",
        "ec2_capacity.general.managed_termination_protection",
        None,
        "",
        "works only with managed scaling",
    ),
    Rule(
        "termination-protection-needs-protected-instances",
        on_group(protect_from_scale_in=False),
        "EcsClusterArgs",
        "ec2_capacity.general.group.protect_from_scale_in",
        None,
        "",
        "needs instances protected from scale-in",
    ),
    Rule(
        "protected-instances-need-termination-protection",
        cluster(managed_termination_protection=False),
        "EcsClusterArgs",
        "ec2_capacity.general.group.protect_from_scale_in",
        None,
        "",
        "the group never scales in",
    ),
    Rule(
        "provider-writes-the-user-data",
        on_group(user_data="#!/bin/bash\necho hi\n"),
        "EcsClusterArgs",
        "ec2_capacity.general.group.user_data",
        None,
        "",
        "the capacity provider writes the user data",
    ),
    Rule(
        "tasks-register-with-target-groups",
        cluster(
            managed_scaling=None,
            managed_termination_protection=False,
            group=group(
                scaled_by="policies",
                scaling=GroupScalingArgs(),
                protect_from_scale_in=False,
                load_balancer=InstanceTargetArgs(
                    listener=existing_listener(LISTENER_ARN, ALB_SG), priority=10, path_patterns=("/x/*",)
                ),
            ),
        ),
        "EcsClusterArgs",
        "ec2_capacity.general.group.load_balancer",
        None,
        "",
        "ECS registers each task with its target group",
    ),
    Rule(
        "root-volume-fits-the-ecs-ami",
        on_group(root_volume=RootVolumeArgs(size_gib=20)),
        "EcsClusterArgs",
        "ec2_capacity.general.group.root_volume.size_gib",
        {f"{GENERAL}.rootVolume": {"sizeGib": 20}},
        f"{GENERAL}.rootVolume.sizeGib",
        "needs at least 30 GiB",
    ),
    # ---- the group, as ECS managed scaling owns it (AutoScalingGroupArgs' own rules)
    *(
        Rule(
            f"ecs-owned-group-{policy}",
            functools.partial(group, scaling=scaling),
            "AutoScalingGroupArgs",
            f"scaling.{policy}",
            None,
            "",
            "ECS managed scaling owns the group's capacity",
        )
        for policy, scaling in (
            ("cpu_target", GroupScalingArgs(cpu_target=50.0)),
            ("predictive", GroupScalingArgs(cpu_target=None, predictive=PredictiveScalingArgs())),
        )
    ),
    Rule(
        "ecs-owned-group-desired-capacity",
        lambda: group(desired_capacity=2),
        "AutoScalingGroupArgs",
        "desired_capacity",
        None,
        "",
        "ECS managed scaling owns the group's capacity",
    ),
    Rule(
        "ecs-owned-group-load-balancer",
        lambda: group(
            load_balancer=InstanceTargetArgs(
                listener=existing_listener(LISTENER_ARN, ALB_SG), priority=10, path_patterns=("/x/*",)
            )
        ),
        "AutoScalingGroupArgs",
        "load_balancer",
        None,
        "",
        "put the ALB on the service",
    ),
    Rule(
        "image-id-or-parameter",
        lambda: group(image_id="ami-0123456789abcdef0", image_parameter="/aws/service/x"),
        "AutoScalingGroupArgs",
        "image_parameter",
        None,
        "",
        "not both",
    ),
    Rule(
        "image-parameter-path",
        lambda: group(image_parameter="ecs-ami"),
        "AutoScalingGroupArgs",
        "image_parameter",
        None,
        "",
        "not an SSM parameter path",
    ),
    Rule(
        "instance-policy-name",
        lambda: group(instance_role_aws_managed_policies=("arn:aws:iam::aws:policy/X",)),
        "AutoScalingGroupArgs",
        "instance_role_aws_managed_policies",
        None,
        "",
        "not an AWS-managed policy path and name",
    ),
    Rule(
        "instance-policy-too-broad",
        lambda: group(instance_role_aws_managed_policies=("AdministratorAccess",)),
        "AutoScalingGroupArgs",
        "instance_role_aws_managed_policies",
        None,
        "",
        "far beyond least privilege",
    ),
    Rule(
        "instance-policy-twice",
        lambda: group(instance_role_aws_managed_policies=("AmazonSSMManagedInstanceCore",)),
        "AutoScalingGroupArgs",
        "instance_role_aws_managed_policies",
        None,
        "",
        "listed twice",
    ),
    Rule(
        "group-rules-reach-the-capacity-key",
        None,
        "",
        "",
        {f"{GENERAL}.instanceTypes": ["m7i.large"]},
        f"{GENERAL}.instanceTypes",
        "'m7i.large' is x86_64 but the group's architecture is arm64",
    ),
    # ---- strategies naming the providers
    Rule(
        "unknown-provider",
        svc(capacity=(CapacityShare(provider="gpu"),)),
        "FargateServiceArgs",
        "capacity[0].provider",
        {f"{RENDERER}.capacity": [{"provider": "gpu"}]},
        f"{RENDERER}.capacity[0].provider",
        "'gpu' is not a capacity provider of the cluster; use one of FARGATE, FARGATE_SPOT, ",
    ),
    Rule(
        "no-mixing-fargate-and-ec2",
        svc(capacity=(CapacityShare(provider="general"), CapacityShare(provider="FARGATE"))),
        "FargateServiceArgs",
        "capacity",
        {f"{RENDERER}.capacity": [{"provider": "general"}, {"provider": "FARGATE"}]},
        f"{RENDERER}.capacity",
        "mixes Fargate and EC2 capacity providers",
    ),
    Rule(
        "default-capacity-unknown-provider",
        lambda: EcsClusterArgs(default_capacity=(CapacityShare(provider="general"),)),
        "EcsClusterArgs",
        "default_capacity[0].provider",
        {"cluster.defaultCapacity": [{"provider": "gpu"}]},
        "cluster.defaultCapacity[0].provider",
        "is not a capacity provider of the cluster",
    ),
    Rule(
        "architecture-matches-the-instances",
        svc(architecture="X86_64"),
        "FargateServiceArgs",
        "capacity[0].provider",
        {f"{RENDERER}.architecture": "X86_64"},
        f"{RENDERER}.capacity[0].provider",
        "'general' runs arm64 instances but the task is X86_64",
    ),
    Rule(
        "ec2-task-cpu",
        svc(cpu=64),
        "FargateServiceArgs",
        "cpu",
        {f"{RENDERER}.cpu": 64},
        f"{RENDERER}.cpu",
        "64 is outside 128-196608 CPU units",
    ),
    Rule(
        "ec2-task-memory",
        svc(memory=4),
        "FargateServiceArgs",
        "memory",
        {f"{RENDERER}.memory": 4},
        f"{RENDERER}.memory",
        "4 MiB is below the 6 MiB a container needs",
    ),
    Rule(
        "no-ephemeral-storage-on-ec2",
        svc(ephemeral_storage_gib=30),
        "FargateServiceArgs",
        "ephemeral_storage_gib",
        {f"{RENDERER}.ephemeralStorageGib": 30},
        f"{RENDERER}.ephemeralStorageGib",
        "Fargate only",
    ),
    Rule(
        "scheduler-takes-six-providers",
        lambda: ec2_service_args(
            cluster=dataclasses.replace(
                ec2_service_args().cluster,
                ec2_capacity={
                    f"p{i}": dataclasses.replace(ec2_service_args().cluster.ec2_capacity["general"], name=f"cp{i}")
                    for i in range(7)
                },
            ),
            capacity=tuple(CapacityShare(provider=f"p{i}") for i in range(7)),
            workload=ScheduledJob(schedule="rate(1 day)"),
        ),
        "FargateServiceArgs",
        "capacity",
        None,
        "",
        "EventBridge Scheduler takes 6 capacity providers per run",
    ),
    # ---- placement
    Rule(
        "no-placement-on-fargate",
        svc(capacity=(CapacityShare(provider="FARGATE"),), memory=2048, placement=SEED_PLACEMENT),
        "FargateServiceArgs",
        "placement",
        {f"{RENDERER}.capacity": [{"provider": "FARGATE"}]},
        f"{RENDERER}.placement",
        "Fargate places tasks itself",
    ),
    Rule(
        "at-most-five-strategies",
        strategies(*[PlacementStrategyArgs(type="random")] * 6),
        "FargateServiceArgs",
        "placement.strategies",
        {f"{RENDERER}.placement.strategies": [{"type": "random"}] * 6},
        f"{RENDERER}.placement.strategies",
        "6; ECS allows 5",
    ),
    Rule(
        "at-most-ten-constraints",
        constraints(*[PlacementConstraintArgs(type="distinctInstance")] * 11),
        "FargateServiceArgs",
        "placement.constraints",
        {f"{RENDERER}.placement.constraints": [{"type": "distinctInstance"}] * 11},
        f"{RENDERER}.placement.constraints",
        "11; ECS allows 10",
    ),
    Rule(
        "spread-field",
        strategies(PlacementStrategyArgs(type="spread", field="zone")),
        "FargateServiceArgs",
        "placement.strategies[0].field",
        {f"{RENDERER}.placement.strategies": [{"type": "spread", "field": "zone"}]},
        f"{RENDERER}.placement.strategies[0].field",
        "spread applies to instanceId, host or an attribute",
    ),
    Rule(
        "binpack-field",
        strategies(PlacementStrategyArgs(type="binpack", field="disk")),
        "FargateServiceArgs",
        "placement.strategies[0].field",
        {f"{RENDERER}.placement.strategies": [SPREAD_AZ, {"type": "binpack", "field": "disk"}]},
        f"{RENDERER}.placement.strategies[1].field",
        "binpack applies to cpu or memory, not 'disk'",
    ),
    Rule(
        "random-takes-no-field",
        strategies(PlacementStrategyArgs(type="random", field="memory")),
        "FargateServiceArgs",
        "placement.strategies[0].field",
        {f"{RENDERER}.placement.strategies": [{"type": "random", "field": "memory"}]},
        f"{RENDERER}.placement.strategies[0].field",
        "random takes no field",
    ),
    Rule(
        "distinct-instance-takes-no-expression",
        constraints(PlacementConstraintArgs(type="distinctInstance", expression="attribute:x == y")),
        "FargateServiceArgs",
        "placement.constraints[0].expression",
        {f"{RENDERER}.placement.constraints": [{"type": "distinctInstance", "expression": "attribute:x == y"}]},
        f"{RENDERER}.placement.constraints[0].expression",
        "distinctInstance takes no expression",
    ),
    Rule(
        "member-of-needs-an-expression",
        constraints(PlacementConstraintArgs(type="memberOf")),
        "FargateServiceArgs",
        "placement.constraints[0].expression",
        {f"{RENDERER}.placement.constraints": [{"type": "memberOf"}]},
        f"{RENDERER}.placement.constraints[0].expression",
        "memberOf needs a cluster query language expression",
    ),
    Rule(
        "member-of-expression-length",
        constraints(PlacementConstraintArgs(type="memberOf", expression="a" * 2001)),
        "FargateServiceArgs",
        "placement.constraints[0].expression",
        {f"{RENDERER}.placement.constraints": [{"type": "memberOf", "expression": "a" * 2001}]},
        f"{RENDERER}.placement.constraints[0].expression",
        "2001 characters; ECS allows 2000",
    ),
]


def test_the_base_config_is_valid() -> None:
    config, lines = stage.validate(base_config())
    assert lines == []
    assert config is not None and list(config.services.cluster.ec2_capacity) == ["general"]


@pytest.mark.parametrize("rule", args_cases(RULES))
def test_args_rule_names_the_field(rule: Rule) -> None:
    assert_args_rule_names_the_field(rule)


@pytest.mark.parametrize("rule", stage_cases(RULES))
def test_stage_rule_names_the_key(rule: Rule) -> None:
    assert_stage_rule_names_the_key(rule, base_config(), "services")


def test_the_stage_derives_what_ecs_requires_of_the_group() -> None:
    config, _ = stage.validate(base_config())
    assert config is not None
    args = config.services.cluster.ec2_capacity["general"].to_args(vpc_id="vpc-1", subnet_ids=["subnet-1"])
    assert args.group.scaled_by == "ecsManagedScaling"
    assert args.group.protect_from_scale_in is True
    assert args.group.scaling == GroupScalingArgs(cpu_target=None)
    assert args.group.root_volume.size_gib == 30
    unprotected = patched(base_config(), "services", {f"{GENERAL}.managedTerminationProtection": False})
    config, lines = stage.validate(unprotected)
    assert lines == [] and config is not None
    group_args = config.services.cluster.ec2_capacity["general"].to_args(vpc_id="v", subnet_ids=["s"]).group
    assert group_args.protect_from_scale_in is False


def test_ec2_capacity_runs_in_the_private_subnets() -> None:
    config = {**base_config(), "network": {"tiers": ["public", "isolated"], "natGateways": "none"}}
    _, lines = stage.validate(config)
    assert lines == [
        "aws-compute:network.tiers: services.cluster.ec2Capacity.general, services.services run in the private"
        " subnets, but the network has no private tier; add 'private' to tiers (with a NAT gateway strategy other"
        " than 'none')"
    ]


def test_ec2_capacity_is_validated_without_services() -> None:
    config = patched(base_config(), "services", {"services": None, f"{GENERAL}.managedScaling": {"targetCapacity": 0}})
    _, lines = stage.validate(config)
    assert lines == [
        "aws-compute:services.cluster.ec2Capacity.general.managedScaling.targetCapacity: 0 is outside 1-100"
    ]


def test_an_ecs_owned_group_needs_no_scaling_policy() -> None:
    owned = group(min_size=0, max_size=10)
    assert owned.scaling.has_policy is False
    with pytest.raises(ArgsError, match="nothing scales it"):
        dataclasses.replace(owned, scaled_by="policies", protect_from_scale_in=False)


def test_every_problem_is_reported_at_once() -> None:
    _, lines = stage.validate(
        patched(
            base_config(),
            "services",
            {
                f"{GENERAL}.managedScaling": {"targetCapacity": 0},
                f"{RENDERER}.placement.strategies": [{"type": "binpack", "field": "disk"}],
                f"{RENDERER}.cpu": 64,
            },
        )
    )
    assert len(lines) == 3, lines


def test_on_general_is_the_builders_strategy() -> None:
    assert (CapacityShare(provider="general", weight=1),) == ON_GENERAL
