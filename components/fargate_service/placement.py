"""Task placement on EC2 capacity: strategies and constraints, as ECS accepts them.

The seed's "Task Placement Strategies (EC2 Launch Type)": spread across Availability Zones,
then binpack on memory. Fargate places tasks itself, so both are for EC2 capacity providers
only. Types, fields and limits are those of ECS's API (botocore's ecs model): at most 5
strategies per service, 10 constraints per task, a memberOf expression of at most 2000
characters in the cluster query language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from components.validation import CheckedArgs, Problem

PlacementStrategyType = Literal["spread", "binpack", "random"]
PlacementConstraintType = Literal["distinctInstance", "memberOf"]

MAX_STRATEGIES = 5
MAX_CONSTRAINTS = 10
MAX_EXPRESSION = 2000
#: What spread may be applied against: the instance, or any platform or custom attribute.
_SPREAD_FIELD = re.compile(r"^(instanceId|host|attribute:[A-Za-z0-9_.\-/]{1,128})$")
_BINPACK_FIELDS = ("cpu", "memory")


@dataclass(frozen=True, kw_only=True)
class PlacementStrategyArgs(CheckedArgs):
    """How ECS picks among the instances that can take a task."""

    type: PlacementStrategyType
    """spread (evenly over `field`), binpack (fill the instance with the least `field` left)
    or random."""
    field: str | None = None
    """spread: `instanceId`, `host` or an attribute (`attribute:ecs.availability-zone`);
    binpack: `cpu` or `memory`; random takes none."""


@dataclass(frozen=True, kw_only=True)
class PlacementConstraintArgs(CheckedArgs):
    """A binding rule on where a task may run."""

    type: PlacementConstraintType
    """distinctInstance (each task of the group on a different instance) or memberOf (only
    instances matching `expression`)."""
    expression: str | None = None
    """memberOf: a cluster query language expression (`attribute:ecs.instance-type =~ m7g.*`);
    distinctInstance takes none."""


@dataclass(frozen=True, kw_only=True)
class PlacementArgs(CheckedArgs):
    """Task placement on EC2 capacity providers (Fargate places tasks itself)."""

    strategies: Sequence[PlacementStrategyArgs] = ()
    """Applied in order, at most 5; none by default, which for a service is ECS's spread
    across Availability Zones."""
    constraints: Sequence[PlacementConstraintArgs] = ()
    """Binding, at most 10; none by default."""

    @property
    def empty(self) -> bool:
        return not self.strategies and not self.constraints


def placement_problems(placement: PlacementArgs, *, on_ec2: bool, prefix: str = "placement.") -> list[Problem]:
    if not on_ec2:
        if placement.empty:
            return []
        return [
            Problem(
                prefix.rstrip("."),
                "Fargate places tasks itself: strategies and constraints apply to EC2 capacity providers only;"
                " remove them or run the service on EC2 capacity",
            )
        ]
    problems: list[Problem] = []
    if len(placement.strategies) > MAX_STRATEGIES:
        problems.append(Problem(f"{prefix}strategies", f"{len(placement.strategies)}; ECS allows {MAX_STRATEGIES}"))
    if len(placement.constraints) > MAX_CONSTRAINTS:
        problems.append(Problem(f"{prefix}constraints", f"{len(placement.constraints)}; ECS allows {MAX_CONSTRAINTS}"))
    for i, strategy in enumerate(placement.strategies):
        reason = _strategy_problem(strategy)
        if reason:
            problems.append(Problem(f"{prefix}strategies[{i}].field", reason))
    for i, constraint in enumerate(placement.constraints):
        reason = _constraint_problem(constraint)
        if reason:
            problems.append(Problem(f"{prefix}constraints[{i}].expression", reason))
    return problems


def _strategy_problem(strategy: PlacementStrategyArgs) -> str | None:
    field = strategy.field
    if strategy.type == "random":
        return None if field is None else "random takes no field; remove it"
    if strategy.type == "binpack":
        return None if field in _BINPACK_FIELDS else f"binpack applies to cpu or memory, not {field!r}"
    if field is None or not _SPREAD_FIELD.match(field):
        return f"spread applies to instanceId, host or an attribute (attribute:ecs.availability-zone), not {field!r}"
    return None


def _constraint_problem(constraint: PlacementConstraintArgs) -> str | None:
    expression = constraint.expression
    if constraint.type == "distinctInstance":
        return None if expression is None else "distinctInstance takes no expression; remove it"
    if not expression or not expression.strip():
        return "memberOf needs a cluster query language expression (attribute:ecs.instance-type =~ m7g.*)"
    if len(expression) > MAX_EXPRESSION:
        return f"{len(expression)} characters; ECS allows {MAX_EXPRESSION}"
    return None
