"""What the offline engine swaps in the SDK while a plan runs (`engine._plan_runtime`) does
what the SDK's own does, and is the SDK's again once the plan ends."""

from __future__ import annotations

from typing import Any

import pulumi
from hypothesis import given
from hypothesis import strategies as st
from pulumi.output import Unknown
from pulumi.runtime import rpc

from offline import engine

#: The SDK's own, as imported (no plan runs while this module is imported).
SDK_CONTAINS_UNKNOWNS = rpc.contains_unknowns

SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=3) | st.just(pulumi.UNKNOWN) | st.builds(Unknown)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=2), children, max_size=4),
)


@given(VALUES)
def test_contains_unknowns_answers_as_the_sdks(value: Any) -> None:
    assert engine._contains_unknowns(value) is SDK_CONTAINS_UNKNOWNS(value)


def test_contains_unknowns_looks_into_shared_and_cyclic_structures_once() -> None:
    shared: list[Any] = ["a", {"b": [1, 2]}]
    cyclic: list[Any] = [shared, shared]
    cyclic.append(cyclic)
    looped: dict[str, Any] = {"self": None}
    looped["self"] = looped
    for value in (shared, cyclic, looped, [looped, cyclic]):
        assert engine._contains_unknowns(value) is SDK_CONTAINS_UNKNOWNS(value) is False
    deep: dict[str, Any] = {"self": None, "x": [cyclic, {"y": pulumi.UNKNOWN}]}
    deep["self"] = deep
    assert engine._contains_unknowns(deep) is SDK_CONTAINS_UNKNOWNS(deep) is True


def test_a_plan_uses_the_cycle_free_walk_and_gives_the_sdk_its_own_back() -> None:
    during: list[object] = []

    def program() -> None:
        during.append(rpc.contains_unknowns)
        pulumi.export("value", pulumi.Output.from_input({"a": [1, "b"]}).apply(lambda v: v["a"][1]))

    plan = engine.run(program, stack="s", project="p", config={}, secret_keys=[])
    assert plan.outputs == {"value": "b"}
    assert during == [engine._contains_unknowns]
    assert rpc.contains_unknowns is SDK_CONTAINS_UNKNOWNS
