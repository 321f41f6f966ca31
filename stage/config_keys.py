"""The stack's config keys outside the area schema: namespaces, the AWS provider's keys, and
a stack file that configures nothing of ours.

Pulumi passes every `<namespace>:<name>` key of the stack file to the program and ignores
what no one reads, so a misspelled namespace (`aws-compte:network`) or provider key
(`aws:regoin`) would silently fall back to defaults. Keys of namespaces close to ours or
the provider's are refused with a did-you-mean; real namespaces (`pulumi:`, any provider
whose SDK is installed, such as `awsx:`) and unrelated ones pass untouched.
"""

from __future__ import annotations

import difflib
import importlib.util
from collections.abc import Iterable
from functools import cache

from pydantic.alias_generators import to_camel

#: The AWS provider's config keys (`aws:region`, `aws:defaultTags`, ...), from the SDK's
#: config module, whose class carries one property per key.
AWS_KEYS = tuple(
    sorted(
        to_camel(name)
        for name, value in vars(importlib.import_module("pulumi_aws.config")._ExportableConfig).items()
        if isinstance(value, property)
    )
)


def _close(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=cutoff)
    return found[0] if found else None


@cache
def _real(namespace: str) -> bool:
    """`pulumi`, or a provider whose Python SDK is installed (`awsx` -> pulumi_awsx)."""
    return namespace == "pulumi" or importlib.util.find_spec(f"pulumi_{namespace.replace('-', '_')}") is not None


def config_key_lines(keys: Iterable[str], namespace: str) -> list[str]:
    """One line per key in a misspelled namespace or an unknown AWS provider key."""
    lines = []
    for key in sorted(keys):
        ns, _, name = key.partition(":")
        if ns == "aws" and name not in AWS_KEYS:
            hint = _close(name, AWS_KEYS)
            lines.append(
                f"{key}: unknown AWS provider key; "
                + (f"did you mean 'aws:{hint}'?" if hint else "see the provider's configuration keys")
            )
        elif ns not in (namespace, "aws") and not _real(ns) and (own := _close(ns, (namespace, "aws"))):
            lines.append(f"{key}: unknown namespace {ns!r}, so nothing reads this key; did you mean '{own}:{name}'?")
    return lines


def nothing_configured_line(keys: Iterable[str], namespace: str) -> list[str]:
    """A stack file without any key of ours would deploy the default network (3 AZs, a NAT
    gateway each) and nothing else: almost certainly a wrong or empty file, so it stops."""
    if any(key.partition(":")[0] == namespace for key in keys):
        return []
    return [
        f"{namespace}: no key of the {namespace}: namespace is set, so this stage would be the default network"
        " (3 AZs, a NAT gateway per AZ) and nothing else; configure at least one area, e.g."
        f" `pulumi config set --path '{namespace}:network.azCount' 2`"
    ]
