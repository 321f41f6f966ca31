"""Fargate capacity-provider strategies, shared by the cluster default and every service.

The seed's pattern: dev runs mostly on FARGATE_SPOT; prod keeps an on-demand FARGATE base
and never a spot baseline (spot tasks can be reclaimed with two minutes' notice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from components.validation import CheckedArgs, Problem

FargateCapacityProvider = Literal["FARGATE", "FARGATE_SPOT"]


@dataclass(frozen=True, kw_only=True)
class CapacityShare(CheckedArgs):
    """One entry of a capacity-provider strategy: FARGATE or FARGATE_SPOT, its weight and base."""

    provider: FargateCapacityProvider
    """FARGATE (on-demand) or FARGATE_SPOT (up to 70% cheaper, interruptible)."""
    weight: int = 1
    """Relative share of tasks beyond the base (0-1000); 1 by default."""
    base: int = 0
    """Tasks always placed on this provider first (0-100000); 0 by default."""


#: On-demand only: the production-safe default.
ON_DEMAND: tuple[CapacityShare, ...] = (CapacityShare(provider="FARGATE", weight=1, base=1),)


def capacity_problems(field: str, shares: Sequence[CapacityShare]) -> list[Problem]:
    """Rules AWS enforces on a strategy, plus the seed's "no spot baseline"."""
    problems: list[Problem] = []
    if not shares:
        return [Problem(field, "empty; give at least one provider with a weight above 0")]
    providers = [s.provider for s in shares]
    if len(set(providers)) != len(providers):
        problems.append(Problem(field, "a provider is listed twice; list each once"))
    if not any(s.weight > 0 for s in shares):
        problems.append(Problem(field, "every weight is 0; give at least one provider a weight above 0"))
    if sum(1 for s in shares if s.base > 0) > 1:
        problems.append(Problem(field, "only one provider may have a base; keep the base on FARGATE"))
    for i, share in enumerate(shares):
        if not 0 <= share.weight <= 1000:
            problems.append(Problem(f"{field}[{i}].weight", f"{share.weight} is outside 0-1000"))
        if not 0 <= share.base <= 100000:
            problems.append(Problem(f"{field}[{i}].base", f"{share.base} is outside 0-100000"))
        if share.provider == "FARGATE_SPOT" and share.base > 0:
            problems.append(
                Problem(
                    f"{field}[{i}].base",
                    "FARGATE_SPOT must not carry the base: spot tasks can be reclaimed at any time;"
                    " put the base on FARGATE and give spot a weight only",
                )
            )
    return problems
