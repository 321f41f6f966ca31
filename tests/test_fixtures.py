"""Offline fixtures answer as AWS would, including refusing names AWS refuses."""

from __future__ import annotations

import pulumi_aws as aws
import pytest

from offline import engine


def test_an_autonamed_name_over_the_aws_limit_fails_the_plan_as_preview_would() -> None:
    with pytest.raises(engine.RefusedNamesError, match=r"has 33 characters; AWS allows 32 \(autonaming adds 8"):
        engine.run(lambda: aws.lb.TargetGroup("a-twenty-five-char-name-x", port=80, protocol="HTTP"))


def test_every_refused_name_is_reported_at_once() -> None:
    def program() -> None:
        aws.iam.Role("r", name="r" * 65, assume_role_policy="{}")
        aws.sqs.Queue("q" * 73)

    with pytest.raises(engine.RefusedNamesError) as raised:
        engine.run(program)
    role, queue = sorted(raised.value.problems)
    assert role == f"aws:iam/role:Role 'r': its name '{'r' * 65}' has 65 characters; AWS allows 64"
    assert queue.startswith(f"aws:sqs/queue:Queue '{'q' * 73}': its name '{'q' * 73}-")
    assert queue.endswith("' has 81 characters; AWS allows 80 (autonaming adds 8 to the logical name)")


def test_names_within_the_limit_are_autonamed_deterministically() -> None:
    first = engine.run(lambda: aws.lb.TargetGroup("a-twenty-four-char-name-", port=80, protocol="HTTP"))
    second = engine.run(lambda: aws.lb.TargetGroup("a-twenty-four-char-name-", port=80, protocol="HTTP"))
    name = first.named("a-twenty-four-char-name-").state["name"]
    assert len(name) == 32
    assert name == second.named("a-twenty-four-char-name-").state["name"]


def test_ids_and_autonamed_suffixes_differ_between_stacks_as_real_deployments_do() -> None:
    def program() -> None:
        aws.sqs.Queue("jobs")

    dev, prod = (engine.run(program, stack=stack).named("jobs") for stack in ("dev", "prod"))
    assert dev.id != prod.id
    assert dev.state["name"].startswith("jobs-")
    assert dev.state["name"] != prod.state["name"]


def test_a_name_registered_twice_fails_the_plan_as_the_engine_would() -> None:
    with pytest.raises(engine.DuplicateUrnError, match=r"Duplicate resource URN '.*::aws:sqs/queue:Queue::q'"):
        engine.run(lambda: [aws.sqs.Queue("q"), aws.sqs.Queue("q")])


def test_event_rules_are_named_by_bus_and_layer_versions_start_at_one() -> None:
    def program() -> None:
        aws.cloudwatch.EventRule("on-bus", name="orders", event_bus_name="shop", event_pattern="{}")
        aws.cloudwatch.EventRule("on-default", name="ec2", event_pattern="{}")
        aws.lambda_.LayerVersion("layer", layer_name="shared")

    plan = engine.run(program)
    assert plan.named("on-bus").state["arn"] == "arn:aws:events:us-east-1:123456789012:rule/shop/orders"
    assert plan.named("on-default").state["arn"] == "arn:aws:events:us-east-1:123456789012:rule/ec2"
    layer = plan.named("layer").state
    assert (layer["arn"], layer["layerArn"], layer["version"]) == (
        "arn:aws:lambda:us-east-1:123456789012:layer:shared:1",
        "arn:aws:lambda:us-east-1:123456789012:layer:shared",
        "1",
    )
