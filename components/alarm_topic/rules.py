"""The rules of alarm_topic."""

from __future__ import annotations

import re

from components.alarm_topic.args import AlarmTopicArgs, SubscriptionArgs
from components.queues import queue_arn_problems
from components.validation import Problem, rules_for

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_HTTPS = re.compile(r"^https://[^\s/$.?#][^\s]*$")
_FUNCTION_ARN = re.compile(
    r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$"
)
#: SNS's limit on a topic's display name.
MAX_DISPLAY_NAME = 100


def subscription_problems(field: str, subscription: SubscriptionArgs) -> list[Problem]:
    endpoint = subscription.endpoint
    path = f"{field}.endpoint"
    if subscription.protocol == "email" and not _EMAIL.match(endpoint):
        return [Problem(path, f"{endpoint!r} is not an email address")]
    if subscription.protocol == "https" and not _HTTPS.match(endpoint):
        return [Problem(path, f"{endpoint!r} is not an https:// URL (plain http would send alarms in clear text)")]
    if subscription.protocol == "sqs":
        return queue_arn_problems(path, endpoint)
    if subscription.protocol == "lambda" and not _FUNCTION_ARN.match(endpoint):
        return [
            Problem(
                path, f"{endpoint!r} is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)"
            )
        ]
    return []


@rules_for(AlarmTopicArgs)
def alarm_topic_problems(args: AlarmTopicArgs) -> list[Problem]:
    problems: list[Problem] = []
    for i, subscription in enumerate(args.subscriptions):
        problems += subscription_problems(f"subscriptions[{i}]", subscription)
    seen = [(s.protocol, s.endpoint) for s in args.subscriptions]
    if len(set(seen)) != len(seen):
        problems.append(Problem("subscriptions", "an endpoint is subscribed twice; list each once"))
    if args.display_name is not None and not 1 <= len(args.display_name) <= MAX_DISPLAY_NAME:
        problems.append(Problem("display_name", f"must have 1-{MAX_DISPLAY_NAME} characters"))
    return problems
