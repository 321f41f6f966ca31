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
        return pulumi.ResourceTransformResult(props=props, opts=args.opts)

    return transform
