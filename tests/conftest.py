"""Shared fixtures: stack plans are computed once per test process and shared.

Property tests run under one hypothesis profile: no deadline (an example's time depends on
the machine's load, and a slow example is no failure) and derandomized (each run tries the
same examples, so a failure reproduces and a pass is not luck).

Tests marked `heavy` (whole-stack plans, subprocesses: seconds each) run first. `make test`
hands out whole test files (`--dist loadfile`), in this order (`--no-loadscope-reorder`), as
workers free up: a file's module fixtures (a planned program, the examples planned from the
wheel) are built once, not again in each worker that runs one of its tests, and the files
left for last are light ones, so both workers finish together.

The cyclic collector is tuned for a test process: it runs after every 20,000 net allocations
instead of 700 (collecting the tests leaves ~310,000 objects, modules and classes that are
never garbage, and the default re-scanned them some 700 times), and what collection and the
session's plans leave is frozen out of its walks once built (`gc.freeze`, after a full
collection, so no garbage is frozen with it). A worker spent 5.5 s of CPU in the collector,
about 2.3 s now. Every test's garbage is still collected, and `gc.collect()` still finalises
it where a test asks (tests/test_suite_setup.py checks the setup in every worker).
"""

from __future__ import annotations

import gc
import warnings
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from offline.engine import Plan

gc.set_threshold(20_000, 10, 10)


def pytest_configure(config: pytest.Config) -> None:
    """The hypothesis profile, in every process that runs tests: xdist's controller runs none,
    and so never imports hypothesis (0.3 s before it starts the workers)."""
    if config.getoption("numprocesses", None) and not hasattr(config, "workerinput"):
        return
    from hypothesis import settings
    from hypothesis import strategies as st
    from hypothesis.errors import HypothesisSideeffectWarning

    settings.register_profile("aws-compute", deadline=None, derandomize=True)
    settings.load_profile("aws-compute")
    # Hypothesis imports its regex module when a from_regex strategy is first drawn, deep inside
    # a test. On CPython 3.11 that import can fail there ("SystemError: AST constructor recursion
    # depth mismatch", seen after many plans ran in the same worker); building one such strategy
    # before collection imports the module while the stack is shallow. Hypothesis warns of work
    # done this early: here it is the point.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HypothesisSideeffectWarning)
        st.from_regex("x", fullmatch=True).validate()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Heavy tests first, each group in its collected order."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)


def _freeze_what_lives_on() -> None:
    """Take every object alive now out of the collector's later walks (garbage is collected first)."""
    gc.collect()
    gc.freeze()


def pytest_collection_finish(session: pytest.Session) -> None:
    _freeze_what_lives_on()


@pytest.fixture(scope="session")
def stack_plans() -> dict[str, Plan]:
    """The plan of every Pulumi.<stack>.yaml in the repo, by stack name."""
    from offline import stacks  # here, not at import: xdist's controller runs no plan

    plans = stacks.run_stacks(stacks.stack_names())
    _freeze_what_lives_on()  # the plans, and the SDK modules they loaded, live as long as the session
    return plans


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
