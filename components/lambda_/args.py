"""The arguments of `LambdaFunction`, and every rule they must satisfy (`lambda_function_problems`).

Split from the component so the stage config can run the rules without building anything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pulumi

from components.catalogue.api_limits import with_api_limits
from components.ecr_image import is_pinned_ecr_image
from components.grants import managed_policy_problems, statement_problems
from components.iam import Statement
from components.lambda_.env import environment_problems
from components.lambda_.runtimes import POWERTOOLS_RUNTIMES, SNAPSTART_RUNTIMES, family, runtime_problems
from components.queues import MAX_RECEIVE_COUNT_RANGE, RETENTION_RANGE, VISIBILITY_TIMEOUT_RANGE, queue_arn_problems
from components.schedules import schedule_problems, timezone_problems
from components.validation import Problem, raise_if_any, retention_problems

Architecture = Literal["arm64", "x86_64"]
TracingMode = Literal["Active", "PassThrough"]
LogLevel = Literal["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
SystemLogLevel = Literal["DEBUG", "INFO", "WARN"]
UrlAuth = Literal["AWS_IAM", "NONE"]
InvokeMode = Literal["BUFFERED", "RESPONSE_STREAM"]
AsyncFailure = Literal["destination", "deadLetterQueue", "none"]

# AWS limits (Lambda quotas and API ranges).
MEMORY_MB = (128, 10_240)
TIMEOUT_S = (1, 900)
EPHEMERAL_MB = (512, 10_240)
SNAPSTART_MAX_EPHEMERAL_MB = 512
DESCRIPTION_MAX = 256
VISIBILITY_FACTOR = 6

_ALIAS = re.compile(r"^(?!\d+$)[A-Za-z0-9_-]{1,128}$")
_PY_HANDLER = re.compile(r"^[A-Za-z_][\w.]*\.[A-Za-z_]\w*$")


@dataclass(frozen=True, kw_only=True)
class ZipCode:
    """A zip built from a source directory of this repo (`pulumi.FileArchive`)."""

    path: str
    """Directory holding the handler code, relative to the project (where Pulumi runs)."""
    handler: str
    """Entry point, e.g. `handler.handler` for Python (`module.function`)."""
    runtime: str
    """A managed runtime AWS currently supports (see `components.lambda_.runtimes`)."""


@dataclass(frozen=True, kw_only=True)
class ImageCode:
    """A container image: an existing ECR image URI, or a Dockerfile built with awsx.ecr.Image."""

    image_uri: str | None = None
    """An image in Amazon ECR (tag or digest); Lambda pulls from no other registry."""
    build_context: str | None = None
    """A directory with a Dockerfile; the image is built for the function's architecture and
    pushed to an ECR repository this component creates (`components.ecr_image`: immutable
    tags, scan on push, lifecycle rule; tagged with the build hash, deployed by digest)."""
    command: Sequence[str] = ()
    """Overrides the image's CMD (the handler for AWS base images); the image's own by default."""


@dataclass(frozen=True, kw_only=True)
class PowertoolsArgs:
    """The Powertools for AWS Lambda (Python) v3 layer and its environment."""

    service_name: str
    """POWERTOOLS_SERVICE_NAME: the `service` key of every log line, trace and metric."""
    metrics_namespace: str
    """POWERTOOLS_METRICS_NAMESPACE: the CloudWatch namespace of the function's metrics."""
    layer_version: int = 27
    """Layer version (27 was current on 2026-11-23); pinned so a deploy never changes it silently."""


@dataclass(frozen=True, kw_only=True)
class ScheduleArgs:
    """An EventBridge Scheduler schedule invoking the function's alias."""

    expression: str
    """`rate(5 minutes)`, `cron(0 9 * * ? *)` (6 fields) or `at(2026-12-01T09:00:00)`."""
    timezone: str = "UTC"
    """IANA time zone of cron/at expressions; UTC by default (no daylight-saving surprises)."""
    payload: Mapping[str, Any] = field(default_factory=dict)
    """The JSON event the function receives; `{}` by default."""
    enabled: bool = True
    """Disabled schedules stay deployed but never fire; enabled by default."""
    max_retry_attempts: int = 2
    """Scheduler retries (0-185) when the invocation itself fails; 2 by default."""
    max_event_age_seconds: int = 3600
    """Give up on an invocation after this long (60-86400); one hour by default."""


