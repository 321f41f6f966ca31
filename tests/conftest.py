"""Shared fixtures: stack plans are computed once per test process and shared."""

from __future__ import annotations

import pytest

from offline import stacks
from offline.engine import Plan


@pytest.fixture(scope="session")
def stack_plans() -> dict[str, Plan]:
    """The plan of every Pulumi.<stack>.yaml in the repo, by stack name."""
    return {name: stacks.run_stack(name) for name in stacks.stack_names()}


@pytest.fixture(scope="session")
def dev_plan(stack_plans: dict[str, Plan]) -> Plan:
    return stack_plans["dev"]


@pytest.fixture(scope="session")
def prod_plan(stack_plans: dict[str, Plan]) -> Plan:
    """prod's applications (apps-prod), on the network network-prod exports."""
    return stack_plans["apps-prod"]


@pytest.fixture(scope="session")
def network_prod_plan(stack_plans: dict[str, Plan]) -> Plan:
    """prod's network, a stack of its own."""
    return stack_plans["network-prod"]
