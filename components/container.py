"""The one container of a Fargate task: image, port, environment, secrets, health check.

Pure data and rules: `ContainerArgs` and `container_problems` are shared by every Fargate
workload (web service, queue worker, scheduled job); `container_definition` renders the
ECS container definition JSON once the wired values (image URI, log group) are known.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pulumi

from components.validation import Problem

MutableTagPolicy = Literal["allow", "warn", "reject"]

#: Tags that are moved on every push by convention; an image on one of them is not reproducible.
MUTABLE_TAGS = frozenset({"latest", "stable", "main", "master", "edge", "nightly", "dev"})

_SECRETS_MANAGER_ARN = re.compile(r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$")
_SSM_PARAMETER_ARN = re.compile(r"^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter/[\w/.-]+$")
_KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[\w-]+$")
_ECR_URI = re.compile(r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?/(?P<repo>[^:@]+)")
_IMAGE_URI = re.compile(r"^([a-z0-9.-]+(:\d+)?/)?[a-z0-9._/-]+(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SECRET_WORDS = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY)", re.I)
_SECRET_VALUES = re.compile(
    r"(AKIA|ASIA)[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY|gh[pousr]_[A-Za-z0-9]{20,}|xox[bap]-"
)


@dataclass(frozen=True, kw_only=True)
class RegistryImage:
    """An image already in a registry (ECR, public ECR, Docker Hub...)."""

    uri: str
    """Full image reference; pin it by digest (`@sha256:...`) or an immutable version tag."""


@dataclass(frozen=True, kw_only=True)
class DockerBuild:
    """A local Dockerfile, built and pushed by `awsx.ecr.Image` into an ECR repository the
    service creates (scan on push, immutable tags, lifecycle rule)."""

    context: str
    """Build context directory, relative to the Pulumi project."""
    tag: str
    """The version tag to push (e.g. a release or commit id). Required: the repository's
    tags are immutable, so a fixed tag like `latest` could be pushed only once."""
    dockerfile: str | None = None
    """Dockerfile path; `<context>/Dockerfile` by default."""
    target: str | None = None
    """Multi-stage build target; the last stage by default."""
    keep_images: int = 30
    """Lifecycle rule: how many tagged images the repository keeps; 30 by default."""


ImageSource = RegistryImage | DockerBuild


@dataclass(frozen=True, kw_only=True)
class SecretRef:
    """A container secret read by ECS at task start, never stored in the task definition."""

    arn: str
    """A Secrets Manager secret ARN or an SSM parameter ARN."""
    json_key: str | None = None
    """For a JSON Secrets Manager secret: the key to inject; the whole secret by default."""

    @property
    def value_from(self) -> str:
        return f"{self.arn}:{self.json_key}::" if self.json_key else self.arn

    @property
    def is_ssm(self) -> bool:
        return ":ssm:" in self.arn


@dataclass(frozen=True, kw_only=True)
class HealthCheckArgs:
    """The container health check (ECS restarts an unhealthy task)."""

    command: Sequence[str]
    """`["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]` or `["CMD", ...]`."""
    interval: int = 30
    """Seconds between checks (5-300); 30 by default, as in the seed."""
    timeout: int = 5
    """Seconds before a check fails (2-120, less than interval); 5 by default."""
    retries: int = 3
    """Consecutive failures before unhealthy (1-10); 3 by default."""
    start_period: int = 60
    """Grace seconds after start when failures don't count (0-300); 60 by default."""


