"""Stable identities for children's logical names, and the aliases that keep the positional
names published before them.

A child made per list item is named by what it is (its CIDR, its policy's name), never by
its position: removing the first of three items then deletes that item's child and leaves
the other two untouched, where a position would rename (replace) both. Children named by
position before 0.2.0 carry that name as an alias, so upgrading moves their state instead
of replacing them.
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Iterable, Sequence

import pulumi

from components.validation import Problem


def cidr_key(cidr: str) -> str:
    """A CIDR as it reads in a logical name: IPv4 as written (`10.0.0.0/8`), IPv6 with every
    group spelled out (`2001:db8:0:0:0:0:0:0/32`), since a URN may not contain `::`."""
    network = ipaddress.ip_network(cidr)
    if network.version == 4:
        return str(network)
    groups = network.network_address.exploded.split(":")
    return ":".join(f"{int(group, 16):x}" for group in groups) + f"/{network.prefixlen}"


def arn_name(arn: str) -> str:
    """The last path segment of an ARN: a managed policy's name
    (`arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy` -> `AmazonEBSCSIDriverPolicy`)."""
    return arn.rsplit("/", 1)[-1]


def by_policy_name(arns: Iterable[str]) -> dict[str, str]:
    """Managed policy ARNs keyed by policy name, in the order given (see `repeated_keys`)."""
    return {arn_name(arn): arn for arn in arns}


def repeated_keys(field: str, keys: Sequence[str], message: str) -> list[Problem]:
    """A problem for each key that items share (their children would share a name): `message`
    formatted with the `key` and the `count` of items."""
    return [Problem(field, message.format(key=key, count=count)) for key, count in Counter(keys).items() if count > 1]


def published_as(opts: pulumi.ResourceOptions, *names: str) -> pulumi.ResourceOptions:
    """`opts` with aliases for the logical names a child had before (same parent and type)."""
    return pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(aliases=[pulumi.Alias(name=n) for n in names]))
