"""The one ALB target path: target group, listener rule, and the ALB <-> targets security-group path,
for IP targets (Fargate) and instance targets (Auto Scaling groups)."""

from __future__ import annotations

import pulumi
import pytest

from components import AlbTargetArgs, Problem, TargetHealthArgs, existing_listener
from components.alb_target import ListenerClaim, attach_to_listener, priority_problems
from components.load_balancer.resources import load_balancer_suffix
from offline.engine import Plan, run
from tests.asg_helpers import ALB_SG, LISTENER_ARN

INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"


@pytest.fixture(scope="module")
def plan() -> Plan:
    def program() -> None:
        listener = existing_listener(LISTENER_ARN, ALB_SG)
        attach_to_listener(
            "app",
            AlbTargetArgs(
                listener=listener,
                priority=120,
                path_patterns=("/api/*",),
                host_headers=("api.example.com",),
                health=TargetHealthArgs(path="/ready", matcher="200-299", slow_start=0, deregistration_delay=60),
            ),
            port=9000,
            target_type="ip",
            vpc_id="vpc-1",
            target_security_group_id="sg-tasks",
            opts=pulumi.ResourceOptions(),
        )
        attach_to_listener(
            "vm",
            AlbTargetArgs(listener=listener, priority=130, path_patterns=("/legacy/*",)),
            port=8080,
            target_type="instance",
            vpc_id="vpc-1",
            target_security_group_id="sg-instances",
            opts=pulumi.ResourceOptions(),
        )

    return run(program)


def test_load_balancer_suffix_comes_from_the_listener_arn() -> None:
    assert load_balancer_suffix(LISTENER_ARN) == "app/shared/50dc6c495c0c9188"
    assert existing_listener(LISTENER_ARN, ALB_SG).load_balancer_arn_suffix == "app/shared/50dc6c495c0c9188"


def test_target_group_checks_health_on_the_traffic_port(plan: Plan) -> None:
    assert plan.named("app-tg").inputs == {
        "vpcId": "vpc-1",
        "targetType": "ip",
        "port": 9000,
        "protocol": "HTTP",
        "deregistrationDelay": 60,
        "slowStart": 0,
        "healthCheck": {
            "enabled": True,
            "protocol": "HTTP",
            "port": "traffic-port",
            "path": "/ready",
            "matcher": "200-299",
            "interval": 30,
            "timeout": 10,
            "healthyThreshold": 2,
            "unhealthyThreshold": 3,
        },
    }


def test_instance_targets_get_the_seeds_draining_and_slow_start(plan: Plan) -> None:
    tg = plan.named("vm-tg").inputs
    assert (tg["targetType"], tg["port"], tg["deregistrationDelay"], tg["slowStart"]) == ("instance", 8080, 30, 30)
    assert (tg["healthCheck"]["path"], tg["healthCheck"]["matcher"]) == ("/health", "200")


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


@pytest.mark.parametrize(("name", "port", "targets"), [("app", 9000, "sg-tasks"), ("vm", 8080, "sg-instances")])
def test_targets_accept_their_port_from_the_alb_security_group_only(
    plan: Plan, name: str, port: int, targets: str
) -> None:
    ingress = plan.named(f"{name}-from-alb").inputs
    assert (ingress["securityGroupId"], ingress["referencedSecurityGroupId"]) == (targets, ALB_SG)
    assert (ingress["ipProtocol"], ingress["fromPort"], ingress["toPort"]) == ("tcp", port, port)
    assert "cidrIpv4" not in ingress and "cidrIpv6" not in ingress


@pytest.mark.parametrize(("name", "port", "targets"), [("app", 9000, "sg-tasks"), ("vm", 8080, "sg-instances")])
def test_alb_gets_egress_to_the_targets_port_only(plan: Plan, name: str, port: int, targets: str) -> None:
    egress = plan.named(f"{name}-alb-to-targets").inputs
    assert (egress["securityGroupId"], egress["referencedSecurityGroupId"]) == (ALB_SG, targets)
    assert (egress["ipProtocol"], egress["fromPort"], egress["toPort"]) == ("tcp", port, port)
    assert len(plan.of_type(EGRESS)) == 2 and len(plan.of_type(INGRESS)) == 2


def test_priorities_collide_only_on_the_same_listener() -> None:
    claims = [
        ListenerClaim(field="a.priority", label="A", listener="shared", priority=10),
        ListenerClaim(field="b.priority", label="B", listener="other", priority=10),
        ListenerClaim(field="c.priority", label="C", listener="shared", priority=10),
        ListenerClaim(field="d.priority", label="D", listener="shared", priority=20),
    ]
    assert priority_problems(claims) == [
        Problem(
            "c.priority",
            "priority 10 is also used by A on the same listener; give each listener rule its own priority",
        )
    ]
