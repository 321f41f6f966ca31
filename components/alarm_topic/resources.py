"""AlarmTopic: the SNS topic a stage's alarms notify, encrypted, published to by CloudWatch only.

A customer-managed KMS key (rotating) encrypts the topic; its policy lets the account
administer it and lets CloudWatch use it only for this account's alarms (aws:SourceAccount,
aws:SourceArn), which it needs to publish to an encrypted topic. The topic's policy allows
exactly that publisher under the same conditions, over TLS only; identities of the account
publish only if their own IAM policies say so. Subscriptions come from the args: each
endpoint once, a function given permission to be invoked by this topic only.
"""

from __future__ import annotations

import hashlib

import pulumi
import pulumi_aws as aws

from components.account_scope import account_scope
from components.alarm_topic.args import AlarmTopicArgs, SubscriptionArgs
from components.iam import POLICY_VERSION, account_root_arn
from components.kms import KEY_ADMIN_ACTIONS

#: What a publisher needs on the key of an encrypted topic (SNS generates and decrypts data keys).
PUBLISHER_KEY_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey")
CLOUDWATCH = "cloudwatch.amazonaws.com"


def endpoint_key(subscription: SubscriptionArgs) -> str:
    """A subscription's stable identity in logical names: protocol and a digest of its endpoint
    (addresses and ARNs hold characters logical names should not)."""
    return f"{subscription.protocol}-{hashlib.sha256(subscription.endpoint.encode()).hexdigest()[:8]}"


class AlarmTopic(pulumi.ComponentResource):
    """An encrypted SNS topic for alarm notifications, with its key, policy and subscriptions."""

    arn: pulumi.Output[str]
    name: pulumi.Output[str]
    key_arn: pulumi.Output[str]

    def __init__(self, name: str, args: AlarmTopicArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aws-compute:alarm_topic:AlarmTopic", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        scope = account_scope(self)
        account, partition = scope.account, scope.partition
        from_this_accounts_alarms = {
            "StringEquals": {"aws:SourceAccount": account},
            "ArnLike": {"aws:SourceArn": scope.arn("cloudwatch", "alarm:*")},
        }
        key = aws.kms.Key(
            f"{name}-key",
            description=f"Encrypts the {name} alarm notifications topic",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=pulumi.Output.json_dumps(
                {
                    "Version": POLICY_VERSION,
                    "Statement": [
                        {
                            "Sid": "AccountAdministersKey",
                            "Effect": "Allow",
                            "Principal": {"AWS": account_root_arn(partition, account)},
                            "Action": list(KEY_ADMIN_ACTIONS),
                            "Resource": "*",
                        },
                        {
                            "Sid": "CloudWatchAlarmsPublishEncrypted",
                            "Effect": "Allow",
                            "Principal": {"Service": CLOUDWATCH},
                            "Action": list(PUBLISHER_KEY_ACTIONS),
                            "Resource": "*",
                            "Condition": from_this_accounts_alarms,
                        },
                    ],
                }
            ),
            opts=child,
        )
        topic = aws.sns.Topic(f"{name}-topic", kms_master_key_id=key.arn, display_name=args.display_name, opts=child)
        aws.sns.TopicPolicy(
            f"{name}-policy",
            arn=topic.arn,
            policy=pulumi.Output.json_dumps(
                {
                    "Version": POLICY_VERSION,
                    "Statement": [
                        {
                            "Sid": "CloudWatchAlarmsPublish",
                            "Effect": "Allow",
                            "Principal": {"Service": CLOUDWATCH},
                            "Action": "sns:Publish",
                            "Resource": topic.arn,
                            "Condition": from_this_accounts_alarms,
                        },
                        {
                            "Sid": "DenyInsecureTransport",
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "sns:Publish",
                            "Resource": topic.arn,
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        },
                    ],
                }
            ),
            opts=child,
        )
        for subscription in args.subscriptions:
            self._subscribe(name, subscription, topic, child)

        self.arn = topic.arn
        self.name = topic.name
        self.key_arn = key.arn
        self.register_outputs({"arn": self.arn, "name": self.name, "keyArn": self.key_arn})

    @staticmethod
    def _subscribe(
        name: str, subscription: SubscriptionArgs, topic: aws.sns.Topic, child: pulumi.ResourceOptions
    ) -> None:
        key = endpoint_key(subscription)
        depends_on: list[pulumi.Resource] = []
        if subscription.protocol == "lambda":
            depends_on.append(
                aws.lambda_.Permission(
                    f"{name}-invoke-{key}",
                    action="lambda:InvokeFunction",
                    function=subscription.endpoint,
                    principal="sns.amazonaws.com",
                    source_arn=topic.arn,
                    opts=child,
                )
            )
        aws.sns.TopicSubscription(
            f"{name}-subscription-{key}",
            topic=topic.arn,
            protocol=subscription.protocol,
            endpoint=subscription.endpoint,
            # Paging services confirm https subscriptions themselves; an endpoint that does not
            # fails the deployment after the timeout instead of leaving a silent subscription.
            endpoint_auto_confirms=True if subscription.protocol == "https" else None,
            confirmation_timeout_in_minutes=5 if subscription.protocol == "https" else None,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=depends_on)),
        )
