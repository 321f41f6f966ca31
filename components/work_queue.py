"""The SQS queue a Fargate worker consumes: created here (SSE, TLS-only, dead-letter queue)
or an existing queue named by ARN."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.fargate_iam import deny_insecure_transport
from components.fargate_workloads import ExistingQueue, NewQueue

#: Dead letters are kept for the SQS maximum, 14 days, for investigation and redrive.
DLQ_RETENTION_SECONDS = 1209600
#: Long polling: a receive waits up to 20 s for messages instead of returning empty.
RECEIVE_WAIT_SECONDS = 20


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
    dlq = aws.sqs.Queue(
        f"{name}-dlq", sqs_managed_sse_enabled=True, message_retention_seconds=DLQ_RETENTION_SECONDS, opts=opts
    )
    main = aws.sqs.Queue(
        f"{name}-queue",
        sqs_managed_sse_enabled=True,
        visibility_timeout_seconds=queue.visibility_timeout,
        message_retention_seconds=queue.retention_seconds,
        receive_wait_time_seconds=RECEIVE_WAIT_SECONDS,
        redrive_policy=pulumi.Output.json_dumps(
            {"deadLetterTargetArn": dlq.arn, "maxReceiveCount": queue.max_receive_count}
        ),
        opts=opts,
    )
    aws.sqs.RedriveAllowPolicy(
        f"{name}-dlq-sources",
        queue_url=dlq.url,
        redrive_allow_policy=pulumi.Output.json_dumps({"redrivePermission": "byQueue", "sourceQueueArns": [main.arn]}),
        opts=opts,
    )
    for role, resource in (("queue", main), ("dlq", dlq)):
        aws.sqs.QueuePolicy(
            f"{name}-{role}-tls-only",
            queue_url=resource.url,
            policy=deny_insecure_transport(resource.arn),
            opts=opts,
        )
    return WorkQueue(arn=main.arn, name=main.name, url=main.url, dead_letter_arn=dlq.arn, kms_key_arn=None)
