"""AlarmTopic: the stage's SNS topic for alarm notifications (KMS-encrypted, CloudWatch-only publisher).

Public: the names in `__all__` (also re-exported by `components`). Every other module of
this package is private to it: `args` (the dataclasses), `rules` (their validation),
`resources` (the ComponentResource).
"""

from __future__ import annotations

from components.alarm_topic import rules as _rules  # noqa: F401 (registers the args' rules, see CheckedArgs)
from components.alarm_topic.args import AlarmTopicArgs, SubscriptionArgs, SubscriptionProtocol
from components.alarm_topic.resources import AlarmTopic

__all__ = ["AlarmTopic", "AlarmTopicArgs", "SubscriptionArgs", "SubscriptionProtocol"]
