"""Network: a VPC across AZs with public, private and isolated subnets, NAT, flow logs and endpoints.

Public: the names in `__all__` (also re-exported by `components`). Every other module of
this package is private to it: `args` (the dataclasses), `rules` (their validation),
`resources` (the ComponentResource) and its helpers.
"""

from __future__ import annotations

from components.network import rules as _rules  # noqa: F401 (registers the args' rules, see CheckedArgs)
from components.network.args import (
    FlowLogsArgs,
    FlowLogTrafficType,
    GatewayEndpoint,
    NatStrategy,
    NetworkArgs,
    NetworkRef,
    NetworkShape,
)
from components.network.from_stack import NetworkOutputsError, network_from_stack
from components.network.resources import Network
from components.network.rules import network_ref_problems

__all__ = [
    "FlowLogTrafficType",
    "FlowLogsArgs",
    "GatewayEndpoint",
    "NatStrategy",
    "Network",
    "NetworkArgs",
    "NetworkOutputsError",
    "NetworkRef",
    "NetworkShape",
    "network_from_stack",
    "network_ref_problems",
]
