"""Which property changes make `pulumi up` replace a resource instead of updating it.

The table (`replace_on_change.toml`, beside this module) holds, per resource type, the
properties the Terraform AWS provider marks ForceNew / RequiresReplace, which pulumi-aws
bridges unchanged, and the properties that replace only in a stated case; every row cites
the provider source it was read from.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

TABLE = Path(__file__).with_name("replace_on_change.toml")


@dataclass(frozen=True)
class Rule:
    terraform: str
    source: str
    properties: tuple[str, ...]
    conditional: dict[str, str]


@functools.cache
def table() -> dict[str, Rule]:
    """The replace-on-change rules by Pulumi type token."""
    raw = tomllib.loads(TABLE.read_text())
    return {
        type_: Rule(
            terraform=row["terraform"],
            source=row["source"],
            properties=tuple(row["properties"]),
            conditional=dict(row.get("conditional", {})),
        )
        for type_, row in raw.items()
    }


_INDEX = re.compile(r"\[\d+\]")


def _within(path: str, prop: str) -> bool:
    """Whether a changed property path (`vpcConfig.subnetIds[1]`) lies at or under `prop`."""
    bare = _INDEX.sub("", path)
    return bare == prop or bare.startswith(prop + ".")


def replacing(type_: str, path: str) -> str | None:
    """The table's property that makes a change at `path` a replacement, if one does."""
    rule = table().get(type_)
    if rule is None:
        return None
    return next((prop for prop in rule.properties if _within(path, prop)), None)


def conditional(type_: str, path: str) -> str | None:
    """When a change at `path` replaces the resource only in some case: that case."""
    rule = table().get(type_)
    if rule is None:
        return None
    return next((when for prop, when in rule.conditional.items() if _within(path, prop)), None)
