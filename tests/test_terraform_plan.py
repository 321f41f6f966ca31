"""The offline plan as Terraform plan JSON: one test per conversion rule, then the stacks."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from offline import engine, stacks, terraform
from offline.engine import Plan
from offline.terraform_names import TERRAFORM_TYPES


def converted(program: Any) -> dict[str, Any]:
    return terraform.convert(engine.run(program)).document


def resource(document: dict[str, Any], address: str, section: str = "planned") -> dict[str, Any]:
    if section == "planned":
        items = document["planned_values"]["root_module"]["resources"]
    elif section == "changes":
        items = document["resource_changes"]
    else:
        items = document["configuration"]["root_module"]["resources"]
    [found] = [r for r in items if r["address"] == address]
    return found


def lambda_function(**args: Any) -> aws.lambda_.Function:
    """A function `fn` with a role, runtime and handler, and `args`."""
    return aws.lambda_.Function(
        "fn", role="arn:aws:iam::123456789012:role/r", runtime="python3.13", handler="h.handler", **args
    )


def test_the_token_becomes_its_terraform_type_and_the_logical_name_its_name() -> None:
    document = converted(lambda: aws.lb.LoadBalancer("web", load_balancer_type="application"))
    lb = resource(document, "aws_lb.web")
    assert (lb["type"], lb["name"], lb["mode"]) == ("aws_lb", "web", "managed")
    assert lb["provider_name"] == "registry.terraform.io/hashicorp/aws"


@pytest.mark.parametrize(
    ("pulumi_name", "terraform_name"),
    [
        ("cidrIpv4", "cidr_ipv4"),
        ("enableHttp2", "enable_http2"),
        ("dropInvalidHeaderFields", "drop_invalid_header_fields"),
        ("httpPutResponseHopLimit", "http_put_response_hop_limit"),
        ("port", "port"),
    ],
)
def test_camel_case_becomes_snake_case(pulumi_name: str, terraform_name: str) -> None:
    assert terraform.snake_case(pulumi_name) == terraform_name


def test_pluralized_properties_take_their_terraform_name_back_at_any_depth() -> None:
    def program() -> None:
        aws.lb.ListenerRule(
            "rule",
            listener_arn="arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/1/2",
            priority=10,
            actions=[aws.lb.ListenerRuleActionArgs(type="forward", target_group_arn="arn:tg")],
            conditions=[
                aws.lb.ListenerRuleConditionArgs(
                    path_pattern=aws.lb.ListenerRuleConditionPathPatternArgs(values=["/api/*"])
                )
            ],
        )
        aws.ecs.Service(
            "svc",
            service_connect_configuration=aws.ecs.ServiceServiceConnectConfigurationArgs(
                enabled=True,
                services=[aws.ecs.ServiceServiceConnectConfigurationServiceArgs(port_name="http")],
            ),
        )

    document = converted(program)
    rule = resource(document, "aws_lb_listener_rule.rule")["values"]
    assert rule["action"] == [{"type": "forward", "target_group_arn": "arn:tg"}]
    assert rule["condition"] == [{"path_pattern": [{"values": ["/api/*"]}]}]
    assert "actions" not in rule and "conditions" not in rule
    service = resource(document, "aws_ecs_service.svc")["values"]
    assert service["service_connect_configuration"] == [{"enabled": True, "service": [{"port_name": "http"}]}]


def test_a_single_nested_block_becomes_a_one_element_list_and_maps_keep_their_keys() -> None:
    def program() -> None:
        lambda_function(
            code=pulumi.AssetArchive({}),
            environment=aws.lambda_.FunctionEnvironmentArgs(variables={"LOG_LEVEL": "info", "stageName": "dev"}),
            tags={"CostCenter": "42"},
        )

    values = resource(converted(program), "aws_lambda_function.fn")["values"]
    assert values["environment"] == [{"variables": {"LOG_LEVEL": "info", "stageName": "dev"}}]
    assert values["tags"] == {"CostCenter": "42"}


def test_a_wired_input_is_unknown_with_a_reference_to_the_attribute_it_came_from() -> None:
    def program() -> None:
        vpc = aws.ec2.Vpc("main", cidr_block="10.0.0.0/16")
        subnets = [aws.ec2.Subnet(f"private-{i}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24") for i in range(2)]
        sg = aws.ec2.SecurityGroup("sg", vpc_id=vpc.id)
        aws.ecs.Service(
            "svc",
            network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
                subnets=[s.id for s in subnets], security_groups=[sg.id], assign_public_ip=False
            ),
        )

    document = converted(program)
    address = "aws_ecs_service.svc"
    assert resource(document, address)["values"]["network_configuration"] == [
        {"subnets": [None, None], "security_groups": [None], "assign_public_ip": False}
    ]
    change = resource(document, address, "changes")["change"]
    assert change["after_unknown"] == {"network_configuration": [{"subnets": [True, True], "security_groups": [True]}]}
    assert resource(document, address, "configuration")["expressions"] == {
        "network_configuration": [
            {
                "subnets": {
                    "references": [
                        "aws_subnet.private-0.id",
                        "aws_subnet.private-0",
                        "aws_subnet.private-1.id",
                        "aws_subnet.private-1",
                    ]
                },
                "security_groups": {"references": ["aws_security_group.sg.id", "aws_security_group.sg"]},
            }
        ]
    }
    subnet = "aws_subnet.private-0"
    assert "vpc_id" not in resource(document, subnet)["values"]
    assert resource(document, subnet, "configuration")["expressions"] == {
        "vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}
    }


def test_an_arn_reference_names_the_arn_attribute() -> None:
    def program() -> None:
        lb = aws.lb.LoadBalancer("web", load_balancer_type="application")
        aws.lb.Listener(
            "http",
            load_balancer_arn=lb.arn,
            port=80,
            default_actions=[aws.lb.ListenerDefaultActionArgs(type="fixed-response")],
        )

    document = converted(program)
    assert resource(document, "aws_lb_listener.http", "configuration")["expressions"] == {
        "load_balancer_arn": {"references": ["aws_lb.web.arn", "aws_lb.web"]}
    }


def test_a_value_built_from_outputs_keeps_its_recorded_value() -> None:
    def program() -> None:
        queue = aws.sqs.Queue("q")
        role = aws.iam.Role("r", assume_role_policy="{}")
        aws.iam.RolePolicy(
            "p",
            role=role.id,
            policy=queue.arn.apply(
                lambda arn: json.dumps(
                    {"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": arn}]}
                )
            ),
        )

    policy = resource(converted(program), "aws_iam_role_policy.p")["values"]["policy"]
    assert json.loads(policy)["Statement"][0]["Resource"].startswith("arn:aws:sqs:us-east-1:")


def test_secrets_are_left_out_and_marked_sensitive() -> None:
    def program() -> None:
        lambda_function(
            environment=aws.lambda_.FunctionEnvironmentArgs(
                variables={"PUBLIC": "yes", "TOKEN": pulumi.Output.secret("s3cr3t")}
            ),
        )

    document = converted(program)
    planned = resource(document, "aws_lambda_function.fn")
    # The engine marks the whole property secret (it cannot tell which part was): all of it goes.
    assert "environment" not in planned["values"]
    assert planned["sensitive_values"] == {"environment": True}
    assert resource(document, "aws_lambda_function.fn", "changes")["change"]["after_sensitive"] == {"environment": True}
    assert "s3cr3t" not in json.dumps(document)


def test_an_archive_becomes_the_filename_it_was_built_from() -> None:
    def program() -> None:
        lambda_function(
            code=pulumi.FileArchive("functions/api"),
        )

    values = resource(converted(program), "aws_lambda_function.fn")["values"]
    assert values["filename"] == "functions/api"
    assert "code" not in values


def test_repeated_names_of_one_type_get_distinct_addresses_and_components_are_not_resources() -> None:
    class Box(pulumi.ComponentResource):
        """URNs carry the parent's type, not its name: only parents of two types can both hold a `queue`."""

        def __init__(self, type_: str, name: str) -> None:
            super().__init__(type_, name)
            aws.sqs.Queue("queue", opts=pulumi.ResourceOptions(parent=self))

    def program() -> None:
        Box("test:index:Box", "a")
        Box("test:index:Crate", "b")

    plan = engine.run(program)
    tf = terraform.convert(plan)
    assert sorted(tf.addresses.values()) == ["aws_sqs_queue.queue", "aws_sqs_queue.queue_2"]
    assert tf.skipped == []


def test_names_terraform_refuses_are_rewritten() -> None:
    assert terraform.terraform_name("svc-api.tg") == "svc-api_tg"
    assert terraform.terraform_name("1st") == "_1st"


@pytest.mark.parametrize("stack", stacks.stack_names())
def test_every_aws_resource_of_the_stacks_has_a_terraform_twin(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    tf = terraform.convert(plan)
    assert tf.skipped == []
    assert len(tf.addresses) == len([r for r in plan.resources if r.custom])
    assert {r.type for r in plan.resources if r.custom} <= set(TERRAFORM_TYPES)
