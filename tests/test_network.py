"""Network component: exact resources per NAT strategy and AZ count, routes, flow logs, endpoints."""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest

from components import FlowLogsArgs, Network, NetworkArgs
from offline import engine
from offline.engine import Plan, RecordedResource
from tests.iam_checks import assert_least_privilege

EXPLICIT_AZS = ("us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d")


@functools.cache
def build(**overrides: Any) -> Plan:
    """The network with `overrides`, planned once per set of them: tests only read a plan."""
    return engine.run(lambda: Network("net", NetworkArgs(**overrides)))


def count(plan: Plan, short_type: str) -> int:
    return sum(1 for r in plan.resources if r.type.rsplit(":", 1)[-1] == short_type)


@pytest.mark.parametrize("az_count", [2, 3, 4])
@pytest.mark.parametrize(("nat", "tiers"), [("none", ("public", "isolated")), ("single", None), ("onePerAz", None)])
def test_resource_counts_per_nat_strategy_and_az_count(az_count: int, nat: str, tiers: tuple[str, ...] | None) -> None:
    tiers = tiers or ("public", "private", "isolated")
    plan = build(az_count=az_count, nat_gateways=nat, tiers=tiers)
    nats = {"none": 0, "single": 1, "onePerAz": az_count}[nat]
    private = "private" in tiers
    assert count(plan, "Subnet") == az_count * len(tiers)
    assert count(plan, "NatGateway") == nats
    assert count(plan, "Eip") == nats
    # one public table, one per private subnet, one isolated table
    assert count(plan, "RouteTable") == 1 + (az_count if private else 0) + 1
    assert count(plan, "RouteTableAssociation") == az_count * len(tiers)
    # public default route, plus one default route per private subnet
    assert count(plan, "Route") == 1 + (az_count if private else 0)
    assert count(plan, "InternetGateway") == 1
    assert count(plan, "Vpc") == 1


def test_vpc_has_dns_support_and_hostnames() -> None:
    vpc = build().named("net-vpc")
    assert vpc.inputs["cidrBlock"] == "10.0.0.0/16"
    assert vpc.inputs["enableDnsSupport"] is True
    assert vpc.inputs["enableDnsHostnames"] is True


def test_default_az_count_is_three_from_available_zones() -> None:
    plan = build()
    azs = sorted(r.inputs["availabilityZone"] for r in plan.of_type("aws:ec2/subnet:Subnet"))
    assert set(azs) == {"us-east-1a", "us-east-1b", "us-east-1c"}
    assert plan.component_outputs[plan.named("net").urn]["availabilityZones"] == [
        "us-east-1a",
        "us-east-1b",
        "us-east-1c",
    ]


def test_explicit_availability_zones_are_used_in_order() -> None:
    plan = build(availability_zones=("us-east-1d", "us-east-1b"))
    assert plan.named("net-private-0").inputs["availabilityZone"] == "us-east-1d"
    assert plan.named("net-private-1").inputs["availabilityZone"] == "us-east-1b"


def test_subnets_never_map_public_ips() -> None:
    subnets = build().of_type("aws:ec2/subnet:Subnet")
    assert subnets
    assert all(s.inputs["mapPublicIpOnLaunch"] is False for s in subnets)


def test_subnet_cidrs_follow_the_plan() -> None:
    plan = build(az_count=2)
    cidrs = {r.name: r.inputs["cidrBlock"] for r in plan.of_type("aws:ec2/subnet:Subnet")}
    assert cidrs == {
        "net-public-0": "10.0.0.0/24",
        "net-public-1": "10.0.16.0/24",
        "net-private-0": "10.0.64.0/20",
        "net-private-1": "10.0.80.0/20",
        "net-isolated-0": "10.0.128.0/24",
        "net-isolated-1": "10.0.144.0/24",
    }


def _table_of_subnet(plan: Plan, subnet_name: str) -> str:
    subnet_id = plan.named(subnet_name).id
    assoc = next(
        a
        for a in plan.of_type("aws:ec2/routeTableAssociation:RouteTableAssociation")
        if a.inputs["subnetId"] == subnet_id
    )
    return str(assoc.inputs["routeTableId"])


def _routes_of_table(plan: Plan, table_id: str) -> list[RecordedResource]:
    return [r for r in plan.of_type("aws:ec2/route:Route") if r.inputs["routeTableId"] == table_id]


