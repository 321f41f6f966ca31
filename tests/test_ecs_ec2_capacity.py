"""ECS on EC2 capacity: the capacity provider, its Auto Scaling group of container instances,
and services and jobs placed on it, checked on the exact inputs they register."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from components import CapacityShare, EcsCluster, EcsClusterArgs, GroupScalingArgs, ManagedScalingArgs, WarmPoolArgs
from offline import engine, fixtures
from offline.engine import Plan
from tests.ecs_ec2_builders import capacity, group, run_ec2

CAPACITY_PROVIDER = "aws:ecs/capacityProvider:CapacityProvider"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return run_ec2()


def _variants() -> None:
    """One cluster per variant of the capacity provider, in one program (one plan for them all)."""
    spot = group(instance_types=("m7g.large",), on_demand_percentage_above_base=0)
    warm = group(instance_types=("m7g.large",), warm_pool=WarmPoolArgs(min_size=1))
    own = group(scaled_by="policies", scaling=GroupScalingArgs(), protect_from_scale_in=False)
    tuned = ManagedScalingArgs(
        target_capacity=80, minimum_scaling_step_size=2, maximum_scaling_step_size=4, instance_warmup_period=120
    )
    for name, args in {
        "dflt": EcsClusterArgs(
            ec2_capacity={"general": capacity()},
            default_capacity=(CapacityShare(provider="general", weight=1, base=1),),
        ),
        "x86": EcsClusterArgs(
            ec2_capacity={"general": capacity(group=group(architecture="x86_64", instance_types=("m7i.large",)))}
        ),
        "img": EcsClusterArgs(ec2_capacity={"general": capacity(group=group(image_id="ami-0123456789abcdef0"))}),
        "mix": EcsClusterArgs(ec2_capacity={"spot": capacity(group=spot), "warm": capacity(group=warm)}),
        "own": EcsClusterArgs(
            ec2_capacity={"general": capacity(group=own, managed_scaling=None, managed_termination_protection=False)}
        ),
        "tuned": EcsClusterArgs(ec2_capacity={"general": capacity(managed_scaling=tuned, managed_draining=False)}),
    }.items():
        EcsCluster(name, args)


@pytest.fixture(scope="module")
def variants() -> Plan:
    return engine.run(_variants)


def _physical(plan: Plan, name: str) -> Any:
    return plan.named(name).state["name"]


def _user_data(plan: Plan, template: str = "ecs-ec2-general-lt") -> str:
    return base64.b64decode(plan.named(template).inputs["userData"]).decode()


def test_capacity_provider_manages_scaling_termination_and_draining(plan: Plan) -> None:
    group_arn = plan.named("ecs-ec2-general-asg").state["arn"]
    assert plan.named("ecs-capacity-general").inputs == {
        "name": f"cp-{_physical(plan, 'ecs-ec2-general-asg')}",
        "autoScalingGroupProvider": {
            "autoScalingGroupArn": group_arn,
            "managedScaling": {
                "status": "ENABLED",
                "targetCapacity": 100,
                "minimumScalingStepSize": 1,
                "maximumScalingStepSize": 10,
                "instanceWarmupPeriod": 300,
            },
            "managedTerminationProtection": "ENABLED",
            "managedDraining": "ENABLED",
        },
    }


def test_the_provider_is_attached_to_the_cluster_beside_fargate(plan: Plan) -> None:
    providers = plan.named("ecs-capacity-providers").inputs
    assert providers["capacityProviders"] == ["FARGATE", "FARGATE_SPOT", _physical(plan, "ecs-capacity-general")]
    assert providers["clusterName"] == _physical(plan, "ecs-cluster")


def test_the_cluster_default_strategy_may_name_the_ec2_provider(variants: Plan) -> None:
    assert variants.named("dflt-capacity-providers").inputs["defaultCapacityProviderStrategies"] == [
        {"capacityProvider": _physical(variants, "dflt-capacity-general"), "weight": 1, "base": 1}
    ]


def test_the_group_is_an_autoscaling_group_component_of_the_cluster(plan: Plan) -> None:
    component = plan.named("ecs-ec2-general")
    assert component.type == "aws-compute:autoscaling_group:AutoScalingGroup"
    assert component.parent == plan.named("ecs").urn
    # ECS's managed scaling writes the only scaling policy; the group has none of its own.
    assert [r.name for r in plan.descendants(component) if r.type == "aws:autoscaling/policy:Policy"] == []


def test_group_instances_are_protected_and_tagged_for_ecs(plan: Plan) -> None:
    asg = plan.named("ecs-ec2-general-asg").inputs
    assert asg["protectFromScaleIn"] is True
    assert {"key": "AmazonECSManaged", "value": "true", "propagateAtLaunch": True} in asg["tags"]
    assert asg["instanceRefresh"]["preferences"]["scaleInProtectedInstances"] == "Refresh"
    assert "desiredCapacity" not in asg
    assert asg["vpcZoneIdentifiers"] == ["subnet-p1", "subnet-p2"]


@pytest.mark.parametrize(
    ("cluster", "parameter"),
    [
        ("ecs", "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"),
        ("x86", "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"),
    ],
)
def test_instances_boot_the_ecs_optimised_al2023_ami_of_their_architecture(
    plan: Plan, variants: Plan, cluster: str, parameter: str
) -> None:
    ami = fixtures.invoke("aws:ssm/getParameter:getParameter", {"name": parameter}, "us-east-1")["value"]
    assert (plan if cluster == "ecs" else variants).named(f"{cluster}-ec2-general-lt").inputs["imageId"] == ami


def test_an_explicit_image_replaces_the_ecs_ami(variants: Plan) -> None:
    assert variants.named("img-ec2-general-lt").inputs["imageId"] == "ami-0123456789abcdef0"


def test_user_data_joins_the_cluster_and_blocks_imds_for_tasks(plan: Plan) -> None:
    assert _user_data(plan) == (
        "#!/bin/bash\ncat >> /etc/ecs/ecs.config <<'EOF'\n"
        f"ECS_CLUSTER={_physical(plan, 'ecs-cluster')}\n"
        "ECS_AWSVPC_BLOCK_IMDS=true\n"
        "EOF\n"
    )
    metadata = plan.named("ecs-ec2-general-lt").inputs["metadataOptions"]
    assert metadata["httpTokens"] == "required" and metadata["httpPutResponseHopLimit"] == 1


def test_spot_and_warm_pool_groups_tell_the_agent(variants: Plan) -> None:
    assert "ECS_ENABLE_SPOT_INSTANCE_DRAINING=true\n" in _user_data(variants, "mix-ec2-spot-lt")
    assert "ECS_WARM_POOLS_CHECK=true\n" not in _user_data(variants, "mix-ec2-spot-lt")
    assert "ECS_WARM_POOLS_CHECK=true\n" in _user_data(variants, "mix-ec2-warm-lt")
    assert "ECS_ENABLE_SPOT_INSTANCE_DRAINING" not in _user_data(variants, "mix-ec2-warm-lt")


def test_instance_role_gets_the_ecs_policy_and_session_manager_only(plan: Plan) -> None:
    role = plan.named("ecs-ec2-general-role").state["name"]
    attached = sorted(
        r.inputs["policyArn"]
        for r in plan.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        if r.inputs["role"] == role
    )
    assert attached == [
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
    ]
    assert [r.name for r in plan.of_type("aws:iam/rolePolicy:RolePolicy") if r.inputs["role"] == role] == []


def test_instances_launch_only_once_the_ecs_policy_is_attached(plan: Plan) -> None:
    policy = plan.named("ecs-ec2-general-AmazonEC2ContainerServiceforEC2Role")
    assert policy.urn in plan.named("ecs-ec2-general-asg").dependencies


def test_instances_admit_no_ingress(plan: Plan) -> None:
    sg = plan.named("ecs-ec2-general-sg").id
    ingress = plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert [r.name for r in ingress if r.inputs["securityGroupId"] == sg] == []


def test_managed_scaling_off_leaves_the_group_to_its_policies(variants: Plan) -> None:
    provider = variants.named("own-capacity-general").inputs["autoScalingGroupProvider"]
    assert provider["managedScaling"] == {"status": "DISABLED"}
    assert provider["managedTerminationProtection"] == "DISABLED"
    assert [r.name for r in variants.of_type("aws:autoscaling/policy:Policy")] == ["own-ec2-general-cpu"]
    assert "protectFromScaleIn" not in variants.named("own-ec2-general-asg").inputs


def test_managed_scaling_settings_reach_the_provider(variants: Plan) -> None:
    provider = variants.named("tuned-capacity-general").inputs["autoScalingGroupProvider"]
    assert provider["managedScaling"] == {
        "status": "ENABLED",
        "targetCapacity": 80,
        "minimumScalingStepSize": 2,
        "maximumScalingStepSize": 4,
        "instanceWarmupPeriod": 120,
    }
    assert provider["managedDraining"] == "DISABLED"


# ---------------------------------------------------------------- services placed on it
def test_service_on_ec2_uses_the_provider_with_the_seeds_placement(plan: Plan) -> None:
    service = plan.named("renderer-service").inputs
    assert service["capacityProviderStrategies"] == [
        {"capacityProvider": _physical(plan, "ecs-capacity-general"), "weight": 1, "base": 0}
    ]
    assert service["orderedPlacementStrategies"] == [
        {"type": "spread", "field": "attribute:ecs.availability-zone"},
        {"type": "binpack", "field": "memory"},
    ]
    assert service["placementConstraints"] == [
        {"type": "memberOf", "expression": "attribute:ecs.instance-type =~ m7g.*"}
    ]
    assert "platformVersion" not in service and "launchType" not in service
    assert service["networkConfiguration"]["assignPublicIp"] is False


def test_task_definitions_on_ec2_are_awsvpc_and_ec2_compatible(plan: Plan) -> None:
    for name in ("renderer-task", "nightly-task"):
        task = plan.named(name).inputs
        assert task["requiresCompatibilities"] == ["EC2"]
        assert task["networkMode"] == "awsvpc"
        assert "ephemeralStorage" not in task


def test_job_on_ec2_runs_through_the_provider_with_its_placement(plan: Plan) -> None:
    ecs = plan.named("nightly-schedule").inputs["target"]["ecsParameters"]
    assert ecs["capacityProviderStrategies"] == [
        {"capacityProvider": _physical(plan, "ecs-capacity-general"), "weight": 1, "base": 0}
    ]
    assert ecs["placementStrategies"] == [
        {"type": "spread", "field": "attribute:ecs.availability-zone"},
        {"type": "binpack", "field": "memory"},
    ]
    assert ecs["placementConstraints"] == [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ m7g.*"}]
    assert "platformVersion" not in ecs


def test_services_start_after_the_provider_is_attached(plan: Plan) -> None:
    attachment = plan.named("ecs-capacity-providers").urn
    assert attachment in plan.named("renderer-service").dependencies


def test_refused_capacity_provider_names_fail_the_plan_offline() -> None:
    problem = fixtures.name_problem(CAPACITY_PROVIDER, "p", {"name": "ecs-general"}, "ecs-general")
    assert problem == (
        "aws:ecs/capacityProvider:CapacityProvider 'p': its name 'ecs-general' starts with 'ecs', a prefix AWS refuses"
    )
    assert fixtures.name_problem(CAPACITY_PROVIDER, "p", {"name": "cp-ecs-general"}, "cp-ecs-general") is None


# ---------------------------------------------------------------- the prod stack
def test_prod_places_the_renderer_on_ec2_capacity_as_the_seed_advises(prod_plan: Plan) -> None:
    service = prod_plan.named("svc-renderer-service").inputs
    assert service["capacityProviderStrategies"] == [
        {"capacityProvider": _physical(prod_plan, "ecs-capacity-general"), "weight": 1, "base": 1},
        {"capacityProvider": _physical(prod_plan, "ecs-capacity-spot"), "weight": 2, "base": 0},
    ]
    assert service["orderedPlacementStrategies"] == [
        {"type": "spread", "field": "attribute:ecs.availability-zone"},
        {"type": "binpack", "field": "memory"},
    ]
    assert service["placementConstraints"] == [
        {"type": "memberOf", "expression": "attribute:ecs.cpu-architecture == arm64"}
    ]
    assert prod_plan.named("svc-renderer-task").inputs["requiresCompatibilities"] == ["EC2"]


def test_prod_ec2_capacity_runs_ecs_instances_in_the_private_subnets(prod_plan: Plan) -> None:
    asg = prod_plan.named("ecs-ec2-general-asg").inputs
    assert asg["vpcZoneIdentifiers"] == prod_plan.outputs["privateSubnetIds"]
    assert (asg["minSize"], asg["maxSize"], asg["protectFromScaleIn"]) == (1, 6, True)
    spot = prod_plan.named("ecs-ec2-spot-asg").inputs["mixedInstancesPolicy"]["instancesDistribution"]
    assert spot["onDemandPercentageAboveBaseCapacity"] == 0
    assert "ECS_ENABLE_SPOT_INSTANCE_DRAINING=true\n" in _user_data(prod_plan, "ecs-ec2-spot-lt")
    parameter = "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"
    ami = fixtures.invoke("aws:ssm/getParameter:getParameter", {"name": parameter}, "us-east-1")["value"]
    assert prod_plan.named("ecs-ec2-general-lt").inputs["imageId"] == ami
    scaling = prod_plan.named("ecs-capacity-general").inputs["autoScalingGroupProvider"]["managedScaling"]
    assert (scaling["targetCapacity"], scaling["maximumScalingStepSize"]) == (90, 2)
