"""Config blocks shared by everything routed through an ALB listener: the Fargate `web` block
and an Auto Scaling group's `loadBalancer` (`components.alb_target`), and the stage rules
over the listener rules they create."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from pydantic import Field

from components import ListenerClaim, Problem, TargetHealthArgs, priority_problems
from stage.base import ConfigModel
from stage.errors import camel_path, key_path

_HEALTH = TargetHealthArgs()
#: The listener identity of every rule on the stage's shared ALB.
SHARED_LISTENER = "shared"


class TargetHealthConfig(ConfigModel):
    path: str = _HEALTH.path
    interval: int = _HEALTH.interval
    timeout: int = _HEALTH.timeout
    healthy_threshold: int = _HEALTH.healthy_threshold
    unhealthy_threshold: int = _HEALTH.unhealthy_threshold
    matcher: str = _HEALTH.matcher
    deregistration_delay: int = _HEALTH.deregistration_delay
    slow_start: int = _HEALTH.slow_start


class RouteConfig(ConfigModel):
    """The listener rule and target group health of one target (`AlbTargetArgs` but the listener)."""

    priority: int
    path_patterns: list[str] = Field(default_factory=list)
    host_headers: list[str] = Field(default_factory=list)
    health: TargetHealthConfig = Field(default_factory=TargetHealthConfig)

    def route_args(self) -> dict[str, Any]:
        """The `AlbTargetArgs` fields of this block, listener excepted."""
        return {
            "priority": self.priority,
            "path_patterns": tuple(self.path_patterns),
            "host_headers": tuple(self.host_headers),
            "health": TargetHealthArgs(**self.health.model_dump()),
        }


def listener_priority_problems(routes: Sequence[tuple[str, Hashable, int]]) -> list[Problem]:
    """Unique priorities per listener across areas; `routes` are (field path of the priority
    key from the namespace, listener identity, priority) in config order. Messages name
    both YAML keys."""
    return priority_problems(
        [
            ListenerClaim(field=path, label=yaml_key(path), listener=listener, priority=priority)
            for path, listener, priority in routes
        ]
    )


def yaml_key(field_path: str) -> str:
    """`autoscaling.web.load_balancer.priority` -> `aws-compute:autoscaling.web.loadBalancer.priority`."""
    first, *rest = camel_path(field_path)
    return key_path(f"aws-compute:{first}", rest)
