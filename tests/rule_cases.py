"""The case table of validation-rule tests: each rule broken once through the component args
(the ArgsError names the field) and once through the stage config (`stage.validate` names the
key path under `aws-compute:<area>`)."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import pytest

import stage
from components import ArgsError


@dataclasses.dataclass(frozen=True)
class Rule:
    id: str
    build: Callable[[], object] | None
    """Builds the bad args; None for rules only the stage config has."""
    args_type: str
    """The args class the ArgsError is about."""
    field: str
    patch: dict[str, Any] | None
    """Dotted camelCase key paths of the area's block and their bad values (None deletes the
    key); None for rules only the args can break (the stage config derives the value)."""
    key: str
    """The key path the stage error names, after `aws-compute:<area>.`."""
    fragment: str


def patched(base: dict[str, Any], area: str, patch: dict[str, Any]) -> dict[str, Any]:
    """A copy of the stage config `base` with `patch` applied to its `area` block."""
    config = copy.deepcopy(base)
    for path, value in patch.items():
        *parents, last = path.split(".")
        node = config.setdefault(area, {})
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return config


def args_cases(rules: Sequence[Rule]) -> list[Any]:
    return [pytest.param(rule, id=rule.id) for rule in rules if rule.build is not None]


def stage_cases(rules: Sequence[Rule]) -> list[Any]:
    return [pytest.param(rule, id=rule.id) for rule in rules if rule.patch is not None]


def assert_args_rule_names_the_field(rule: Rule) -> None:
    assert rule.build is not None
    with pytest.raises(ArgsError) as error:
        rule.build()
    assert str(error.value).startswith(f"{rule.args_type} has ")
    matching = [p for p in error.value.problems if p.field == rule.field]
    assert any(rule.fragment in p.message for p in matching), str(error.value)


def assert_stage_rule_names_the_key(rule: Rule, base: dict[str, Any], area: str) -> None:
    assert rule.patch is not None
    config, lines = stage.validate(patched(base, area, rule.patch))
    assert config is None
    prefix = f"aws-compute:{area}.{rule.key}: "
    assert any(line.startswith(prefix) and rule.fragment in line for line in lines), lines
