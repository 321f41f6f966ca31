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

from components.ecr_image import TAG_HASH_LENGTH
from components.secret_refs import kms_key_problems, plaintext_secret_problems, secret_arn_problems, secret_service
from components.validation import CheckedArgs, Problem

MutableTagPolicy = Literal["allow", "warn", "reject"]

#: Tags that are moved on every push by convention; an image on one of them is not reproducible.
MUTABLE_TAGS = frozenset({"latest", "stable", "main", "master", "edge", "nightly", "dev"})

_IMAGE_URI = re.compile(r"^([a-z0-9.-]+(:\d+)?/)?[a-z0-9._/-]+(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$")
#: Docker tags take 128 characters; the pushed tag appends `-<build hash>` to the version.
_MAX_VERSION_LENGTH = 128 - 1 - TAG_HASH_LENGTH
_VERSION_TAG = re.compile(rf"^\w[\w.-]{{0,{_MAX_VERSION_LENGTH - 1}}}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SCRATCH_PATH = re.compile(r"^(/[A-Za-z0-9._-]+)+$")
#: Scratch volumes per container: enough for /tmp plus an app's caches, few enough to stay reviewable.
MAX_SCRATCH_PATHS = 8


@dataclass(frozen=True, kw_only=True)
class RegistryImage(CheckedArgs):
    """An image already in a registry (ECR, public ECR, Docker Hub...)."""

    uri: str
    """Full image reference; pin it by digest (`@sha256:...`) or an immutable version tag."""


@dataclass(frozen=True, kw_only=True)
class DockerBuild(CheckedArgs):
    """A local Dockerfile, built and pushed by `awsx.ecr.Image` into an ECR repository the
    service creates (`components.ecr_image`: scan on push, immutable tags, lifecycle rule)."""

    context: str
    """Build context directory, relative to the Pulumi project."""
    tag: str
    """The version the pushed tag starts with (a release or commit id), up to 115 characters;
    required so images are recognisable. The pushed tag is `<tag>-<build hash>`: the
    repository's tags are immutable, so a changed build must never reuse a tag."""
    dockerfile: str | None = None
    """Dockerfile path; `<context>/Dockerfile` by default."""
    target: str | None = None
    """Multi-stage build target; the last stage by default."""
    keep_images: int = 30
    """Lifecycle rule: how many tagged images the repository keeps; 30 by default."""


ImageSource = RegistryImage | DockerBuild


@dataclass(frozen=True, kw_only=True)
class SecretRef(CheckedArgs):
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
        return secret_service(self.arn) == "ssm"


@dataclass(frozen=True, kw_only=True)
class HealthCheckArgs(CheckedArgs):
    """The container health check (ECS restarts an unhealthy task)."""

    command: Sequence[str]
    """`["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]` or `["CMD", ...]`."""
    interval: int = 30
    """Seconds between checks (5-300); 30 by default, as in the seed."""
    timeout: int = 5
    """Seconds before a check fails (2-60, less than interval); 5 by default. ECS caps
    container health check timeouts at 60 s (the ALB's target group checks allow 120)."""
    retries: int = 3
    """Consecutive failures before unhealthy (1-10); 3 by default."""
    start_period: int = 60
    """Grace seconds after start when failures don't count (0-300); 60 by default."""


@dataclass(frozen=True, kw_only=True)
class ContainerArgs(CheckedArgs):
    """The task's one essential container: image, port, environment, secrets, health check and hardening."""

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
    scratch_paths: Sequence[str] = ()
    """Writable directories on a read-only root (`/tmp`, caches, pid files): each becomes a
    task-level Fargate bind-mount volume (on the task's ephemeral storage, emptied with the
    task) mounted read-write here. None by default; at most 8 absolute paths, not `/`."""
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


def container_problems(args: ContainerArgs) -> list[Problem]:
    """Every rule a container must satisfy; field paths are relative to the container."""
    problems: list[Problem] = []
    problems += _image_problems(args)
    if args.port is not None and not 1 <= args.port <= 65535:
        problems.append(Problem("port", f"{args.port} is not a TCP port; use 1-65535"))
    problems += [
        Problem("environment", f"{name!r} is not a variable name; use letters, digits and _")
        for name in args.environment
        if not _ENV_NAME.match(name)
    ]
    problems += plaintext_secret_problems(args.environment, args.secrets)
    for name, secret in args.secrets.items():
        problems += secret_arn_problems(name, secret.arn)
        if secret.json_key and secret.is_ssm:
            problems.append(Problem("secrets", f"{name}: SSM parameters have no JSON keys; remove jsonKey"))
    problems += kms_key_problems("secrets_kms_key_arns", args.secrets_kms_key_arns)
    if args.health_check is not None:
        problems += _health_check_problems(args.health_check)
    if args.user is not None and args.user.partition(":")[0] in ("0", "root"):
        problems.append(Problem("user", "runs as root; use a non-root uid (e.g. 1000:1000) or omit it"))
    problems += _scratch_problems(args.scratch_paths)
    return problems


def _scratch_problems(paths: Sequence[str]) -> list[Problem]:
    problems = [
        Problem("scratch_paths", f"{path!r} is not an absolute directory like /tmp (not /, no . or .. parts)")
        for path in paths
        if not _SCRATCH_PATH.match(path) or {".", ".."} & set(path.split("/"))
    ]
    if len(set(paths)) != len(paths):
        problems.append(Problem("scratch_paths", "a path is listed twice; list each once"))
    if len(paths) > MAX_SCRATCH_PATHS:
        problems.append(Problem("scratch_paths", f"{len(paths)} paths: mount at most {MAX_SCRATCH_PATHS}"))
    return problems


def scratch_volumes(args: ContainerArgs) -> list[tuple[str, str]]:
    """(volume name, container path) of each scratch path; the task definition declares the
    volumes, the container definition mounts them."""
    return [(f"scratch-{i}", path) for i, path in enumerate(args.scratch_paths)]


def _image_problems(args: ContainerArgs) -> list[Problem]:
    image = args.image
    if isinstance(image, DockerBuild):
        if image.tag in MUTABLE_TAGS or not _VERSION_TAG.match(image.tag):
            return [
                Problem(
                    "image.tag",
                    f"{image.tag!r} is no version for an immutable-tag repository; use a version or commit id"
                    f" (up to {_MAX_VERSION_LENGTH} letters, digits, _ . -)",
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


def _health_check_problems(check: HealthCheckArgs) -> list[Problem]:
    problems: list[Problem] = []
    if not check.command or check.command[0] not in ("CMD", "CMD-SHELL") or len(check.command) < 2:
        problems.append(Problem("health_check.command", "start with CMD or CMD-SHELL, then the command"))
    for name, value, low, high in (
        ("interval", check.interval, 5, 300),
        ("timeout", check.timeout, 2, 60),
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
    mounts = scratch_volumes(args)
    if mounts:
        container["mountPoints"] = [
            {"sourceVolume": volume, "containerPath": path, "readOnly": False} for volume, path in mounts
        ]
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
