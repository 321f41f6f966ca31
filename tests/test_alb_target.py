"""The ALB attachment: target group, listener rule, ingress from the ALB only."""

from __future__ import annotations

import pulumi
import pytest

from components.alb_target import HealthCheckArgs, attach_to_listener, load_balancer_suffix
from offline.engine import Plan, run
from tests.asg_helpers import ALB_SG, LISTENER_ARN, load_balancer


@pytest.fixture(scope="module")
def plan() -> Plan:
    args = load_balancer(
        priority=120,
        path_patterns=("/api/*",),
        host_headers=("api.example.com",),
        port=9000,
        health_check=HealthCheckArgs(path="/ready", matcher="200"),
    )
    return run(
        lambda: attach_to_listener(
            "app",
            args,
            vpc_id="vpc-1",
            target_type="ip",
            target_security_group_id="sg-targets",
            opts=pulumi.ResourceOptions(),
        )
    )


def test_load_balancer_suffix_comes_from_the_listener_arn() -> None:
    assert load_balancer_suffix(LISTENER_ARN) == "app/shared/50dc6c495c0c9188"


def test_target_group_checks_health_on_the_traffic_port(plan: Plan) -> None:
    assert plan.named("app-tg").inputs == {
        "vpcId": "vpc-1",
        "targetType": "ip",
        "port": 9000,
        "protocol": "HTTP",
        "deregistrationDelay": 60,
        "healthCheck": {
            "enabled": True,
            "protocol": "HTTP",
            "port": "traffic-port",
            "path": "/ready",
            "matcher": "200",
            "interval": 15,
            "timeout": 5,
            "healthyThreshold": 2,
            "unhealthyThreshold": 3,
        },
    }


def test_listener_rule_forwards_matching_paths_and_hosts(plan: Plan) -> None:
    assert plan.named("app-rule").inputs == {
        "listenerArn": LISTENER_ARN,
        "priority": 120,
        "actions": [{"type": "forward", "targetGroupArn": plan.named("app-tg").state["arn"]}],
        "conditions": [
            {"pathPattern": {"values": ["/api/*"]}},
            {"hostHeader": {"values": ["api.example.com"]}},
        ],
    }


def test_targets_accept_the_app_port_from_the_alb_security_group_only(plan: Plan) -> None:
    [ingress] = plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert ingress.inputs["referencedSecurityGroupId"] == ALB_SG
    assert (ingress.inputs["fromPort"], ingress.inputs["toPort"], ingress.inputs["securityGroupId"]) == (
        9000,
        9000,
        "sg-targets",
    )
    assert "cidrIpv4" not in ingress.inputs
