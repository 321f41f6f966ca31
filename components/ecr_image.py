"""A Dockerfile built and pushed to an ECR repository of its own (Fargate and Lambda images).

The repository follows the policy pack (`ecr-immutable-scanned`): immutable tags, scan on
push, AES-256 encryption, and a lifecycle rule expiring untagged layers and old images.

Immutable tags mean a tag can be pushed once: the pushed tag ends with a hash of the build
inputs (every file of the context, the Dockerfile path, target and platform), so a changed
build always gets a new tag and an unchanged one reuses its tag. Deployments pin the
pushed digest (`awsx.ecr.Image.image_uri`), never the tag. `awsx.ecr.Image` is a
multi-language component whose children never run offline: the plan shows it as a leaf.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pulumi_awsx as awsx

#: Untagged layers left by re-tagging or failed pushes are expired after this many days.
UNTAGGED_EXPIRY_DAYS = 7
#: Tagged images a repository keeps by default.
KEEP_IMAGES = 30
#: Hex characters of the build hash in the tag (48 bits: collisions are not a concern).
TAG_HASH_LENGTH = 12

_ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?P<china>\.cn)?"
    r"/(?P<repo>[a-z0-9._/-]+)(?P<tag>:[\w.-]{1,128})?(?P<digest>@sha256:[0-9a-f]{64})?$"
)


def ecr_repository_arn(uri: str) -> str | None:
    """`123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.2` -> its repository ARN; None
    for other registries (public ECR, Docker Hub), which need no IAM permission to pull."""
    match = _ECR_IMAGE.match(uri)
    if not match:
        return None
    partition = "aws-cn" if match["china"] else "aws"
    return f"arn:{partition}:ecr:{match['region']}:{match['account']}:repository/{match['repo']}"


def is_pinned_ecr_image(uri: str) -> bool:
    """A private ECR image named by exactly one of a tag or a digest (what Lambda pulls)."""
    match = _ECR_IMAGE.match(uri)
    return match is not None and (match["tag"] is None) != (match["digest"] is None)


@dataclass(frozen=True, kw_only=True)
class DockerBuildSpec:
    context: str
    """Build context directory, relative to the Pulumi project."""
    platform: str
    """`linux/arm64` or `linux/amd64`: the architecture the image runs on."""
    dockerfile: str | None = None
    """Dockerfile path; `<context>/Dockerfile` by default."""
    target: str | None = None
    """Multi-stage build target; the last stage by default."""
    version: str | None = None
    """A readable prefix of the tag (a release or commit id); the tag is the build hash alone
    without it."""
    keep_images: int = KEEP_IMAGES
    """Lifecycle rule: how many tagged images the repository keeps; 30 by default."""


@dataclass(frozen=True)
class PushedImage:
    uri: pulumi.Output[str]
    """The pushed image, pinned by digest."""
    repository_arn: pulumi.Output[str]
    repository_url: pulumi.Output[str]


def build_hash(spec: DockerBuildSpec) -> str:
    """SHA-256 over the build inputs: the context's files (paths and contents, `.git` left
    out), the Dockerfile (when outside the context), target and platform."""
    digest = hashlib.sha256(json.dumps([spec.dockerfile, spec.target, spec.platform]).encode())
    context = Path(spec.context)
    files = sorted(p for p in context.rglob("*") if p.is_file() and ".git" not in p.relative_to(context).parts)
    if spec.dockerfile is not None and Path(spec.dockerfile).is_file():
        files.append(Path(spec.dockerfile))
    for path in files:
        digest.update(str(path.relative_to(context) if path.is_relative_to(context) else path).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def image_tag(spec: DockerBuildSpec) -> str:
    """`<version>-<hash>`, or `<hash>` without a version: unique per build input."""
    short = build_hash(spec)[:TAG_HASH_LENGTH]
    return f"{spec.version}-{short}" if spec.version else short


def build_and_push(name: str, spec: DockerBuildSpec, opts: pulumi.ResourceOptions) -> PushedImage:
    """`<name>-repo` (+ `-lifecycle`) and `<name>-image`, the build pushed into it."""
    repository = aws.ecr.Repository(
        f"{name}-repo",
        image_tag_mutability="IMMUTABLE",
        image_scanning_configuration=aws.ecr.RepositoryImageScanningConfigurationArgs(scan_on_push=True),
        encryption_configurations=[aws.ecr.RepositoryEncryptionConfigurationArgs(encryption_type="AES256")],
        opts=opts,
    )
    aws.ecr.LifecyclePolicy(
        f"{name}-repo-lifecycle",
        repository=repository.name,
        policy=json.dumps(lifecycle_rules(spec.keep_images)),
        opts=opts,
    )
    built = awsx.ecr.Image(
        f"{name}-image",
        awsx.ecr.ImageArgs(
            repository_url=repository.repository_url,
            context=spec.context,
            dockerfile=spec.dockerfile,
            target=spec.target,
            image_tag=image_tag(spec),
            platform=spec.platform,
        ),
        opts=opts,
    )
    return PushedImage(uri=built.image_uri, repository_arn=repository.arn, repository_url=repository.repository_url)


def lifecycle_rules(keep_images: int) -> dict[str, object]:
    return {
        "rules": [
            {
                "rulePriority": 1,
                "description": f"Expire untagged images after {UNTAGGED_EXPIRY_DAYS} days",
                "selection": {
                    "tagStatus": "untagged",
                    "countType": "sinceImagePushed",
                    "countUnit": "days",
                    "countNumber": UNTAGGED_EXPIRY_DAYS,
                },
                "action": {"type": "expire"},
            },
            {
                "rulePriority": 2,
                "description": f"Keep the last {keep_images} images",
                "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": keep_images},
                "action": {"type": "expire"},
            },
        ]
    }
