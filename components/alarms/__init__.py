"""Alarms that page someone: the CloudWatch alarms each component raises, notifying one SNS topic.

Public: the names in `__all__` (also re-exported by `components`). A component takes its
alarms args (`FunctionAlarmsArgs`, `ServiceAlarmsArgs`, ...) with the topic's ARN; every
alarm is on by default with its threshold and None switches it off. `metric` builds one
alarm, `sets` the alarms of each component kind, `rules` checks what CloudWatch accepts.
"""

from __future__ import annotations

from components.alarms import rules as _rules  # noqa: F401 (registers the args' rules, see CheckedArgs)
from components.alarms.args import (
    AlarmArgs,
    EksAlarmsArgs,
    FunctionAlarmsArgs,
    GroupAlarmsArgs,
    LoadBalancerAlarmsArgs,
    ServiceAlarmsArgs,
    TargetAlarmsArgs,
)

__all__ = [
    "AlarmArgs",
    "EksAlarmsArgs",
    "FunctionAlarmsArgs",
    "GroupAlarmsArgs",
    "LoadBalancerAlarmsArgs",
    "ServiceAlarmsArgs",
    "TargetAlarmsArgs",
]
