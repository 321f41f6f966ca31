"""LoadBalancer: the stage's shared ALB (HTTPS listener, access logs); `existing_listener` for an ALB of your own.

Public: the names in `__all__` (also re-exported by `components`). Every other module of
this package is private to it: `args` (the dataclasses), `rules` (their validation),
`resources` (the ComponentResource) and its helpers.
"""

from __future__ import annotations

from components.load_balancer import rules as _rules  # noqa: F401 (registers the args' rules, see CheckedArgs)
from components.load_balancer.args import (
    ListenerAttachment,
    ListenerMode,
    LoadBalancerArgs,
    RateWindowSeconds,
    Scheme,
    WafArgs,
    WafMode,
)
from components.load_balancer.resources import LoadBalancer, existing_listener

__all__ = [
    "ListenerAttachment",
    "ListenerMode",
    "LoadBalancer",
    "LoadBalancerArgs",
    "RateWindowSeconds",
    "Scheme",
    "WafArgs",
    "WafMode",
    "existing_listener",
]
