"""SQS queues as every area creates them: encrypted, TLS-only, with a dead-letter queue.

`queue_with_dlq` is the work queue of a Fargate worker and of a Lambda SQS trigger;
`dead_letter_queue` alone is a terminal queue (a DLQ, or Lambda's failed-event queue).
Both: SQS-managed SSE, a resource policy refusing requests without TLS, and dead letters
kept 14 days (the SQS maximum) for investigation and redrive.
"""

from __future__ import annotations

import re
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


def deny_insecure_transport(queue_arn: pulumi.Input[str]) -> pulumi.Output[str]:
    """A queue resource policy refusing every request not made over TLS (a deny, so `sqs:*`)."""
    return pulumi.Output.json_dumps(
        {
            "Version": POLICY_VERSION,
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "sqs:*",
                    "Resource": queue_arn,
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        }
    )


def _tls_only(name: str, queue: aws.sqs.Queue, opts: pulumi.ResourceOptions) -> None:
    aws.sqs.QueuePolicy(f"{name}-tls-only", queue_url=queue.url, policy=deny_insecure_transport(queue.arn), opts=opts)


def dead_letter_queue(name: str, opts: pulumi.ResourceOptions) -> aws.sqs.Queue:
    """A terminal queue `name` (and its policy `<name>-tls-only`): SSE, TLS only, 14 days."""
    queue = aws.sqs.Queue(
        name, sqs_managed_sse_enabled=True, message_retention_seconds=DLQ_RETENTION_SECONDS, opts=opts
    )
    _tls_only(name, queue, opts)
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
) -> QueueWithDlq:
    """`<name>-queue` redriving to `<name>-dlq` after `max_receive_count` receives; only that
    queue may redrive into the DLQ (`<name>-dlq-sources`). Long polling on (20 s).

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
    _tls_only(f"{name}-queue", queue, opts)
    aws.sqs.RedriveAllowPolicy(
        f"{name}-dlq-sources",
        queue_url=dlq.url,
        redrive_allow_policy=pulumi.Output.json_dumps({"redrivePermission": "byQueue", "sourceQueueArns": [queue.arn]}),
        opts=opts,
    )
    return QueueWithDlq(queue=queue, dead_letter=dlq)
