"""`aws-compute:network`: the VPC every compute component of the stage lives in."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from components import (
    FlowLogsArgs,
    FlowLogTrafficType,
    GatewayEndpoint,
    NatStrategy,
    NetworkArgs,
    Problem,
    SubnetTier,
    zone_problems,
)
from stage.base import ConfigModel, args_problems

_DEFAULTS = NetworkArgs()
_FLOW_DEFAULTS = FlowLogsArgs()


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

    def problems(self) -> list[Problem]:
        return args_problems(self.to_args)

    def region_problems(self, region: str | None) -> list[Problem]:
        """Availability Zones that `region` does not have (the component cannot know its region)."""
        return zone_problems("availability_zones", self.availability_zones or [], region)
