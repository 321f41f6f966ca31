"""The autoscaling area in the real program: what dev and prod promise, and what every stage keeps."""

from __future__ import annotations

import pytest

from components.autoscaling_group.resources import al2023_ami_parameter
from offline import fixtures
from offline.engine import Plan
from tests.stack_areas import stacks_with

STANDARD_TAGS = {"Environment", "ManagedBy", "Project", "Stack"}


def _distribution(plan: Plan) -> dict[str, object]:
    return plan.named("web-asg").inputs["mixedInstancesPolicy"]["instancesDistribution"]


def _overrides(plan: Plan) -> list[str]:
    return [
        o["instanceType"] for o in plan.named("web-asg").inputs["mixedInstancesPolicy"]["launchTemplate"]["overrides"]
    ]


def _schedules(plan: Plan) -> dict[str, tuple[object, ...]]:
    return {
        s.inputs["scheduledActionName"]: (
            s.inputs["recurrence"],
            s.inputs["timeZone"],
            s.inputs["minSize"],
            s.inputs["maxSize"],
            s.inputs["desiredCapacity"],
        )
        for s in plan.of_type("aws:autoscaling/schedule:Schedule")
    }


def test_dev_runs_a_small_all_spot_group(dev_plan: Plan) -> None:
    group = dev_plan.named("web-asg").inputs
    assert (group["minSize"], group["maxSize"]) == (1, 2)
    assert _distribution(dev_plan) == {
        "onDemandBaseCapacity": 0,
        "onDemandPercentageAboveBaseCapacity": 0,
        "onDemandAllocationStrategy": "prioritized",
        "spotAllocationStrategy": "price-capacity-optimized",
    }
    assert _overrides(dev_plan) == ["t4g.medium", "t4g.large", "m7g.medium"]
    assert group["capacityRebalance"] is True
    assert group["instanceRefresh"]["preferences"]["minHealthyPercentage"] == 0
    assert "maxInstanceLifetime" not in group


def test_dev_scales_hot_and_sleeps_at_night(dev_plan: Plan) -> None:
    assert dev_plan.named("web-cpu").inputs["targetTrackingConfiguration"]["targetValue"] == 70
    assert _schedules(dev_plan) == {
        "evening-stop": ("0 20 * * MON-FRI", "Europe/Paris", 0, 0, 0),
        "morning-start": ("0 7 * * MON-FRI", "Europe/Paris", 1, 2, -1),
    }
    assert dev_plan.of_type("aws:autoscaling/policy:Policy") == [dev_plan.named("web-cpu")]
    assert dev_plan.named("web-logs").inputs["retentionInDays"] == 14


def test_prod_keeps_an_on_demand_base_under_spot(prod_plan: Plan) -> None:
    group = prod_plan.named("web-asg").inputs
    assert (group["minSize"], group["maxSize"]) == (2, 10)
    assert _distribution(prod_plan) == {
        "onDemandBaseCapacity": 2,
        "onDemandPercentageAboveBaseCapacity": 25,
        "onDemandAllocationStrategy": "prioritized",
        "spotAllocationStrategy": "price-capacity-optimized",
    }
    assert _overrides(prod_plan) == ["m7g.large", "m6g.large", "c7g.xlarge", "m7g.xlarge"]
    assert group["capacityRebalance"] is True
    assert group["instanceRefresh"]["preferences"]["minHealthyPercentage"] == 90
    assert group["maxInstanceLifetime"] == 14 * 86400


def test_prod_scales_on_cpu_schedule_and_forecast(prod_plan: Plan) -> None:
    assert prod_plan.named("web-cpu").inputs["targetTrackingConfiguration"]["targetValue"] == 50
    assert prod_plan.named("web-predictive").inputs["predictiveScalingConfiguration"]["mode"] == "ForecastOnly"
    assert _schedules(prod_plan) == {
        "business-hours": ("0 7 * * MON-FRI", "Europe/Paris", 4, -1, -1),
        "after-hours": ("0 20 * * *", "Europe/Paris", 2, -1, -1),
    }
    assert prod_plan.named("web-lt").inputs["blockDeviceMappings"][0]["ebs"]["volumeSize"] == 30
    assert prod_plan.named("web-logs").inputs["retentionInDays"] == 365


@pytest.mark.parametrize("stack", stacks_with("autoscaling"))
def test_groups_run_in_the_private_subnets_of_the_network(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    for group in plan.of_type("aws:autoscaling/group:Group"):
        assert group.inputs["vpcZoneIdentifiers"] == plan.outputs["privateSubnetIds"]
    for sg in plan.of_type("aws:ec2/securityGroup:SecurityGroup"):
        assert sg.inputs["vpcId"] == plan.outputs["vpcId"]


@pytest.mark.parametrize("stack", stacks_with("autoscaling"))
def test_every_launch_template_requires_imdsv2_and_boots_al2023(stack_plans: dict[str, Plan], stack: str) -> None:
    ami = fixtures.invoke("aws:ssm/getParameter:getParameter", {"name": al2023_ami_parameter("arm64")}, "us-east-1")
    templates = [
        t
        for t in stack_plans[stack].of_type("aws:ec2/launchTemplate:LaunchTemplate")
        # ECS container instances boot the ECS-optimised AMI (tests/test_ecs_ec2_capacity.py).
        if "aws-compute:autoscaling_group:AutoScalingGroup$" in t.urn and "EcsCluster$" not in t.urn
    ]
    assert templates
    for template in templates:
        assert template.inputs["metadataOptions"]["httpTokens"] == "required"
        assert template.inputs["metadataOptions"]["httpPutResponseHopLimit"] == 1
        assert template.inputs["imageId"] == ami["value"]


@pytest.mark.parametrize("stack", stacks_with("autoscaling"))
def test_instances_and_volumes_carry_the_standard_tags(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    for template in plan.of_type("aws:ec2/launchTemplate:LaunchTemplate"):
        specs = {s["resourceType"]: s["tags"] for s in template.inputs["tagSpecifications"]}
        assert set(specs) == {"instance", "volume"}
        assert all(set(tags) >= STANDARD_TAGS and tags["Stack"] == stack for tags in specs.values())
    for group in plan.of_type("aws:autoscaling/group:Group"):
        propagated = {t["key"] for t in group.inputs["tags"] if t["propagateAtLaunch"]}
        assert STANDARD_TAGS | {"Name"} <= propagated


@pytest.mark.parametrize("stack", stacks_with("autoscaling"))
def test_instances_admit_only_the_shared_alb_on_the_app_port(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    web = plan.named("web")
    ingress = [r.inputs for r in plan.descendants(web) if r.type.endswith("SecurityGroupIngressRule")]
    assert [(r["referencedSecurityGroupId"], r["fromPort"], r["toPort"]) for r in ingress] == [
        (plan.named("alb-sg").id, 8080, 8080)
    ]
    assert all("cidrIpv4" not in r and "cidrIpv6" not in r for r in ingress)


@pytest.mark.parametrize("stack", stacks_with("autoscaling"))
def test_group_outputs_are_exported_by_name(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    assert plan.outputs["autoscalingGroups"] == {
        "web": {
            "groupName": plan.named("web-asg").state["name"],
            "groupArn": plan.named("web-asg").state["arn"],
            "launchTemplateId": plan.named("web-lt").id,
            "securityGroupId": plan.named("web-sg").id,
            "roleName": plan.named("web-role").state["name"],
            "targetGroupArn": plan.named("web-tg").state["arn"],
        }
    }
