"""Every LambdaFunctionArgs rule, broken once: from the args (ValueError) and from the stack file."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import stage
from components import (
    ArgsError,
    AsyncInvokeArgs,
    FunctionUrlArgs,
    ImageCode,
    LambdaFunctionArgs,
    PowertoolsArgs,
    ScheduleArgs,
    SqsTriggerArgs,
    Statement,
    VpcPlacement,
    ZipCode,
)
from components.lambda_runtimes import DEPRECATED, SUPPORTED, deprecation_notice, replacement
from components.schedules import schedule_problems
from components.secret_refs import secret_like

ZIP = {"kind": "zip", "path": "functions/api", "handler": "handler.handler", "runtime": "python3.13"}
ECR_URI = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0"
SQS_ARN = "arn:aws:sqs:us-east-1:123456789012:orders"


def zip_code(**changes: str) -> ZipCode:
    values = {k: v for k, v in ZIP.items() if k != "kind"} | changes
    return ZipCode(**values)


def zip_config(**changes: str) -> dict[str, Any]:
    return ZIP | changes


def sqs(**kwargs: Any) -> SqsTriggerArgs:
    return SqsTriggerArgs(**kwargs)


def schedule(expression: str = "rate(1 hour)", **kwargs: Any) -> ScheduleArgs:
    return ScheduleArgs(expression=expression, **kwargs)


TOOLS = PowertoolsArgs(service_name="api", metrics_namespace="Shop")
TOOLS_CONFIG = {"serviceName": "api", "metricsNamespace": "Shop"}

#: (id, LambdaFunctionArgs kwargs, function config keys, YAML key under the function, message fragment)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, str]] = [
    ("deprecated runtime", {"code": zip_code(runtime="python3.8")}, {"code": zip_config(runtime="python3.8")},
     "code.runtime", "'python3.8' is deprecated"),
    ("unknown runtime", {"code": zip_code(runtime="python4.0")}, {"code": zip_config(runtime="python4.0")},
     "code.runtime", "not a Lambda runtime"),
    ("missing source directory", {"code": zip_code(path="functions/nope")}, {"code": zip_config(path="functions/nope")},
     "code.path", "not a directory"),
    ("handler module missing", {"code": zip_code(handler="main.handler")}, {"code": zip_config(handler="main.handler")},
     "code.handler", "functions/api/main.py does not exist"),
    ("handler without function", {"code": zip_code(handler="handler")}, {"code": zip_config(handler="handler")},
     "code.handler", "write module.function"),
    ("image without source", {"code": ImageCode()}, {"code": {"kind": "image"}},
     "code", "exactly one of image_uri"),
    ("image outside ECR", {"code": ImageCode(image_uri="docker.io/library/python:3.13")},
     {"code": {"kind": "image", "imageUri": "docker.io/library/python:3.13"}},
     "code.imageUri", "only from Amazon ECR"),
    ("build context without Dockerfile", {"code": ImageCode(build_context="functions/api")},
     {"code": {"kind": "image", "buildContext": "functions/api"}}, "code.buildContext", "no Dockerfile"),
    ("memory too small", {"memory_mb": 64}, {"memoryMb": 64}, "memoryMb", "64 MB is out of range; use 128 to 10240"),
    ("timeout too long", {"timeout_seconds": 901}, {"timeoutSeconds": 901}, "timeoutSeconds", "use 1 to 900 s"),
    ("ephemeral storage too big", {"ephemeral_storage_mb": 11_000}, {"ephemeralStorageMb": 11_000},
     "ephemeralStorageMb", "use 512 to 10240 MB"),
    ("reserved variable", {"environment": {"AWS_REGION": "x"}}, {"environment": {"AWS_REGION": "x"}},
     "environment", "reserved by Lambda"),
    ("invalid variable name", {"environment": {"1X": "x"}}, {"environment": {"1X": "x"}},
     "environment", "not a valid variable name"),
    ("secret-like name", {"environment": {"DB_PASSWORD": "x"}}, {"environment": {"DB_PASSWORD": "x"}},
     "environment", "names a secret"),
    ("access key value", {"environment": {"KEY_ID": "AKIAABCDEFGHIJKLMNOP"}},
     {"environment": {"KEY_ID": "AKIAABCDEFGHIJKLMNOP"}}, "environment", "an AWS access key id"),
    ("random token value", {"environment": {"BLOB": "q8Zr2LmX9vTb4NcW7yKp3HdF6sJg1QeA5uRo0Vi"}},
     {"environment": {"BLOB": "q8Zr2LmX9vTb4NcW7yKp3HdF6sJg1QeA5uRo0Vi"}}, "environment", "a random key or token"),
    ("GitHub user token value", {"environment": {"GH": "ghu_" + "a1" * 12}},
     {"environment": {"GH": "ghu_" + "a1" * 12}}, "environment", "a GitHub token"),
    ("secret name with a value that only starts like an ARN", {"environment": {"DB_PASSWORD": "arn:hunter2"}},
     {"environment": {"DB_PASSWORD": "arn:hunter2"}}, "environment", "names a secret"),
    ("secret that is no ARN", {"secrets": {"DB": "db-password"}}, {"secrets": {"DB": "db-password"}},
     "secrets", "neither a Secrets Manager secret ARN"),
    ("secret shadowing a variable",
     {"environment": {"DB": "x"}, "secrets": {"DB": "arn:aws:ssm:us-east-1:123456789012:parameter/db"}},
     {"environment": {"DB": "x"}, "secrets": {"DB": "arn:aws:ssm:us-east-1:123456789012:parameter/db"}},
     "secrets", "also set in environment"),
    ("environment over 4 KB", {"environment": {f"V{i}": "word " * 20 for i in range(50)}},
     {"environment": {f"V{i}": "word " * 20 for i in range(50)}}, "environment", "Lambda allows 4096"),
    ("SnapStart on an unsupported runtime", {"code": zip_code(runtime="nodejs22.x"), "snap_start": True},
     {"code": zip_config(runtime="nodejs22.x"), "snapStart": True}, "snapStart", "SnapStart supports Java 11+"),
    ("SnapStart on an image", {"code": ImageCode(image_uri=ECR_URI), "snap_start": True},
     {"code": {"kind": "image", "imageUri": ECR_URI}, "snapStart": True}, "snapStart", "container images"),
    ("SnapStart with provisioned concurrency", {"snap_start": True, "provisioned_concurrency": 1},
     {"snapStart": True, "provisionedConcurrency": 1}, "snapStart", "cannot be combined with provisioned"),
    ("SnapStart with large ephemeral storage", {"snap_start": True, "ephemeral_storage_mb": 1024},
     {"snapStart": True, "ephemeralStorageMb": 1024}, "snapStart", "at most 512 MB"),
    ("negative provisioned concurrency", {"provisioned_concurrency": -1}, {"provisionedConcurrency": -1},
     "provisionedConcurrency", "0 (none) or more"),
    ("zero reserved concurrency", {"reserved_concurrency": 0}, {"reservedConcurrency": 0},
     "reservedConcurrency", "at least 1"),
    ("provisioned above reserved", {"provisioned_concurrency": 5, "reserved_concurrency": 2},
     {"provisionedConcurrency": 5, "reservedConcurrency": 2}, "provisionedConcurrency", "exceeds reserved"),
    ("numeric alias", {"alias_name": "123"}, {"aliasName": "123"}, "aliasName", "not only digits"),
    ("description over 256 characters", {"description": "d" * 257}, {"description": "d" * 257},
     "description", "257 characters; Lambda takes at most 256"),
    ("log retention", {"log_retention_days": 10}, {"logRetentionDays": 10},
     "logRetentionDays", "not a CloudWatch Logs retention period"),
    ("Powertools on Node.js", {"code": zip_code(runtime="nodejs22.x"), "powertools": TOOLS},
     {"code": zip_config(runtime="nodejs22.x"), "powertools": TOOLS_CONFIG}, "powertools", "layer exists for"),
    ("Powertools on an image", {"code": ImageCode(image_uri=ECR_URI), "powertools": TOOLS},
     {"code": {"kind": "image", "imageUri": ECR_URI}, "powertools": TOOLS_CONFIG}, "powertools", "cannot use layers"),
    ("Powertools without a service", {"powertools": PowertoolsArgs(service_name="", metrics_namespace="S")},
     {"powertools": {"serviceName": "", "metricsNamespace": "S"}}, "powertools", "name the service_name"),
    ("Powertools layer version",
     {"powertools": PowertoolsArgs(service_name="a", metrics_namespace="S", layer_version=0)},
     {"powertools": TOOLS_CONFIG | {"layerVersion": 0}}, "powertools.layerVersion", "start at 1"),
    ("schedule that is no expression", {"schedule": schedule("every 5 minutes")},
     {"schedule": {"expression": "every 5 minutes"}}, "schedule.expression", "is not a schedule"),
    ("rate with a plural of one", {"schedule": schedule("rate(1 minutes)")},
     {"schedule": {"expression": "rate(1 minutes)"}}, "schedule.expression", "'rate(1 minute)'"),
    ("rate of zero", {"schedule": schedule("rate(0 minutes)")},
     {"schedule": {"expression": "rate(0 minutes)"}}, "schedule.expression", "at least 1"),
    ("cron with five fields", {"schedule": schedule("cron(0 9 * * ?)")},
     {"schedule": {"expression": "cron(0 9 * * ?)"}}, "schedule.expression", "cron takes 6 fields"),
    ("cron without a question mark", {"schedule": schedule("cron(0 9 * * MON *)")},
     {"schedule": {"expression": "cron(0 9 * * MON *)"}}, "schedule.expression", "exactly one of day-of-month"),
    ("cron with a bad minutes field", {"schedule": schedule("cron(x 9 * * ? *)")},
     {"schedule": {"expression": "cron(x 9 * * ? *)"}}, "schedule.expression", "minutes field 'x' is invalid"),
    ("schedule time zone", {"schedule": schedule(timezone="Mars/Olympus")},
     {"schedule": {"expression": "rate(1 hour)", "timezone": "Mars/Olympus"}}, "schedule.timezone", "IANA"),
    ("schedule retries", {"schedule": schedule(max_retry_attempts=186)},
     {"schedule": {"expression": "rate(1 hour)", "maxRetryAttempts": 186}}, "schedule.maxRetryAttempts", "0 to 185"),
    ("schedule event age", {"schedule": schedule(max_event_age_seconds=30)},
     {"schedule": {"expression": "rate(1 hour)", "maxEventAgeSeconds": 30}}, "schedule.maxEventAgeSeconds", "60 to"),
    ("batch size zero", {"sqs": sqs(batch_size=0)}, {"sqs": {"batchSize": 0}}, "sqs.batchSize", "1 to 10000"),
    ("FIFO batch above ten", {"sqs": sqs(existing_queue_arn=SQS_ARN + ".fifo", batch_size=11)},
     {"sqs": {"existingQueueArn": SQS_ARN + ".fifo", "batchSize": 11}}, "sqs.batchSize", "1 to 10"),
    ("FIFO batching window", {"sqs": sqs(existing_queue_arn=SQS_ARN + ".fifo", max_batching_window_seconds=5)},
     {"sqs": {"existingQueueArn": SQS_ARN + ".fifo", "maxBatchingWindowSeconds": 5}},
     "sqs.maxBatchingWindowSeconds", "FIFO queues take no batching window"),
    ("batching window too long", {"sqs": sqs(max_batching_window_seconds=301)},
     {"sqs": {"maxBatchingWindowSeconds": 301}}, "sqs.maxBatchingWindowSeconds", "0 to 300 s"),
    ("large batch without window", {"sqs": sqs(batch_size=20)}, {"sqs": {"batchSize": 20}},
     "sqs.maxBatchingWindowSeconds", "batching window of at least 1 s"),
    ("SQS concurrency of one", {"sqs": sqs(max_concurrency=1)}, {"sqs": {"maxConcurrency": 1}},
     "sqs.maxConcurrency", "2 to 1000"),
    ("SQS concurrency above reserved", {"sqs": sqs(max_concurrency=10), "reserved_concurrency": 5},
     {"sqs": {"maxConcurrency": 10}, "reservedConcurrency": 5}, "sqs.maxConcurrency", "exceeds reserved concurrency"),
    ("existing queue that is no ARN", {"sqs": sqs(existing_queue_arn="orders")},
     {"sqs": {"existingQueueArn": "orders"}}, "sqs.existingQueueArn", "not an SQS queue ARN"),
    ("visibility under six timeouts", {"sqs": sqs(visibility_timeout_seconds=60)},
     {"sqs": {"visibilityTimeoutSeconds": 60}}, "sqs.visibilityTimeoutSeconds",
     "under 6x the function timeout (180 s)"),
    ("visibility above twelve hours", {"sqs": sqs(visibility_timeout_seconds=50_000)},
     {"sqs": {"visibilityTimeoutSeconds": 50_000}}, "sqs.visibilityTimeoutSeconds", "0 to 43200"),
    ("receive count zero", {"sqs": sqs(max_receive_count=0)}, {"sqs": {"maxReceiveCount": 0}},
     "sqs.maxReceiveCount", "1 to 1000"),
    ("queue retention", {"sqs": sqs(message_retention_seconds=30)}, {"sqs": {"messageRetentionSeconds": 30}},
     "sqs.messageRetentionSeconds", "60 to 1209600 s"),
    ("CORS origin with a path", {"url": FunctionUrlArgs(cors_allowed_origins=("https://a.example.com/x",))},
     {"url": {"corsAllowedOrigins": ["https://a.example.com/x"]}}, "url.corsAllowedOrigins", "no path"),
    ("CORS without methods", {"url": FunctionUrlArgs(cors_allowed_origins=("*",), cors_allowed_methods=())},
     {"url": {"corsAllowedOrigins": ["*"], "corsAllowedMethods": []}}, "url.corsAllowedMethods", "list the methods"),
    ("async retries", {"async_invoke": AsyncInvokeArgs(max_retry_attempts=3)}, {"asyncInvoke": {"maxRetryAttempts": 3}},
     "asyncInvoke.maxRetryAttempts", "0 to 2"),
    ("async event age", {"async_invoke": AsyncInvokeArgs(max_event_age_seconds=30)},
     {"asyncInvoke": {"maxEventAgeSeconds": 30}}, "asyncInvoke.maxEventAgeSeconds", "60 to 21600 s"),
    ("wildcard action", {"policy_statements": (Statement(actions=("s3:*",), resources=("arn:aws:s3:::b",)),)},
     {"policyStatements": [{"actions": ["s3:*"], "resources": ["arn:aws:s3:::b"]}]}, "policyStatements[0].actions",
     "without wildcards"),
    ("resource star", {"policy_statements": (Statement(actions=("s3:GetObject",), resources=("*",)),)},
     {"policyStatements": [{"actions": ["s3:GetObject"], "resources": ["*"]}]}, "policyStatements[0].resources",
     "scope it to ARNs"),
    ("resource that is no ARN", {"policy_statements": (Statement(actions=("s3:GetObject",), resources=("orders",)),)},
     {"policyStatements": [{"actions": ["s3:GetObject"], "resources": ["orders"]}]},
     "policyStatements[0].resources", "scope it to ARNs"),
    ("empty grant", {"policy_statements": (Statement(actions=(), resources=()),)},
     {"policyStatements": [{"actions": [], "resources": []}]}, "policyStatements[0].actions",
     "needs actions and resources"),
    ("managed policy that is no ARN", {"managed_policy_arns": ("ReadOnly",)}, {"managedPolicyArns": ["ReadOnly"]},
     "managedPolicyArns", "not an IAM policy ARN"),
    ("administrator policy", {"managed_policy_arns": ("arn:aws:iam::aws:policy/AdministratorAccess",)},
     {"managedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"]}, "managedPolicyArns", "far beyond"),
    ("VPC without egress", {"vpc": VpcPlacement(vpc_id="vpc-1", subnet_ids=["s"], egress_ports=())},
     {"vpc": {"egressPorts": []}}, "vpc.egressPorts", "at least one port"),
    ("VPC egress port out of range", {"vpc": VpcPlacement(vpc_id="vpc-1", subnet_ids=["s"], egress_ports=(70_000,))},
     {"vpc": {"egressPorts": [70_000]}}, "vpc.egressPorts", "1 to 65535"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "fragment"), [(c[1], c[4]) for c in CASES], ids=[c[0] for c in CASES])
def test_args_reject(args: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ArgsError) as error:
        LambdaFunctionArgs(**({"code": zip_code()} | args))
    assert fragment in str(error.value)


@pytest.mark.parametrize(("config", "key", "fragment"), [c[2:] for c in CASES], ids=[c[0] for c in CASES])
def test_stack_file_rejects(config: dict[str, Any], key: str, fragment: str) -> None:
    parsed, lines = stage.validate({"functions": {"api": {"code": ZIP} | config}})
    assert parsed is None
    prefix = f"aws-compute:functions.api.{key}: "
    assert any(line.startswith(prefix) and fragment in line for line in lines), lines


@pytest.mark.parametrize("runtime", sorted(DEPRECATED))
def test_deprecated_runtimes_name_a_supported_replacement(runtime: str) -> None:
    assert replacement(runtime) in SUPPORTED
    with pytest.raises(ArgsError, match=f"use '{replacement(runtime)}'"):
        LambdaFunctionArgs(code=zip_code(runtime=runtime))


@pytest.mark.parametrize(("runtime", "expected"), [("python3.8", "python3.14"), ("nodejs16.x", "nodejs24.x"),
                                                   ("java8", "java25"), ("go1.x", "provided.al2023")])  # fmt: skip
def test_replacement_is_the_newest_of_the_family(runtime: str, expected: str) -> None:
    assert replacement(runtime) == expected


def test_deprecation_notice_starts_180_days_ahead() -> None:
    assert deprecation_notice("python3.12", date(2028, 5, 3)) is None
    assert deprecation_notice("python3.12", date(2028, 5, 4)) == (
        "python3.12 is deprecated on 2028-10-31; move to python3.14 before then"
    )


def test_function_names_must_be_lowercase_logical_names() -> None:
    _, lines = stage.validate({"functions": {"Bad_Name": {"code": ZIP}}})
    assert any(line.startswith("aws-compute:functions.Bad_Name") for line in lines), lines


def test_function_names_stop_where_the_scheduler_role_name_would_pass_64_characters() -> None:
    # `fn-<name>-scheduler-role` plus autonaming's 8 characters must fit IAM's 64.
    longest = "a" * 38
    assert len(f"fn-{longest}-scheduler-role") + 8 == 64
    _, lines = stage.validate({"functions": {longest: {"code": ZIP}}})
    assert not lines, lines
    _, lines = stage.validate({"functions": {longest + "a": {"code": ZIP}}})
    assert any(line.startswith(f"aws-compute:functions.{longest}a") for line in lines), lines


def test_unknown_function_keys_suggest_the_right_one() -> None:
    _, lines = stage.validate({"functions": {"api": {"code": ZIP, "timeoutSecond": 10}}})
    assert any("did you mean 'timeoutSeconds'?" in line for line in lines), lines


def test_architecture_is_arm64_or_x86_64() -> None:
    _, lines = stage.validate({"functions": {"api": {"code": ZIP, "architecture": "arm"}}})
    assert any(line.startswith("aws-compute:functions.api.architecture:") for line in lines), lines


def test_every_problem_of_a_function_is_reported_at_once() -> None:
    _, lines = stage.validate({"functions": {"api": {"code": ZIP, "memoryMb": 1, "timeoutSeconds": 0}}})
    assert len(lines) == 2


def test_a_valid_function_config_passes() -> None:
    config, lines = stage.validate({"functions": {"api": {"code": ZIP, "url": {}, "vpc": {}}}})
    assert lines == []
    assert config is not None
    assert config.functions["api"].timeout_seconds == 30


# ---------------------------------------------------------------- property tests
@given(st.integers(min_value=1, max_value=10_000), st.sampled_from(["minute", "hour", "day"]))
def test_well_formed_rates_are_accepted(value: int, unit: str) -> None:
    expression = f"rate({value} {unit}{'' if value == 1 else 's'})"
    assert schedule_problems("e", expression) == []


@given(
    st.sampled_from(["secretsmanager", "ssm", "sqs", "dynamodb", "lambda"]),
    st.from_regex(r"[a-z][a-z0-9/_-]{0,60}", fullmatch=True),
)
def test_arns_never_look_like_secrets(service: str, resource: str) -> None:
    assert secret_like(f"arn:aws:{service}:us-east-1:123456789012:{resource}") is None


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", min_size=40, max_size=64))
def test_long_random_tokens_look_like_secrets_when_varied(token: str) -> None:
    if len(set(token)) >= 24:
        assert secret_like(token) == "a random key or token"