@dataclass(frozen=True, kw_only=True)
class SqsTriggerArgs:
    """An SQS event source mapping, from a queue this component creates (with a DLQ) or an existing one."""

    existing_queue_arn: str | None = None
    """Read this queue instead of creating one (its DLQ is its owner's business). None by default."""
    batch_size: int = 10
    """Messages per invocation (1-10000; FIFO queues 1-10); 10 by default."""
    max_batching_window_seconds: int = 0
    """Wait up to this long to fill a batch (0-300); required >= 1 when batch_size > 10, and
    0 for FIFO queues."""
    report_batch_item_failures: bool = True
    """Partial batch responses: only failed messages return to the queue. On by default (the
    handler must return `batchItemFailures`)."""
    max_concurrency: int | None = None
    """Cap on concurrent invocations from this queue (2-1000); unlimited by default."""
    visibility_timeout_seconds: int | None = None
    """Visibility timeout of the created queue, default 6x the function timeout (the AWS
    recommendation). With an existing queue, state its value to have the rule checked."""
    max_receive_count: int = 5
    """Receives before a message moves to the created DLQ (1-1000); 5 by default."""
    message_retention_seconds: int = 345_600
    """Retention on the created queue (60-1209600); four days by default. The DLQ keeps 14 days."""


@dataclass(frozen=True, kw_only=True)
class FunctionUrlArgs:
    """A function URL on the alias."""

    auth_type: UrlAuth = "AWS_IAM"
    """AWS_IAM by default: callers sign requests with SigV4. NONE makes the URL public and is
    only ever an explicit choice."""
    invoke_mode: InvokeMode = "BUFFERED"
    """BUFFERED (6 MB responses) by default; RESPONSE_STREAM streams up to 20 MB."""
    cors_allowed_origins: Sequence[str] = ()
    """Origins allowed by CORS; none (no CORS configuration) by default."""
    cors_allowed_methods: Sequence[str] = ("GET",)
    """Methods allowed by CORS when origins are set; GET by default."""


@dataclass(frozen=True, kw_only=True)
class AsyncInvokeArgs:
    """Asynchronous invocations (schedules, S3, SNS): retries, event age and where failures go."""

    max_retry_attempts: int = 2
    """Retries after a function error (0-2); 2 by default, as AWS does."""
    max_event_age_seconds: int = 21_600
    """Discard events older than this (60-21600); six hours by default, as AWS does."""
    on_failure: AsyncFailure = "destination"
    """Failed events go to an SQS queue this component creates: as an on-failure destination
    (default: the record carries the error and request context), as the function's
    dead-letter queue (payload only), or nowhere."""


@dataclass(frozen=True, kw_only=True)
class VpcPlacement:
    """Attachment to private subnets, through a security group with egress only."""

    vpc_id: pulumi.Input[str]
    """The VPC of the subnets, where the function's security group lives."""
    subnet_ids: pulumi.Input[Sequence[str]]
    """Private subnets (with NAT or endpoints): Lambda ENIs never get public IPs."""
    egress_ports: Sequence[int] = (443,)
    """TCP ports the function may reach anywhere; HTTPS only by default. No ingress, ever."""


