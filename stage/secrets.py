"""`secure:` values of the stack file: kept Pulumi secrets end to end, or refused with the reason.

Pulumi passes a structured key that holds a `secure:` value anywhere inside it as one
secret, decrypted; only the stack file tells which value was secure. So the stage reads the
stack file's *shape* (never its ciphertexts) to locate each secure value:

- where the component takes the value as a `pulumi.Input` and hands it to AWS untouched (a
  KMS key reference), it is passed on as a `pulumi.Output.secret`: plans, state and resource
  inputs show `[secret]`. The stage never judges it (its value must not appear in a message);
- everywhere else it is refused, naming why AWS cannot keep it secret there: tags and
  names are shown to anyone who can list the resource, environment variables and user data
  to anyone who can describe it, and the other keys decide which resources exist and how
  they are built, so they show in every plan.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pydantic
import yaml

from components import Problem

SecurePath = tuple[str, ...]

#: Keys (from the namespace, `*` for a name) whose value may be secure: the component passes
#: it to AWS as an Input, untouched.
ACCEPTED: tuple[str, ...] = ("eks.secretsKmsKeyArn", "autoscaling.*.rootVolume.kmsKeyId")

#: libyaml's safe loader where PyYAML has it: the stack file is read on every run.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_REASONS: tuple[tuple[str, str], ...] = (
    ("tags.*", "AWS shows tags to anyone who can list the resource, and in billing and cost reports"),
    ("environment", "it becomes the Environment tag, which AWS shows to anyone who can list a resource"),
    (
        "*.environment.*",
        "environment variables are readable by anyone who can describe the function or task definition;"
        " store the value in Secrets Manager or SSM and list its ARN under secrets",
    ),
    (
        "*.userData",
        "EC2 user data is readable by anyone who can describe the instance or launch template; fetch the"
        " secret at boot from Secrets Manager or SSM",
    ),
    ("*[Nn]ame", "names appear in ARNs, console lists, logs and CloudTrail"),
)


def secure_paths(stack_file: Path, namespace: str) -> list[SecurePath] | None:
    """Where the stack file holds `secure:` values of `namespace` (key and path inside it);
    None when the file is not there to tell (config kept elsewhere)."""
    if not stack_file.is_file():
        return None
    config = (yaml.load(stack_file.read_text(), Loader=_SAFE_LOADER) or {}).get("config") or {}
    paths: list[SecurePath] = []
    for key, value in config.items():
        ns, _, name = str(key).rpartition(":")
        if ns in (namespace, ""):
            paths += [(name, *inner) for inner in _secure_leaves(value)]
    return paths


def _secure_leaves(value: Any) -> Iterator[SecurePath]:
    if isinstance(value, dict) and set(value) == {"secure"}:
        yield ()
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from ((str(key), *rest) for rest in _secure_leaves(item))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from ((str(i), *rest) for rest in _secure_leaves(item))


def _dotted(path: SecurePath) -> str:
    return ".".join(path)


def is_accepted(path: SecurePath) -> bool:
    return any(fnmatch.fnmatchcase(_dotted(path), pattern) for pattern in ACCEPTED)


def secret_problems(paths: list[SecurePath]) -> list[Problem]:
    """A problem for every secure value where AWS cannot keep it secret."""
    problems = []
    for path in paths:
        if is_accepted(path):
            continue
        dotted = _dotted(path)
        reason = next(
            (why for pattern, why in _REASONS if fnmatch.fnmatchcase(dotted, pattern)),
            "the program reads this key to decide which resources exist and how they are built, so its value"
            " shows in every plan and resource input",
        )
        problems.append(
            Problem(
                dotted,
                f"a secure value cannot stay secret here: {reason}. Secure values are kept secret only in"
                f" {', '.join(ACCEPTED)}",
            )
        )
    return problems


def unlocated_problems(secret_keys: list[str], namespace: str) -> list[Problem]:
    """Secret keys of ours whose secure values cannot be located without the stack file."""
    return [
        Problem(
            key.partition(":")[2],
            "holds a secure value, but Pulumi.<stack>.yaml is not beside the program to tell which one;"
            " run from the project folder",
        )
        for key in secret_keys
        if key.partition(":")[0] == namespace
    ]


def without(values: dict[str, Any], paths: list[SecurePath]) -> dict[str, Any]:
    """`values` without the secure ones, so no rule judges (and no message prints) a secret."""
    copy = json.loads(json.dumps(values))
    for path in paths:
        node = copy
        for step in path[:-1]:
            node = node[int(step)] if isinstance(node, list) else node.get(step, {})
        if isinstance(node, dict):
            node.pop(path[-1], None)
    return copy


def with_secrets(model: pydantic.BaseModel, values: dict[str, Any], paths: list[SecurePath]) -> Any:
    """`model` with each accepted secure value set back, as a `pulumi.Output.secret`."""
    for path in paths:
        if is_accepted(path):
            value: Any = values
            for step in path:
                value = value[int(step)] if isinstance(value, list) else value[step]
            model = _set(model, path, pulumi.Output.secret(value))
    return model


def _set(node: Any, path: SecurePath, value: Any) -> Any:
    """A copy of `node` (models by alias, dicts by key) with `value` at `path`."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(node, dict):
        return {**node, head: _set(node[head], rest, value)}
    field = next(name for name, f in type(node).model_fields.items() if (f.alias or name) == head)
    return node.model_copy(update={field: _set(getattr(node, field), rest, value)})
