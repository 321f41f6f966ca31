"""The rules of network."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from typing import Any

from components.catalogue.endpoint_services import endpoint_service_problems
from components.network.args import (
    NetworkArgs,
    NetworkShape,
)
from components.subnet_plan import (
    MAX_AZS,
    SubnetTier,
    plan_problems,
)
from components.validation import Problem, retention_problems, rules_for

#: Compute needs two AZs at least: EKS rejects a control plane in one, and one AZ is no HA.
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


@rules_for(NetworkShape)
def network_shape_problems(shape: NetworkShape) -> list[Problem]:
    """What a stack reading a network may declare about it."""
    problems = []
    if not shape.tiers:
        problems.append(Problem("tiers", "no tier declared; list the tiers the network stack has"))
    if len(set(shape.tiers)) != len(shape.tiers):
        problems.append(Problem("tiers", "a tier is listed twice; list each once"))
    if shape.az_count < MIN_AZS:
        problems.append(Problem("az_count", f"{shape.az_count} AZ(s); compute needs {MIN_AZS} at least"))
    return problems


_TIER_FIELDS: dict[SubnetTier, str] = {
    "public": "public_subnet_ids",
    "private": "private_subnet_ids",
    "isolated": "isolated_subnet_ids",
}
#: EC2 ids: the resource prefix, then 8 (older resources) or 17 lowercase hex digits.
_ID_KINDS = {"vpc": "a VPC id", "subnet": "a subnet id", "rtb": "a route table id"}


def _id_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"^{prefix}-([0-9a-f]{{8}}|[0-9a-f]{{17}})$")


_IDS = {prefix: _id_pattern(prefix) for prefix in _ID_KINDS}


def network_ref_problems(values: Mapping[str, Any], shape: NetworkShape | None = None) -> list[Problem]:
    """Every rule resolved network values (by NetworkRef field) break, against `shape` when
    given. Messages never quote a value: a referenced stack may hold it as a secret."""
    problems = [
        *_id_problems("vpc_id", values.get("vpc_id"), "vpc"),
        *_cidr_problems(values.get("vpc_cidr")),
    ]
    given: Any = values.get("availability_zones")
    azs: list[str] = list(given) if _is_list_of(given, str) and all(given) else []
    if not azs:
        problems.append(Problem("availability_zones", "must be a list of AZ names"))
    elif len(azs) < MIN_AZS:
        problems.append(Problem("availability_zones", f"{len(azs)} AZ(s); compute needs {MIN_AZS} at least"))
    elif len(set(azs)) != len(azs):
        problems.append(Problem("availability_zones", "an AZ is listed twice; list each once"))
    subnets: list[Any] = []
    present: list[SubnetTier] = []
    malformed: list[SubnetTier] = []
    for tier, field in _TIER_FIELDS.items():
        ids = values.get(field)
        id_problems = _id_list_problems(field, ids, "subnet")
        problems += id_problems
        if id_problems:
            malformed.append(tier)
        elif ids:
            present.append(tier)
            subnets += ids
            if azs and len(ids) != len(azs):
                problems.append(
                    Problem(field, f"{len(ids)} subnet(s) for {len(azs)} AZs; list one per AZ, in the AZs' order")
                )
    if not present and not malformed:
        problems.append(Problem("", "no subnets in any tier; list the subnets of one tier at least"))
    if len(set(subnets)) != len(subnets):
        problems.append(Problem("", "a subnet id is listed twice; each subnet belongs to one tier and one AZ"))
    if "private" not in malformed:
        problems += _route_table_problems(values.get("private_route_table_ids"), "private" in present, len(azs))
    if shape is not None:
        problems += _shape_problems(shape, azs, [t for t in shape.tiers if t not in present + malformed])
    return problems


def _shape_problems(shape: NetworkShape, azs: Sequence[str], absent: Sequence[SubnetTier]) -> list[Problem]:
    problems = []
    if azs and len(azs) != shape.az_count:
        problems.append(Problem("availability_zones", f"{len(azs)} AZs, but {shape.az_count} are declared"))
    for tier in absent:
        problems.append(Problem(_TIER_FIELDS[tier], f"the {tier} tier is declared, but the list is empty"))
    return problems


def _is_list_of(value: Any, kind: type) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(item, kind) for item in value)


def _id_problems(field: str, value: Any, prefix: str) -> list[Problem]:
    if isinstance(value, str) and _IDS[prefix].match(value):
        return []
    return [Problem(field, f"not {_ID_KINDS[prefix]} ('{prefix}-' and 8 or 17 lowercase hex digits)")]


def _id_list_problems(field: str, value: Any, prefix: str) -> list[Problem]:
    if not isinstance(value, list | tuple):
        return [Problem(field, f"must be a list of {_ID_KINDS[prefix].removeprefix('a ')}s (empty when none)")]
    return [p for i, item in enumerate(value) for p in _id_problems(f"{field}[{i}]", item, prefix)]


def _cidr_problems(value: Any) -> list[Problem]:
    try:
        ipaddress.IPv4Network(value)
    except (TypeError, ValueError):
        return [Problem("vpc_cidr", "not an IPv4 network CIDR (e.g. 10.0.0.0/16)")]
    return []


def _route_table_problems(value: Any, private: bool, az_count: int) -> list[Problem]:
    field = "private_route_table_ids"
    problems = _id_list_problems(field, value, "rtb")
    if problems:
        return problems
    if private and not 1 <= len(value) <= max(az_count, 1):
        return [Problem(field, f"{len(value)} route table(s); list the private subnets' own: 1 to {az_count}")]
    if not private and value:
        return [Problem(field, "there are no private subnets, so there are no private route tables; remove them")]
    return []
