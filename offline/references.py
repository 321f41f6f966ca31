"""`pulumi.StackReference` answered offline: from the referenced stack's own offline plan.

A reference names `<org>/<project>/<stack>`. When `<project>` is the project being planned
and its folder holds `Pulumi.<stack>.yaml`, that stack's plan answers (any org: the
repository cannot know which org a backend uses). One engine runs at a time, so such a stack
is planned *before* the stack that references it: the one whose config names it as a
string value (`in_repository`). Any other reference is answered by a fixture file in the
project folder, `stack-references/<org>/<project>/<stack>.json`:

    {"outputs": {"vpcId": "vpc-0123456789abcdef0", ...}, "secretOutputNames": ["dbPassword"]}

Secret outputs stay secret: they reach the program as secrets, as the engine delivers them.
A reference that neither answers is a `StackReferenceError` naming what was looked for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi.runtime import rpc

STACK_REFERENCE = "pulumi:pulumi:StackReference"
FIXTURE_DIR = "stack-references"
_QUALIFIED = re.compile(r"^([^/\s]+)/([^/\s]+)/([^/\s]+)$")


class StackReferenceError(LookupError):
    """A stack reference the offline engine cannot answer; `pulumi preview` would fail too."""


@dataclass(frozen=True)
class StackOutputs:
    """A stack's outputs as plain values, and which of them are secret."""

    values: Mapping[str, Any]
    secret_names: frozenset[str] = frozenset()

    def state(self, name: str) -> dict[str, Any]:
        """The StackReference's state as the engine returns it: secret values wrapped."""
        secret = {rpc._special_sig_key: rpc._special_secret_sig}
        outputs = {k: {**secret, "value": v} if k in self.secret_names else v for k, v in self.values.items()}
        return {"name": name, "outputs": outputs, "secretOutputNames": sorted(self.secret_names)}


def in_repository(config: Mapping[str, Any], project: str, stacks: Sequence[str]) -> list[str]:
    """Stacks of `project` (among `stacks`) that config values name as `<org>/<project>/<stack>`."""
    named = []
    for value in _strings(config):
        match = _QUALIFIED.match(value)
        if match and match[2] == project and match[3] in stacks and match[3] not in named:
            named.append(match[3])
    return named


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@dataclass
class References:
    """The answers one run gives: `planned` outputs of this project's stacks by stack name,
    else fixture files under `project_dir`."""

    project: str
    project_dir: Path | None = None
    planned: dict[str, StackOutputs] = field(default_factory=dict)
    errors: list[StackReferenceError] = field(default_factory=list)

    def answer(self, name: str) -> tuple[str, dict[str, Any]]:
        """The id and state of `StackReference(name)`. An unanswerable name is recorded in
        `errors` and answered with no outputs, so the program ends on its own (a failed read
        would strand its pending outputs); the engine raises the error after the run."""
        try:
            return name, self.outputs(name).state(name)
        except StackReferenceError as error:
            self.errors.append(error)
            return name, StackOutputs({}).state(name)

    def outputs(self, name: str) -> StackOutputs:
        match = _QUALIFIED.match(name)
        if not match:
            raise StackReferenceError(
                f"stack reference {name!r}: not a fully qualified stack name; write <org>/<project>/<stack>"
            )
        _, project, stack = match.groups()
        if project == self.project and stack in self.planned:
            return self.planned[stack]
        fixture = self.project_dir / FIXTURE_DIR / f"{name}.json" if self.project_dir else None
        if fixture is not None and fixture.is_file():
            return _read_fixture(fixture)
        local = self.project_dir / f"Pulumi.{stack}.yaml" if self.project_dir else None
        if project == self.project and local is not None and local.is_file():
            raise StackReferenceError(
                f"stack reference {name!r}: {local.name} is in this project, but was not planned first;"
                f" name {name!r} in the referencing stack's config so the offline engine plans it first"
            )
        reason = (
            f"this project has no Pulumi.{stack}.yaml"
            if project == self.project
            else f"it belongs to project {project!r}, not to this one ({self.project!r})"
        )
        fixture_text = f"there is no fixture {fixture}" if fixture else "no project folder holds fixtures"
        raise StackReferenceError(
            f"stack reference {name!r}: no such stack: {reason}, and {fixture_text}."
            ' Fix the name, or write the fixture: {"outputs": <the output of `pulumi stack output --json'
            f' --show-secrets --stack {name}`>, "secretOutputNames": [those that are secret]}}'
        )


def _read_fixture(path: Path) -> StackOutputs:
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise StackReferenceError(f"{path}: not JSON ({error})") from None
    outputs = data.get("outputs") if isinstance(data, dict) else None
    secret = data.get("secretOutputNames", []) if isinstance(data, dict) else None
    if not isinstance(outputs, dict) or not isinstance(secret, list) or not set(secret) <= set(outputs):
        raise StackReferenceError(
            f'{path}: write {{"outputs": {{name: value, ...}}, "secretOutputNames": [names among the outputs]}}'
        )
    return StackOutputs(outputs, frozenset(secret))
