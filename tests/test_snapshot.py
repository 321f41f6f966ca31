"""Type tokens, logical names and parents of every stack equal the checked-in snapshot."""

from __future__ import annotations

import pytest

from offline import stacks
from offline.engine import Plan
from tests.resource_snapshot import path, snapshot


@pytest.mark.parametrize("stack", stacks.stack_names())
def test_resources_match_the_checked_in_snapshot(stack_plans: dict[str, Plan], stack: str) -> None:
    """A renamed type token, logical name or parent replaces a resource; it must show as a
    diff of tests/snapshots/<stack>.txt (`python -m tests.resource_snapshot`), with `aliases`."""
    assert snapshot(stack_plans[stack]) == path(stack).read_text()


def test_every_stack_has_a_snapshot() -> None:
    assert sorted(p.stem for p in path("x").parent.glob("*.txt")) == sorted(stacks.stack_names())
