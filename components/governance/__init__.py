"""Governance for any Pulumi program: standard tags and IMDSv2 on every resource, and the
pure policy rules the CrossGuard pack and the offline plan run.

A program calls `enable_governance()` once, before it declares any resource:

    from components import enable_governance
    enable_governance(environment="prod", tags={"CostCenter": "42"})

It registers two stack transforms (the Pulumi equivalent of the seed's CDK Aspects). They
run in the engine before the provider sees a resource's inputs, so they apply to our
components and to every other resource the program declares, bare or from another library.

Public: `enable_governance`, `standard_tag_values`, `extra_tag_problems`, the transforms
`standard_tags` and `require_imdsv2`, the IMDSv2 predicate `imdsv2_problem`, `is_taggable`,
`GovernanceError`, and the rule set in `policy_rules` (`RULES`, `check`, `Rule`, `Violation`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pulumi

from . import policy_rules
from .imds import IMDS_GOVERNED_TYPES, GovernanceError, imdsv2_problem, require_imdsv2
from .tags import extra_tag_problems, is_taggable, standard_tag_values, standard_tags

__all__ = [
    "IMDS_GOVERNED_TYPES",
    "GovernanceError",
    "enable_governance",
    "extra_tag_problems",
    "imdsv2_problem",
    "is_taggable",
    "policy_rules",
    "require_imdsv2",
    "standard_tag_values",
    "standard_tags",
]


def enable_governance(*, environment: str | None = None, tags: Mapping[str, str] | None = None) -> dict[str, str]:
    """Tag every taggable AWS resource declared after this call and refuse any EC2 instance,
    launch template, Spot request or launch configuration that does not require IMDSv2.

    The tags are `Environment` (`environment`, else the stack name), `ManagedBy: pulumi`,
    `Project` and `Stack` (from the running program), then `tags`, which win on equal keys.
    Returns the tags applied. Raises `ValueError` naming every tag AWS would reject, before
    anything is registered. Call it first: transforms see only resources declared after them.
    """
    extra = dict(tags or {})
    problems = extra_tag_problems(extra)
    if problems:
        raise ValueError("enable_governance(tags=...): " + "; ".join(problems))
    applied = standard_tag_values(
        project=pulumi.get_project(), stack=pulumi.get_stack(), environment=environment, extra=extra
    )
    pulumi.runtime.register_resource_transform(standard_tags(applied))
    pulumi.runtime.register_resource_transform(require_imdsv2())
    return applied
