"""Turn validation failures into one message a platform engineer can act on.

Each line names the stack file's key path (`aws-compute:network.natGateways`), the rule and
the fix; unknown keys get a did-you-mean from the keys allowed at that place.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Any

import pydantic
from pydantic.alias_generators import to_camel

from components import Problem


def key_path(namespace_key: str, loc: Sequence[str | int]) -> str:
    path = namespace_key
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


_SNAKE_FIELD = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


def camel_path(field_path: str) -> list[str | int]:
    """`flow_logs.retention_days` -> ["flowLogs", "retentionDays"]; `rules.0` and `rules[0]`
    -> ["rules", 0].

    Only snake_case field names are converted: user map keys such as `DB_PASSWORD` stay.
    """
    path: list[str | int] = []
    for part in field_path.split("."):
        name = part.split("[", 1)[0]
        if name.isdigit():
            path.append(int(name))
        elif name:
            path.append(to_camel(name) if _SNAKE_FIELD.match(name) else name)
        path += [int(i) for i in re.findall(r"\[(\d+)\]", part)]
    return path


def _model_at(model: type[pydantic.BaseModel], loc: Sequence[str | int]) -> type[pydantic.BaseModel] | None:
    """The model class that holds the key at `loc` (walks fields, dicts, lists, optionals)."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
            field = next((f for name, f in annotation.model_fields.items() if (f.alias or name) == part), None)
            if field is None:
                return None
            annotation = field.annotation
        elif typing.get_origin(annotation) in (dict, typing.Mapping, list, tuple, Sequence):
            annotation = typing.get_args(annotation)[-1]
        else:
            return None
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    return None


def _unwrap(annotation: Any) -> Any:
    """Optional[X] / X | None / Annotated[X, ...] -> X (the first model member of a union)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        models = [m for m in members if isinstance(m, type) and issubclass(m, pydantic.BaseModel)]
        return _unwrap((models or members)[0])
    return annotation


def _allowed_keys(model: type[pydantic.BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def unknown_key_message(key: str, allowed: Iterable[str]) -> str:
    allowed = list(allowed)
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown key; {hint}allowed keys: {', '.join(allowed)}"


def pydantic_lines(
    namespace_key: str, root: type[pydantic.BaseModel] | None, error: pydantic.ValidationError
) -> list[str]:
    """One `key path: rule` line per pydantic error."""
    return [error_line(namespace_key, root, err) for err in error.errors(include_url=False)]


def error_line(namespace_key: str, root: type[pydantic.BaseModel] | None, err: Any) -> str:
    """The `key path: rule` line of one pydantic error (an `ErrorDetails`)."""
    loc = list(err["loc"])
    if err["type"] == "extra_forbidden":
        holder = _model_at(root, loc[:-1]) if root else None
        message = unknown_key_message(str(loc[-1]), _allowed_keys(holder) if holder else [])
    elif err["type"] == "missing":
        message = "required key is missing"
    else:
        message = err["msg"]
        if err["type"] not in ("value_error", "assertion_error") and not isinstance(err["input"], dict | list):
            message += f" (got {err['input']!r})"
        message = message.removeprefix("Value error, ")
    return f"{key_path(namespace_key, loc)}: {message}"


def problem_lines(namespace_key: str, prefix: Sequence[str | int], problems: Iterable[Problem]) -> list[str]:
    return [f"{key_path(namespace_key, [*prefix, *camel_path(p.field)])}: {p.message}" for p in problems]


def format_report(stack_file: str, lines: Sequence[str]) -> str:
    noun = "problem" if len(lines) == 1 else "problems"
    body = "\n".join(f"  - {line}" for line in lines)
    return (
        f"{stack_file} has {len(lines)} stage-config {noun}; nothing was deployed:\n{body}\n"
        f"Fix them in {stack_file} (or with `pulumi config set --path`) and run again."
    )
