"""Where a task's image comes from: a registry URI as given, or a local Docker build pushed
to an ECR repository created for it (`components.ecr_image`: immutable and scanned)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi

from components.ecr_image import DockerBuildSpec, build_and_push, ecr_repository_arn
from components.fargate_service.container import DockerBuild, ImageSource


@dataclass(frozen=True)
class ResolvedImage:
    uri: pulumi.Input[str]
    """What the task definition runs; digest-pinned for builds."""
    pull_repository_arns: Sequence[pulumi.Input[str]]
    """ECR repositories the execution role must pull from (none for public registries)."""
    repository_url: pulumi.Output[str] | None
    """The repository created for a build; None for registry images."""


def resolve_image(name: str, image: ImageSource, platform: str, opts: pulumi.ResourceOptions) -> ResolvedImage:
    """The image URI, building and pushing `DockerBuild`s into their own repository; the
    pushed tag is `<image.tag>-<build hash>`, so a changed build never reuses a tag."""
    if not isinstance(image, DockerBuild):
        arn = ecr_repository_arn(image.uri)
        return ResolvedImage(uri=image.uri, pull_repository_arns=[arn] if arn else [], repository_url=None)
    spec = DockerBuildSpec(
        context=image.context,
        platform=platform,
        dockerfile=image.dockerfile,
        target=image.target,
        version=image.tag,
        keep_images=image.keep_images,
    )
    pushed = build_and_push(name, spec, opts)
    return ResolvedImage(
        uri=pushed.uri, pull_repository_arns=[pushed.repository_arn], repository_url=pushed.repository_url
    )
