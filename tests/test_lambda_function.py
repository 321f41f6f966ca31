"""LambdaFunction built from args: exact resources and properties, and what is absent."""

from __future__ import annotations

import gc
import json
import warnings
from pathlib import Path
from typing import Any

import pytest

from components import (
    AsyncInvokeArgs,
    FunctionUrlArgs,
    ImageCode,
    LambdaFunction,
    LambdaFunctionArgs,
    PowertoolsArgs,
    ScheduleArgs,
    SqsTriggerArgs,
    Statement,
    VpcPlacement,
    ZipCode,
)
from offline import fixtures
from offline.engine import Plan, RecordedResource, run
from tests.iam_checks import assert_least_privilege, statements

API = ZipCode(path="functions/api", handler="handler.handler", runtime="python3.13")
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
PARAMETER_ARN = "arn:aws:ssm:us-east-1:123456789012:parameter/app/api-url"
TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
EC2 = "arn:aws:ec2:us-east-1:123456789012:"
READ_ONLY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
REGION_ACCOUNT = "us-east-1:123456789012"


def build(args: LambdaFunctionArgs) -> Plan:
    return run(lambda: LambdaFunction("fn", args))


def one(plan: Plan, type_: str) -> RecordedResource:
    found = plan.of_type(type_)
    assert len(found) == 1, [r.name for r in found]
    return found[0]


def policy(plan: Plan, name: str = "fn-policy") -> dict[str, Any]:
    return json.loads(plan.named(name).inputs["policy"])


def by_sid(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in statements(document) if "Sid" in s}


@pytest.fixture(scope="module")
def minimal() -> Plan:
    return build(LambdaFunctionArgs(code=API))


@pytest.fixture(scope="module")
def full() -> Plan:
    return build(
        LambdaFunctionArgs(
            code=API,
            timeout_seconds=20,
            environment={"STAGE": "test"},
            secrets={"DB_SECRET_ARN": SECRET_ARN, "API_URL_PARAMETER": PARAMETER_ARN},
            provisioned_concurrency=3,
            reserved_concurrency=20,
            powertools=PowertoolsArgs(service_name="api", metrics_namespace="Shop"),
            schedule=ScheduleArgs(expression="rate(5 minutes)", payload={"kind": "ping"}),
            sqs=SqsTriggerArgs(batch_size=20, max_batching_window_seconds=2, max_concurrency=10),
            url=FunctionUrlArgs(auth_type="NONE", cors_allowed_origins=("https://shop.example.com",)),
            async_invoke=AsyncInvokeArgs(max_retry_attempts=1, max_event_age_seconds=600, on_failure="deadLetterQueue"),
            vpc=VpcPlacement(vpc_id="vpc-123", subnet_ids=["subnet-a", "subnet-b"], egress_ports=(443, 5432)),
            policy_statements=(Statement(actions=("dynamodb:GetItem",), resources=(TABLE_ARN,)),),
            managed_policy_arns=(READ_ONLY,),
        )
    )


# ---------------------------------------------------------------- the function itself
def test_function_defaults_are_explicit_and_production_safe(minimal: Plan) -> None:
    inputs = one(minimal, "aws:lambda/function:Function").inputs
    log_group = one(minimal, "aws:cloudwatch/logGroup:LogGroup")
    assert {k: v for k, v in inputs.items() if k not in ("code", "role")} == {
        "packageType": "Zip",
        "handler": "handler.handler",
        "runtime": "python3.13",
        "architectures": ["arm64"],
        "memorySize": 1024,
        "timeout": 30,
        "ephemeralStorage": {"size": 512},
        "publish": True,
        "tracingConfig": {"mode": "Active"},
        "loggingConfig": {
            "logFormat": "JSON",
            "logGroup": log_group.state["name"],
            "applicationLogLevel": "INFO",
            "systemLogLevel": "INFO",
        },
    }


def test_zip_is_built_from_the_source_directory(minimal: Plan) -> None:
    assert one(minimal, "aws:lambda/function:Function").inputs["code"].path == "functions/api"


def test_log_group_has_retention_and_a_lambda_path(minimal: Plan) -> None:
    assert one(minimal, "aws:cloudwatch/logGroup:LogGroup").inputs == {
        "namePrefix": "/aws/lambda/fn-",
        "retentionInDays": 90,
    }


