"""Availability Zone names per Region, which botocore does not carry.

Pinned from AWS's "AWS Availability Zones" page (AZ IDs per Region) and its list of Regions
with independently mapped zones, cross-checked with the `aws-regions` npm package 2.3.1
(2026-11). A zone name is the Region code and a letter. In the oldest Regions AWS maps
letters to physical zones per account and a new account sees only some of the letters
(us-west-1: two of a, b, c; ap-northeast-1: a, c, d), so the letters here are every letter
any account may see: a name outside them exists in no account. Regions missing here (new
ones, isolated partitions) are checked for the name's form only.
"""

from __future__ import annotations

import re

from components.problems import Problem, did_you_mean

ZONE_LETTERS: dict[str, str] = {
    "us-east-1": "abcdef",
    "us-east-2": "abc",
    "us-west-1": "abc",
    "us-west-2": "abcd",
    "ca-central-1": "abd",
    "ca-west-1": "abc",
    "mx-central-1": "abc",
    "sa-east-1": "abc",
    "af-south-1": "abc",
    "ap-east-1": "abc",
    "ap-east-2": "abc",
    "ap-south-1": "abc",
    "ap-south-2": "abc",
    "ap-southeast-1": "abc",
    "ap-southeast-2": "abc",
    "ap-southeast-3": "abc",
    "ap-southeast-4": "abc",
    "ap-southeast-5": "abc",
    "ap-southeast-6": "abc",
    "ap-southeast-7": "abc",
    "ap-northeast-1": "abcd",
    "ap-northeast-2": "abcd",
    "ap-northeast-3": "abc",
    "eu-central-1": "abc",
    "eu-central-2": "abc",
    "eu-north-1": "abc",
    "eu-south-1": "abc",
    "eu-south-2": "abc",
    "eu-west-1": "abc",
    "eu-west-2": "abc",
    "eu-west-3": "abc",
    "il-central-1": "abc",
    "me-central-1": "abc",
    "me-south-1": "abc",
    "cn-north-1": "abd",
    "cn-northwest-1": "abc",
    "us-gov-east-1": "abc",
    "us-gov-west-1": "abc",
}

_ZONE = re.compile(r"^(?P<region>[a-z]{2}(-[a-z]+)+-\d+)(?P<letter>[a-z])$")


def zone_names(region: str) -> tuple[str, ...] | None:
    """The Availability Zone names of `region`, or None when it is not pinned here."""
    letters = ZONE_LETTERS.get(region)
    return tuple(f"{region}{letter}" for letter in letters) if letters is not None else None


def zone_problems(field: str, zones: list[str], region: str | None) -> list[Problem]:
    """Zones that are not Availability Zone names of `region` (of any Region when unknown)."""
    problems = []
    known = zone_names(region) if region else None
    for zone in zones:
        match = _ZONE.match(zone)
        if match is None:
            problems.append(
                Problem(
                    field,
                    f"{zone!r} is not an Availability Zone name; write the Region and a letter, e.g. 'us-east-1a'",
                )
            )
        elif known is not None and zone not in known:
            where = "" if match.group("region") == region else f" ({zone!r} is in {match.group('region')!r})"
            problems.append(
                Problem(
                    field,
                    f"{zone!r} is not an Availability Zone of {region}{where}{did_you_mean(zone, known)};"
                    f" the Region's zones are {', '.join(known)}",
                )
            )
    return problems
