"""Stage config: one test per validation rule, matching the message the user sees."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

import stage
from components import NetworkArgs
from offline import engine


def lines_for(values: dict[str, Any]) -> list[str]:
    config, lines = stage.validate(values)
    assert config is None, "expected the stage config to be rejected"
    return lines


def network_lines(**network: Any) -> list[str]:
    return lines_for({"network": network})


def test_defaults_are_valid() -> None:
    config, lines = stage.validate({})
    assert lines == []
    assert config is not None
    assert config.network.to_args() == NetworkArgs()


def test_unknown_nat_strategy_lists_the_allowed_values() -> None:
    assert network_lines(natGateways="two") == [
        "aws-compute:network.natGateways: Input should be 'none', 'single' or 'onePerAz' (got 'two')"
    ]


def test_unknown_key_suggests_the_closest_key() -> None:
    [line] = network_lines(natGateway="single")
    assert line.startswith("aws-compute:network.natGateway: unknown key; did you mean 'natGateways'?")
    assert "allowed keys: cidrBlock, azCount," in line


def test_unknown_nested_key_suggests_within_its_block() -> None:
    [line] = network_lines(flowLogs={"retention": 7})
    assert line.startswith("aws-compute:network.flowLogs.retention: unknown key; did you mean 'retentionDays'?")


def test_unknown_area_key_suggests_the_area() -> None:
    [line] = lines_for({"netwrok": {}})
    assert line.startswith("aws-compute:netwrok: unknown key; did you mean 'network'?")


def test_snake_case_keys_are_rejected_in_favour_of_camel_case() -> None:
    [line] = network_lines(nat_gateways="single")
    assert "did you mean 'natGateways'?" in line


def test_az_count_outside_two_to_four() -> None:
    assert network_lines(azCount=5) == ["aws-compute:network.azCount: 5 AZs; use 2 to 4 (3 is the HA default)"]


def test_explicit_az_list_of_wrong_length() -> None:
    assert network_lines(availabilityZones=["us-east-1a"]) == [
        "aws-compute:network.availabilityZones: 1 AZs given; list 2 to 4"
    ]


def test_explicit_az_listed_twice() -> None:
    assert network_lines(availabilityZones=["us-east-1a", "us-east-1a"]) == [
        "aws-compute:network.availabilityZones: an AZ is listed twice; list each once"
    ]


def test_no_tiers() -> None:
    assert network_lines(tiers=[], natGateways="none") == [
        "aws-compute:network.tiers: no subnet tier; list at least one of public, private, isolated"
    ]


def test_tier_listed_twice() -> None:
    assert network_lines(tiers=["public", "public", "private"]) == [
        "aws-compute:network.tiers: a tier is listed twice; list each once"
    ]


def test_private_subnets_without_nat_must_be_declared_isolated() -> None:
    [line] = network_lines(natGateways="none")
    assert line.startswith("aws-compute:network.natGateways: private subnets route out through a NAT gateway")
    assert "declare those subnets isolated (tiers: [public, isolated])" in line


def test_private_subnets_declared_isolated_need_no_nat() -> None:
    config, lines = stage.validate({"network": {"natGateways": "none", "tiers": ["public", "isolated"]}})
    assert lines == []
    assert config is not None


def test_nat_needs_the_public_tier() -> None:
    assert network_lines(tiers=["private"], natGateways="single") == [
        "aws-compute:network.natGateways: NAT gateways live in public subnets, so 'single' needs the public"
        " tier; add 'public' to tiers or set natGateways to 'none'"
    ]


def test_prefix_length_for_a_tier_that_does_not_exist() -> None:
    assert network_lines(tiers=["public", "private"], subnetPrefixLengths={"isolated": 24}) == [
        "aws-compute:network.subnetPrefixLengths: sized tier(s) ['isolated'] are not in tiers; remove them"
    ]


def test_prefix_length_that_does_not_fit_its_slot() -> None:
    assert network_lines(subnetPrefixLengths={"private": 18}) == [
        "aws-compute:network.subnetPrefixLengths.private: /18 does not fit the /20 slot each AZ gets in a /16"
        " VPC; use /20 to /28, or a larger VPC CIDR"
    ]


def test_malformed_vpc_cidr() -> None:
    [line] = network_lines(cidrBlock="10.0.0.300/16")
    assert line.startswith("aws-compute:network.cidrBlock: '10.0.0.300/16' is not an IPv4 network CIDR")


def test_vpc_cidr_too_small_for_the_plan() -> None:
    assert network_lines(cidrBlock="10.0.0.0/25") == [
        "aws-compute:network.cidrBlock: a /25 VPC cannot hold 4 tier regions x 4 AZ slots of at least /28;"
        " use a prefix from /16 to /24"
    ]


def test_flow_log_retention_must_be_a_cloudwatch_period() -> None:
    [line] = network_lines(flowLogs={"retentionDays": 10})
    assert line.startswith(
        "aws-compute:network.flowLogs.retentionDays: 10 is not a CloudWatch Logs retention period;"
        " use one of 1, 3, 5, 7,"
    )


def test_flow_log_traffic_type_choices() -> None:
    assert network_lines(flowLogs={"trafficType": "DENY"}) == [
        "aws-compute:network.flowLogs.trafficType: Input should be 'ACCEPT', 'REJECT' or 'ALL' (got 'DENY')"
    ]


def test_gateway_endpoint_choices() -> None:
    assert network_lines(gatewayEndpoints=["s3", "sqs"]) == [
        "aws-compute:network.gatewayEndpoints[1]: Input should be 's3' or 'dynamodb' (got 'sqs')"
    ]


def test_gateway_endpoint_listed_twice() -> None:
    assert network_lines(gatewayEndpoints=["s3", "s3"]) == [
        "aws-compute:network.gatewayEndpoints: an endpoint is listed twice; list each once"
    ]


def test_interface_endpoint_must_be_a_short_service_name() -> None:
    [line] = network_lines(interfaceEndpoints=["ECR API"])
    assert line.startswith("aws-compute:network.interfaceEndpoints: 'ECR API' is not a service short name")


def test_interface_endpoint_full_service_name_points_to_the_short_name() -> None:
    assert network_lines(interfaceEndpoints=["com.amazonaws.us-east-1.ecr.api"]) == [
        "aws-compute:network.interfaceEndpoints: 'com.amazonaws.us-east-1.ecr.api' is a full service name;"
        " write the short name 'ecr.api'"
    ]


def test_s3_as_an_interface_endpoint_points_to_the_free_gateway() -> None:
    assert network_lines(interfaceEndpoints=["s3"]) == [
        "aws-compute:network.interfaceEndpoints: 's3' has a free gateway endpoint;"
        " list it under gatewayEndpoints instead"
    ]


def test_interface_endpoint_listed_twice() -> None:
    assert network_lines(interfaceEndpoints=["sts", "sts"]) == [
        "aws-compute:network.interfaceEndpoints: a service is listed twice; list each once"
    ]


def test_interface_endpoints_need_a_private_or_isolated_tier() -> None:
    assert network_lines(tiers=["public"], interfaceEndpoints=["sts"]) == [
        "aws-compute:network.interfaceEndpoints: interface endpoints need a private or isolated tier to live in"
    ]


def test_reserved_tag_prefix_is_rejected() -> None:
    [line] = lines_for({"tags": {"aws:owner": "x"}})
    assert line.startswith("aws-compute:tags: tag keys ['aws:owner'] are invalid")
    [line] = lines_for({"tags": {"AWS:owner": "x"}})
    assert line.startswith("aws-compute:tags: tag keys ['AWS:owner'] are invalid")


def test_tag_values_outside_what_aws_accepts_are_rejected() -> None:
    # IAM and EKS, among others, reject tag values with other characters (CreateRole fails).
    [line] = lines_for({"tags": {"Owner": "alice, bob"}})
    assert line.startswith("aws-compute:tags: the values of tags ['Owner'] are invalid")
    [line] = lines_for({"tags": {"Note": "x" * 257}})
    assert "are invalid: at most 256" in line


def test_extra_tags_leave_room_under_the_50_tag_limit() -> None:
    [line] = lines_for({"tags": {f"T{i}": "x" for i in range(44)}})
    assert "44 tags; AWS allows 50 per resource, so list at most 43" in line


def test_every_problem_is_reported_at_once() -> None:
    lines = network_lines(azCount=7, natGateways="none", flowLogs={"retentionDays": 2})
    assert [line.split(":", 2)[1] for line in lines] == [
        "network.azCount",
        "network.natGateways",
        "network.flowLogs.retentionDays",
    ]


def test_type_errors_in_several_keys_are_reported_at_once() -> None:
    lines = network_lines(azCount="three", natGateways="both", cidrBlok="10.0.0.0/16")
    assert len(lines) == 3


def test_load_stops_with_one_message_naming_the_stack_file_and_registers_nothing() -> None:
    with pytest.raises(pulumi.RunError) as raised:
        engine.run(stage.load, stack="qa", config={"aws-compute:network": {"natGateways": "two", "azCount": 9}})
    # The type error does not hide the rule on azCount: rules run on what parsed.
    assert str(raised.value) == (
        "Pulumi.qa.yaml has 2 stage-config problems; nothing was deployed:\n"
        "  - aws-compute:network.natGateways: Input should be 'none', 'single' or 'onePerAz' (got 'two')\n"
        "  - aws-compute:network.azCount: 9 AZs; use 2 to 4 (3 is the HA default)\n"
        "Fix them in Pulumi.qa.yaml (or with `pulumi config set --path`) and run again."
    )


def test_load_reads_the_stage_and_its_tags() -> None:
    loaded: list[stage.Stage] = []
    engine.run(lambda: loaded.append(stage.load()), stack="qa", config={"aws-compute:tags": {"CostCenter": "42"}})
    assert (loaded[0].project, loaded[0].stack) == ("aws-compute", "qa")
    assert loaded[0].config.environment is None
    assert loaded[0].config.tags == {"CostCenter": "42"}


def test_network_args_raise_every_problem_with_field_names() -> None:
    with pytest.raises(ValueError, match=r"NetworkArgs has 2 problem\(s\):") as raised:
        NetworkArgs(az_count=1, nat_gateways="none")
    assert "NetworkArgs.az_count: 1 AZs" in str(raised.value)
    assert "NetworkArgs.nat_gateways: private subnets route out" in str(raised.value)


def test_compute_in_private_subnets_needs_the_private_tier() -> None:
    in_vpc = {
        "code": {"kind": "zip", "path": "functions/api", "handler": "handler.handler", "runtime": "python3.13"},
        "timeoutSeconds": 10,
        "vpc": {},
    }
    no_private = {"tiers": ["public", "isolated"], "natGateways": "none"}
    assert lines_for({"network": no_private, "functions": {"api": in_vpc}}) == [
        "aws-compute:network.tiers: functions.api run in the private subnets, but the network has no private"
        " tier; add 'private' to tiers (with a NAT gateway strategy other than 'none')"
    ]
    outside_vpc = {k: v for k, v in in_vpc.items() if k != "vpc"}
    assert stage.validate({"network": no_private, "functions": {"api": outside_vpc}})[1] == []
