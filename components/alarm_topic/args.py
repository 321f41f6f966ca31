"""The args of alarm_topic."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from components.validation import CheckedArgs

SubscriptionProtocol = Literal["email", "https", "sqs", "lambda"]


@dataclass(frozen=True, kw_only=True)
class SubscriptionArgs(CheckedArgs):
    """Who gets the alarm notifications: an address, a paging service's URL, a queue or a function."""

    protocol: SubscriptionProtocol
    """email (an address; its owner confirms from the email SNS sends), https (a paging or chat
    service's endpoint that confirms subscriptions itself, as PagerDuty's and Opsgenie's do),
    sqs (a queue ARN) or lambda (a function ARN)."""
    endpoint: str
    """The address, URL or ARN. A queue's policy must let sns.amazonaws.com send to it with
    aws:SourceArn the topic (and its KMS key, if any, let SNS use it); a function is given
    permission here for this topic only."""


@dataclass(frozen=True, kw_only=True)
class AlarmTopicArgs(CheckedArgs):
    """The args of `AlarmTopic`: who is notified, and how notifications are signed."""

    subscriptions: Sequence[SubscriptionArgs] = ()
    """Subscriptions, each endpoint once; none by default (then nobody is paged: subscribe
    someone before production)."""
    display_name: str | None = None
    """The sender name of email notifications (at most 100 characters); none by default."""
