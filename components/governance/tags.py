"""Stack-wide governance, done the Pulumi way: resource transforms that `__main__.py`
registers before any resource exists (the equivalent of the seed's CDK Aspects).

Transforms run in the engine before the provider sees a resource's inputs, so they apply
equally to our components and to anything else a program declares.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.runtime import rpc


@functools.cache
def is_taggable(type_: str) -> bool:
    """Whether a pulumi_aws resource type takes a `tags` input (read from the SDK itself)."""
    package, _, rest = type_.partition(":")
    if package != "aws":
        return False
    module_path, _, class_name = rest.partition(":")
    module = module_path.split("/")[0]
    for candidate in ("pulumi_aws" if module == "index" else f"pulumi_aws.{module}", f"pulumi_aws.{module}_"):
        try:
            args_class = getattr(importlib.import_module(candidate), f"{class_name}Args", None)
        except ImportError:
            continue
        if args_class is not None:
            return isinstance(getattr(args_class, "tags", None), property)
    return False


def _merge_tags(existing: Any, standard: Mapping[str, str]) -> Any:
    """Standard tags win over a resource's own; Auto Scaling groups take a list of tag blocks."""
    if isinstance(existing, list):
        present = {tag["key"] for tag in existing}
        return existing + [
            {"key": key, "value": value, "propagateAtLaunch": True}
            for key, value in standard.items()
            if key not in present
        ]
    return {**(existing or {}), **standard}


#: Launch templates tag what they launch through tag specifications, not through `tags`.
_LAUNCHED_RESOURCE_TYPES = ("instance", "volume")
_LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"


def _merge_tag_specifications(existing: Any, standard: Mapping[str, str]) -> list[dict[str, Any]]:
    """Standard tags on the instances and volumes a launch template launches."""
    specs = [dict(spec) for spec in existing or []]
    for kind in _LAUNCHED_RESOURCE_TYPES:
        if not any(spec.get("resourceType") == kind for spec in specs):
            specs.append({"resourceType": kind, "tags": {}})
    return [{**spec, "tags": {**(spec.get("tags") or {}), **standard}} for spec in specs]


def standard_tags(tags: Mapping[str, str]) -> pulumi.ResourceTransform:
    """A transform that puts `tags` on every taggable AWS resource.

    Explicit tags rather than the provider's `defaultTags`: they show in `pulumi preview`
    diffs and in offline plans, and they reach Auto Scaling groups, which `defaultTags`
    does not tag.
    """
    frozen = dict(tags)

    def transform(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
        if not args.custom or not is_taggable(args.type_):
            return None
        props = dict(args.props)
        props["tags"] = _merge_tags(props.get("tags"), frozen)
        if args.type_ == _LAUNCH_TEMPLATE:
            props["tagSpecifications"] = _merge_tag_specifications(props.get("tagSpecifications"), frozen)
        return pulumi.ResourceTransformResult(props=props, opts=args.opts)

    return transform


#: Resources that configure instance metadata for the instances they launch, by type,
#: with the noun the refusal names them by.
IMDS_GOVERNED_TYPES = {
    _LAUNCH_TEMPLATE: "launch template",
    "aws:ec2/instance:Instance": "instance",
    "aws:ec2/spotInstanceRequest:SpotInstanceRequest": "Spot instance request",
    "aws:ec2/launchConfiguration:LaunchConfiguration": "launch configuration",
}


class GovernanceError(Exception):
    """A resource the stack's governance refuses; nothing is deployed."""


def imdsv2_problem(props: Mapping[str, Any]) -> str | None:
    """Why an EC2 resource's inputs do not require IMDSv2, or None when they do.

    `httpTokens` must be `required`. A disabled endpoint does not excuse missing tokens:
    enabling it later (one API call, no replacement) would expose IMDSv1 again. An unknown
    value (wired from another resource during preview) is not judged.
    """
    options = props.get("metadataOptions") or {}
    tokens = options.get("httpTokens")
    if tokens == "required" or tokens == rpc.UNKNOWN:
        return None
    if options.get("httpEndpoint") == "disabled":
        return "has its metadata endpoint disabled but does not require tokens; set httpTokens 'required' as well"
    if tokens is None:
        return "does not set metadataOptions.httpTokens, so IMDSv1 stays open; set it to 'required'"
    return f"sets metadataOptions.httpTokens {tokens!r}; set it to 'required'"


def require_imdsv2() -> pulumi.ResourceTransform:
    """A transform refusing any launch template, instance or Spot request without IMDSv2.

    The seed's EnforceIMDSv2 aspect: it raises, so the program stops before the provider
    sees the resource, whichever component (or bare resource) declared it.
    """

    def transform(args: pulumi.ResourceTransformArgs) -> None:
        kind = IMDS_GOVERNED_TYPES.get(args.type_)
        problem = imdsv2_problem(args.props) if kind is not None and args.custom else None
        if problem:
            raise GovernanceError(f"{kind} {args.name!r} ({args.type_}) must require IMDSv2: it {problem}")

    return transform
