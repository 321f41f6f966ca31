"""Shared fixtures: stack plans are computed once per test process and shared.

Property tests run under one hypothesis profile: no deadline (an example's time depends on
the machine's load, and a slow example is no failure) and derandomized (each run tries the
same examples, so a failure reproduces and a pass is not luck).
"""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis import strategies as st

from offline import stacks
from offline.engine import Plan

settings.register_profile("aws-compute", deadline=None, derandomize=True)
settings.load_profile("aws-compute")

# Hypothesis imports its regex module when a from_regex strategy is first drawn, deep inside a
# test. On CPython 3.11 that import can fail there ("SystemError: AST constructor recursion
# depth mismatch", seen after many plans ran in the same worker); building one such strategy
# at collection imports the module while the stack is shallow.
st.from_regex("x", fullmatch=True).validate()


@pytest.fixture(scope="session")
def stack_plans() -> dict[str, Plan]:
    """The plan of every Pulumi.<stack>.yaml in the repo, by stack name."""
    return stacks.run_stacks(stacks.stack_names())


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
