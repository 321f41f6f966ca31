"""The shape check every args dataclass runs first: each field's value against its annotation.

A dict where an args object belongs, a string for an int or a bare image string fail here
with the class, the field and what it expects, instead of deep inside a component. Driven
by the annotations themselves (`typing.get_type_hints`), so no class restates its types.
`pulumi.Input[T]` accepts an Output or an awaitable, and (as Pulumi resolves them anywhere
inside an input) Outputs nested in its lists and mappings; the provider checks those values.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any

import pulumi

#: `pulumi.Input[T]` ends in the forward reference "Output[T]", resolved here as Output[Any].
_HINT_NAMES = {"Output": pulumi.Output, "T": Any}


@functools.cache
def field_hints(args_type: type) -> dict[str, Any]:
    """The resolved annotation of every field of the dataclass `args_type`."""
    hints = typing.get_type_hints(args_type, localns=_HINT_NAMES)
    return {f.name: hints[f.name] for f in dataclasses.fields(args_type)}


def type_mismatches(args: object) -> list[tuple[str, str, object]]:
    """(field path, what it expects, the value found) for each field whose value does not fit."""
    found: list[tuple[str, str, object]] = []
    args_type: type = type(args)
    for name, hint in field_hints(args_type).items():
        found += _mismatches(getattr(args, name), hint, name)
    return found


@functools.cache
def describe(hint: Any) -> str:
    """A hint the way a reader writes it: `ContainerArgs`, `int | None`, `a sequence of str`."""
    origin, params = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return "anything"
    if hint is type(None):
        return "None"
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(p) for p in params)
    if origin in (typing.Union, types.UnionType):
        members = [p for p in params if typing.get_origin(p) not in (Awaitable, pulumi.Output)]
        text = " | ".join(describe(p) for p in members)
        return f"{text} or an Output" if _is_input(hint) else text
    if origin is pulumi.Output:
        return "an Output"
    if origin in (Sequence, list, tuple):
        return f"a sequence of {describe(params[0])}" if params else "a sequence"
    if origin in (Mapping, dict):
        return f"a mapping of {describe(params[0])} to {describe(params[1])}" if params else "a mapping"
    return getattr(hint, "__name__", str(hint))


def _is_input(hint: Any) -> bool:
    """Whether `hint` is a `pulumi.Input[...]`: a union accepting an Output."""
    return any(typing.get_origin(p) is pulumi.Output for p in typing.get_args(hint))


@functools.cache
def _parts(hint: Any) -> tuple[Any, tuple[Any, ...], bool, frozenset[type]]:
    """`hint`'s origin, its arguments, whether it is a `pulumi.Input`, and the plain classes
    among its arguments (a value of exactly one of those fits a union), worked out once per
    hint: every args object of a class checks the same few."""
    params = typing.get_args(hint)
    classes = frozenset(p for p in params if isinstance(p, type) and typing.get_origin(p) is None)
    return typing.get_origin(hint), params, _is_input(hint), classes


def _mismatches(value: object, hint: Any, path: str, in_input: bool = False) -> list[tuple[str, str, object]]:
    origin, params, is_input, classes = _parts(hint)
    if in_input and isinstance(value, pulumi.Output):
        return []
    if origin in (typing.Union, types.UnionType):
        if type(value) in classes:
            return []
        in_input = in_input or is_input
        if any(not _mismatches(value, member, path, in_input) for member in params):
            return []
        return [(path, describe(hint), value)]
    if origin in (Sequence, list, tuple):
        if not isinstance(value, Sequence) or isinstance(value, str | bytes):
            return [(path, describe(hint), value)]
        element = params[0] if params else Any
        return [m for i, item in enumerate(value) for m in _mismatches(item, element, f"{path}[{i}]", in_input)]
    if origin in (Mapping, dict):
        if not isinstance(value, Mapping):
            return [(path, describe(hint), value)]
        key_hint, value_hint = params or (Any, Any)
        found = []
        for key, item in value.items():
            found += [(f"{path} key {key!r}", e, v) for _, e, v in _mismatches(key, key_hint, path)]
            found += _mismatches(item, value_hint, f"{path}[{key!r}]", in_input)
        return found
    return [] if _fits(value, hint, origin, params) else [(path, describe(hint), value)]


def _fits(value: object, hint: Any, origin: Any, params: tuple[Any, ...]) -> bool:
    if hint is Any:
        return True
    if hint is type(None):
        return value is None
    if origin is typing.Literal:
        return any(value == p and type(value) is type(p) for p in params)
    if origin is Awaitable:
        return isinstance(value, Awaitable)
    if origin is not None:
        return isinstance(value, origin)
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, hint) if isinstance(hint, type) else True
