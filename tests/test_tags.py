"""The standard-tags transform reaches every taggable AWS resource, ours or not."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components import governance
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


def test_a_components_transforms_reach_its_children_before_the_stacks() -> None:
    # As in the engine: own transforms, then each ancestor's, then the stack's (which win).
    def owner(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
        if args.type_ != "aws:sqs/queue:Queue":
            return None
        return pulumi.ResourceTransformResult(
            props={**args.props, "tags": {"Owner": "team", "Stack": "overridden"}}, opts=args.opts
        )

    def program() -> None:
        pulumi.runtime.register_resource_transform(governance.standard_tags(TAGS))
        outer = pulumi.ComponentResource("test:index:Outer", "outer", opts=pulumi.ResourceOptions(transforms=[owner]))
        inner = pulumi.ComponentResource("test:index:Inner", "inner", opts=pulumi.ResourceOptions(parent=outer))
        aws.sqs.Queue("grandchild", opts=pulumi.ResourceOptions(parent=inner))

    queue = engine.run(program).named("grandchild")
    chain = "test:index:Outer$test:index:Inner$aws:sqs/queue:Queue"
    assert queue.urn == f"urn:pulumi:test::aws-compute::{chain}::grandchild"
    assert queue.inputs["tags"] == {"Owner": "team", **TAGS}


def test_async_transforms_are_awaited_like_the_engine_does() -> None:
    """With the stack's settings in reach, as a transform the engine calls back has them."""

    async def name_tag(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult:
        tags = {"Name": "async", "Stack": pulumi.get_stack()}
        return pulumi.ResourceTransformResult(props={**args.props, "tags": tags}, opts=args.opts)

    def program() -> None:
        pulumi.runtime.register_resource_transform(name_tag)
        aws.sqs.Queue("queue")

    assert engine.run(program, stack="dev").named("queue").inputs["tags"] == {"Name": "async", "Stack": "dev"}
