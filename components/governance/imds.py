"""IMDSv2 or nothing: the one predicate, and the stack transform refusing what fails it.

The CrossGuard/offline rule `imdsv2-required` (`policy_rules.py`) judges with the same
`imdsv2_problem`, so the guard and the policy pack cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.runtime import rpc

#: Resources that configure instance metadata for the instances they launch, by type,
#: with the noun the refusal names them by.
IMDS_GOVERNED_TYPES = {
    "aws:ec2/launchTemplate:LaunchTemplate": "launch template",
    "aws:ec2/instance:Instance": "instance",
    "aws:ec2/spotInstanceRequest:SpotInstanceRequest": "Spot instance request",
    "aws:ec2/launchConfiguration:LaunchConfiguration": "launch configuration",
}


class GovernanceError(pulumi.RunError):
    """A resource the stack's governance refuses; nothing is deployed. A `RunError`, so the
    CLI prints the message alone, without a traceback."""


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