@dataclass(frozen=True, kw_only=True)
class LambdaFunctionArgs:
    code: ZipCode | ImageCode
    """The deployment package: a zip from a directory, or a container image."""
    description: str | None = None
    """Shown in the console, at most 256 characters (Lambda's limit); none by default."""
    architecture: Architecture = "arm64"
    """arm64 (Graviton) by default: about 20% cheaper for the same work."""
    memory_mb: int = 1024
    """128-10240 MB; 1024 by default, the seed's price-performance sweet spot (CPU scales with memory)."""
    timeout_seconds: int = 30
    """1-900 s; 30 by default (an API's budget), never Lambda's silent 3 s default."""
    ephemeral_storage_mb: int = 512
    """/tmp size, 512-10240 MB; 512 (free) by default."""
    environment: Mapping[str, str] = field(default_factory=dict)
    """Plain configuration; names or values that look like secrets are rejected."""
    secrets: Mapping[str, str] = field(default_factory=dict)
    """Variable name -> Secrets Manager secret or SSM parameter ARN. The variable holds the ARN
    and the role may read exactly that secret (customer-managed KMS keys need a grant too)."""
    snap_start: bool = False
    """SnapStart on published versions (Java 11+, Python 3.12+, .NET 8+); off by default (Python
    and .NET snapshots are billed). Incompatible with provisioned concurrency, container images,
    EFS (not offered here) and ephemeral storage above 512 MB."""
    alias_name: str = "live"
    """Every deploy publishes a version and points this alias at it; triggers invoke the alias."""
    provisioned_concurrency: int = 0
    """Pre-initialised environments on the alias; none by default (billed while idle)."""
    reserved_concurrency: int | None = None
    """Concurrency reserved for (and capping) the function; unreserved by default."""
    log_retention_days: int = 90
    """Retention of the function's log group; 90 days by default."""
    log_level: LogLevel = "INFO"
    """Application log level (JSON logs); INFO by default."""
    system_log_level: SystemLogLevel = "INFO"
    """Platform log level (START/END/REPORT lines); INFO by default."""
    tracing: TracingMode = "Active"
    """X-Ray active tracing by default."""
    powertools: PowertoolsArgs | None = None
    """The Powertools layer and POWERTOOLS_* environment (Python runtimes); off by default."""
    schedule: ScheduleArgs | None = None
    """An EventBridge Scheduler schedule invoking the alias; none by default."""
    sqs: SqsTriggerArgs | None = None
    """An SQS queue feeding the alias; none by default."""
    url: FunctionUrlArgs | None = None
    """A function URL on the alias; none by default (most functions are not HTTP endpoints)."""
    async_invoke: AsyncInvokeArgs = field(default_factory=AsyncInvokeArgs)
    """Retries, event age and failure queue of asynchronous invocations; AWS's retry and age
    defaults made explicit, failures kept in a queue."""
    vpc: VpcPlacement | None = None
    """Outside any VPC by default (Lambda's own network, no ENIs)."""
    policy_statements: Sequence[Statement] = ()
    """Extra grants for the execution role, scoped to resource ARNs."""
    managed_policy_arns: Sequence[str] = ()
    """Managed policies to attach; none by default."""

    def __post_init__(self) -> None:
        raise_if_any("LambdaFunctionArgs", with_api_limits(self, lambda_function_problems(self)))

    @property
    def runtime(self) -> str | None:
        return self.code.runtime if isinstance(self.code, ZipCode) else None


def _range(field_name: str, value: int, bounds: tuple[int, int], unit: str = "") -> list[Problem]:
    low, high = bounds
    if low <= value <= high:
        return []
    return [Problem(field_name, f"{value}{unit} is out of range; use {low} to {high}{unit}")]


def _code_problems(code: ZipCode | ImageCode) -> list[Problem]:
    if isinstance(code, ZipCode):
        problems = runtime_problems("code.runtime", code.runtime)
        source = Path(code.path)
        if not source.is_dir():
            return [*problems, Problem("code.path", f"{code.path!r} is not a directory of this project")]
        if family(code.runtime) == "python":
            if not _PY_HANDLER.match(code.handler):
                problems.append(Problem("code.handler", f"{code.handler!r}: write module.function (handler.handler)"))
            else:
                module = code.handler.rpartition(".")[0].replace(".", "/")
                if not (source / f"{module}.py").is_file():
                    problems.append(Problem("code.handler", f"{code.path}/{module}.py does not exist"))
        elif not code.handler:
            problems.append(Problem("code.handler", "the handler is empty; name the entry point"))
        return problems
    if (code.image_uri is None) == (code.build_context is None):
        return [Problem("code", "give exactly one of image_uri (an ECR image) or build_context (a Dockerfile dir)")]
    if code.image_uri is not None and not is_pinned_ecr_image(code.image_uri):
        return [
            Problem(
                "code.image_uri",
                f"{code.image_uri!r}: Lambda pulls images only from Amazon ECR; give"
                " <account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag> or @sha256:<digest>",
            )
        ]
    if code.build_context is not None and not (Path(code.build_context) / "Dockerfile").is_file():
        return [Problem("code.build_context", f"{code.build_context!r} holds no Dockerfile")]
    return []


