"""`aws-compute:functions` in the real stacks: what dev and prod promise, and what every stage keeps."""

from __future__ import annotations

import json
from typing import cast

import pytest

from offline import render
from offline.engine import Plan, RecordedResource
from tests.iam_checks import assert_least_privilege
from tests.stack_areas import stacks_with

FUNCTION = "aws:lambda/function:Function"


def function(plan: Plan, key: str) -> RecordedResource:
    return plan.named(f"fn-{key}-function")


@pytest.mark.parametrize("stack", stacks_with("functions"))
def test_every_stage_runs_an_api_and_two_workers(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    assert len(plan.of_type(FUNCTION)) == 3
    assert set(plan.outputs["functionNames"]) == {"api", "worker", "cleanup"}
    assert set(plan.outputs["functionUrls"]) == {"api"}
    assert set(plan.outputs["functionQueueUrls"]) == {"worker"}
    for key, arn in plan.outputs["functionAliasArns"].items():
        assert arn == f"{plan.outputs['functionArns'][key]}:live"


@pytest.mark.parametrize("stack", stacks_with("functions"))
def test_every_function_is_arm64_traced_with_json_logs_and_an_explicit_timeout(
    stack_plans: dict[str, Plan], stack: str
) -> None:
    for resource in stack_plans[stack].of_type(FUNCTION):
        inputs = resource.inputs
        assert inputs["architectures"] == ["arm64"]
        assert inputs["tracingConfig"] == {"mode": "Active"}
        assert inputs["loggingConfig"]["logFormat"] == "JSON"
        assert inputs["timeout"] > 3
        assert inputs["publish"] is True


@pytest.mark.parametrize("stack", stacks_with("functions"))
def test_every_execution_policy_is_least_privilege(stack_plans: dict[str, Plan], stack: str) -> None:
    policies = [r for r in stack_plans[stack].of_type("aws:iam/rolePolicy:RolePolicy") if r.name.startswith("fn-")]
    assert len(policies) == 4  # three functions and the clean-up's scheduler
    for resource in policies:
        assert_least_privilege(resource.inputs["policy"])


@pytest.mark.parametrize("stack", stacks_with("functions"))
def test_api_url_requires_iam_and_nothing_is_public(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    assert plan.named("fn-api-url").inputs["authorizationType"] == "AWS_IAM"
    principals = {r.inputs["principal"] for r in plan.of_type("aws:lambda/permission:Permission")}
    assert "*" not in principals
    assert all(r.inputs.get("sourceArn") for r in plan.of_type("aws:lambda/permission:Permission"))


@pytest.mark.parametrize("stack", stacks_with("functions"))
def test_worker_reads_its_queue_with_partial_batch_responses(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    mapping = plan.named("fn-worker-sqs").inputs
    assert mapping["functionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["functionName"] == plan.outputs["functionAliasArns"]["worker"]
    queue = plan.named("fn-worker-queue").inputs
    assert queue["visibilityTimeoutSeconds"] == 6 * function(plan, "worker").inputs["timeout"]
    assert json.loads(queue["redrivePolicy"])["deadLetterTargetArn"] == plan.named("fn-worker-dlq").state["arn"]


@pytest.mark.parametrize("stack", stacks_with("functions"))
def test_cleanup_runs_nightly_through_the_scheduler(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    schedule = plan.named("fn-cleanup-schedule").inputs
    assert schedule["scheduleExpression"] == "cron(0 3 * * ? *)"
    assert schedule["target"]["arn"] == plan.outputs["functionAliasArns"]["cleanup"]


def test_dev_is_cheaper_only_through_its_knobs(dev_plan: Plan) -> None:
    assert {function(dev_plan, k).inputs["memorySize"] for k in ("api", "worker")} == {256}
    assert not dev_plan.of_type("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig")
    assert all("vpcConfig" not in r.inputs for r in dev_plan.of_type(FUNCTION))
    assert all("snapStart" not in r.inputs for r in dev_plan.of_type(FUNCTION))


def test_dev_logs_keep_two_weeks(dev_plan: Plan) -> None:
    retention = {r.name: r.inputs["retentionInDays"] for r in dev_plan.of_type("aws:cloudwatch/logGroup:LogGroup")}
    assert {name: days for name, days in retention.items() if name.startswith("fn-")} == {
        "fn-api-logs": 14,
        "fn-worker-logs": 14,
        "fn-cleanup-logs": 14,
    }


def test_prod_api_keeps_warm_capacity_on_its_alias(prod_plan: Plan) -> None:
    config = prod_plan.named("fn-api-provisioned").inputs
    assert (config["qualifier"], config["provisionedConcurrentExecutions"]) == ("live", 2)
    assert function(prod_plan, "api").inputs["reservedConcurrentExecutions"] == 100


def test_prod_api_and_worker_run_in_private_subnets_with_egress_only(prod_plan: Plan) -> None:
    private = prod_plan.outputs["privateSubnetIds"]
    for key in ("api", "worker"):
        vpc = function(prod_plan, key).inputs["vpcConfig"]
        group = prod_plan.named(f"fn-{key}-sg")
        assert vpc == {"subnetIds": private, "securityGroupIds": [group.id]}
        egress = prod_plan.named(f"fn-{key}-egress-443").inputs
        assert (egress["securityGroupId"], egress["fromPort"], egress["toPort"]) == (group.id, 443, 443)
    assert "vpcConfig" not in function(prod_plan, "cleanup").inputs


def test_prod_cleanup_uses_snapstart_and_powertools(prod_plan: Plan) -> None:
    inputs = function(prod_plan, "cleanup").inputs
    assert inputs["snapStart"] == {"applyOn": "PublishedVersions"}
    assert inputs["layers"] == [
        "arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:27"
    ]
    assert inputs["environment"]["variables"]["POWERTOOLS_SERVICE_NAME"] == "cleanup"
    failures = prod_plan.named("fn-cleanup-async").inputs["destinationConfig"]["onFailure"]["destination"]
    assert failures == prod_plan.named("fn-cleanup-failures").state["arn"]


def test_prod_worker_batches_with_a_window(prod_plan: Plan) -> None:
    mapping = prod_plan.named("fn-worker-sqs").inputs
    assert (mapping["batchSize"], mapping["maximumBatchingWindowInSeconds"]) == (50, 5)
    assert mapping["scalingConfig"] == {"maximumConcurrency": 50}


LAYER = "arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:27"
COMMON_LAYER = "arn:aws:lambda:us-east-1:123456789012:layer:aws-compute-{stack}-common:1"
COMMON = {
    "packageType": "Zip",
    "handler": "handler.handler",
    "runtime": "python3.13",
    "architectures": ["arm64"],
    "ephemeralStorage": {"size": 512},
    "publish": True,
    "tracingConfig": {"mode": "Active"},
}
API_DESCRIPTION = "HTTP API behind an IAM-authenticated function URL"
WORKER_DESCRIPTION = "Order worker fed by its own SQS queue, with partial batch responses"
CLEANUP_DESCRIPTION = "Nightly clean-up invoked by EventBridge Scheduler"
POWERTOOLS_API = {"POWERTOOLS_SERVICE_NAME": "api", "POWERTOOLS_METRICS_NAMESPACE": "AwsCompute"}

#: Every configured input of every function, per stage (computed ones are checked elsewhere).
EXPECTED: dict[tuple[str, str], dict[str, object]] = {
    ("dev", "api"): {
        "description": API_DESCRIPTION,
        "memorySize": 256,
        "timeout": 10,
        "layers": [LAYER, COMMON_LAYER.format(stack="dev")],
        "environment": {"variables": {"STAGE": "dev", **POWERTOOLS_API}},
        "logLevels": ("DEBUG", "INFO"),
    },
    ("dev", "worker"): {
        "description": WORKER_DESCRIPTION,
        "memorySize": 256,
        "timeout": 30,
        "reservedConcurrentExecutions": 5,
        "logLevels": ("INFO", "INFO"),
    },
    ("dev", "cleanup"): {
        "description": CLEANUP_DESCRIPTION,
        "memorySize": 128,
        "timeout": 60,
        "logLevels": ("INFO", "INFO"),
    },
    ("apps-prod", "api"): {
        "description": API_DESCRIPTION,
        "memorySize": 1024,
        "timeout": 10,
        "reservedConcurrentExecutions": 100,
        "layers": [LAYER, COMMON_LAYER.format(stack="apps-prod")],
        "environment": {"variables": {"STAGE": "prod", **POWERTOOLS_API}},
        "logLevels": ("INFO", "INFO"),
        "vpc": True,
    },
    ("apps-prod", "worker"): {
        "description": WORKER_DESCRIPTION,
        "memorySize": 512,
        "timeout": 30,
        "reservedConcurrentExecutions": 50,
        "logLevels": ("INFO", "INFO"),
        "vpc": True,
    },
    ("apps-prod", "cleanup"): {
        "description": CLEANUP_DESCRIPTION,
        "memorySize": 256,
        "timeout": 120,
        "snapStart": {"applyOn": "PublishedVersions"},
        "layers": [LAYER],
        "environment": {
            "variables": {"POWERTOOLS_SERVICE_NAME": "cleanup", "POWERTOOLS_METRICS_NAMESPACE": "AwsCompute"}
        },
        "logLevels": ("INFO", "INFO"),
    },
}


@pytest.mark.parametrize(("stack", "key"), sorted(EXPECTED))
def test_function_inputs_are_exactly_the_configured_ones(stack_plans: dict[str, Plan], stack: str, key: str) -> None:
    plan = stack_plans[stack]
    inputs = dict(function(plan, key).inputs)
    expected = dict(EXPECTED[stack, key])
    application, system = cast(tuple[str, str], expected.pop("logLevels"))
    in_vpc = expected.pop("vpc", False)
    log_group = plan.named(f"fn-{key}-logs").state["name"]
    assert inputs.pop("loggingConfig") == {
        "logFormat": "JSON",
        "logGroup": log_group,
        "applicationLogLevel": application,
        "systemLogLevel": system,
    }
    assert ("vpcConfig" in inputs) == in_vpc
    assert inputs["code"].path == f"functions/{key}"
    assert inputs["role"] == plan.named(f"fn-{key}-role").state["arn"]
    rest = {k: v for k, v in inputs.items() if k not in ("code", "role", "tags", "vpcConfig")}
    assert rest == COMMON | expected


def test_json_plan_names_each_zip_by_its_source_directory(dev_plan: Plan) -> None:
    resources = json.loads(render.to_json(dev_plan, []))["resources"]
    codes = {r["name"]: r["inputs"]["code"] for r in resources if r["type"] == FUNCTION}
    assert codes == {f"fn-{key}-function": {"FileArchive": f"functions/{key}"} for key in ("api", "worker", "cleanup")}
