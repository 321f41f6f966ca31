"""EventBus: a custom EventBridge event bus with the accounts allowed to put events on it.

Public: the names in `__all__` (also re-exported by `components`). `args`, `rules` and
`resources` are private to this package.
"""

from __future__ import annotations

from components.event_bus import rules as _rules  # noqa: F401 (registers the args' rules, see CheckedArgs)
from components.event_bus.args import EventBusArgs
from components.event_bus.resources import EventBus

__all__ = ["EventBus", "EventBusArgs"]
