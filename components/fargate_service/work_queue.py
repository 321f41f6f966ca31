"""The SQS queue a Fargate worker consumes: created by `components.queues` (SSE, TLS-only,
dead-letter queue) or an existing queue named by ARN."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components.fargate_service.workloads import ExistingQueue, NewQueue
from components.queues import queue_with_dlq


@dataclass(frozen=True)
class WorkQueue:
    arn: pulumi.Output[str]
    name: pulumi.Output[str]
    """The CloudWatch `QueueName` dimension the worker scales on."""
    url: pulumi.Output[str]
    """Given to the container as QUEUE_URL."""
    dead_letter_arn: pulumi.Output[str] | None
    """The created DLQ; None for an existing queue."""
    kms_key_arn: str | None
    """A customer-managed key the worker may decrypt with (existing queues only)."""


def work_queue(name: str, queue: NewQueue | ExistingQueue, opts: pulumi.ResourceOptions) -> WorkQueue:
    if isinstance(queue, ExistingQueue):
        _, _, _, region, account, queue_name = queue.arn.split(":")
        return WorkQueue(
            arn=pulumi.Output.from_input(queue.arn),
            name=pulumi.Output.from_input(queue_name),
            url=pulumi.Output.from_input(f"https://sqs.{region}.amazonaws.com/{account}/{queue_name}"),
            dead_letter_arn=None,
            kms_key_arn=queue.kms_key_arn,
        )
    created = queue_with_dlq(
        name,
        visibility_timeout_seconds=queue.visibility_timeout,
        retention_seconds=queue.retention_seconds,
        max_receive_count=queue.max_receive_count,
        opts=opts,
    )
    main = created.queue
    return WorkQueue(
        arn=main.arn, name=main.name, url=main.url, dead_letter_arn=created.dead_letter.arn, kms_key_arn=None
    )
