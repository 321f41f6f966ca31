"""EventBus: a custom EventBridge bus for the stage's events, with a resource policy.

AWS services publish to the account's default bus; applications publish their own events
to a custom bus, so their rules and permissions stay apart. The owning account's
principals put events through IAM; other accounts only when the bus's policy names them.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.account_scope import account_scope
from components.event_bus.args import EventBusArgs
from components.iam import POLICY_VERSION, account_root_arn


class EventBus(pulumi.ComponentResource):
    """A custom event bus and, when other accounts may publish, its resource policy."""

    bus_name: pulumi.Output[str]
    bus_arn: pulumi.Output[str]

    def __init__(self, name: str, args: EventBusArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aws-compute:event_bus:EventBus", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        bus = aws.cloudwatch.EventBus(f"{name}-bus", name=args.name, description=args.description, opts=child)
        if args.put_events_account_ids:
            partition = account_scope(self).partition
            principals = [account_root_arn(partition, account) for account in args.put_events_account_ids]
            aws.cloudwatch.EventBusPolicy(
                f"{name}-policy",
                event_bus_name=bus.name,
                policy=pulumi.Output.json_dumps(
                    {
                        "Version": POLICY_VERSION,
                        "Statement": [
                            {
                                "Sid": "PutEventsFromAccounts",
                                "Effect": "Allow",
                                "Principal": {"AWS": principals},
                                "Action": "events:PutEvents",
                                "Resource": bus.arn,
                            }
                        ],
                    }
                ),
                opts=child,
            )
        self.bus_name = bus.name
        self.bus_arn = bus.arn
        self.register_outputs({"busName": self.bus_name, "busArn": self.bus_arn})