def test_alias_points_at_the_published_version(minimal: Plan) -> None:
    function = one(minimal, "aws:lambda/function:Function")
    alias = one(minimal, "aws:lambda/alias:Alias").inputs
    assert (alias["name"], alias["functionName"], alias["functionVersion"]) == (
        "live",
        function.state["name"],
        function.state["version"],
    )


def test_async_failures_go_to_a_destination_queue_by_default(minimal: Plan) -> None:
    queue = one(minimal, "aws:sqs/queue:Queue")
    assert queue.inputs == {"messageRetentionSeconds": 1_209_600, "sqsManagedSseEnabled": True}
    config = one(minimal, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig").inputs
    assert config["qualifier"] == "live"
    assert (config["maximumRetryAttempts"], config["maximumEventAgeInSeconds"]) == (2, 21_600)
    assert config["destinationConfig"] == {"onFailure": {"destination": queue.state["arn"]}}


def test_minimal_function_has_no_triggers_network_or_extras(minimal: Plan) -> None:
    types = {r.type for r in minimal.resources}
    for absent in (
        "aws:lambda/eventSourceMapping:EventSourceMapping",
        "aws:lambda/functionUrl:FunctionUrl",
        "aws:lambda/permission:Permission",
        "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
        "aws:scheduler/schedule:Schedule",
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    ):
        assert absent not in types
    assert len(minimal.of_type("aws:iam/role:Role")) == 1


def test_execution_role_is_assumed_by_lambda_only(minimal: Plan) -> None:
    trust = json.loads(one(minimal, "aws:iam/role:Role").inputs["assumeRolePolicy"])
    assert trust["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]


def test_minimal_policy_writes_only_its_own_logs(minimal: Plan) -> None:
    document = policy(minimal)
    log_group_arn = one(minimal, "aws:cloudwatch/logGroup:LogGroup").state["arn"]
    queue_arn = one(minimal, "aws:sqs/queue:Queue").state["arn"]
    assert by_sid(document) == {
        "WriteOwnLogs": {
            "Sid": "WriteOwnLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": [f"{log_group_arn}:*"],
        },
        "Tracing": {
            "Sid": "Tracing",
            "Effect": "Allow",
            "Action": ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
            "Resource": ["*"],
        },
        "SendFailedEvents": {
            "Sid": "SendFailedEvents",
            "Effect": "Allow",
            "Action": ["sqs:SendMessage"],
            "Resource": [queue_arn],
        },
    }
    assert_least_privilege(document)


def test_component_outputs_are_registered_in_camel_case(minimal: Plan) -> None:
    component = one(minimal, "aws-compute:lambda_function:LambdaFunction")
    outputs = minimal.component_outputs[component.urn]
    assert outputs["aliasArn"].endswith(":live")
    assert outputs["functionName"] == one(minimal, "aws:lambda/function:Function").state["name"]
    assert {"functionArn", "roleArn", "logGroupName", "aliasName"} <= set(outputs)


# ---------------------------------------------------------------- every knob at once
def test_full_function_wires_concurrency_environment_layer_and_vpc(full: Plan) -> None:
    inputs = one(full, "aws:lambda/function:Function").inputs
    group = one(full, "aws:ec2/securityGroup:SecurityGroup")
    failures = full.named("fn-failures")
    assert inputs["reservedConcurrentExecutions"] == 20
    assert inputs["timeout"] == 20
    assert inputs["environment"] == {
        "variables": {
            "STAGE": "test",
            "DB_SECRET_ARN": SECRET_ARN,
            "API_URL_PARAMETER": PARAMETER_ARN,
            "POWERTOOLS_SERVICE_NAME": "api",
            "POWERTOOLS_METRICS_NAMESPACE": "Shop",
        }
    }
    assert inputs["layers"] == [
        "arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:27"
    ]
    assert inputs["vpcConfig"] == {"subnetIds": ["subnet-a", "subnet-b"], "securityGroupIds": [group.id]}
    assert inputs["deadLetterConfig"] == {"targetArn": failures.state["arn"]}


def test_dead_letter_mode_sets_no_destination(full: Plan) -> None:
    config = one(full, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig").inputs
    assert "destinationConfig" not in config
    assert (config["maximumRetryAttempts"], config["maximumEventAgeInSeconds"]) == (1, 600)


def test_security_group_allows_listed_egress_and_no_ingress(full: Plan) -> None:
    group = one(full, "aws:ec2/securityGroup:SecurityGroup")
    assert group.inputs["vpcId"] == "vpc-123"
    assert "ingress" not in group.inputs
    assert not full.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    rules = sorted(
        (
            r.inputs["fromPort"],
            r.inputs["toPort"],
            r.inputs["ipProtocol"],
            r.inputs["cidrIpv4"],
            r.inputs["securityGroupId"],
        )
        for r in full.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
    )
    assert rules == [(443, 443, "tcp", "0.0.0.0/0", group.id), (5432, 5432, "tcp", "0.0.0.0/0", group.id)]


def test_provisioned_concurrency_is_on_the_alias(full: Plan) -> None:
    config = one(full, "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig").inputs
    assert (config["qualifier"], config["provisionedConcurrentExecutions"]) == ("live", 3)


def test_created_queue_has_a_dlq_and_six_times_the_timeout_as_visibility(full: Plan) -> None:
    queue, dlq = full.named("fn-queue"), full.named("fn-dlq")
    assert queue.inputs["visibilityTimeoutSeconds"] == 120
    assert queue.inputs["sqsManagedSseEnabled"] is True
    assert json.loads(queue.inputs["redrivePolicy"]) == {"deadLetterTargetArn": dlq.state["arn"], "maxReceiveCount": 5}
    assert dlq.inputs == {"messageRetentionSeconds": 1_209_600, "sqsManagedSseEnabled": True}


def test_event_source_mapping_reads_the_queue_into_the_alias(full: Plan) -> None:
    mapping = one(full, "aws:lambda/eventSourceMapping:EventSourceMapping").inputs
    assert mapping == {
        "eventSourceArn": full.named("fn-queue").state["arn"],
        "functionName": one(full, "aws:lambda/alias:Alias").state["arn"],
        "batchSize": 20,
        "maximumBatchingWindowInSeconds": 2,
        "functionResponseTypes": ["ReportBatchItemFailures"],
        "scalingConfig": {"maximumConcurrency": 10},
    }


def test_public_url_is_explicit_with_both_permissions(full: Plan) -> None:
    url = one(full, "aws:lambda/functionUrl:FunctionUrl").inputs
    assert (url["authorizationType"], url["qualifier"], url["invokeMode"]) == ("NONE", "live", "BUFFERED")
    assert url["cors"] == {"allowOrigins": ["https://shop.example.com"], "allowMethods": ["GET"], "maxAge": 300}
    permissions = {r.name: r.inputs for r in full.of_type("aws:lambda/permission:Permission")}
    function_name = one(full, "aws:lambda/function:Function").state["name"]
    assert permissions == {
        "fn-url-public": {
            "function": function_name,
            "qualifier": "live",
            "action": "lambda:InvokeFunctionUrl",
            "principal": "*",
            "functionUrlAuthType": "NONE",
        },
        "fn-url-public-invoke": {
            "function": function_name,
            "qualifier": "live",
            "action": "lambda:InvokeFunction",
            "principal": "*",
            "invokedViaFunctionUrl": True,
        },
    }


def test_function_and_schedule_wait_for_the_permissions_aws_checks_at_creation(full: Plan) -> None:
    # CreateFunction checks the role may manage VPC ENIs and send to the DLQ; a schedule's
    # first run needs its role's policy.
    function = one(full, "aws:lambda/function:Function")
    assert {full.named("fn-policy").urn, full.named("fn-managed-AmazonS3ReadOnlyAccess").urn} <= function.dependencies
    schedule = one(full, "aws:scheduler/schedule:Schedule")
    assert full.named("fn-scheduler-policy").urn in schedule.dependencies


def test_schedule_invokes_the_alias_through_its_own_role(full: Plan) -> None:
    alias_arn = one(full, "aws:lambda/alias:Alias").state["arn"]
    role = full.named("fn-scheduler-role")
    schedule = one(full, "aws:scheduler/schedule:Schedule").inputs
    assert schedule["scheduleExpression"] == "rate(5 minutes)"
    assert schedule["scheduleExpressionTimezone"] == "UTC"
    assert schedule["state"] == "ENABLED"
    assert schedule["flexibleTimeWindow"] == {"mode": "OFF"}
    assert schedule["target"] == {
        "arn": alias_arn,
        "roleArn": role.state["arn"],
        "input": '{"kind": "ping"}',
        "retryPolicy": {"maximumRetryAttempts": 2, "maximumEventAgeInSeconds": 3600},
    }
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust["Condition"] == {
        "StringEquals": {
            "aws:SourceAccount": "123456789012",
            "aws:SourceArn": "arn:aws:scheduler:us-east-1:123456789012:schedule-group/default",
        }
    }


def test_scheduler_may_invoke_exactly_the_alias(full: Plan) -> None:
    document = policy(full, "fn-scheduler-policy")
    assert statements(document) == [
        {
            "Sid": "InvokeAlias",
            "Effect": "Allow",
            "Action": ["lambda:InvokeFunction"],
            "Resource": [one(full, "aws:lambda/alias:Alias").state["arn"]],
        }
    ]
    assert_least_privilege(document)


def test_full_policy_grants_exactly_what_the_function_uses(full: Plan) -> None:
    document = policy(full)
    grants = {sid: (s["Action"], s["Resource"]) for sid, s in by_sid(document).items() if sid != "WriteOwnLogs"}
    extra = [s for s in statements(document) if "Sid" not in s]
    assert grants == {
        "Tracing": (["xray:PutTelemetryRecords", "xray:PutTraceSegments"], ["*"]),
        "DescribeNetworkInterfaces": (["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"], ["*"]),
        "CreateNetworkInterfacesInThisVpc": (
            ["ec2:CreateNetworkInterface"],
            [f"{EC2}network-interface/*", f"{EC2}subnet/*", f"{EC2}security-group/*"],
        ),
        "ManageNetworkInterfacesInThisVpc": (
            ["ec2:AssignPrivateIpAddresses", "ec2:DeleteNetworkInterface", "ec2:UnassignPrivateIpAddresses"],
            [f"{EC2}network-interface/*"],
        ),
        "DenyNetworkInterfacesToFunctionCode": (
            [
                "ec2:AssignPrivateIpAddresses",
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:UnassignPrivateIpAddresses",
            ],
            ["*"],
        ),
        "ReadTriggerQueue": (
            ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
            [full.named("fn-queue").state["arn"]],
        ),
        "SendFailedEvents": (["sqs:SendMessage"], [full.named("fn-failures").state["arn"]]),
        "ReadSecrets": (["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], [SECRET_ARN]),
        "ReadParameters": (["ssm:GetParameter", "ssm:GetParameters"], [PARAMETER_ARN]),
    }
    assert extra == [{"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": [TABLE_ARN]}]
    assert_least_privilege(document)


def test_network_interfaces_are_managed_in_the_function_vpc_only_and_never_by_its_code(full: Plan) -> None:
    statements_by_sid = by_sid(policy(full))
    in_this_vpc = {"ArnEquals": {"ec2:Vpc": f"{EC2}vpc/vpc-123"}}
    assert statements_by_sid["CreateNetworkInterfacesInThisVpc"]["Condition"] == {
        "ArnEqualsIfExists": in_this_vpc["ArnEquals"]
    }
    assert statements_by_sid["ManageNetworkInterfacesInThisVpc"]["Condition"] == in_this_vpc
    deny = statements_by_sid["DenyNetworkInterfacesToFunctionCode"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Null": {"lambda:SourceFunctionArn": "false"}}
    allowed_on_any = {
        action
        for statement in statements_by_sid.values()
        if statement["Effect"] == "Allow" and statement["Resource"] == ["*"]
        for action in statement["Action"]
    }
    assert not {
        action for action in allowed_on_any if action.startswith("ec2:") and not action.startswith("ec2:Describe")
    }


def test_a_function_outside_a_vpc_gets_no_network_interface_grant() -> None:
    document = policy(build(LambdaFunctionArgs(code=API)))
    assert not [s for s in statements(document) if any(a.startswith("ec2:") for a in s["Action"])]


def test_managed_policies_are_attached_to_the_role(full: Plan) -> None:
    attachment = one(full, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs
    assert attachment == {"role": full.named("fn-role").state["name"], "policyArn": READ_ONLY}


# ---------------------------------------------------------------- variants
def test_powertools_layer_outside_the_aws_partition_stops_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    # The layer's publisher account exists in the aws partition only; in GovCloud the ARN
    # would name a layer that does not exist and CreateFunction would fail mid-update.
    gov = {"id": "aws-us-gov", "partition": "aws-us-gov", "dnsSuffix": "amazonaws.com"}
    monkeypatch.setitem(fixtures._INVOKES, "aws:index/getPartition:getPartition", lambda region, args: gov)
    tools = PowertoolsArgs(service_name="api", metrics_namespace="Shop")
    with warnings.catch_warnings(record=True) as reported:
        warnings.simplefilter("always")
        with pytest.raises(Exception, match="exists in the aws partition only, not in aws-us-gov"):
            build(LambdaFunctionArgs(code=API, powertools=tools))
        run(lambda: None)  # the next run lets go of what the failed one left
        gc.collect()
    # The failed run's pending tasks ended with it (offline.engine._end_leftovers): the
    # collector finds no coroutine it never started ("... was never awaited") in a later run.
    assert [str(w.message) for w in reported] == []


def test_snap_start_applies_to_published_versions() -> None:
    plan = build(LambdaFunctionArgs(code=API, snap_start=True))
    assert one(plan, "aws:lambda/function:Function").inputs["snapStart"] == {"applyOn": "PublishedVersions"}


def test_no_failure_handling_creates_no_queue() -> None:
    plan = build(LambdaFunctionArgs(code=API, async_invoke=AsyncInvokeArgs(on_failure="none")))
    assert not plan.of_type("aws:sqs/queue:Queue")
    assert "destinationConfig" not in one(plan, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig").inputs
    assert "SendFailedEvents" not in by_sid(policy(plan))


def test_existing_queue_is_read_without_creating_queues() -> None:
    existing = "arn:aws:sqs:us-east-1:123456789012:orders"
    plan = build(
        LambdaFunctionArgs(
            code=API,
            sqs=SqsTriggerArgs(existing_queue_arn=existing),
            async_invoke=AsyncInvokeArgs(on_failure="none"),
        )
    )
    assert not plan.of_type("aws:sqs/queue:Queue")
    assert one(plan, "aws:lambda/eventSourceMapping:EventSourceMapping").inputs["eventSourceArn"] == existing
    assert by_sid(policy(plan))["ReadTriggerQueue"]["Resource"] == [existing]


def test_iam_url_needs_no_resource_policy() -> None:
    plan = build(LambdaFunctionArgs(code=API, url=FunctionUrlArgs()))
    assert one(plan, "aws:lambda/functionUrl:FunctionUrl").inputs["authorizationType"] == "AWS_IAM"
    assert not plan.of_type("aws:lambda/permission:Permission")


def test_registry_image_is_deployed_without_runtime_or_layers() -> None:
    uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/worker@sha256:" + "a" * 64
    plan = build(LambdaFunctionArgs(code=ImageCode(image_uri=uri, command=("app.handler",))))
    inputs = one(plan, "aws:lambda/function:Function").inputs
    assert (inputs["packageType"], inputs["imageUri"]) == ("Image", uri)
    assert inputs["imageConfig"] == {"commands": ["app.handler"]}
    assert not {"runtime", "handler", "layers", "code"} & set(inputs)
    assert not plan.of_type("aws:ecr/repository:Repository")


def test_dockerfile_is_built_for_the_function_architecture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "Dockerfile").write_text("FROM public.ecr.aws/lambda/python:3.13\n")
    monkeypatch.chdir(tmp_path)
    plan = build(LambdaFunctionArgs(code=ImageCode(build_context="img"), architecture="x86_64"))
    repository = one(plan, "aws:ecr/repository:Repository")
    image = one(plan, "awsx:ecr:Image")
    assert repository.inputs["imageScanningConfiguration"] == {"scanOnPush": True}
    assert (image.inputs["context"], image.inputs["platform"]) == ("img", "linux/amd64")
    assert image.inputs["repositoryUrl"] == repository.state["repositoryUrl"]
    function = one(plan, "aws:lambda/function:Function").inputs
    assert (function["imageUri"], function["architectures"]) == (image.state["imageUri"], ["x86_64"])


def test_a_runtime_close_to_deprecation_warns_on_deploy() -> None:
    plan = build(LambdaFunctionArgs(code=ZipCode(path="functions/api", handler="index.handler", runtime="nodejs22.x")))
    assert plan.warnings == ["fn: nodejs22.x is deprecated on 2027-04-30; move to nodejs24.x before then"]


def test_a_runtime_far_from_deprecation_does_not_warn(minimal: Plan) -> None:
    assert minimal.warnings == []
