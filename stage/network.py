"""`aws-compute:network`: the VPC every compute component of the stage lives in.

Exactly one source: built by this stack (the default, from the keys `cidrBlock` to
`interfaceEndpoints`), read from another stack's outputs (`fromStack`), or a VPC that exists
already (`existing`, keyed as a network stack's outputs are). Compute is the same on all three.

Config reference of the two other sources (camelCase):

    aws-compute:network:
      fromStack:                         # another stack's outputs, read through a StackReference
        stack: organization/aws-compute/network-prod   # <org>/<project>/<stack>
        tiers: [public, private, isolated]   # declared, so rules run before anything is read
        azCount: 3                           # declared; both are checked once the outputs resolve
      # or, instead of fromStack:
      existing:                          # a VPC no Pulumi program created
        vpcId: vpc-0123456789abcdef0
        vpcCidr: 10.30.0.0/16
        availabilityZones: [us-east-1a, us-east-1b]
        publicSubnetIds: [subnet-0123456789abcdef0, subnet-0123456789abcdef1]   # one per AZ, in order
        privateSubnetIds: [subnet-0123456789abcdef2, subnet-0123456789abcdef3]
        isolatedSubnetIds: []
        privateRouteTableIds: [rtb-0123456789abcdef0]   # one shared, or one per AZ
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

from components import (
    FlowLogsArgs,
    FlowLogTrafficType,
    GatewayEndpoint,
    NatStrategy,
    NetworkArgs,
    NetworkRef,
    NetworkShape,
    Problem,
    SubnetTier,
    network_ref_problems,
    zone_problems,
)
from stage.base import ConfigModel, args_problems

_DEFAULTS = NetworkArgs()
_FLOW_DEFAULTS = FlowLogsArgs()
_SHAPE_DEFAULTS = NetworkShape()
#: A fully qualified stack name, as `pulumi stack ls --all` prints it.
_STACK_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_SOURCES = ("from_stack", "existing")


class FlowLogsConfig(ConfigModel):
    enabled: bool = True
    traffic_type: FlowLogTrafficType = _FLOW_DEFAULTS.traffic_type
    retention_days: int = _FLOW_DEFAULTS.retention_days
    max_aggregation_interval: Literal[60, 600] = _FLOW_DEFAULTS.max_aggregation_interval

    def to_args(self) -> FlowLogsArgs | None:
        if not self.enabled:
            return None
        return FlowLogsArgs(
            traffic_type=self.traffic_type,
            retention_days=self.retention_days,
            max_aggregation_interval=self.max_aggregation_interval,
        )


class FromStackConfig(ConfigModel):
    """`fromStack`: a string (the stack) or a block declaring the shape too."""

    stack: str
    tiers: list[SubnetTier] = Field(default_factory=lambda: list(_SHAPE_DEFAULTS.tiers))
    az_count: int = _SHAPE_DEFAULTS.az_count

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"stack": value} if isinstance(value, str) else value

    @field_validator("stack")
    @classmethod
    def _qualified(cls, stack: str) -> str:
        if not _STACK_NAME.match(stack):
            raise ValueError(
                f"{stack!r} is not a fully qualified stack name; write <org>/<project>/<stack>"
                " (the org is 'organization' on a self-managed backend)"
            )
        return stack

    def shape(self) -> NetworkShape:
        return NetworkShape(tiers=tuple(self.tiers), az_count=self.az_count)

    def problems(self) -> list[Problem]:
        return args_problems(self.shape)


class ExistingNetworkConfig(ConfigModel):
    """`existing`: the ids of a VPC, under the names a network stack exports them."""

    vpc_id: str
    vpc_cidr: str
    availability_zones: list[str]
    public_subnet_ids: list[str] = Field(default_factory=list)
    private_subnet_ids: list[str] = Field(default_factory=list)
    isolated_subnet_ids: list[str] = Field(default_factory=list)
    private_route_table_ids: list[str] = Field(default_factory=list)

    def to_ref(self) -> NetworkRef:
        return NetworkRef(**{name: getattr(self, name) for name in type(self).model_fields})

    def tiers(self) -> tuple[SubnetTier, ...]:
        """The tiers whose subnets are listed."""
        listed: tuple[SubnetTier, ...] = ("public", "private", "isolated")
        return tuple(tier for tier in listed if getattr(self, f"{tier}_subnet_ids"))

    def problems(self) -> list[Problem]:
        return network_ref_problems(self.model_dump())


class NetworkConfig(ConfigModel):
    """Defaults are NetworkArgs' own: 10.0.0.0/16, 3 AZs, all tiers, a NAT per AZ, flow logs on."""

    cidr_block: str = _DEFAULTS.cidr_block
    az_count: int = _DEFAULTS.az_count
    availability_zones: list[str] | None = None
    tiers: list[SubnetTier] = Field(default_factory=lambda: list(_DEFAULTS.tiers))
    subnet_prefix_lengths: dict[SubnetTier, int] = Field(default_factory=dict)
    nat_gateways: NatStrategy = _DEFAULTS.nat_gateways
    flow_logs: FlowLogsConfig = Field(default_factory=FlowLogsConfig)
    gateway_endpoints: list[GatewayEndpoint] = Field(default_factory=lambda: list(_DEFAULTS.gateway_endpoints))
    interface_endpoints: list[str] = Field(default_factory=list)
    protect: bool = _DEFAULTS.protect
    from_stack: FromStackConfig | None = None
    """Read the network from another stack's outputs instead of building it."""
    existing: ExistingNetworkConfig | None = None
    """Use a VPC that exists already instead of building one."""

    def to_args(self) -> NetworkArgs:
        return NetworkArgs(
            cidr_block=self.cidr_block,
            az_count=self.az_count,
            availability_zones=self.availability_zones,
            tiers=tuple(self.tiers),
            subnet_prefix_lengths=dict(self.subnet_prefix_lengths),
            nat_gateways=self.nat_gateways,
            flow_logs=self.flow_logs.to_args(),
            gateway_endpoints=tuple(self.gateway_endpoints),
            interface_endpoints=tuple(self.interface_endpoints),
            protect=self.protect,
        )

    def declared_tiers(self) -> tuple[SubnetTier, ...]:
        """The tiers the source declares (or builds), for the rules that need them."""
        if self.from_stack is not None:
            return tuple(self.from_stack.tiers)
        if self.existing is not None:
            return self.existing.tiers()
        return tuple(self.tiers)

    def missing_tier(self, tier: SubnetTier) -> tuple[str, str]:
        """The key that gives the network `tier`, and how to fix its absence, per source."""
        if self.from_stack is not None:
            return "from_stack.tiers", f"declare '{tier}' in fromStack.tiers, for a network stack that exports them"
        if self.existing is not None:
            key = f"{tier}_subnet_ids"
            return f"existing.{key}", f"list the VPC's {tier} subnets in {to_camel(key)}, one per AZ"
        fix = f"add '{tier}' to tiers" + (
            " (with a NAT gateway strategy other than 'none')" if tier == "private" else ""
        )
        return "tiers", fix

    def problems(self) -> list[Problem]:
        given = [name for name in _SOURCES if getattr(self, name) is not None]
        if len(given) > 1:
            return [Problem("existing", "the network comes from fromStack already; keep one of fromStack and existing")]
        if not given:
            return args_problems(self.to_args)
        source = given[0]
        build_keys = sorted(self.model_fields_set - set(_SOURCES), key=list(type(self).model_fields).index)
        problems = [
            Problem(key, f"configures a network this stack builds, but it reads one ({to_camel(source)}); remove it")
            for key in build_keys
        ]
        nested: ConfigModel = getattr(self, source)
        return problems + [Problem(f"{source}.{p.field}".rstrip("."), p.message) for p in nested.problems()]

    def region_problems(self, region: str | None) -> list[Problem]:
        """Availability Zones that `region` does not have (the component cannot know its
        region): the built network's, or the existing VPC's."""
        if self.existing is not None:
            return zone_problems("existing.availability_zones", self.existing.availability_zones, region)
        return zone_problems("availability_zones", self.availability_zones or [], region)
