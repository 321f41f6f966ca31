"""Outbound security-group rules as data: the one shape in which Fargate tasks and EC2
instances name where they may connect, each rule keyed by what it allows, so adding or
removing one never renames another."""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_aws as aws

from components.child_keys import published_as
from components.validation import CheckedArgs, Problem

#: Where a rule goes when it names neither a CIDR nor a security group.
ANYWHERE = "0.0.0.0/0"
SECURITY_GROUP_ID = re.compile(r"^sg-[0-9a-f]{8,17}$")

EgressProtocol = Literal["tcp", "udp"]


@dataclass(frozen=True, kw_only=True)
class EgressRuleArgs(CheckedArgs):
    """One destination a security group may reach."""

    port: int
    """Destination port, 1-65535."""
    protocol: EgressProtocol = "tcp"
    """tcp by default; udp for the rare service that needs it (DNS to the VPC resolver
    needs no rule: security groups never filter it)."""
    cidr: str | None = None
    """IPv4 destination. With neither this nor `security_group_id`: anywhere (0.0.0.0/0),
    as AWS APIs and package mirrors have no fixed range."""
    security_group_id: str | None = None
    """A security group in the same VPC (`sg-…`) instead of a CIDR: east-west traffic to
    resources outside this stack, such as a database."""
    description: str = "Outbound"
    """Shown in the console next to the rule."""

    @property
    def destination(self) -> str:
        return self.security_group_id or self.cidr or ANYWHERE

    @property
    def key(self) -> str:
        """The rule's stable identity, part of its child's logical name."""
        return f"{self.protocol}-{self.port}-{self.destination}"


def egress_problems(rules: Sequence[EgressRuleArgs], field: str = "egress") -> list[Problem]:
    """Ports in range, one destination per rule that AWS accepts, no rule listed twice."""
    problems: list[Problem] = []
    for i, rule in enumerate(rules):
        at = f"{field}.{i}"
        if not 1 <= rule.port <= 65535:
            problems.append(Problem(f"{at}.port", f"{rule.port} is not a port; use 1-65535"))
        if rule.cidr is not None and rule.security_group_id is not None:
            problems.append(Problem(at, "name either cidr or security_group_id, not both"))
        if rule.cidr is not None:
            try:
                ipaddress.IPv4Network(rule.cidr)
            except ValueError:
                problems.append(Problem(f"{at}.cidr", f"{rule.cidr!r} is not an IPv4 CIDR block such as 10.0.0.0/16"))
        if rule.security_group_id is not None and not SECURITY_GROUP_ID.match(rule.security_group_id):
            problems.append(
                Problem(f"{at}.security_group_id", f"{rule.security_group_id!r} is not a security group id (sg-…)")
            )
    for key, count in Counter(rule.key for rule in rules).items():
        if count > 1:
            problems.append(Problem(field, f"{key} is listed {count} times; list each destination once"))
    return problems


def egress_rules(
    name: str,
    security_group_id: pulumi.Input[str],
    rules: Sequence[EgressRuleArgs],
    opts: pulumi.ResourceOptions,
    published_names: Sequence[str] = (),
) -> None:
    """One `SecurityGroupEgressRule` per rule, named `{name}-egress-{key}`.

    `published_names[i]` is the name rule i had before rules were keyed by identity; it
    becomes an alias, so upgrading renames nothing in the cloud.
    """
    for i, rule in enumerate(rules):
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-egress-{rule.key}",
            security_group_id=security_group_id,
            description=rule.description,
            ip_protocol=rule.protocol,
            from_port=rule.port,
            to_port=rule.port,
            cidr_ipv4=None if rule.security_group_id else rule.cidr or ANYWHERE,
            referenced_security_group_id=rule.security_group_id,
            opts=published_as(opts, *published_names[i : i + 1]),
        )
