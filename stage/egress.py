"""An outbound rule in a stack file, shared by Fargate services and Auto Scaling groups:

egress:
  - {port: 443}                                   # HTTPS anywhere
  - {port: 5432, securityGroupId: sg-0123456789abcdef0, description: Orders database}
  - {port: 123, protocol: udp, cidr: 10.20.0.0/16}
"""

from __future__ import annotations

from components import EgressProtocol, EgressRuleArgs
from stage.base import ConfigModel, args_default


class EgressRuleConfig(ConfigModel):
    port: int
    protocol: EgressProtocol = args_default(EgressRuleArgs, "protocol")
    cidr: str | None = None
    security_group_id: str | None = None
    description: str = args_default(EgressRuleArgs, "description")

    def to_args(self) -> EgressRuleArgs:
        return EgressRuleArgs(**self.model_dump())


def egress_config(rules: tuple[EgressRuleArgs, ...]) -> list[EgressRuleConfig]:
    """A component's default rules as config, so the stage never restates them."""
    return [
        EgressRuleConfig.model_validate(
            {
                "port": r.port,
                "protocol": r.protocol,
                "cidr": r.cidr,
                "securityGroupId": r.security_group_id,
                "description": r.description,
            }
        )
        for r in rules
    ]
