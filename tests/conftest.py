"""Shared fixtures: stack plans are computed once per test process and shared."""

from __future__ import annotations

import pytest

from offline import stacks
from offline.engine import Plan


@pytest.fixture(scope="session")
def stack_plans() -> dict[str, Plan]:
    """The plan of every Pulumi.<stack>.yaml in the repo, by stack name."""
    return stacks.run_stacks(stacks.stack_names())


@pytest.fixture(scope="session")
def dev_plan(stack_plans: dict[str, Plan]) -> Plan:
    return stack_plans["dev"]


@pytest.fixture(scope="session")
def prod_plan(stack_plans: dict[str, Plan]) -> Plan:
    return stack_plans["prod"]
