"""The real program, run for every stack file in the repo: stage differences and invariants."""

from __future__ import annotations

import pytest

from components import governance
from offline import stacks
from offline.engine import Plan

STANDARD_TAGS = ("Environment", "ManagedBy", "Project", "Stack")


@pytest.mark.parametrize("stack", stacks.stack_names())
def test_every_taggable_resource_carries_the_standard_tags(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    taggable = [r for r in plan.resources if r.custom and governance.is_taggable(r.type)]
    assert taggable
    for resource in taggable:
        tags = resource.inputs.get("tags")
        keys = {t["key"] for t in tags} if isinstance(tags, list) else set(tags or {})
        assert set(STANDARD_TAGS) <= keys, f"{resource.name} ({resource.type}) lacks standard tags: {tags}"


@pytest.mark.parametrize("stack", stacks.stack_names())
def test_standard_tag_values_name_the_stage(stack_plans: dict[str, Plan], stack: str) -> None:
    environment = stacks.stack_config(stack)[0].get("aws-compute:environment", stack)
    for resource in stack_plans[stack].resources:
        tags = resource.inputs.get("tags") if resource.custom else None
        if isinstance(tags, dict):
            break
    assert isinstance(tags, dict)
    assert {k: tags[k] for k in STANDARD_TAGS} == {
        "Environment": environment,
        "ManagedBy": "pulumi",
        "Project": "aws-compute",
        "Stack": stack,
    }


@pytest.mark.parametrize("stack", stacks.stack_names())
def test_network_outputs_are_exported(stack_plans: dict[str, Plan], stack: str) -> None:
    outputs = stack_plans[stack].outputs
    for key in (
        "vpcId",
        "vpcCidr",
        "availabilityZones",
        "publicSubnetIds",
        "privateSubnetIds",
        "isolatedSubnetIds",
        "privateRouteTableIds",
    ):
        assert outputs.get(key), f"stack output {key} missing or empty"


def test_dev_has_one_nat_over_two_azs(dev_plan: Plan) -> None:
    assert len(dev_plan.outputs["availabilityZones"]) == 2
    assert len(dev_plan.of_type("aws:ec2/natGateway:NatGateway")) == 1


def test_prod_network_has_one_nat_per_az_over_three_azs(network_prod_plan: Plan) -> None:
    assert len(network_prod_plan.outputs["availabilityZones"]) == 3
    assert len(network_prod_plan.of_type("aws:ec2/natGateway:NatGateway")) == 3
