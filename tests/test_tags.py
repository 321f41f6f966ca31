"""The standard-tags transform reaches every taggable AWS resource, ours or not."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

import governance
from offline import engine

TAGS = {"Environment": "qa", "ManagedBy": "pulumi", "Project": "aws-compute", "Stack": "qa"}


def tagged_program() -> None:
    pulumi.runtime.register_resource_transform(governance.standard_tags(TAGS))
    aws.sqs.Queue("foreign-queue", tags={"Name": "mine", "Environment": "spoofed"})
    aws.iam.RolePolicy("untaggable", role="r", policy="{}")
    aws.autoscaling.Group(
        "group",
        max_size=1,
        min_size=0,
        tags=[aws.autoscaling.GroupTagArgs(key="Name", value="web", propagate_at_launch=True)],
    )


def test_a_resource_built_outside_our_components_gets_the_standard_tags_which_win() -> None:
    queue = engine.run(tagged_program).named("foreign-queue")
    assert queue.inputs["tags"] == {"Name": "mine", **TAGS}


def test_resources_without_a_tags_input_are_left_alone() -> None:
    assert "tags" not in engine.run(tagged_program).named("untaggable").inputs


def test_auto_scaling_groups_get_tag_blocks_propagated_at_launch() -> None:
    group = engine.run(tagged_program).named("group")
    assert group.inputs["tags"] == [
        {"key": "Name", "value": "web", "propagateAtLaunch": True},
        *({"key": k, "value": v, "propagateAtLaunch": True} for k, v in TAGS.items()),
    ]


def test_taggability_is_read_from_the_sdk() -> None:
    assert governance.is_taggable("aws:ec2/vpc:Vpc")
    assert governance.is_taggable("aws:lambda/function:Function")
    assert not governance.is_taggable("aws:ec2/routeTableAssociation:RouteTableAssociation")
    assert not governance.is_taggable("aws-compute:network:Network")