def _default_route_of_table(plan: Plan, table_id: str) -> RecordedResource:
    [route] = _routes_of_table(plan, table_id)
    assert route.inputs["destinationCidrBlock"] == "0.0.0.0/0"
    return route


def test_one_per_az_routes_each_private_subnet_to_the_nat_in_its_own_az() -> None:
    plan = build(az_count=3, nat_gateways="onePerAz")
    for i in range(3):
        route = _default_route_of_table(plan, _table_of_subnet(plan, f"net-private-{i}"))
        nat = plan.by_id(route.inputs["natGatewayId"])
        nat_subnet = plan.by_id(nat.inputs["subnetId"])
        assert nat_subnet.name == f"net-public-{i}"
        assert nat_subnet.inputs["availabilityZone"] == plan.named(f"net-private-{i}").inputs["availabilityZone"]


def test_single_nat_serves_every_private_subnet() -> None:
    plan = build(az_count=3, nat_gateways="single")
    nat_ids = {
        _default_route_of_table(plan, _table_of_subnet(plan, f"net-private-{i}")).inputs["natGatewayId"]
        for i in range(3)
    }
    assert nat_ids == {plan.named("net-nat-0").id}


def test_public_subnets_route_to_the_internet_gateway() -> None:
    plan = build(az_count=2)
    igw = plan.named("net-igw")
    for i in range(2):
        route = _default_route_of_table(plan, _table_of_subnet(plan, f"net-public-{i}"))
        assert route.inputs["gatewayId"] == igw.id


def test_isolated_subnets_have_no_route_out() -> None:
    plan = build(az_count=2)
    for i in range(2):
        assert _routes_of_table(plan, _table_of_subnet(plan, f"net-isolated-{i}")) == []


def test_nat_gateways_sit_in_public_subnets_with_an_elastic_ip() -> None:
    plan = build(az_count=2, nat_gateways="onePerAz")
    for i in range(2):
        nat = plan.named(f"net-nat-{i}")
        assert nat.inputs["subnetId"] == plan.named(f"net-public-{i}").id
        assert nat.inputs["allocationId"] == plan.named(f"net-nat-eip-{i}").id
        assert nat.inputs["connectivityType"] == "public"
        assert plan.named(f"net-nat-eip-{i}").inputs["domain"] == "vpc"


def test_nat_gateways_wait_for_the_internet_gateway() -> None:
    # Nothing in a NAT gateway's inputs names the IGW; created first, AWS fails it
    # ("Network vpc-... has no Internet gateway attached").
    plan = build(az_count=2, nat_gateways="onePerAz")
    igw = plan.named("net-igw")
    for i in range(2):
        assert igw.urn in plan.named(f"net-nat-{i}").dependencies


def test_default_security_group_is_managed_with_no_rules() -> None:
    sg = build().named("net-default-sg")
    assert sg.type == "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
    assert not sg.inputs.get("ingress")
    assert not sg.inputs.get("egress")


def test_flow_logs_reach_their_log_group_through_a_scoped_role() -> None:
    plan = build(flow_logs=FlowLogsArgs(traffic_type="ALL", retention_days=30))
    log_group = plan.named("net-flow-logs")
    role = plan.named("net-flow-logs-role")
    flow_log = plan.named("net-flow-log")
    assert log_group.inputs["retentionInDays"] == 30
    assert flow_log.inputs == {
        "vpcId": plan.named("net-vpc").id,
        "trafficType": "ALL",
        "logDestinationType": "cloud-watch-logs",
        "logDestination": log_group.state["arn"],
        "iamRoleArn": role.state["arn"],
        "maxAggregationInterval": 60,
        "tags": {"Name": "net"},
    }
    policy = json.loads(plan.named("net-flow-logs-policy").inputs["policy"])
    assert policy["Statement"] == [
        {
            "Sid": "WriteFlowLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            "Resource": [log_group.state["arn"], log_group.state["arn"] + ":*"],
        }
    ]
    assert_least_privilege(policy)


def test_flow_log_role_trusts_only_flow_logs_of_this_account() -> None:
    trust = json.loads(build().named("net-flow-logs-role").inputs["assumeRolePolicy"])
    assert trust["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": "123456789012"},
                "ArnLike": {"aws:SourceArn": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*"},
            },
        }
    ]


