"""The rules of network."""

from __future__ import annotations

import re

from components.catalogue.endpoint_services import endpoint_service_problems
from components.network.args import (
    NetworkArgs,
)
from components.subnet_plan import (
    MAX_AZS,
    plan_problems,
)
from components.validation import Problem, retention_problems, rules_for

MIN_AZS = 2

_ENDPOINT_SERVICE = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$")


@rules_for(NetworkArgs)
def network_problems(args: NetworkArgs) -> list[Problem]:
    """Every rule NetworkArgs must satisfy; the stage config runs these too."""
    problems: list[Problem] = []
    if args.availability_zones is not None:
        azs = list(args.availability_zones)
        if not MIN_AZS <= len(azs) <= MAX_AZS:
            problems.append(Problem("availability_zones", f"{len(azs)} AZs given; list {MIN_AZS} to {MAX_AZS}"))
        if len(set(azs)) != len(azs):
            problems.append(Problem("availability_zones", "an AZ is listed twice; list each once"))
    elif not MIN_AZS <= args.az_count <= MAX_AZS:
        problems.append(Problem("az_count", f"{args.az_count} AZs; use {MIN_AZS} to {MAX_AZS} (3 is the HA default)"))
    tiers = list(args.tiers)
    if not tiers:
        problems.append(Problem("tiers", "no subnet tier; list at least one of public, private, isolated"))
    if len(set(tiers)) != len(tiers):
        problems.append(Problem("tiers", "a tier is listed twice; list each once"))
    if args.nat_gateways == "none" and "private" in tiers:
        problems.append(
            Problem(
                "nat_gateways",
                "private subnets route out through a NAT gateway, so 'none' leaves them without"
                " egress; choose 'single' or 'onePerAz', or declare those subnets isolated"
                " (tiers: [public, isolated])",
            )
        )
    if args.nat_gateways != "none" and "public" not in tiers:
        problems.append(
            Problem(
                "nat_gateways",
                f"NAT gateways live in public subnets, so '{args.nat_gateways}' needs the public"
                " tier; add 'public' to tiers or set natGateways to 'none'",
            )
        )
    extra_lengths = sorted(set(args.subnet_prefix_lengths) - set(tiers))
    if extra_lengths:
        problems.append(
            Problem("subnet_prefix_lengths", f"sized tier(s) {extra_lengths} are not in tiers; remove them")
        )
    az_count = min(max(args.resolved_az_count, 1), MAX_AZS)
    problems += plan_problems(args.cidr_block, az_count, tiers, args.subnet_prefix_lengths)
    if args.flow_logs is not None:
        problems += retention_problems("flow_logs.retention_days", args.flow_logs.retention_days)
    if len(set(args.gateway_endpoints)) != len(args.gateway_endpoints):
        problems.append(Problem("gateway_endpoints", "an endpoint is listed twice; list each once"))
    for service in args.interface_endpoints:
        if service.startswith("com.amazonaws."):
            short = service.split(".", 3)[-1]
            problems.append(
                Problem("interface_endpoints", f"{service!r} is a full service name; write the short name {short!r}")
            )
        elif not _ENDPOINT_SERVICE.match(service):
            problems.append(
                Problem(
                    "interface_endpoints",
                    f"{service!r} is not a service short name; write e.g. 'ecr.api' (the part"
                    " after com.amazonaws.<region>.)",
                )
            )
        elif service not in ("s3", "dynamodb"):
            problems += endpoint_service_problems("interface_endpoints", [service])
        if service in ("s3", "dynamodb"):
            problems.append(
                Problem(
                    "interface_endpoints",
                    f"{service!r} has a free gateway endpoint; list it under gatewayEndpoints instead",
                )
            )
    if len(set(args.interface_endpoints)) != len(args.interface_endpoints):
        problems.append(Problem("interface_endpoints", "a service is listed twice; list each once"))
    if args.interface_endpoints and not {"private", "isolated"} & set(tiers):
        problems.append(
            Problem("interface_endpoints", "interface endpoints need a private or isolated tier to live in")
        )
    return problems
