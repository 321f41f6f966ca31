"""ECS capacity-provider strategies, shared by the cluster default and every service.

The seed's pattern: dev runs mostly on FARGATE_SPOT; prod keeps an on-demand FARGATE base
and never a spot baseline (spot tasks can be reclaimed with two minutes' notice). A strategy
may instead name the cluster's EC2 capacity providers (Auto Scaling groups), by key; ECS
refuses a strategy mixing Fargate and Auto Scaling group providers.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from components.validation import CheckedArgs, Problem

FargateCapacityProvider = Literal["FARGATE", "FARGATE_SPOT"]
FARGATE_PROVIDERS: tuple[FargateCapacityProvider, ...] = ("FARGATE", "FARGATE_SPOT")
#: Providers per strategy: CreateService's limit (EventBridge Scheduler's RunTask target allows 6).
MAX_PROVIDERS = 20


@dataclass(frozen=True, kw_only=True)
class CapacityShare(CheckedArgs):
    """One entry of a capacity-provider strategy: the provider, its weight and base."""

    provider: str
    """FARGATE (on-demand), FARGATE_SPOT (up to 70% cheaper, interruptible), or the key of
    one of the cluster's EC2 capacity providers (`EcsClusterArgs.ec2_capacity`)."""
    weight: int = 1
    """Relative share of tasks beyond the base (0-1000); 1 by default."""
    base: int = 0
    """Tasks always placed on this provider first (0-100000); 0 by default."""


#: On-demand only: the production-safe default.
ON_DEMAND: tuple[CapacityShare, ...] = (CapacityShare(provider="FARGATE", weight=1, base=1),)


def runs_on_ec2(shares: Sequence[CapacityShare]) -> bool:
    """Whether a strategy places tasks on EC2 capacity providers (it holds no Fargate one then)."""
    return any(share.provider not in FARGATE_PROVIDERS for share in shares)


def capacity_problems(
    field: str, shares: Sequence[CapacityShare], ec2_providers: Collection[str] = ()
) -> list[Problem]:
    """Rules AWS enforces on a strategy, plus the seed's "no spot baseline"; `ec2_providers`
    are the keys of the cluster's EC2 capacity providers."""
    problems: list[Problem] = []
    if not shares:
        return [Problem(field, "empty; give at least one provider with a weight above 0")]
    providers = [s.provider for s in shares]
    if len(set(providers)) != len(providers):
        problems.append(Problem(field, "a provider is listed twice; list each once"))
    if len(providers) > MAX_PROVIDERS:
        problems.append(Problem(field, f"{len(providers)} providers; ECS allows {MAX_PROVIDERS} in a strategy"))
    known = [*FARGATE_PROVIDERS, *sorted(ec2_providers)]
    for i, provider in enumerate(providers):
        if provider not in known:
            problems.append(
                Problem(
                    f"{field}[{i}].provider",
                    f"{provider!r} is not a capacity provider of the cluster; use one of {', '.join(known)}",
                )
            )
    if any(p in FARGATE_PROVIDERS for p in providers) and any(p in ec2_providers for p in providers):
        problems.append(
            Problem(
                field,
                "mixes Fargate and EC2 capacity providers, which ECS refuses; use Fargate providers or EC2 ones",
            )
        )
    if not any(s.weight > 0 for s in shares):
        problems.append(Problem(field, "every weight is 0; give at least one provider a weight above 0"))
    if sum(1 for s in shares if s.base > 0) > 1:
        problems.append(Problem(field, "only one provider may have a base (an ECS rule); keep it on the on-demand one"))
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
