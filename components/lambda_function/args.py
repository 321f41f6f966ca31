"""The args of lambda_function."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pulumi

from components.alarms import FunctionAlarmsArgs
from components.architecture import Architecture
from components.iam import Statement
from components.lambda_layer import LayerRef
from components.validation import CheckedArgs

VISIBILITY_FACTOR = 6

TracingMode = Literal["Active", "PassThrough"]


LogLevel = Literal["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]


SystemLogLevel = Literal["DEBUG", "INFO", "WARN"]


UrlAuth = Literal["AWS_IAM", "NONE"]


InvokeMode = Literal["BUFFERED", "RESPONSE_STREAM"]


AsyncFailure = Literal["destination", "deadLetterQueue", "none"]


EventTarget = Literal["alias", "queue"]


@dataclass(frozen=True, kw_only=True)
class FunctionRef(CheckedArgs):
    """A function's alias as other components invoke it (`LambdaFunction.ref()`)."""

    name: str
    """The function component's logical name: a stable identity for the children keyed by it."""
    function_name: pulumi.Input[str]
    alias_name: pulumi.Input[str]
    alias_arn: pulumi.Input[str]
    """What integrations target, so traffic follows the alias (`live`), never `$LATEST`."""


@dataclass(frozen=True, kw_only=True)
class ZipCode(CheckedArgs):
    """A zip built from a source directory of this repo (`pulumi.FileArchive`)."""

    path: str
    """Directory holding the handler code, relative to the project (where Pulumi runs)."""
    handler: str
    """Entry point, e.g. `handler.handler` for Python (`module.function`)."""
    runtime: str
    """A managed runtime AWS currently supports (see `components.lambda_runtimes`)."""


@dataclass(frozen=True, kw_only=True)
class ImageCode(CheckedArgs):
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
class PowertoolsArgs(CheckedArgs):
    """The Powertools for AWS Lambda (Python) v3 layer and its environment."""

    service_name: str
    """POWERTOOLS_SERVICE_NAME: the `service` key of every log line, trace and metric."""
    metrics_namespace: str
    """POWERTOOLS_METRICS_NAMESPACE: the CloudWatch namespace of the function's metrics."""
    layer_version: int = 27
    """Layer version (27 was current on 2026-11-23); pinned so a deploy never changes it silently."""


@dataclass(frozen=True, kw_only=True)
class ScheduleArgs(CheckedArgs):
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
class EventRuleArgs(CheckedArgs):
    """An EventBridge rule delivering matching events to the function's alias or its queue."""

    pattern: Mapping[str, Any]
    """The event pattern (`components.event_pattern`): envelope fields with arrays of values or
    filters, event content under `detail`."""
    event_bus_name: pulumi.Input[str] | None = None
    """The bus the rule watches, by name or ARN; the account's default bus (AWS service events)
    by default."""
    target: EventTarget = "alias"
    """`alias` invokes the alias asynchronously (its async retries and failure queue apply);
    `queue` sends to the function's own SQS queue (needs `sqs` without an existing queue), so
    bursts are absorbed and retried by the queue."""
    input_path: str | None = None
    """A JSONPath selecting what the target receives (`$.detail`); the whole event by default."""
    description: str | None = None
    """At most 512 characters; none by default."""
    enabled: bool = True
    """Disabled rules stay deployed but match nothing; enabled by default."""
    max_retry_attempts: int = 185
    """Delivery retries (0-185) before the event goes to the rule's dead-letter queue; 185 by
    default, as EventBridge does."""
    max_event_age_seconds: int = 86_400
    """Give up delivering after this long (60-86400); 24 hours by default, as EventBridge does."""


@dataclass(frozen=True, kw_only=True)
class SqsTriggerArgs(CheckedArgs):
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
class FunctionUrlArgs(CheckedArgs):
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
class AsyncInvokeArgs(CheckedArgs):
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
class VpcPlacement(CheckedArgs):
    """Attachment to private subnets, through a security group with egress only."""

    vpc_id: pulumi.Input[str]
    """The VPC of the subnets, where the function's security group lives."""
    subnet_ids: pulumi.Input[Sequence[str]]
    """Private subnets (with NAT or endpoints): Lambda ENIs never get public IPs."""
    egress_ports: Sequence[int] = (443,)
    """TCP ports the function may reach anywhere; HTTPS only by default. No ingress, ever."""


@dataclass(frozen=True, kw_only=True)
class LambdaFunctionArgs(CheckedArgs):
    """The args of `LambdaFunction`: code, runtime settings, environment and
    secrets, triggers, concurrency and grants."""

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
    layers: Sequence[LayerRef | str] = ()
    """Layers after Powertools, in merge order: a `LambdaLayer.ref()` (checked against the
    function's runtime and architecture) or a layer version ARN. At most 5 with Powertools
    (Lambda's limit); zip functions only. None by default."""
    schedule: ScheduleArgs | None = None
    """An EventBridge Scheduler schedule invoking the alias; none by default."""
    sqs: SqsTriggerArgs | None = None
    """An SQS queue feeding the alias; none by default."""
    url: FunctionUrlArgs | None = None
    """A function URL on the alias; none by default (most functions are not HTTP endpoints)."""
    events: Mapping[str, EventRuleArgs] = field(default_factory=dict)
    """EventBridge rules by name (lowercase, digits, dashes), each with its own encrypted
    dead-letter queue; none by default."""
    async_invoke: AsyncInvokeArgs = field(default_factory=AsyncInvokeArgs)
    """Retries, event age and failure queue of asynchronous invocations; AWS's retry and age
    defaults made explicit, failures kept in a queue."""
    vpc: VpcPlacement | None = None
    """Outside any VPC by default (Lambda's own network, no ENIs)."""
    policy_statements: Sequence[Statement] = ()
    """Extra grants for the execution role, scoped to resource ARNs."""
    managed_policy_arns: Sequence[str] = ()
    """Managed policies to attach; none by default."""
    alarms: FunctionAlarmsArgs | None = None
    """Errors, throttles, dead-letter queue depth and queue age, notifying a topic; none by
    default (a library user names the topic; the stage's AlarmTopic in this program)."""

    @property
    def runtime(self) -> str | None:
        return self.code.runtime if isinstance(self.code, ZipCode) else None
