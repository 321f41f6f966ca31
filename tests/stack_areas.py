"""Which of the repository's stacks configure an area: a network stack configures only its network."""

from __future__ import annotations

from offline import stacks


def stacks_with(area: str) -> list[str]:
    """The stacks whose file sets `aws-compute:<area>`, by name."""
    return [name for name in stacks.stack_names() if f"aws-compute:{area}" in stacks.stack_config(name)[0]]