def _start_up_problems(args: LambdaFunctionArgs) -> list[Problem]:
    problems: list[Problem] = []
    if args.snap_start:
        if args.runtime is None:
            problems.append(Problem("snap_start", "SnapStart does not support container images; use a zip"))
        elif args.runtime not in SNAPSTART_RUNTIMES:
            problems.append(
                Problem(
                    "snap_start",
                    f"SnapStart supports Java 11+, Python 3.12+ and .NET 8+, not {args.runtime!r};"
                    f" use one of {', '.join(sorted(SNAPSTART_RUNTIMES))} or turn it off",
                )
            )
        if args.provisioned_concurrency:
            problems.append(
                Problem("snap_start", "SnapStart cannot be combined with provisioned concurrency; choose one")
            )
        if args.ephemeral_storage_mb > SNAPSTART_MAX_EPHEMERAL_MB:
            problems.append(
                Problem("snap_start", f"SnapStart allows at most {SNAPSTART_MAX_EPHEMERAL_MB} MB ephemeral storage")
            )
    if args.provisioned_concurrency < 0:
        problems.append(Problem("provisioned_concurrency", "must be 0 (none) or more"))
    if args.reserved_concurrency is not None:
        if args.reserved_concurrency < 1:
            problems.append(
                Problem("reserved_concurrency", "must be at least 1 (0 throttles every call); leave unset for none")
            )
        elif args.provisioned_concurrency > args.reserved_concurrency:
            problems.append(
                Problem(
                    "provisioned_concurrency",
                    f"{args.provisioned_concurrency} exceeds reserved concurrency {args.reserved_concurrency};"
                    " AWS rejects it, lower it or raise the reservation",
                )
            )
    if not _ALIAS.match(args.alias_name):
        problems.append(Problem("alias_name", f"{args.alias_name!r}: letters, digits, - and _, not only digits"))
    return problems


def _powertools_problems(args: LambdaFunctionArgs) -> list[Problem]:
    if args.powertools is None:
        return []
    problems: list[Problem] = []
    if args.runtime is None:
        problems.append(Problem("powertools", "container images cannot use layers; install Powertools in the image"))
    elif args.runtime not in POWERTOOLS_RUNTIMES:
        problems.append(
            Problem(
                "powertools",
                f"the Powertools Python v3 layer exists for {', '.join(sorted(POWERTOOLS_RUNTIMES))},"
                f" not {args.runtime!r}",
            )
        )
    if not args.powertools.service_name or not args.powertools.metrics_namespace:
        problems.append(Problem("powertools", "name the service_name and metrics_namespace"))
    if args.powertools.layer_version < 1:
        problems.append(Problem("powertools.layer_version", "layer versions start at 1"))
    return problems


def _schedule_problems(schedule: ScheduleArgs | None) -> list[Problem]:
    if schedule is None:
        return []
    return [
        *schedule_problems("schedule.expression", schedule.expression),
        *timezone_problems("schedule.timezone", schedule.timezone),
        *_range("schedule.max_retry_attempts", schedule.max_retry_attempts, (0, 185)),
        *_range("schedule.max_event_age_seconds", schedule.max_event_age_seconds, (60, 86_400), " s"),
    ]