@dataclass(frozen=True, kw_only=True)
class ContainerArgs:
    image: ImageSource
    """Where the image comes from: a registry URI or a local Docker build."""
    port: int | None = None
    """The container port; required for a load-balanced or Service Connect server, none for
    workers and jobs."""
    port_name: str = "http"
    """The port mapping's name; Service Connect refers to it. `http` by default."""
    command: Sequence[str] | None = None
    """Overrides the image's CMD; the image's own by default."""
    environment: Mapping[str, str] = field(default_factory=dict)
    """Plain configuration only. A name or value that looks like a secret is rejected:
    put it in `secrets`."""
    secrets: Mapping[str, SecretRef] = field(default_factory=dict)
    """Environment variables injected from Secrets Manager or SSM at task start. The
    execution role may read exactly these ARNs."""
    secrets_kms_key_arns: Sequence[str] = ()
    """Customer-managed KMS keys encrypting those secrets; none (AWS-managed keys) by default."""
    health_check: HealthCheckArgs | None = None
    """Container health check; none by default (the ALB checks web services)."""
    user: str | None = None
    """Run as this user (`1000` or `1000:1000`), not root; the image's USER by default."""
    read_only_root_filesystem: bool = True
    """On by default (Security Hub ECS.5). ECS Exec needs a writable root: turn it off
    where Exec is on."""
    mutable_tags: MutableTagPolicy = "warn"
    """What a registry image on a mutable tag (`latest`, no tag, ...) does: `warn` by default
    (pulumi.log.warn); `reject` makes it a config error; `allow` is for scratch stages."""


def image_is_mutable(uri: str) -> bool:
    """No digest and no tag, or a tag that is moved on every push by convention."""
    if "@sha256:" in uri:
        return False
    last = uri.rsplit("/", 1)[-1]
    tag = last.partition(":")[2]
    return not tag or tag in MUTABLE_TAGS


def ecr_repository_arn(uri: str) -> str | None:
    """`123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.2` -> its repository ARN; None
    for registries the execution role needs no permission for (public ECR, Docker Hub)."""
    match = _ECR_URI.match(uri)
    if not match:
        return None
    partition = "aws-cn" if ".amazonaws.com.cn/" in uri else "aws"
    return f"arn:{partition}:ecr:{match['region']}:{match['account']}:repository/{match['repo']}"


def looks_secret(name: str, value: str) -> bool:
    """A secret-sounding name with a value that is not a reference (ARN), or a credential-shaped value."""
    return bool((_SECRET_WORDS.search(name) and not value.startswith("arn:")) or _SECRET_VALUES.search(value))


def container_problems(args: ContainerArgs) -> list[Problem]:
    """Every rule a container must satisfy; field paths are relative to the container."""
    problems: list[Problem] = []
    problems += _image_problems(args)
    if args.port is not None and not 1 <= args.port <= 65535:
        problems.append(Problem("port", f"{args.port} is not a TCP port; use 1-65535"))
    for name, value in args.environment.items():
        if not _ENV_NAME.match(name):
            problems.append(Problem("environment", f"{name!r} is not a variable name; use letters, digits and _"))
        if looks_secret(name, value):
            problems.append(
                Problem(
                    "environment",
                    f"{name} looks like a secret; never put secrets in plain environment: store it in"
                    " Secrets Manager or SSM and reference its ARN under `secrets`",
                )
            )
    overlap = sorted(set(args.environment) & set(args.secrets))
    if overlap:
        problems.append(Problem("secrets", f"{overlap} are also in environment; define each variable once"))
    for name, secret in args.secrets.items():
        problems += _secret_problems(name, secret)
    for arn in args.secrets_kms_key_arns:
        if not _KMS_KEY_ARN.match(arn):
            problems.append(Problem("secrets_kms_key_arns", f"{arn!r} is not a KMS key ARN (arn:aws:kms:...:key/...)"))
    if args.health_check is not None:
        problems += _health_check_problems(args.health_check)
    if args.user is not None and args.user.partition(":")[0] in ("0", "root"):
        problems.append(Problem("user", "runs as root; use a non-root uid (e.g. 1000:1000) or omit it"))
    return problems


