"""The rules of lambda_function."""

from __future__ import annotations

import re
from pathlib import Path

from components.ecr_image import is_pinned_ecr_image
from components.event_pattern import pattern_problems
from components.grants import managed_policy_problems, statement_problems
from components.lambda_function.args import (
    VISIBILITY_FACTOR,
    AsyncInvokeArgs,
    EventRuleArgs,
    FunctionUrlArgs,
    ImageCode,
    LambdaFunctionArgs,
    ScheduleArgs,
    VpcPlacement,
    ZipCode,
)
from components.lambda_function.env import environment_problems
from components.lambda_runtimes import POWERTOOLS_RUNTIMES, SNAPSTART_RUNTIMES, family, runtime_problems
from components.queues import MAX_RECEIVE_COUNT_RANGE, RETENTION_RANGE, VISIBILITY_TIMEOUT_RANGE, queue_arn_problems
from components.schedules import schedule_problems, timezone_problems
from components.validation import Problem, retention_problems, rules_for

# AWS limits (Lambda quotas and API ranges).
MEMORY_MB = (128, 10_240)


TIMEOUT_S = (1, 900)


EPHEMERAL_MB = (512, 10_240)


SNAPSTART_MAX_EPHEMERAL_MB = 512


DESCRIPTION_MAX = 256


#: Layers a function may use, Powertools included (Lambda quota).
MAX_LAYERS = 5


#: LayerVersionArn of the Lambda API model (botocore), anchored: an account's layer version,
#: or a layer AWS itself publishes (`arn:aws:lambda:::awslayer:<name>`).
LAYER_VERSION_ARN = re.compile(
    r"^((arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:layer:[a-zA-Z0-9-_]+"
    r":[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+))$"
)


_ALIAS = re.compile(r"^(?!\d+$)[A-Za-z0-9_-]{1,128}$")


_PY_HANDLER = re.compile(r"^[A-Za-z_][\w.]*\.[A-Za-z_]\w*$")


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


def _layer_problems(args: LambdaFunctionArgs) -> list[Problem]:
    """At most MAX_LAYERS in all (Powertools counts), zip functions only, each fitting the
    function's runtime and architecture, none twice."""
    if not args.layers:
        return []
    if args.runtime is None:
        return [Problem("layers", "container images cannot use layers; copy their content into the image")]
    total = len(args.layers) + (args.powertools is not None)
    problems = []
    if total > MAX_LAYERS:
        counted = " with Powertools" if args.powertools is not None else ""
        problems.append(Problem("layers", f"{total} layers{counted}; a function takes at most {MAX_LAYERS}"))
    seen: set[str] = set()
    for i, layer in enumerate(args.layers):
        field_path = f"layers[{i}]"
        if isinstance(layer, str):
            identity = layer
            if not LAYER_VERSION_ARN.match(layer):
                problems.append(
                    Problem(
                        field_path,
                        f"{layer!r} is not a layer version ARN"
                        " (arn:aws:lambda:<region>:<account>:layer:<name>:<version>)",
                    )
                )
        else:
            identity = layer.name
            if args.runtime not in layer.compatible_runtimes:
                problems.append(
                    Problem(
                        field_path,
                        f"layer {layer.name!r} is published for {', '.join(layer.compatible_runtimes)}, not"
                        f" {args.runtime}; add the runtime to the layer or remove it from the function",
                    )
                )
            if args.architecture not in layer.compatible_architectures:
                problems.append(
                    Problem(
                        field_path,
                        f"layer {layer.name!r} is built for {', '.join(layer.compatible_architectures)}, not"
                        f" {args.architecture}; its native code would not load",
                    )
                )
        if identity in seen:
            problems.append(Problem(field_path, f"{identity!r} is attached twice; list each layer once"))
        seen.add(identity)
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


#: EventBridge limits (events API model): RetryPolicy, rule description, InputPath.
EVENT_RETRY_ATTEMPTS = (0, 185)
EVENT_AGE_SECONDS = (60, 86_400)
RULE_DESCRIPTION_MAX = 512
INPUT_PATH_MAX = 256
_RULE_KEY = re.compile(r"^[a-z][a-z0-9-]*$")
#: EventBusNameOrArn of the events API model.
_EVENT_BUS = re.compile(r"^(arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus/)?[/.\-_A-Za-z0-9]+$")


def _event_rule_problems(key: str, rule: EventRuleArgs, args: LambdaFunctionArgs) -> list[Problem]:
    at = f"events.{key}"
    problems = [
        *pattern_problems(f"{at}.pattern", rule.pattern),
        *_range(f"{at}.max_retry_attempts", rule.max_retry_attempts, EVENT_RETRY_ATTEMPTS),
        *_range(f"{at}.max_event_age_seconds", rule.max_event_age_seconds, EVENT_AGE_SECONDS, " s"),
    ]
    if not _RULE_KEY.match(key):
        problems.append(Problem(at, f"{key!r}: name rules with lowercase letters, digits and dashes"))
    if rule.target == "queue" and (args.sqs is None or args.sqs.existing_queue_arn is not None):
        problems.append(
            Problem(
                f"{at}.target",
                "target: queue sends to the queue this function creates; configure sqs (without"
                " existing_queue_arn) or target the alias",
            )
        )
    if isinstance(rule.event_bus_name, str) and not _EVENT_BUS.match(rule.event_bus_name):
        problems.append(
            Problem(f"{at}.event_bus_name", f"{rule.event_bus_name!r} is neither an event bus name nor its ARN")
        )
    if rule.input_path is not None and not (rule.input_path.startswith("$") and len(rule.input_path) <= INPUT_PATH_MAX):
        problems.append(Problem(f"{at}.input_path", f"{rule.input_path!r}: a JSONPath such as $.detail, 256 at most"))
    if rule.description is not None and len(rule.description) > RULE_DESCRIPTION_MAX:
        problems.append(Problem(f"{at}.description", f"{len(rule.description)} characters; EventBridge takes 512"))
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


@rules_for(LambdaFunctionArgs)
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
        *_layer_problems(args),
        *_schedule_problems(args.schedule),
        *_sqs_problems(args),
        *_url_problems(args.url),
        *(p for key, rule in args.events.items() for p in _event_rule_problems(key, rule, args)),
        *_async_problems(args.async_invoke),
        *statement_problems("policy_statements", args.policy_statements),
        *managed_policy_problems("managed_policy_arns", args.managed_policy_arns),
        *_vpc_problems(args.vpc),
    ]