def test_flow_logs_default_to_rejected_traffic_kept_a_year() -> None:
    plan = build()
    assert plan.named("net-flow-log").inputs["trafficType"] == "REJECT"
    assert plan.named("net-flow-logs").inputs["retentionInDays"] == 365


def test_flow_logs_can_be_turned_off() -> None:
    plan = build(flow_logs=None)
    assert not plan.of_type("aws:ec2/flowLog:FlowLog")
    assert not plan.of_type("aws:iam/role:Role")


def test_gateway_endpoints_route_from_private_and_isolated_tables() -> None:
    plan = build(az_count=2)
    private_tables = {plan.named(f"net-private-{i}-rt").id for i in range(2)}
    isolated_table = plan.named("net-isolated-rt").id
    for service in ("s3", "dynamodb"):
        endpoint = plan.named(f"net-{service}-endpoint")
        assert endpoint.inputs["serviceName"] == f"com.amazonaws.us-east-1.{service}"
        assert endpoint.inputs["vpcEndpointType"] == "Gateway"
        assert set(endpoint.inputs["routeTableIds"]) == private_tables | {isolated_table}


def test_no_interface_endpoint_or_its_security_group_by_default() -> None:
    plan = build()
    assert not [
        r for r in plan.of_type("aws:ec2/vpcEndpoint:VpcEndpoint") if r.inputs["vpcEndpointType"] == "Interface"
    ]
    assert not plan.of_type("aws:ec2/securityGroup:SecurityGroup")


def test_interface_endpoints_in_private_subnets_allow_https_from_the_vpc_only() -> None:
    plan = build(az_count=2, interface_endpoints=("ecr.api", "logs"))
    sg = plan.named("net-endpoints-sg")
    rules = plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert [r.inputs for r in rules] == [
        {
            "securityGroupId": sg.id,
            "description": "HTTPS from the VPC",
            "ipProtocol": "tcp",
            "fromPort": 443,
            "toPort": 443,
            "cidrIpv4": "10.0.0.0/16",
        }
    ]
    private_ids = [plan.named(f"net-private-{i}").id for i in range(2)]
    for service, logical in (("ecr.api", "net-ecr-api-endpoint"), ("logs", "net-logs-endpoint")):
        endpoint = plan.named(logical)
        assert endpoint.inputs["serviceName"] == f"com.amazonaws.us-east-1.{service}"
        assert endpoint.inputs["vpcEndpointType"] == "Interface"
        assert endpoint.inputs["privateDnsEnabled"] is True
        assert endpoint.inputs["subnetIds"] == private_ids
        assert endpoint.inputs["securityGroupIds"] == [sg.id]


def test_endpoint_service_names_come_from_the_regions_catalogue() -> None:
    # Beijing names interface services cn.com.amazonaws.<region>.<service>; a spelled-out
    # com.amazonaws.cn-north-1.ecr.api is rejected by CreateVpcEndpoint.
    plan = engine.run(
        lambda: Network(
            "net",
            NetworkArgs(availability_zones=("cn-north-1a", "cn-north-1b"), interface_endpoints=("ecr.api",)),
        ),
        config={"aws:region": "cn-north-1"},
    )
    assert plan.named("net-ecr-api-endpoint").inputs["serviceName"] == "cn.com.amazonaws.cn-north-1.ecr.api"
    assert plan.named("net-s3-endpoint").inputs["serviceName"] == "com.amazonaws.cn-north-1.s3"


def test_outputs_list_subnets_per_tier_in_az_order() -> None:
    plan = build(az_count=3)
    outputs = plan.component_outputs[plan.named("net").urn]
    for tier in ("public", "private", "isolated"):
        assert outputs[f"{tier}SubnetIds"] == [plan.named(f"net-{tier}-{i}").id for i in range(3)]
    assert outputs["privateRouteTableIds"] == [plan.named(f"net-private-{i}-rt").id for i in range(3)]
    assert outputs["vpcCidr"] == "10.0.0.0/16"
    assert len(outputs["natPublicIps"]) == 3


def test_every_child_is_parented_to_the_component() -> None:
    plan = build()
    component = plan.named("net")
    assert all(r.parent == component.urn for r in plan.resources if r is not component)
