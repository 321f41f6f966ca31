"""SQS queues as every area creates them: encrypted, TLS-only, with a dead-letter queue.

`queue_with_dlq` is the work queue of a Fargate worker and of a Lambda SQS trigger;
`dead_letter_queue` alone is a terminal queue (a DLQ, Lambda's failed-event queue, or an
EventBridge rule's dead-letter queue). Both: SQS-managed SSE (which EventBridge can send to,
unlike the AWS-managed KMS key), a resource policy refusing requests without TLS and letting
EventBridge send from exactly the rules given, and dead letters kept 14 days (the SQS
maximum) for investigation and redrive.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.iam import POLICY_VERSION
from components.validation import Problem

#: Dead letters are kept for the SQS maximum, 14 days, for investigation and redrive.
DLQ_RETENTION_SECONDS = 1_209_600
#: Long polling: a receive waits up to 20 s for messages instead of returning empty.
RECEIVE_WAIT_SECONDS = 20
#: SQS ranges (CreateQueue, RedrivePolicy).
VISIBILITY_TIMEOUT_RANGE = (0, 43_200)
RETENTION_RANGE = (60, DLQ_RETENTION_SECONDS)
MAX_RECEIVE_COUNT_RANGE = (1, 1000)

_QUEUE_ARN = re.compile(r"^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$")


def queue_arn_problems(field: str, arn: str) -> list[Problem]:
    if _QUEUE_ARN.match(arn):
        return []
    return [Problem(field, f"{arn!r} is not an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>)")]


def queue_policy(queue_arn: pulumi.Input[str], event_rule_arns: Sequence[pulumi.Input[str]] = ()) -> pulumi.Output[str]:
    """A queue resource policy refusing every request not made over TLS (a deny, so `sqs:*`)
    and, with `event_rule_arns`, letting EventBridge send messages from exactly those rules."""
    statements: list[dict[str, object]] = [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "sqs:*",
            "Resource": queue_arn,
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]
    if event_rule_arns:
        statements.append(
            {
                "Sid": "EventBridgeRules",
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": list(event_rule_arns)}},
            }
        )
    return pulumi.Output.json_dumps({"Version": POLICY_VERSION, "Statement": statements})


def _policy(
    name: str, queue: aws.sqs.Queue, event_rule_arns: Sequence[pulumi.Input[str]], opts: pulumi.ResourceOptions
) -> None:
    """`<name>-tls-only`: the queue's one resource policy (named for its first statement)."""
    aws.sqs.QueuePolicy(
        f"{name}-tls-only", queue_url=queue.url, policy=queue_policy(queue.arn, event_rule_arns), opts=opts
    )


def dead_letter_queue(
    name: str, opts: pulumi.ResourceOptions, event_rule_arns: Sequence[pulumi.Input[str]] = ()
) -> aws.sqs.Queue:
    """A terminal queue `name` (and its policy `<name>-tls-only`): SSE, TLS only, 14 days;
    EventBridge may send to it from `event_rule_arns`."""
    queue = aws.sqs.Queue(
        name, sqs_managed_sse_enabled=True, message_retention_seconds=DLQ_RETENTION_SECONDS, opts=opts
    )
    _policy(name, queue, event_rule_arns, opts)
    return queue


@dataclass(frozen=True)
class QueueWithDlq:
    queue: aws.sqs.Queue
    dead_letter: aws.sqs.Queue


def queue_with_dlq(
    name: str,
    *,
    visibility_timeout_seconds: int,
    retention_seconds: int,
    max_receive_count: int,
    opts: pulumi.ResourceOptions,
    event_rule_arns: Sequence[pulumi.Input[str]] = (),
) -> QueueWithDlq:
    """`<name>-queue` redriving to `<name>-dlq` after `max_receive_count` receives; only that
    queue may redrive into the DLQ (`<name>-dlq-sources`). Long polling on (20 s). EventBridge
    may send to the queue from `event_rule_arns` (rules targeting it).

    Callers check the values against the SQS ranges above (their own field names).
    """
    dlq = dead_letter_queue(f"{name}-dlq", opts)
    queue = aws.sqs.Queue(
        f"{name}-queue",
        sqs_managed_sse_enabled=True,
        visibility_timeout_seconds=visibility_timeout_seconds,
        message_retention_seconds=retention_seconds,
        receive_wait_time_seconds=RECEIVE_WAIT_SECONDS,
        redrive_policy=pulumi.Output.json_dumps({"deadLetterTargetArn": dlq.arn, "maxReceiveCount": max_receive_count}),
        opts=opts,
    )
    _policy(f"{name}-queue", queue, event_rule_arns, opts)
    aws.sqs.RedriveAllowPolicy(
        f"{name}-dlq-sources",
        queue_url=dlq.url,
        redrive_allow_policy=pulumi.Output.json_dumps({"redrivePermission": "byQueue", "sourceQueueArns": [queue.arn]}),
        opts=opts,
    )
    return QueueWithDlq(queue=queue, dead_letter=dlq)
