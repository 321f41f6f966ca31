"""Where a task's image comes from: a registry URI as given, or a local Docker build pushed
to an ECR repository created for it (scan on push, immutable tags, lifecycle rule).

`awsx.ecr.Image` builds and pushes; it is a multi-language component whose children never
run offline, so the plan shows it as a leaf with its `imageUri`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_awsx as awsx

from components.container import DockerBuild, ImageSource, ecr_repository_arn

#: Untagged layers left by re-tagging or failed pushes are expired after this many days.
UNTAGGED_EXPIRY_DAYS = 7


@dataclass(frozen=True)
class ResolvedImage:
    uri: pulumi.Input[str]
    """What the task definition runs; digest-pinned for builds."""
    pull_repository_arns: Sequence[pulumi.Input[str]]
    """ECR repositories the execution role must pull from (none for public registries)."""
    repository_url: pulumi.Output[str] | None
    """The repository created for a build; None for registry images."""


def resolve_image(name: str, image: ImageSource, platform: str, opts: pulumi.ResourceOptions) -> ResolvedImage:
    """The image URI, building and pushing `DockerBuild`s into their own repository."""
    if not isinstance(image, DockerBuild):
        arn = ecr_repository_arn(image.uri)
        return ResolvedImage(uri=image.uri, pull_repository_arns=[arn] if arn else [], repository_url=None)
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
        policy=json.dumps(_lifecycle_rules(image.keep_images)),
        opts=opts,
    )
    built = awsx.ecr.Image(
        f"{name}-image",
        awsx.ecr.ImageArgs(
            repository_url=repository.repository_url,
            context=image.context,
            dockerfile=image.dockerfile,
            target=image.target,
            image_tag=image.tag,
            platform=platform,
        ),
        opts=opts,
    )
    return ResolvedImage(
        uri=built.image_uri, pull_repository_arns=[repository.arn], repository_url=repository.repository_url
    )


def _lifecycle_rules(keep_images: int) -> dict[str, object]:
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
