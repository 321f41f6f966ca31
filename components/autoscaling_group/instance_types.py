"""EC2 instance types: which CPU architecture a type runs, read from its name.

An AMI is built for one architecture, so every instance type an Auto Scaling group may
launch must share it. AWS names Graviton (arm64) families with a `g` among the attribute
letters after the generation digit (m7g, c7gn, r8gd, t4g, im4gn, is4gen, x2gd, g5g,
hpc7g); `a1` is the first-generation Graviton. Everything else an Auto Scaling group can
launch is x86_64. Mac families (macOS on Dedicated Hosts) are not Auto Scaling material.
"""

from __future__ import annotations

import re

from components.architecture import Architecture
from components.catalogue.models import unknown_instance_type

_INSTANCE_TYPE = re.compile(r"^(?P<family>[a-z]+-?\d+[a-z0-9-]*)\.(?P<size>[a-z0-9-]+)$")
_FAMILY = re.compile(r"^(?P<series>[a-z]+)-?(?P<generation>\d+)(?P<attributes>[a-z0-9-]*)$")
_ARM64_EXCEPTIONS = frozenset({"a1"})


def family(instance_type: str) -> str | None:
    """`m7g.large` -> `m7g`; None when the name is not an instance type."""
    match = _INSTANCE_TYPE.match(instance_type)
    return match.group("family") if match else None


def family_architecture(family_name: str) -> Architecture:
    """The architecture of an instance family (`m7g` -> arm64, `m7i` -> x86_64)."""
    if family_name in _ARM64_EXCEPTIONS:
        return "arm64"
    match = _FAMILY.match(family_name)
    attributes = match.group("attributes") if match else ""
    return "arm64" if "g" in attributes else "x86_64"


def instance_type_problem(instance_type: str, architecture: Architecture) -> str | None:
    """Why `instance_type` cannot run an AMI of `architecture`, or None when it can."""
    name = family(instance_type)
    if name is None:
        return f"{instance_type!r} is not an instance type; write family.size, e.g. 'm7g.large'"
    if (unknown := unknown_instance_type(instance_type)) is not None:
        return unknown
    if name.startswith("mac"):
        return f"{instance_type!r} is a Mac instance (macOS on Dedicated Hosts); choose a Linux instance type"
    actual = family_architecture(name)
    if actual != architecture:
        return (
            f"{instance_type!r} is {actual} but the group's architecture is {architecture}: one AMI"
            f" serves every instance type; remove it or set architecture to {actual} for the whole group"
        )
    return None
