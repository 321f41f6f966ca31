"""Auto Scaling groups on the stage's shared ALB: the stage rules (the ALB must exist, listener
priorities unique across Fargate web services and groups) and what dev and prod build."""

from __future__ import annotations

from typing import Any

import pytest

import stage
from offline.engine import Plan
from stage.autoscaling import LoadBalancerConfig
from tests.asg_helpers import ALB_SG, LISTENER_ARN

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
IMAGE = {"uri": "public.ecr.aws/docker/library/nginx:1.27.3"}
SHARED = {"alb": "shared", "priority": 20, "pathPatterns": ["/legacy/*"], "port": 8080}


def _stage(*, alb: bool = True, lb: dict[str, Any] | None = None, web_priority: int = 10) -> dict[str, Any]:
    """A stage with one Fargate web service and one Auto Scaling group `legacy` on `lb`."""
    web = {"priority": web_priority, "pathPatterns": ["/api/*"]}
    services: dict[str, Any] = {"services": {"api": {"container": {"image": IMAGE, "port": 8080}, "web": web}}}
    if alb:
        services["loadBalancer"] = {"ingressCidrs": ["0.0.0.0/0"], "certificateArn": CERT}
    group = {"instanceTypes": ["m7g.large"], "loadBalancer": lb or SHARED}
    return {"services": services, "autoscaling": {"legacy": group}}


def test_a_group_on_the_shared_alb_with_its_own_priority_is_valid() -> None:
    config, lines = stage.validate(_stage())
    assert lines == [] and config is not None
    assert config.autoscaling["legacy"].load_balancer == LoadBalancerConfig.model_validate(SHARED)


def test_shared_alb_needs_the_stages_load_balancer() -> None:
    _, lines = stage.validate(_stage(alb=False))
    assert (
        "aws-compute:autoscaling.legacy.loadBalancer.alb: alb: shared attaches to the stage's ALB, but"
        " aws-compute:services.loadBalancer is not configured; configure it, or use alb: external with listenerArn"
        " and securityGroupId"
    ) in lines


def test_an_external_listener_needs_no_stage_alb() -> None:
    external = {**SHARED, "alb": "external", "listenerArn": LISTENER_ARN, "securityGroupId": ALB_SG}
    config, lines = stage.validate({**_stage(lb=external), "services": {}})
    assert lines == [] and config is not None


def test_a_group_and_a_web_service_cannot_share_a_priority_on_the_shared_listener() -> None:
    _, lines = stage.validate(_stage(web_priority=20))
    assert lines == [
        "aws-compute:autoscaling.legacy.loadBalancer.priority: priority 20 is also used by"
        " aws-compute:services.services.api.web.priority on the same listener; give each listener rule its own"
        " priority"
    ]


def test_a_group_on_an_external_listener_may_reuse_a_shared_priority() -> None:
    external = {**SHARED, "alb": "external", "listenerArn": LISTENER_ARN, "securityGroupId": ALB_SG}
    config, lines = stage.validate(_stage(lb=external, web_priority=20))
    assert lines == [] and config is not None


def test_shared_listener_is_required_to_build_the_args() -> None:
    with pytest.raises(ValueError, match=r"alb: shared needs aws-compute:services\.loadBalancer"):
        LoadBalancerConfig.model_validate(SHARED).to_args(None)


# ---------------------------------------------------------------- dev and prod


@pytest.mark.parametrize(("plan_name", "listener"), [("dev_plan", "alb-http"), ("prod_plan", "alb-https")])
def test_the_web_group_routes_legacy_paths_from_the_shared_listener(
    plan_name: str, listener: str, request: pytest.FixtureRequest
) -> None:
    plan: Plan = request.getfixturevalue(plan_name)
    rule = {k: v for k, v in plan.named("web-rule").inputs.items() if k != "tags"}
    assert rule == {
        "listenerArn": plan.named(listener).state["arn"],
        "priority": 5,
        "actions": [{"type": "forward", "targetGroupArn": plan.named("web-tg").state["arn"]}],
        "conditions": [{"pathPattern": {"values": ["/legacy/*"]}}],
    }


@pytest.mark.parametrize("plan_name", ["dev_plan", "prod_plan"])
def test_the_web_group_registers_instances_and_uses_elb_health(plan_name: str, request: pytest.FixtureRequest) -> None:
    plan: Plan = request.getfixturevalue(plan_name)
    tg = plan.named("web-tg").inputs
    assert (tg["targetType"], tg["port"], tg["protocol"], tg["healthCheck"]["path"]) == (
        "instance",
        8080,
        "HTTP",
        "/health",
    )
    group = plan.named("web-asg").inputs
    assert group["healthCheckType"] == "ELB"
    assert group["targetGroupArns"] == [plan.named("web-tg").state["arn"]]


@pytest.mark.parametrize("plan_name", ["dev_plan", "prod_plan"])
def test_the_alb_reaches_the_instances_on_the_app_port_only(plan_name: str, request: pytest.FixtureRequest) -> None:
    plan: Plan = request.getfixturevalue(plan_name)
    alb_sg, web_sg = plan.named("alb-sg").id, plan.named("web-sg").id
    egress = [
        r.inputs
        for r in plan.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
        if r.inputs["securityGroupId"] == alb_sg
    ]
    assert sorted((e["referencedSecurityGroupId"] == web_sg, e["fromPort"], e["toPort"]) for e in egress) == [
        (False, 8080, 8080),  # the api's tasks
        (True, 8080, 8080),
    ]


@pytest.mark.parametrize("plan_name", ["dev_plan", "prod_plan"])
def test_listener_rule_priorities_are_unique_per_listener(plan_name: str, request: pytest.FixtureRequest) -> None:
    plan: Plan = request.getfixturevalue(plan_name)
    rules = [(r.inputs["listenerArn"], r.inputs["priority"]) for r in plan.of_type("aws:lb/listenerRule:ListenerRule")]
    assert len(rules) == len(set(rules)) == 2


def test_prod_scales_the_web_group_on_requests_per_target(prod_plan: Plan) -> None:
    spec = prod_plan.named("web-requests").inputs["targetTrackingConfiguration"]
    alb, tg = prod_plan.named("alb-alb").state["arnSuffix"], prod_plan.named("web-tg").state["arnSuffix"]
    assert spec["targetValue"] == 1000
    assert spec["predefinedMetricSpecification"] == {
        "predefinedMetricType": "ALBRequestCountPerTarget",
        "resourceLabel": f"{alb}/{tg}",
    }


def test_prod_drains_legacy_instances_longer(prod_plan: Plan, dev_plan: Plan) -> None:
    assert prod_plan.named("web-tg").inputs["deregistrationDelay"] == 60
    assert dev_plan.named("web-tg").inputs["deregistrationDelay"] == 30