def _sqs_problems(args: LambdaFunctionArgs) -> list[Problem]:
    sqs = args.sqs
    if sqs is None:
        return []
    fifo = bool(sqs.existing_queue_arn and sqs.existing_queue_arn.endswith(".fifo"))
    problems = _range("sqs.batch_size", sqs.batch_size, (1, 10 if fifo else 10_000))
    problems += _range("sqs.max_batching_window_seconds", sqs.max_batching_window_seconds, (0, 300), " s")
    if fifo and sqs.max_batching_window_seconds:
        problems.append(Problem("sqs.max_batching_window_seconds", "FIFO queues take no batching window; set it to 0"))
    if sqs.batch_size > 10 and sqs.max_batching_window_seconds < 1:
        problems.append(
            Problem("sqs.max_batching_window_seconds", "a batch size above 10 needs a batching window of at least 1 s")
        )
    if sqs.max_concurrency is not None:
        problems += _range("sqs.max_concurrency", sqs.max_concurrency, (2, 1000))
        if args.reserved_concurrency is not None and sqs.max_concurrency > args.reserved_concurrency:
            problems.append(
                Problem(
                    "sqs.max_concurrency",
                    f"{sqs.max_concurrency} exceeds reserved concurrency {args.reserved_concurrency}, so"
                    " messages would be throttled back to the queue; keep it at or below the reservation",
                )
            )
    if sqs.existing_queue_arn is not None:
        problems += queue_arn_problems("sqs.existing_queue_arn", sqs.existing_queue_arn)
    minimum = VISIBILITY_FACTOR * args.timeout_seconds
    if sqs.visibility_timeout_seconds is not None:
        if sqs.visibility_timeout_seconds < minimum:
            problems.append(
                Problem(
                    "sqs.visibility_timeout_seconds",
                    f"{sqs.visibility_timeout_seconds} s is under 6x the function timeout ({minimum} s), so"
                    " messages reappear while still being processed; raise it or lower the timeout",
                )
            )
        problems += _range("sqs.visibility_timeout_seconds", sqs.visibility_timeout_seconds, VISIBILITY_TIMEOUT_RANGE)
    problems += _range("sqs.max_receive_count", sqs.max_receive_count, MAX_RECEIVE_COUNT_RANGE)
    problems += _range("sqs.message_retention_seconds", sqs.message_retention_seconds, RETENTION_RANGE, " s")
    return problems


def _url_problems(url: FunctionUrlArgs | None) -> list[Problem]:
    if url is None:
        return []
    problems = []
    for origin in url.cors_allowed_origins:
        if origin != "*" and not re.match(r"^https?://[^/\s]+$", origin):
            problems.append(Problem("url.cors_allowed_origins", f"{origin!r}: write scheme://host[:port], no path"))
    if url.cors_allowed_origins and not url.cors_allowed_methods:
        problems.append(Problem("url.cors_allowed_methods", "list the methods CORS allows"))
    return problems


def _async_problems(invoke: AsyncInvokeArgs) -> list[Problem]:
    return [
        *_range("async_invoke.max_retry_attempts", invoke.max_retry_attempts, (0, 2)),
        *_range("async_invoke.max_event_age_seconds", invoke.max_event_age_seconds, (60, 21_600), " s"),
    ]


def _vpc_problems(vpc: VpcPlacement | None) -> list[Problem]:
    if vpc is None:
        return []
    if not vpc.egress_ports:
        return [Problem("vpc.egress_ports", "list at least one port (443 reaches AWS APIs)")]
    return [p for port in vpc.egress_ports for p in _range("vpc.egress_ports", port, (1, 65_535))]


def _description_problems(description: str | None) -> list[Problem]:
    if description is None or len(description) <= DESCRIPTION_MAX:
        return []
    return [Problem("description", f"{len(description)} characters; Lambda takes at most {DESCRIPTION_MAX}")]


def lambda_function_problems(args: LambdaFunctionArgs) -> list[Problem]:
    """Every rule LambdaFunctionArgs must satisfy; the stage config runs these too."""
    return [
        *_code_problems(args.code),
        *_description_problems(args.description),
        *_range("memory_mb", args.memory_mb, MEMORY_MB, " MB"),
        *_range("timeout_seconds", args.timeout_seconds, TIMEOUT_S, " s"),
        *_range("ephemeral_storage_mb", args.ephemeral_storage_mb, EPHEMERAL_MB, " MB"),
        *environment_problems(args.environment, args.secrets),
        *_start_up_problems(args),
        *retention_problems("log_retention_days", args.log_retention_days),
        *_powertools_problems(args),
        *_schedule_problems(args.schedule),
        *_sqs_problems(args),
        *_url_problems(args.url),
        *_async_problems(args.async_invoke),
        *statement_problems("policy_statements", args.policy_statements),
        *managed_policy_problems("managed_policy_arns", args.managed_policy_arns),
        *_vpc_problems(args.vpc),
    ]
