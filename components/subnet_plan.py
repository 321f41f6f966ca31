"""A deterministic, append-only CIDR plan for subnet tiers across availability zones.

The VPC CIDR is cut into four equal regions, one per tier at a fixed position (public,
private, isolated, and one reserved for a future tier). Each region is cut into four equal
AZ slots (the most AZs a Network supports). The subnet of tier T in AZ i is the first block
of the tier's prefix length inside slot (T, i).

Because a subnet's position depends only on its tier and AZ index - never on how many AZs
or tiers exist - adding an AZ or a tier never renumbers an existing subnet (renumbering
would replace it, and everything in it). In a /16 each slot is a /20: private subnets
default to the whole /20 (4,091 usable addresses for ENI-hungry Fargate, Lambda and EKS
pods), public and isolated subnets to a /24 at the start of theirs.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from typing import Literal

from components.validation import Problem

SubnetTier = Literal["public", "private", "isolated"]

#: Fixed region index of each tier; region 3 is reserved so a tier can be added later.
TIER_POSITIONS: dict[SubnetTier, int] = {"public": 0, "private": 1, "isolated": 2}
MAX_AZS = 4
#: A region is a quarter of the VPC and a slot a quarter of a region: 4 prefix bits in all.
SLOT_BITS = 4
#: AWS accepts subnet prefixes from /16 to /28.
SMALLEST_SUBNET_PREFIX = 28
#: The largest VPC prefix that still leaves /28 slots.
LARGEST_VPC_PREFIX = SMALLEST_SUBNET_PREFIX - SLOT_BITS
#: AWS accepts VPC CIDR prefixes from /16 to /28.
SMALLEST_VPC_PREFIX = 16


def default_prefix_lengths(vpc_prefix: int) -> dict[SubnetTier, int]:
    """Private takes its whole slot; public and isolated a sixteenth of theirs (at most /28)."""
    slot = vpc_prefix + SLOT_BITS
    small = min(slot + 4, SMALLEST_SUBNET_PREFIX)
    return {"public": small, "private": slot, "isolated": small}


def plan_problems(
    vpc_cidr: str,
    az_count: int,
    tiers: Sequence[SubnetTier],
    prefix_lengths: Mapping[SubnetTier, int],
    *,
    cidr_field: str = "cidr_block",
    prefix_field: str = "subnet_prefix_lengths",
) -> list[Problem]:
    """Every reason the plan cannot be laid out; empty when `plan_subnets` will succeed."""
    problems: list[Problem] = []
    try:
        vpc = ipaddress.IPv4Network(vpc_cidr, strict=True)
    except ValueError as exc:
        return [Problem(cidr_field, f"{vpc_cidr!r} is not an IPv4 network CIDR ({exc}); e.g. 10.0.0.0/16")]
    if not SMALLEST_VPC_PREFIX <= vpc.prefixlen <= LARGEST_VPC_PREFIX:
        problems.append(
            Problem(
                cidr_field,
                f"a /{vpc.prefixlen} VPC cannot hold 4 tier regions x {MAX_AZS} AZ slots of at least"
                f" /{SMALLEST_SUBNET_PREFIX}; use a prefix from /{SMALLEST_VPC_PREFIX} to /{LARGEST_VPC_PREFIX}",
            )
        )
        return problems
    if not 1 <= az_count <= MAX_AZS:
        problems.append(Problem("az_count", f"{az_count} AZs; the plan has slots for 1 to {MAX_AZS}"))
    slot_prefix = vpc.prefixlen + SLOT_BITS
    for tier in tiers:
        length = prefix_lengths.get(tier)
        if length is None:
            continue
        if not slot_prefix <= length <= SMALLEST_SUBNET_PREFIX:
            problems.append(
                Problem(
                    f"{prefix_field}.{tier}",
                    f"/{length} does not fit the /{slot_prefix} slot each AZ gets in a /{vpc.prefixlen}"
                    f" VPC; use /{slot_prefix} to /{SMALLEST_SUBNET_PREFIX}, or a larger VPC CIDR",
                )
            )
    return problems


def plan_subnets(
    vpc_cidr: str,
    az_count: int,
    tiers: Sequence[SubnetTier],
    prefix_lengths: Mapping[SubnetTier, int],
) -> dict[SubnetTier, list[str]]:
    """The CIDR of every subnet, by tier, ordered by AZ index. Call `plan_problems` first."""
    vpc = ipaddress.IPv4Network(vpc_cidr)
    regions = list(vpc.subnets(prefixlen_diff=SLOT_BITS // 2))
    plan: dict[SubnetTier, list[str]] = {}
    for tier in tiers:
        slots = list(regions[TIER_POSITIONS[tier]].subnets(prefixlen_diff=SLOT_BITS // 2))
        length = prefix_lengths[tier]
        plan[tier] = [str(next(slots[az].subnets(new_prefix=length))) for az in range(az_count)]
    return plan
