"""Standard tags on every taggable AWS resource, as a stack transform."""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Mapping
from typing import Any

import pulumi

#: AWS tag keys: 1-128 characters, no reserved `aws:` prefix (in any case); values 0-256
#: characters of the same set (IAM, EKS and others reject anything else).
_TAG_KEY = re.compile(r"^(?![aA][wW][sS]:)[\w\s.:/=+\-@]{1,128}$")
_TAG_VALUE = re.compile(r"^[\w\s.:/=+\-@]{0,256}$")
#: AWS allows 50 tags per resource; the standard four and our components' own (Name, Tier,
#: a Kubernetes role tag) take up to 7.
MAX_EXTRA_TAGS = 43


def extra_tag_problems(tags: Mapping[str, str]) -> list[str]:
    """What AWS would reject in `tags` (added to the standard four), one message per rule broken."""
    problems = []
    bad_keys = [key for key in tags if not _TAG_KEY.match(key)]
    if bad_keys:
        problems.append(f"tag keys {bad_keys} are invalid: 1-128 characters, not starting with 'aws:'")
    bad_values = [key for key, value in tags.items() if not _TAG_VALUE.match(value)]
    if bad_values:
        problems.append(
            f"the values of tags {bad_values} are invalid: at most 256 letters, digits, spaces and _.:/=+-@"
        )
    if len(tags) > MAX_EXTRA_TAGS:
        problems.append(f"{len(tags)} tags; AWS allows 50 per resource, so list at most {MAX_EXTRA_TAGS}")
    return problems


def standard_tag_values(
    *, project: str, stack: str, environment: str | None = None, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Environment (the stack name unless given), ManagedBy, Project and Stack, then `extra`."""
    return {
        "Environment": environment or stack,
        "ManagedBy": "pulumi",
        "Project": project,
        "Stack": stack,
        **(extra or {}),
    }


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
