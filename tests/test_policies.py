"""Policy rules: each catches its violation and passes the compliant form; stacks are clean."""

from __future__ import annotations

import json
from typing import Any

import pytest

from components.governance import policy_rules as rules
from offline import stacks
from offline.engine import Plan

LT = "aws:ec2/launchTemplate:LaunchTemplate"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"


def violated(type_: str, props: dict[str, Any]) -> list[str]:
    return [v.rule for v in rules.check([(type_, "r", props)])]


@pytest.mark.parametrize("stack", stacks.stack_names())
def test_every_stack_is_free_of_violations(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    assert rules.check([(r.type, r.name, r.inputs) for r in plan.resources if r.custom]) == []


@pytest.mark.parametrize(
    ("type_", "bad", "good"),
    [
        (LT, {}, {"metadataOptions": {"httpTokens": "required"}}),
        (
            "aws:ec2/instance:Instance",
            {"metadataOptions": {"httpTokens": "optional"}},
            {"metadataOptions": {"httpTokens": "required"}},
        ),
    ],
)
def test_imdsv2_is_required(type_: str, bad: dict[str, Any], good: dict[str, Any]) -> None:
    assert violated(type_, bad) == ["imdsv2-required"]
    assert violated(type_, good) == []


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"cidrIpv4": "0.0.0.0/0", "fromPort": 443, "toPort": 443, "ipProtocol": "tcp"}, []),
        ({"cidrIpv4": "0.0.0.0/0", "fromPort": 22, "toPort": 22, "ipProtocol": "tcp"}, ["no-world-ingress"]),
        ({"cidrIpv6": "::/0", "ipProtocol": "-1"}, ["no-world-ingress"]),
        ({"cidrIpv4": "10.0.0.0/16", "fromPort": 22, "toPort": 22, "ipProtocol": "tcp"}, []),
    ],
)
def test_world_ingress_only_on_web_ports(props: dict[str, Any], expected: list[str]) -> None:
    assert violated(INGRESS, props) == expected


def test_inline_security_group_rules_are_checked_too() -> None:
    bad = {"ingress": [{"cidrBlocks": ["0.0.0.0/0"], "fromPort": 0, "toPort": 65535, "protocol": "tcp"}]}
    assert violated(SG, bad) == ["no-world-ingress"]


def test_log_groups_need_retention() -> None:
    assert violated("aws:cloudwatch/logGroup:LogGroup", {}) == ["log-retention"]
    assert violated("aws:cloudwatch/logGroup:LogGroup", {"retentionInDays": 30}) == []


def test_launch_template_volumes_are_encrypted() -> None:
    secure = {"metadataOptions": {"httpTokens": "required"}}
    plain = {**secure, "blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"volumeSize": 20}}]}
    encrypted = {**secure, "blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": "true"}}]}
    assert violated(LT, plain) == ["encrypted-volumes"]
    assert violated(LT, encrypted) == []


def test_public_eks_endpoint_needs_an_allowlist() -> None:
    eks = "aws:eks/cluster:Cluster"
    assert violated(eks, {"vpcConfig": {"endpointPublicAccess": True}}) == ["eks-endpoint-allowlist"]
    assert violated(eks, {"vpcConfig": {"endpointPublicAccess": True, "publicAccessCidrs": ["0.0.0.0/0"]}}) == [
        "eks-endpoint-allowlist"
    ]
    allowlisted = {"vpcConfig": {"endpointPublicAccess": True, "publicAccessCidrs": ["203.0.113.0/24"]}}
    assert violated(eks, allowlisted) == []
    assert violated(eks, {"vpcConfig": {"endpointPublicAccess": False}}) == []


def test_iam_policies_grant_no_wildcard_actions() -> None:
    def policy(action: str) -> dict[str, Any]:
        statement = {"Effect": "Allow", "Action": action, "Resource": "arn:aws:s3:::b/*"}
        return {"policy": json.dumps({"Version": "2012-10-17", "Statement": [statement]})}

    assert violated("aws:iam/rolePolicy:RolePolicy", policy("s3:*")) == ["iam-no-wildcard-actions"]
    assert violated("aws:iam/policy:Policy", policy("*")) == ["iam-no-wildcard-actions"]
    assert violated("aws:iam/rolePolicy:RolePolicy", policy("s3:GetObject")) == []


def test_ecr_repositories_are_immutable_and_scanned() -> None:
    ecr = "aws:ecr/repository:Repository"
    assert violated(ecr, {}) == ["ecr-immutable-scanned", "ecr-immutable-scanned"]
    assert violated(ecr, {"imageTagMutability": "IMMUTABLE", "imageScanningConfiguration": {"scanOnPush": True}}) == []


def test_albs_drop_invalid_headers() -> None:
    lb = "aws:lb/loadBalancer:LoadBalancer"
    assert violated(lb, {"loadBalancerType": "application"}) == ["alb-drop-invalid-headers"]
    assert violated(lb, {"loadBalancerType": "application", "dropInvalidHeaderFields": True}) == []
    assert violated(lb, {"loadBalancerType": "network"}) == []


def test_ecs_tasks_get_no_public_ip() -> None:
    svc = "aws:ecs/service:Service"
    assert violated(svc, {"networkConfiguration": {"assignPublicIp": True}}) == ["no-public-ip-tasks"]
    assert violated(svc, {"networkConfiguration": {"assignPublicIp": False}}) == []


def test_open_function_urls_are_advisory() -> None:
    [violation] = rules.check([("aws:lambda/functionUrl:FunctionUrl", "u", {"authorizationType": "NONE"})])
    assert (violation.rule, violation.enforcement) == ("function-url-auth", "advisory")
