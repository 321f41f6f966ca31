"""Inbound security-group rules from CIDR blocks on one port: one rule per CIDR, named by
the CIDR, for the ALB's listeners and the EKS API alike."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from components.child_keys import cidr_key, published_as, repeated_keys
from components.validation import Problem


def duplicate_cidr_problems(field: str, cidrs: Sequence[str]) -> list[Problem]:
    """A CIDR listed twice (however written) would be two rules of one name that AWS refuses
    as a duplicate; valid CIDRs only (others are their rule's problem)."""
    valid = []
    for cidr in cidrs:
        try:
            valid.append(cidr_key(cidr))
        except ValueError:
            continue
    return repeated_keys(field, valid, "{key} is listed {count} times; list each CIDR once")


def cidr_ingress_rules(
    prefix: str,
    security_group_id: pulumi.Input[str],
    port: int,
    cidrs: Sequence[str],
    description: str,
    opts: pulumi.ResourceOptions,
) -> list[aws.vpc.SecurityGroupIngressRule]:
    """`{prefix}-{cidr}` per CIDR (IPv4 or IPv6), TCP on `port`; `description` may name the
    rule's `{cidr}`. Before 0.2.0 rules were named `{prefix}-{position}`: kept as aliases."""
    rules = []
    for position, cidr in enumerate(cidrs):
        ipv6 = ipaddress.ip_network(cidr).version == 6
        rules.append(
            aws.vpc.SecurityGroupIngressRule(
                f"{prefix}-{cidr_key(cidr)}",
                security_group_id=security_group_id,
                description=description.format(cidr=cidr),
                ip_protocol="tcp",
                from_port=port,
                to_port=port,
                cidr_ipv4=None if ipv6 else cidr,
                cidr_ipv6=cidr if ipv6 else None,
                opts=published_as(opts, f"{prefix}-{position}"),
            )
        )
    return rules
