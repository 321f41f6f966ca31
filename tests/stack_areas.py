"""Which of the repository's stacks configure an area: a network stack configures only its network."""

from __future__ import annotations

import functools

from offline import stacks


@functools.cache
def _config_keys() -> dict[str, frozenset[str]]:
    """Each stack's config keys, read once per test process (collection asks per area: 15 times)."""
    return {name: frozenset(stacks.stack_config(name)[0]) for name in stacks.stack_names()}


def stacks_with(area: str) -> list[str]:
    """The stacks whose file sets `aws-compute:<area>`, by name."""
    return [name for name, keys in _config_keys().items() if f"aws-compute:{area}" in keys]
