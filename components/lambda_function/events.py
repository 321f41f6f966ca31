"""A function's EventBridge rules: each rule, its target (the alias or the function's queue)
with a retry policy and an encrypted dead-letter queue, and the permission to deliver.

Rules are created before the function's queue, whose policy names the rules that target it;
everything that needs the alias follows it (`event_targets`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pulumi
import pulumi_aws as aws

from components.lambda_function.args import EventRuleArgs
from components.queues import dead_letter_queue


def event_rules(
    name: str, events: Mapping[str, EventRuleArgs], child: pulumi.ResourceOptions
) -> dict[str, aws.cloudwatch.EventRule]:
    """`<name>-rule-<key>` per rule, on its bus (the default bus when none is named)."""
    return {
        key: aws.cloudwatch.EventRule(
            f"{name}-rule-{key}",
            event_bus_name=rule.event_bus_name,
            event_pattern=json.dumps(rule.pattern, sort_keys=True),
            description=rule.description,
            state="ENABLED" if rule.enabled else "DISABLED",
            opts=child,
        )
        for key, rule in events.items()
    }


def queue_rule_arns(
    events: Mapping[str, EventRuleArgs], rules: Mapping[str, aws.cloudwatch.EventRule]
) -> list[pulumi.Input[str]]:
    """The ARNs of the rules that send to the function's queue (its policy admits exactly these)."""
    return [rules[key].arn for key, rule in events.items() if rule.target == "queue"]


def event_targets(
    name: str,
    events: Mapping[str, EventRuleArgs],
    rules: Mapping[str, aws.cloudwatch.EventRule],
    *,
    function: aws.lambda_.Function,
    alias: aws.lambda_.Alias,
    queue_arn: pulumi.Input[str] | None,
    child: pulumi.ResourceOptions,
) -> None:
    """Per rule: `<rule>-dlq` (EventBridge may send from that rule only), `<rule>-target` with
    the retry policy, and for alias targets `<rule>-invoke`, the alias's permission scoped to
    the rule's ARN, which the target waits for."""
    for key, rule in events.items():
        prefix = f"{name}-rule-{key}"
        resource = rules[key]
        dlq = dead_letter_queue(f"{prefix}-dlq", child, event_rule_arns=[resource.arn])
        waits: list[pulumi.Resource] = []
        if rule.target == "alias":
            waits.append(
                aws.lambda_.Permission(
                    f"{prefix}-invoke",
                    action="lambda:InvokeFunction",
                    function=function.name,
                    qualifier=alias.name,
                    principal="events.amazonaws.com",
                    source_arn=resource.arn,
                    opts=child,
                )
            )
        target_arn = alias.arn if rule.target == "alias" else queue_arn
        assert target_arn is not None  # the args rules require the function's own queue for queue targets
        aws.cloudwatch.EventTarget(
            f"{prefix}-target",
            rule=resource.name,
            event_bus_name=rule.event_bus_name,
            arn=target_arn,
            input_path=rule.input_path,
            retry_policy=aws.cloudwatch.EventTargetRetryPolicyArgs(
                maximum_retry_attempts=rule.max_retry_attempts,
                maximum_event_age_in_seconds=rule.max_event_age_seconds,
            ),
            dead_letter_config=aws.cloudwatch.EventTargetDeadLetterConfigArgs(arn=dlq.arn),
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=waits)),
        )
