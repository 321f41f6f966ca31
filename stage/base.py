"""The base of every stage-config model: camelCase keys, unknown keys rejected, immutable."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from components import ArgsError, Problem


class ConfigModel(BaseModel):
    """A block of `Pulumi.<stack>.yaml`, written in camelCase as Pulumi config is."""

    model_config = ConfigDict(
        extra="forbid",
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=False,
        frozen=True,
        strict=False,
    )

    def problems(self) -> list[Problem]:
        """Rules that span fields, with snake_case field paths relative to this block.

        Models that build component args run the component's own rule function here, so a
        rule is written once and reported against the YAML key.
        """
        return []


def args_problems(build: Callable[[], object]) -> list[Problem]:
    """The problems a component's args report when built from this config, if any."""
    try:
        build()
    except ArgsError as error:
        return list(error.problems)
    return []


def args_default(args_type: type, field: str) -> Any:
    """The default of a component args field, so a config model never restates it (a fresh
    value for fields with a default factory)."""
    spec = {f.name: f for f in dataclasses.fields(args_type)}[field]
    if spec.default_factory is not dataclasses.MISSING:
        return spec.default_factory()
    if spec.default is dataclasses.MISSING:
        raise TypeError(f"{args_type.__name__}.{field} has no default")
    return spec.default