def _image_problems(args: ContainerArgs) -> list[Problem]:
    image = args.image
    if isinstance(image, DockerBuild):
        if image.tag in MUTABLE_TAGS or not re.match(r"^[\w][\w.-]{0,127}$", image.tag):
            return [
                Problem(
                    "image.tag",
                    f"{image.tag!r} cannot be pushed to an immutable-tag repository twice; use a version or commit id",
                )
            ]
        if not 1 <= image.keep_images <= 1000:
            return [Problem("image.keep_images", f"{image.keep_images}: keep 1-1000 images")]
        return []
    if not _IMAGE_URI.match(image.uri):
        return [Problem("image.uri", f"{image.uri!r} is not an image reference like registry/repo:tag or @sha256:...")]
    if args.mutable_tags == "reject" and image_is_mutable(image.uri):
        return [Problem("image.uri", f"{image.uri!r} is on a mutable tag; pin it by digest or a version tag")]
    return []


def _secret_problems(name: str, secret: SecretRef) -> list[Problem]:
    """Field paths name the `secrets` map; the variable is named in the message (its key
    is an environment variable name, which must not be camel-cased)."""
    if _SSM_PARAMETER_ARN.match(secret.arn):
        if secret.json_key:
            return [Problem("secrets", f"{name}: SSM parameters have no JSON keys; remove jsonKey")]
        return []
    if _SECRETS_MANAGER_ARN.match(secret.arn):
        return []
    return [
        Problem(
            "secrets",
            f"{name}: {secret.arn!r} is neither a Secrets Manager secret ARN (arn:aws:secretsmanager:...:secret:...)"
            " nor an SSM parameter ARN (arn:aws:ssm:...:parameter/...)",
        )
    ]


def _health_check_problems(check: HealthCheckArgs) -> list[Problem]:
    problems: list[Problem] = []
    if not check.command or check.command[0] not in ("CMD", "CMD-SHELL") or len(check.command) < 2:
        problems.append(Problem("health_check.command", "start with CMD or CMD-SHELL, then the command"))
    for name, value, low, high in (
        ("interval", check.interval, 5, 300),
        ("timeout", check.timeout, 2, 120),
        ("retries", check.retries, 1, 10),
        ("start_period", check.start_period, 0, 300),
    ):
        if not low <= value <= high:
            problems.append(Problem(f"health_check.{name}", f"{value} is outside {low}-{high}"))
    if check.timeout >= check.interval:
        problems.append(Problem("health_check.timeout", "must be less than the interval"))
    return problems


def container_definition(
    name: str,
    args: ContainerArgs,
    *,
    image_uri: pulumi.Input[str],
    log_group_name: pulumi.Input[str],
    region: pulumi.Input[str],
    extra_environment: Mapping[str, pulumi.Input[str]] | None = None,
) -> pulumi.Output[str]:
    """The ECS container definitions JSON (a list of one essential container)."""
    environment = {**args.environment, **(extra_environment or {})}
    container: dict[str, Any] = {
        "name": name,
        "image": image_uri,
        "essential": True,
        "readonlyRootFilesystem": args.read_only_root_filesystem,
        "environment": [{"name": k, "value": v} for k, v in sorted(environment.items())],
        "secrets": [{"name": k, "valueFrom": s.value_from} for k, s in sorted(args.secrets.items())],
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": log_group_name,
                "awslogs-region": region,
                "awslogs-stream-prefix": name,
            },
        },
        "portMappings": (
            [{"name": args.port_name, "containerPort": args.port, "protocol": "tcp", "appProtocol": "http"}]
            if args.port is not None
            else []
        ),
    }
    if args.command is not None:
        container["command"] = list(args.command)
    if args.user is not None:
        container["user"] = args.user
    if args.health_check is not None:
        check = args.health_check
        container["healthCheck"] = {
            "command": list(check.command),
            "interval": check.interval,
            "timeout": check.timeout,
            "retries": check.retries,
            "startPeriod": check.start_period,
        }
    return pulumi.Output.json_dumps([container])
