"""The plan's table of type hints (`offline.type_hints`) answers as `typing` does, and
evaluates a text again wherever one of its names is bound to something else."""

from __future__ import annotations

import sys
import typing
from collections.abc import Sequence
from typing import Any, Literal, Optional

import pulumi
from pulumi import _types as sdk_types

from offline import deferred_annotations, engine
from offline.engine import Plan
from offline.type_hints import TypeHintsMemo

#: The SDK's own, as imported (no plan runs while this module is imported).
SDK_GET_TYPE_HINTS = sdk_types.get_type_hints


class Bucket:
    pass


class Queue:
    pass


def _getter(annotation: str) -> Any:
    """A function annotated with text, as a deferred module's getters are."""

    def getter(self: object) -> None: ...

    getter.__annotations__ = {"return": annotation}
    return getter


def test_every_getter_of_the_sdk_resources_a_plan_used_gets_typings_answer(dev_plan: Plan) -> None:
    """As `pulumi._types._raw_return_hints` asks: each class's globals, `Output` and `T` as locals."""
    resources: list[type] = [
        value
        for name, module in list(sys.modules.items())
        if name.startswith("pulumi_aws.")
        and isinstance(getattr(module, "__loader__", None), deferred_annotations.DeferredAnnotationsLoader)
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == name and issubclass(value, pulumi.CustomResource)
    ]
    memo = TypeHintsMemo()
    asked = 0
    for cls in resources:
        globalns, localns = sdk_types._globals_for_cls(cls), {"Output": pulumi.Output, "T": type(None)}
        for _, _, prop in sdk_types._py_properties(cls):
            assert isinstance(prop.fget.__annotations__["return"], str)
            expected = typing.get_type_hints(prop.fget, globalns=globalns, localns=localns)
            assert memo(prop.fget, globalns=globalns, localns=localns) == expected
            asked += 1
    assert len(resources) > 50
    assert asked > 1_000
    assert memo.evaluated < asked / 2


def test_a_text_is_evaluated_once_for_the_same_bindings() -> None:
    memo = TypeHintsMemo()
    namespace = {"Optional": Optional, "Bucket": Bucket}
    first, second = _getter("Optional[Bucket]"), _getter("Optional[Bucket]")
    assert memo(first, namespace, {}) == memo(second, dict(namespace), {}) == {"return": Bucket | None}
    assert memo.evaluated == 1


def test_a_name_bound_to_something_else_is_evaluated_again() -> None:
    memo = TypeHintsMemo()
    getter = _getter("Optional[Resource]")
    assert memo(getter, {"Optional": Optional, "Resource": Bucket}) == {"return": Bucket | None}
    assert memo(getter, {"Optional": Optional, "Resource": Queue}) == {"return": Queue | None}
    assert memo(getter, {"Optional": Optional}, {"Resource": Bucket}) == {"return": Bucket | None}
    assert memo.evaluated == 2


def test_the_names_of_quoted_texts_are_bindings_too() -> None:
    memo = TypeHintsMemo()
    getter = _getter("Sequence['Resource']")
    assert memo(getter, {"Sequence": Sequence, "Resource": Bucket}) == {"return": Sequence[Bucket]}
    assert memo(getter, {"Sequence": Sequence, "Resource": Queue}) == {"return": Sequence[Queue]}
    assert memo.evaluated == 2


def test_a_literal_value_that_is_no_expression_is_kept_as_typing_keeps_it() -> None:
    memo = TypeHintsMemo()
    getter = _getter("Literal['not an expression!']")
    assert memo(getter, {"Literal": Literal}) == {"return": Literal["not an expression!"]}
    assert memo(getter, {"Literal": Literal}) == {"return": Literal["not an expression!"]}
    assert memo.evaluated == 1


def test_an_unbound_name_fails_as_in_typing_and_is_not_kept() -> None:
    memo = TypeHintsMemo()
    getter = _getter("Optional[Missing]")
    for _ in range(2):
        try:
            memo(getter, {"Optional": Optional})
        except NameError as error:
            assert str(error) == "name 'Missing' is not defined"
        else:
            raise AssertionError("no NameError")
    assert memo.evaluated == 0


def test_classes_objects_and_calls_without_a_namespace_go_to_typing() -> None:
    asked: list[object] = []

    def get_type_hints(obj: Any, globalns: Any = None, localns: Any = None, include_extras: bool = False) -> Any:
        asked.append(obj)
        return typing.get_type_hints(obj, globalns, localns, include_extras)

    annotated = _getter("")
    annotated.__annotations__ = {"return": int | None}  # an object, as an eager module's
    memo = TypeHintsMemo(get_type_hints)
    text = _getter("Optional[int]")
    assert memo(Bucket, {}) == {}
    assert memo(annotated, {}) == {"return": int | None}
    assert memo(text) == memo(text) == {"return": int | None}
    assert asked == [Bucket, annotated, text, text]
    assert memo.evaluated == 0


def test_answers_are_copies() -> None:
    memo = TypeHintsMemo()
    getter = _getter("int")
    memo(getter, {}).clear()
    assert memo(getter, {}) == {"return": int}


def test_each_plan_has_a_table_of_its_own_and_gives_the_sdk_its_own_back() -> None:
    during: list[object] = []

    def program() -> None:
        during.append(sdk_types.get_type_hints)
        pulumi.export("value", 1)

    for _ in range(2):
        engine.run(program, stack="s", project="p", config={}, secret_keys=[])
    assert all(isinstance(table, TypeHintsMemo) for table in during)
    assert during[0] is not during[1]
    assert sdk_types.get_type_hints is SDK_GET_TYPE_HINTS
