"""Every alarm rule, fed a bad value twice (see `tests.rule_cases`): to the args and to the
stage config's `aws-compute:alarms` block (each case's patch is the whole block)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import stage
from components import AlarmArgs, AlarmTopicArgs, SubscriptionArgs
from stage.alarms import AlarmsConfig
from tests.rule_cases import (
    Rule,
    args_cases,
    assert_args_rule_names_the_field,
    assert_stage_rule_names_the_key,
    stage_cases,
)


def sub(protocol: str, endpoint: str) -> Callable[[], object]:
    return lambda: AlarmTopicArgs(subscriptions=[SubscriptionArgs(protocol=protocol, endpoint=endpoint)])  # type: ignore[arg-type]


def alarm(**kw: Any) -> Callable[[], object]:
    return lambda: AlarmArgs(**{"threshold": 1, **kw})


RULES = [
    Rule(
        "threshold-not-negative",
        alarm(threshold=-1),
        "AlarmArgs",
        "threshold",
        {"functions": {"errors": {"threshold": -1}}},
        "functions.errors.threshold",
        "-1 is below 0",
    ),
    Rule(
        "period-multiple-of-60",
        alarm(period_seconds=90),
        "AlarmArgs",
        "period_seconds",
        {"services": {"cpu": {"periodSeconds": 90}}},
        "services.cpu.periodSeconds",
        "90 is not a multiple of 60",
    ),
    Rule(
        "period-at-least-60",
        alarm(period_seconds=30),
        "AlarmArgs",
        "period_seconds",
        {"loadBalancer": {"serverErrors": {"periodSeconds": 30}}},
        "loadBalancer.serverErrors.periodSeconds",
        "30 is not a multiple of 60",
    ),
    Rule(
        "evaluation-periods-at-least-1",
        alarm(evaluation_periods=0),
        "AlarmArgs",
        "evaluation_periods",
        {"autoscaling": {"inServiceBelowDesired": {"evaluationPeriods": 0}}},
        "autoscaling.inServiceBelowDesired.evaluationPeriods",
        "must be at least 1",
    ),
    Rule(
        "a-day-of-short-periods",
        alarm(period_seconds=600, evaluation_periods=145),
        "AlarmArgs",
        "evaluation_periods",
        {"eks": {"unschedulablePods": {"periodSeconds": 600, "evaluationPeriods": 145}}},
        "eks.unschedulablePods.evaluationPeriods",
        "145 periods of 600 s exceed the 86400 s CloudWatch evaluates",
    ),
    Rule(
        "a-week-of-hourly-periods",
        alarm(period_seconds=3600, evaluation_periods=169),
        "AlarmArgs",
        "evaluation_periods",
        {"services": {"targetServerErrors": {"periodSeconds": 3600, "evaluationPeriods": 169}}},
        "services.targetServerErrors.evaluationPeriods",
        "169 periods of 3600 s exceed the 604800 s CloudWatch evaluates",
    ),
    Rule(
        "datapoints-within-periods",
        alarm(evaluation_periods=3, datapoints_to_alarm=4),
        "AlarmArgs",
        "datapoints_to_alarm",
        {"functions": {"throttles": {"evaluationPeriods": 3, "datapointsToAlarm": 4}}},
        "functions.throttles.datapointsToAlarm",
        "4 is outside 1-3 (evaluation_periods)",
    ),
    Rule(
        "email-address",
        sub("email", "on-call"),
        "AlarmTopicArgs",
        "subscriptions[0].endpoint",
        {"subscriptions": [{"protocol": "email", "endpoint": "on-call"}]},
        "subscriptions[0].endpoint",
        "'on-call' is not an email address",
    ),
    Rule(
        "https-only",
        sub("https", "http://events.example.com"),
        "AlarmTopicArgs",
        "subscriptions[0].endpoint",
        {"subscriptions": [{"protocol": "https", "endpoint": "http://events.example.com"}]},
        "subscriptions[0].endpoint",
        "is not an https:// URL",
    ),
    Rule(
        "sqs-queue-arn",
        sub("sqs", "alarms"),
        "AlarmTopicArgs",
        "subscriptions[0].endpoint",
        {"subscriptions": [{"protocol": "sqs", "endpoint": "alarms"}]},
        "subscriptions[0].endpoint",
        "is not an SQS queue ARN",
    ),
    Rule(
        "lambda-function-arn",
        sub("lambda", "arn:aws:sqs:us-east-1:123456789012:alarms"),
        "AlarmTopicArgs",
        "subscriptions[0].endpoint",
        {"subscriptions": [{"protocol": "lambda", "endpoint": "arn:aws:sqs:us-east-1:123456789012:alarms"}]},
        "subscriptions[0].endpoint",
        "is not a Lambda function ARN",
    ),
    Rule(
        "each-endpoint-once",
        lambda: AlarmTopicArgs(subscriptions=[SubscriptionArgs(protocol="email", endpoint="a@example.com")] * 2),
        "AlarmTopicArgs",
        "subscriptions",
        {"subscriptions": [{"protocol": "email", "endpoint": "a@example.com"}] * 2},
        "subscriptions",
        "an endpoint is subscribed twice",
    ),
    Rule(
        "display-name-length",
        lambda: AlarmTopicArgs(display_name="x" * 101),
        "AlarmTopicArgs",
        "display_name",
        {"displayName": "x" * 101},
        "displayName",
        "must have 1-100 characters",
    ),
]


@pytest.mark.parametrize("rule", args_cases(RULES))
def test_args_rule_names_the_field(rule: Rule) -> None:
    assert_args_rule_names_the_field(rule)


@pytest.mark.parametrize("rule", stage_cases(RULES))
def test_stage_rule_names_the_key(rule: Rule) -> None:
    assert_stage_rule_names_the_key(rule, {}, "alarms")


def test_unknown_protocol_lists_the_supported_ones() -> None:
    _, lines = stage.validate({"alarms": {"subscriptions": [{"protocol": "sms", "endpoint": "+15550100"}]}})
    assert lines == [
        "aws-compute:alarms.subscriptions[0].protocol: Input should be 'email', 'https', 'sqs' or 'lambda' (got 'sms')"
    ]


def test_unknown_alarm_key_suggests_the_right_one() -> None:
    _, lines = stage.validate({"alarms": {"functions": {"error": {"threshold": 2}}}})
    assert lines == [
        "aws-compute:alarms.functions.error: unknown key; did you mean 'errors'? allowed keys: errors, throttles,"
        " deadLetterQueue, queueAgeSeconds"
    ]


def test_a_disabled_stage_checks_nothing_and_gets_no_alarm_args() -> None:
    config = AlarmsConfig.model_validate({"enabled": False, "subscriptions": [{"protocol": "email", "endpoint": "x"}]})
    assert config.problems() == []
    assert config.notifying(None) == type(config.notifying(None))()


def test_a_block_sets_only_what_it_changes_and_null_switches_an_alarm_off() -> None:
    config = AlarmsConfig.model_validate({"services": {"cpu": {"threshold": 75}, "memory": None}})
    services = config.notifying("arn:topic").services
    assert services is not None
    assert services.cpu == AlarmArgs(threshold=75, period_seconds=300, evaluation_periods=3)
    assert services.memory is None
    assert services.running_below_desired == AlarmArgs(threshold=1, period_seconds=60, evaluation_periods=5)
    assert services.topic_arn == "arn:topic"


def test_every_problem_is_reported_at_once() -> None:
    _, lines = stage.validate(
        {
            "alarms": {
                "subscriptions": [{"protocol": "email", "endpoint": "nope"}],
                "functions": {"errors": {"periodSeconds": 45}},
                "eks": {"unschedulablePods": {"threshold": -2}},
            }
        }
    )
    assert len(lines) == 3, lines
