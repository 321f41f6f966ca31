"""The args of network."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import pulumi

from components.subnet_plan import (
    SubnetTier,
    default_prefix_lengths,
)
from components.validation import CheckedArgs

NatStrategy = Literal["none", "single", "onePerAz"]


FlowLogTrafficType = Literal["ACCEPT", "REJECT", "ALL"]


GatewayEndpoint = Literal["s3", "dynamodb"]


@dataclass(frozen=True, kw_only=True)
class FlowLogsArgs(CheckedArgs):
    """VPC flow logs to a CloudWatch Logs group of the network's own."""

    traffic_type: FlowLogTrafficType = "REJECT"
    """REJECT by default (the seed's choice): rejected flows are what investigations need,
    at a fraction of the volume and cost of ALL."""
    retention_days: int = 365
    """One year by default, for audit; dev stacks lower it explicitly."""
    max_aggregation_interval: Literal[60, 600] = 60
    """Seconds per flow record window; 60 gives near-real-time records."""


@dataclass(frozen=True, kw_only=True)
class NetworkArgs(CheckedArgs):
    """The args of `Network`: CIDR, AZs, subnet tiers and sizes, NAT strategy, flow logs and endpoints."""

    cidr_block: str = "10.0.0.0/16"
    """The VPC CIDR; /16 by default, room for every tier in four AZs."""
    availability_zones: Sequence[str] | None = None
    """Explicit AZ names; by default the first `az_count` available AZs of the region
    (Local and Wavelength Zones excluded)."""
    az_count: int = 3
    """How many AZs when `availability_zones` is not given: 3 by default, for HA."""
    tiers: Sequence[SubnetTier] = ("public", "private", "isolated")
    """Subnet tiers to create in every AZ: public (IGW route), private (NAT route),
    isolated (no route out). All three by default."""
    subnet_prefix_lengths: Mapping[SubnetTier, int] = field(default_factory=dict)
    """Prefix length per tier; missing tiers take `subnet_plan.default_prefix_lengths`
    (/24 public and isolated, /20 private in a /16)."""
    nat_gateways: NatStrategy = "onePerAz"
    """onePerAz by default: an AZ outage never cuts another AZ's egress. `single` is the
    cheaper dev knob; `none` requires that no private tier exists."""
    flow_logs: FlowLogsArgs | None = field(default_factory=FlowLogsArgs)
    """VPC flow logs to CloudWatch Logs; on by default. None turns them off."""
    gateway_endpoints: Sequence[GatewayEndpoint] = ("s3", "dynamodb")
    """Free gateway endpoints, routed from private and isolated subnets; both by default."""
    interface_endpoints: Sequence[str] = ()
    """Interface endpoint services by short name (`ecr.api`, `ecr.dkr`, `logs`, `sts`,
    `ssm`, ...); none by default (each costs per AZ-hour)."""
    protect: bool = True
    """Pulumi `protect` on the VPC and the flow-log group (audit data): `pulumi up` refuses to delete or replace
    them until the flag is lifted, so a mistaken change cannot take them down. On by default; dev turns it
    off to tear stages down freely."""

    @property
    def resolved_az_count(self) -> int:
        return len(self.availability_zones) if self.availability_zones else self.az_count

    @property
    def resolved_prefix_lengths(self) -> dict[SubnetTier, int]:
        vpc_prefix = int(self.cidr_block.partition("/")[2] or 0)
        return {**default_prefix_lengths(vpc_prefix), **self.subnet_prefix_lengths}


@dataclass(frozen=True, kw_only=True)
class NetworkShape(CheckedArgs):
    """What a stack that reads a network declares about it, so that rules needing the
    network's shape (a private tier, the AZ count) run before anything is read."""

    tiers: Sequence[SubnetTier] = ("public", "private", "isolated")
    """Tiers the network has; all three by default, as `NetworkArgs` builds them."""
    az_count: int = 3
    """AZs the network spans; 3 by default, as `NetworkArgs` builds it."""


@dataclass(frozen=True, kw_only=True)
class NetworkRef:
    """A VPC and its subnets per tier, one subnet per AZ in the order of `availability_zones`."""

    OUTPUTS: ClassVar[dict[str, str]] = {
        "vpc_id": "vpcId",
        "vpc_cidr": "vpcCidr",
        "availability_zones": "availabilityZones",
        "public_subnet_ids": "publicSubnetIds",
        "private_subnet_ids": "privateSubnetIds",
        "isolated_subnet_ids": "isolatedSubnetIds",
        "private_route_table_ids": "privateRouteTableIds",
    }
    """The network contract between stacks: each field's stack output name. A stack that
    builds a network exports these; a stack that reads one requires them."""

    vpc_id: pulumi.Input[str]
    """The VPC; security groups of compute are created in it."""
    vpc_cidr: pulumi.Input[str]
    """The VPC's IPv4 CIDR, for rules that admit the whole VPC."""
    availability_zones: pulumi.Input[Sequence[str]]
    """AZ names; every subnet list follows their order."""
    public_subnet_ids: pulumi.Input[Sequence[str]] = ()
    """Where internet-facing load balancers live; none by default (no public tier)."""
    private_subnet_ids: pulumi.Input[Sequence[str]] = ()
    """Where compute runs (Fargate tasks, Lambda ENIs, instances, EKS nodes and pods) and
    internal load balancers live; none by default (no private tier)."""
    isolated_subnet_ids: pulumi.Input[Sequence[str]] = ()
    """Subnets with no route out, for data stores; none by default."""
    private_route_table_ids: pulumi.Input[Sequence[str]] = ()
    """The private subnets' route tables (one per AZ, or one shared), for routes a stack
    adds; none by default (no private tier)."""

    def outputs(self) -> dict[str, pulumi.Input[Any]]:
        """The values by stack output name: what a stack exports for others to read."""
        return {output: getattr(self, field) for field, output in self.OUTPUTS.items()}
