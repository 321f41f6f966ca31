"""Validate a config model so that no problem hides another.

Pydantic stops a model at its first layer of field errors: a wrong type or an unknown key
in `network` would hide every rule across `network`'s fields. Here each failing key is
reported, then removed from the input (a missing required key removes the block that
needs it), and the rest is validated again until it parses; the rules across fields then
run on what parsed. A rule that names a removed key is left out: it judged a default, not
the user's value.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any, TypeVar

import pydantic

from stage.errors import error_line

Model = TypeVar("Model", bound=pydantic.BaseModel)
Path = tuple[str | int, ...]

#: Each pass removes at least one key; nesting is never deeper than this.
_MAX_PASSES = 12


def validate_pruned(
    model: type[Model], values: dict[str, Any], namespace_key: str
) -> tuple[Model | None, list[str], list[Path]]:
    """The model built from what is valid in `values`, every field-level problem line, and
    the input paths that were removed (user-facing keys, as in the lines)."""
    remaining = values  # copied before the first removal: a valid config is never copied
    lines: list[str] = []
    pruned: list[Path] = []
    for attempt in range(_MAX_PASSES):
        try:
            return model.model_validate(remaining), lines, pruned
        except pydantic.ValidationError as error:
            if attempt == 0:
                remaining = copy.deepcopy(values)
            removed = []
            for err in error.errors(include_url=False):
                line = error_line(namespace_key, model, err)
                missing = err["type"] == "missing"
                path = _input_path(remaining, err["loc"], missing=missing)
                named = (*path, err["loc"][-1]) if missing else path
                # Later passes see the consequences of removals (a block that lost a
                # required key) beside rules that could not run before: only the latter
                # name a key the user wrote.
                if attempt == 0 or not any(_under(named, p) for p in pruned):
                    lines.append(line)
                if path:
                    removed.append(path)
            if not removed:
                return None, lines, pruned
            for path in sorted(set(removed), key=_deepest_last_index_first, reverse=True):
                _remove(remaining, path)
            pruned += removed
    return None, lines, pruned


def _input_path(values: Any, loc: Sequence[str | int], *, missing: bool) -> Path:
    """The path in the input that a pydantic location points at (union tags skipped); for a
    missing key, the block that lacks it."""
    path: list[str | int] = []
    node = values
    parts = list(loc[:-1] if missing else loc)
    for part in parts:
        found, child = _child(node, part)
        if found:
            node = child
            path.append(part)
    return tuple(path)


def _child(node: Any, part: str | int) -> tuple[bool, Any]:
    if isinstance(node, dict):
        return part in node, node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return True, node[part]
    return False, None


def _deepest_last_index_first(path: Path) -> tuple[int, list[tuple[int, int, str]]]:
    """Sort key: deeper paths first, and within a list the higher index first, so removing
    one item never shifts another that is still to be removed."""
    return len(path), [(0, p, "") if isinstance(p, int) else (1, 0, p) for p in path]


def _remove(values: Any, path: Path) -> None:
    node = values
    for part in path[:-1]:
        node = node[part]
    last = path[-1]
    if isinstance(node, dict):
        node.pop(last, None)
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        del node[last]


def _under(path: Path, prefix: Path) -> bool:
    return path[: len(prefix)] == prefix


def is_pruned(field_path: Sequence[str | int], pruned: list[Path]) -> bool:
    """Whether a rule's key path names a removed key, or a key inside one."""
    return any(_under(tuple(field_path), p) or _under(p, tuple(field_path)) for p in pruned)
