"""The Fargate area of the real stacks: what every stage runs, and what differs between dev and prod."""

from __future__ import annotations

import copy
import json
from typing import Any

import pulumi
import pytest

from offline import stacks
from offline.engine import Plan
from tests.iam_checks import assert_least_privilege
from tests.stack_areas import stacks_with

SERVICE = "aws:ecs/service:Service"
SCHEDULE = "aws:scheduler/schedule:Schedule"
SG_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
STACKS = stacks_with("services")


def strategy(plan: Plan, name: str) -> list[dict[str, Any]]:
    return plan.named(f"svc-{name}-service").inputs["capacityProviderStrategies"]


@pytest.mark.parametrize("stack", STACKS)
def test_every_stage_runs_a_web_service_a_queue_worker_and_a_scheduled_job(
    stack_plans: dict[str, Plan], stack: str
) -> None:
    plan = stack_plans[stack]
    services = plan.of_type(SERVICE)
    web = [s for s in services if s.inputs.get("loadBalancers")]
    workers = [s for s in services if not s.inputs.get("loadBalancers")]
    assert web and workers
    assert plan.of_type("aws:sqs/queue:Queue")
    assert plan.of_type(SCHEDULE)


@pytest.mark.parametrize("stack", STACKS)
def test_no_task_ever_gets_a_public_ip(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    for service in plan.of_type(SERVICE):
        assert service.inputs["networkConfiguration"]["assignPublicIp"] is False
        assert set(service.inputs["networkConfiguration"]["subnets"]) == set(plan.outputs["privateSubnetIds"])
    for schedule in plan.of_type(SCHEDULE):
        if "ecsParameters" not in schedule.inputs["target"]:
            continue  # a Lambda function's schedule
        assert schedule.inputs["target"]["ecsParameters"]["networkConfiguration"]["assignPublicIp"] is False


@pytest.mark.parametrize("stack", STACKS)
def test_every_fargate_policy_is_least_privilege(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    policies = [p for p in plan.of_type("aws:iam/rolePolicy:RolePolicy") if p.name.startswith("svc-")]
    assert len(policies) >= 5
    for policy in policies:
        assert_least_privilege(policy.inputs["policy"])


@pytest.mark.parametrize("stack", STACKS)
def test_tasks_admit_only_security_groups_never_cidrs(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    alb_sg = plan.outputs["albSecurityGroupId"]
    api_sg = plan.named("svc-api-sg").id
    task_rules = [r.inputs for r in plan.of_type(SG_INGRESS) if r.name.startswith("svc-")]
    assert all("referencedSecurityGroupId" in r and "cidrIpv4" not in r for r in task_rules)
    from_alb = [r for r in task_rules if r["referencedSecurityGroupId"] == alb_sg]
    assert [(r["securityGroupId"], r["fromPort"]) for r in from_alb] == [(api_sg, 8080)]


@pytest.mark.parametrize("stack", STACKS)
def test_fargate_stack_outputs_are_camel_case(stack_plans: dict[str, Plan], stack: str) -> None:
    outputs = stack_plans[stack].outputs
    for key in ("clusterName", "clusterArn", "albDnsName", "albListenerArn", "albSecurityGroupId"):
        assert outputs.get(key), key
    services = outputs["services"]
    assert services["api"]["url"].endswith(f"{outputs['albDnsName']}/")
    assert {"serviceName", "serviceArn"} <= set(services["worker"])
    assert services["worker"]["queueUrl"].startswith("https://sqs.")
    assert services["nightly-report"]["scheduleArn"].startswith("arn:aws:scheduler:")


@pytest.mark.parametrize("stack", STACKS)
def test_pinned_images_raise_no_mutable_tag_warning(stack_plans: dict[str, Plan], stack: str) -> None:
    assert not [w for w in stack_plans[stack].warnings if "mutable tag" in w]


@pytest.mark.parametrize("stack", STACKS)
def test_task_families_are_stage_qualified(stack_plans: dict[str, Plan], stack: str) -> None:
    assert stack_plans[stack].named("svc-api-task").inputs["family"] == f"aws-compute-{stack}-api"


# ---------------------------------------------------------------- dev
def test_dev_runs_mostly_on_spot_without_an_on_demand_base(dev_plan: Plan) -> None:
    assert strategy(dev_plan, "api") == [
        {"capacityProvider": "FARGATE_SPOT", "weight": 3, "base": 0},
        {"capacityProvider": "FARGATE", "weight": 1, "base": 0},
    ]
    default = dev_plan.named("ecs-capacity-providers").inputs["defaultCapacityProviderStrategies"]
    assert default[0] == {"capacityProvider": "FARGATE_SPOT", "weight": 4, "base": 0}


def test_dev_uses_the_named_http_only_knob(dev_plan: Plan) -> None:
    listeners = dev_plan.of_type("aws:lb/listener:Listener")
    assert [(listener.inputs["port"], listener.inputs["protocol"]) for listener in listeners] == [(80, "HTTP")]
    assert "albHttpsListenerArn" not in dev_plan.outputs
    assert dev_plan.named("alb-alb").inputs["enableDeletionProtection"] is False


def test_dev_enables_exec_with_a_writable_root(dev_plan: Plan) -> None:
    assert dev_plan.named("svc-api-service").inputs["enableExecuteCommand"] is True
    (container,) = json.loads(dev_plan.named("svc-api-task").inputs["containerDefinitions"])
    assert container["readonlyRootFilesystem"] is False
    assert dev_plan.named("svc-api-logs").inputs["retentionInDays"] == 7


def test_dev_worker_may_scale_to_zero(dev_plan: Plan) -> None:
    assert dev_plan.named("svc-worker-scaling-target").inputs["minCapacity"] == 0


# ---------------------------------------------------------------- prod
def test_prod_keeps_an_on_demand_base_and_never_a_spot_base(prod_plan: Plan) -> None:
    assert strategy(prod_plan, "api") == [{"capacityProvider": "FARGATE", "weight": 1, "base": 2}]
    fargate = [
        service
        for service in prod_plan.of_type(SERVICE)
        if {s["capacityProvider"] for s in service.inputs["capacityProviderStrategies"]} <= {"FARGATE", "FARGATE_SPOT"}
    ]
    assert len(fargate) == 2  # the renderer runs on EC2 capacity, whose group keeps an on-demand base
    for service in fargate:
        shares = service.inputs["capacityProviderStrategies"]
        assert any(s["capacityProvider"] == "FARGATE" and s["base"] >= 1 for s in shares), service.name
        assert all(s["base"] == 0 for s in shares if s["capacityProvider"] == "FARGATE_SPOT"), service.name


def test_prod_serves_https_with_tls13_and_redirects_http(prod_plan: Plan) -> None:
    https = prod_plan.named("alb-https").inputs
    assert https["sslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert https["certificateArn"].startswith("arn:aws:acm:us-east-1:123456789012:certificate/")
    assert prod_plan.named("alb-http").inputs["defaultActions"][0]["type"] == "redirect"
    assert prod_plan.named("svc-api-rule").inputs["listenerArn"] == prod_plan.outputs["albHttpsListenerArn"]


def test_prod_alb_is_protected_and_logged(prod_plan: Plan) -> None:
    alb = prod_plan.named("alb-alb").inputs
    assert alb["enableDeletionProtection"] is True
    assert alb["accessLogs"] == {"bucket": "aws-compute-prod-alb-logs-123456789012", "prefix": "alb", "enabled": True}


def test_prod_has_exec_off_and_a_read_only_non_root_container(prod_plan: Plan) -> None:
    assert prod_plan.named("svc-api-service").inputs["enableExecuteCommand"] is False
    (container,) = json.loads(prod_plan.named("svc-api-task").inputs["containerDefinitions"])
    assert (container["readonlyRootFilesystem"], container["user"]) == (True, "101:101")
    assert container["image"] == "public.ecr.aws/nginx/nginx-unprivileged:1.27.3"
    assert container["portMappings"][0]["containerPort"] == 8080
    assert container["secrets"] == [
        {
            "name": "DB_PASSWORD",
            "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api/db-AbCdEf:password::",
        }
    ]


def test_prod_api_nginx_writes_its_pid_and_temp_files_to_a_scratch_tmp(prod_plan: Plan) -> None:
    (container,) = json.loads(prod_plan.named("svc-api-task").inputs["containerDefinitions"])
    assert container["mountPoints"] == [{"sourceVolume": "scratch-0", "containerPath": "/tmp", "readOnly": False}]
    assert prod_plan.named("svc-api-task").inputs["volumes"] == [{"name": "scratch-0"}]
    assert container["healthCheck"]["command"] == ["CMD-SHELL", "curl -fsS http://localhost:8080/ || exit 1"]
    assert prod_plan.named("svc-api-tg").inputs["healthCheck"]["path"] == "/"


def test_prod_scales_on_requests_and_on_a_business_hours_schedule(prod_plan: Plan) -> None:
    names = {r.name for r in prod_plan.of_type("aws:appautoscaling/policy:Policy") if r.name.startswith("svc-api")}
    assert names == {"svc-api-scale-on-cpu", "svc-api-scale-on-memory", "svc-api-scale-on-requests"}
    action = prod_plan.named("svc-api-schedule-business-hours").inputs
    assert action["scalableTargetAction"] == {"minCapacity": 4, "maxCapacity": 10}


def test_prod_cluster_uses_enhanced_container_insights(prod_plan: Plan) -> None:
    settings = prod_plan.named("ecs-cluster").inputs["settings"]
    assert settings == [{"name": "containerInsights", "value": "enhanced"}]


def test_a_bad_services_block_stops_the_stack_before_any_resource() -> None:

    image = {"uri": "x/y:1"}
    services = {
        "api": {"cpu": 300, "container": {"image": image}, "job": {"schedule": "rate(1 day)"}},
        "idle": {"container": {"image": image}},
    }
    overrides = {"aws-compute:services": {"services": services}}
    with pytest.raises(pulumi.RunError) as error:
        stacks.run_stack("dev", overrides=overrides)
    message = str(error.value)
    assert message.startswith("Pulumi.dev.yaml has 3 stage-config problems; nothing was deployed:")
    assert "aws-compute:services.services.api.cpu: 300 is not a Fargate CPU size" in message
    assert "aws-compute:services.services.idle: give exactly one of web, worker or job" in message
    # dev's Auto Scaling group sits on the shared ALB this override removed
    assert "aws-compute:autoscaling.web.loadBalancer.alb: alb: shared attaches to the stage's ALB" in message


def _with_api_image(stack: str, uri: str) -> Plan:
    config, _ = stacks.stack_config(stack)
    services = copy.deepcopy(config["aws-compute:services"])
    services["services"]["api"]["container"]["image"] = {"uri": uri}
    return stacks.run_stack(stack, overrides={"aws-compute:services": services})


def test_prod_warns_about_a_mutable_image_tag() -> None:
    plan = _with_api_image("apps-prod", "public.ecr.aws/docker/library/nginx:latest")
    assert [w for w in plan.warnings if "mutable tag" in w] == [
        "svc-api: image 'public.ecr.aws/docker/library/nginx:latest' is on a mutable tag; a redeploy may run"
        " different code. Pin it by digest or a version tag."
    ]


def test_dev_allows_a_mutable_image_tag_through_its_knob() -> None:
    plan = _with_api_image("dev", "public.ecr.aws/docker/library/nginx:latest")
    assert not [w for w in plan.warnings if "mutable tag" in w]
