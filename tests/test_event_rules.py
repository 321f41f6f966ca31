"""EventBridge: a function's rules (alias and queue targets, retry policy, DLQ, permissions),
the stage's custom bus, event patterns; exact inputs, every rule through the args and through
the stack file, limits checked against botocore's events model."""

from __future__ import annotations

import json
from typing import Any

import botocore.session
import pytest
from hypothesis import given
from hypothesis import strategies as st

import stage
from components import (
    ArgsError,
    EventBus,
    EventBusArgs,
    EventRuleArgs,
    LambdaFunction,
    LambdaFunctionArgs,
    SqsTriggerArgs,
    ZipCode,
)
from components.event_pattern import FIELDS, MAX_PATTERN_LENGTH, OPERATORS, pattern_problems
from components.lambda_function.rules import EVENT_AGE_SECONDS, EVENT_RETRY_ATTEMPTS, INPUT_PATH_MAX
from offline.engine import Plan, run
from tests.iam_checks import lint

API = ZipCode(path="functions/api", handler="handler.handler", runtime="python3.13")
ZIP = {"kind": "zip", "path": "functions/api", "handler": "handler.handler", "runtime": "python3.13"}
ORDERS = {"source": ["shop.orders"], "detail-type": ["Order Placed"], "detail": {"quantity": [{"numeric": [">", 0]}]}}
RULE_ARN = "arn:aws:events:us-east-1:123456789012:rule/{bus}{name}"


def events_model() -> Any:
    return botocore.session.get_session().get_service_model("events")


@pytest.fixture(scope="module")
def plan() -> Plan:
    def program() -> None:
        bus = EventBus("events", EventBusArgs(description="orders", put_events_account_ids=("111122223333",)))
        LambdaFunction(
            "fn",
            LambdaFunctionArgs(
                code=API,
                sqs=SqsTriggerArgs(),
                events={
                    "orders": EventRuleArgs(
                        pattern=ORDERS, event_bus_name=bus.bus_name, target="queue", input_path="$.detail"
                    ),
                    "ec2": EventRuleArgs(
                        pattern={"source": ["aws.ec2"]},
                        max_retry_attempts=3,
                        max_event_age_seconds=600,
                        description="EC2 state changes",
                    ),
                },
            ),
        )

    return run(program)


def policy(plan: Plan, name: str) -> dict[str, Any]:
    return json.loads(plan.named(name).inputs["policy"])


# ---------------------------------------------------------------- what is registered
def test_rules_watch_their_bus_with_the_pattern(plan: Plan) -> None:
    bus = plan.named("events-bus").state["name"]
    assert plan.named("fn-rule-orders").inputs == {
        "eventBusName": bus,
        "eventPattern": json.dumps(ORDERS, sort_keys=True),
        "state": "ENABLED",
    }
    assert plan.named("fn-rule-ec2").inputs == {
        "eventPattern": '{"source": ["aws.ec2"]}',
        "description": "EC2 state changes",
        "state": "ENABLED",
    }


def test_alias_target_retries_then_dead_letters_and_waits_for_its_permission(plan: Plan) -> None:
    rule, alias = plan.named("fn-rule-ec2"), plan.named("fn-alias")
    dlq = plan.named("fn-rule-ec2-dlq")
    target = plan.named("fn-rule-ec2-target")
    assert target.inputs == {
        "rule": rule.state["name"],
        "arn": alias.state["arn"],
        "retryPolicy": {"maximumRetryAttempts": 3, "maximumEventAgeInSeconds": 600},
        "deadLetterConfig": {"arn": dlq.state["arn"]},
    }
    permission = plan.named("fn-rule-ec2-invoke")
    assert permission.inputs == {
        "action": "lambda:InvokeFunction",
        "function": plan.named("fn-function").state["name"],
        "qualifier": "live",
        "principal": "events.amazonaws.com",
        "sourceArn": rule.state["arn"],
    }
    assert permission.urn in target.dependencies


def test_queue_target_sends_the_detail_to_the_functions_queue(plan: Plan) -> None:
    target = plan.named("fn-rule-orders-target").inputs
    assert target == {
        "rule": plan.named("fn-rule-orders").state["name"],
        "eventBusName": plan.named("events-bus").state["name"],
        "arn": plan.named("fn-queue").state["arn"],
        "inputPath": "$.detail",
        "retryPolicy": {"maximumRetryAttempts": 185, "maximumEventAgeInSeconds": 86_400},
        "deadLetterConfig": {"arn": plan.named("fn-rule-orders-dlq").state["arn"]},
    }
    assert "fn-rule-orders-invoke" not in {r.name for r in plan.resources}


def test_rule_arns_are_scoped_by_bus(plan: Plan) -> None:
    bus = plan.named("events-bus").state["name"]
    assert plan.named("fn-rule-orders").state["arn"] == RULE_ARN.format(
        bus=f"{bus}/", name=plan.named("fn-rule-orders").state["name"]
    )
    assert plan.named("fn-rule-ec2").state["arn"] == RULE_ARN.format(
        bus="", name=plan.named("fn-rule-ec2").state["name"]
    )


def _event_statement(queue_arn: str, rule_arns: list[str]) -> dict[str, Any]:
    return {
        "Sid": "EventBridgeRules",
        "Effect": "Allow",
        "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sqs:SendMessage",
        "Resource": queue_arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": rule_arns}},
    }


@pytest.mark.parametrize(("queue", "rule"), [("fn-queue", "orders"), ("fn-rule-orders-dlq", "orders"),
                                             ("fn-rule-ec2-dlq", "ec2")])  # fmt: skip
def test_queues_admit_eventbridge_from_exactly_their_rule_over_tls(plan: Plan, queue: str, rule: str) -> None:
    queue_arn = plan.named(queue).state["arn"]
    document = policy(plan, f"{queue}-tls-only")
    assert document["Statement"][0]["Sid"] == "DenyInsecureTransport"
    assert document["Statement"][1:] == [_event_statement(queue_arn, [plan.named(f"fn-rule-{rule}").state["arn"]])]
    assert lint(document) == []


def test_dead_letter_queues_are_encrypted_and_keep_14_days(plan: Plan) -> None:
    for name in ("fn-rule-orders-dlq", "fn-rule-ec2-dlq"):
        assert plan.named(name).inputs == {"messageRetentionSeconds": 1_209_600, "sqsManagedSseEnabled": True}


def test_a_function_without_events_has_no_rules_and_its_queue_admits_no_one() -> None:
    plain = run(lambda: LambdaFunction("fn", LambdaFunctionArgs(code=API, sqs=SqsTriggerArgs())))
    assert not plain.of_type("aws:cloudwatch/eventRule:EventRule")
    assert [s["Sid"] for s in policy(plain, "fn-queue-tls-only")["Statement"]] == ["DenyInsecureTransport"]


def test_bus_policy_lets_the_named_accounts_put_events_only(plan: Plan) -> None:
    bus = plan.named("events-bus")
    assert bus.inputs == {"description": "orders"}
    document = policy(plan, "events-policy")
    assert document["Statement"] == [
        {
            "Sid": "PutEventsFromAccounts",
            "Effect": "Allow",
            "Principal": {"AWS": ["arn:aws:iam::111122223333:root"]},
            "Action": "events:PutEvents",
            "Resource": bus.state["arn"],
        }
    ]
    assert plan.named("events-policy").inputs["eventBusName"] == bus.state["name"]
    assert lint(document) == []


def test_a_bus_without_other_accounts_has_no_policy() -> None:
    alone = run(lambda: EventBus("events", EventBusArgs(name="orders")))
    assert alone.named("events-bus").inputs == {"name": "orders"}
    assert not alone.of_type("aws:cloudwatch/eventBusPolicy:EventBusPolicy")


# ---------------------------------------------------------------- the stacks
@pytest.mark.parametrize("stack", ["dev", "apps-prod"])
def test_orders_on_the_stage_bus_feed_the_worker_through_its_queue(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    bus = plan.named("events-bus").state["name"]
    assert plan.outputs["eventBusName"] == bus
    rule = plan.named("fn-worker-rule-order-placed")
    assert json.loads(rule.inputs["eventPattern"]) == {
        "source": ["aws-compute.shop"],
        "detail-type": ["Order Placed"],
        "detail": {"quantity": [{"numeric": [">", 0]}]},
    }
    target = plan.named("fn-worker-rule-order-placed-target").inputs
    assert (target["arn"], target["eventBusName"], target["inputPath"]) == (
        plan.named("fn-worker-queue").state["arn"], bus, "$.detail",
    )  # fmt: skip
    assert target["deadLetterConfig"] == {"arn": plan.named("fn-worker-rule-order-placed-dlq").state["arn"]}


@pytest.mark.parametrize("stack", ["dev", "apps-prod"])
def test_cleanup_runs_on_request_through_its_alias(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    target = plan.named("fn-cleanup-rule-cleanup-requested-target").inputs
    assert target["arn"] == plan.outputs["functionAliasArns"]["cleanup"]
    assert target["retryPolicy"] == {"maximumRetryAttempts": 3, "maximumEventAgeInSeconds": 3600}
    permission = plan.named("fn-cleanup-rule-cleanup-requested-invoke").inputs
    assert permission["sourceArn"] == plan.named("fn-cleanup-rule-cleanup-requested").state["arn"]


def test_only_prod_lets_another_account_publish(stack_plans: dict[str, Plan]) -> None:
    assert not stack_plans["dev"].of_type("aws:cloudwatch/eventBusPolicy:EventBusPolicy")
    principals = policy(stack_plans["apps-prod"], "events-policy")["Statement"][0]["Principal"]
    assert principals == {"AWS": ["arn:aws:iam::111122223333:root"]}


# ---------------------------------------------------------------- rules, through args and the stack file
def rule(**changes: Any) -> EventRuleArgs:
    return EventRuleArgs(**({"pattern": ORDERS} | changes))


#: (id, EventRuleArgs changes, rule config changes, YAML key under the rule, whole message)
RULE_CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, str]] = [
    ("retries above 185", {"max_retry_attempts": 186}, {"maxRetryAttempts": 186}, "maxRetryAttempts",
     "186 is out of range; use 0 to 185"),
    ("event age below a minute", {"max_event_age_seconds": 59}, {"maxEventAgeSeconds": 59}, "maxEventAgeSeconds",
     "59 s is out of range; use 60 to 86400 s"),
    ("queue target without a queue", {"target": "queue"}, {"target": "queue"}, "target",
     "target: queue sends to the queue this function creates; configure sqs (without existing_queue_arn) or target"
     " the alias"),
    ("input path not JSONPath", {"input_path": "detail"}, {"inputPath": "detail"}, "inputPath",
     "'detail': a JSONPath such as $.detail, 256 at most"),
    ("long description", {"description": "d" * 513}, {"description": "d" * 513}, "description",
     "513 characters; EventBridge takes 512"),
    ("bad bus name", {"event_bus_name": "orders bus"}, {"bus": "orders bus"}, "bus",
     "'orders bus' is neither an event bus name nor its ARN"),
    ("unknown envelope field", {"pattern": {"sources": ["a"]}}, {"pattern": {"sources": ["a"]}}, "pattern.sources",
     "'sources' is not an event field; match source, detail-type, detail, account, region, time, id, resources,"
     " version (event content goes under detail)"),
    ("empty pattern", {"pattern": {}}, {"pattern": {}}, "pattern",
     "an event pattern is a non-empty JSON object (e.g. {source: [my.app]})"),
    ("scalar instead of array", {"pattern": {"source": "a"}}, {"pattern": {"source": "a"}}, "pattern.source",
     "takes a non-empty array of values or filters, e.g. [a, b] or [{prefix: a}]"),
    ("detail not an object", {"pattern": {"detail": ["a"]}}, {"pattern": {"detail": ["a"]}}, "pattern.detail",
     "detail takes a non-empty object of the event's fields"),
    ("unknown filter", {"pattern": {"source": [{"startsWith": "a"}]}}, {"pattern": {"source": [{"startsWith": "a"}]}},
     "pattern.source", "{'startsWith': 'a'}: a filter has one operator of prefix, suffix, cidr, equals-ignore-case,"
     " wildcard, anything-but, numeric, exists"),
    ("numeric without a number", {"pattern": {"detail": {"n": [{"numeric": [">", "1"]}]}}},
     {"pattern": {"detail": {"n": [{"numeric": [">", "1"]}]}}}, "pattern.detail.n",
     "numeric takes [op, number] or [op, number, op, number], op one of < <= = >= >"),
    ("exists not boolean", {"pattern": {"detail": {"n": [{"exists": "yes"}]}}},
     {"pattern": {"detail": {"n": [{"exists": "yes"}]}}}, "pattern.detail.n", "exists takes true or false"),
    ("lone $or", {"pattern": {"$or": [{"source": ["a"]}]}}, {"pattern": {"$or": [{"source": ["a"]}]}},
     "pattern.$or", "$or takes a list of at least two non-empty objects"),
    ("pattern too long", {"pattern": {"source": ["s" * 4096]}}, {"pattern": {"source": ["s" * 4096]}}, "pattern",
     "4111 characters as JSON; EventBridge takes 4096"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "message"), [(c[1], c[4]) for c in RULE_CASES], ids=[c[0] for c in RULE_CASES])
def test_rule_args_reject(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ArgsError) as error:
        LambdaFunctionArgs(code=API, events={"orders": rule(**changes)})
    assert [p.message for p in error.value.problems] == [message]


@pytest.mark.parametrize(("config", "key", "message"), [c[2:] for c in RULE_CASES], ids=[c[0] for c in RULE_CASES])
def test_rule_stack_file_rejects(config: dict[str, Any], key: str, message: str) -> None:
    events = {"orders": {"pattern": ORDERS} | config}
    _, lines = stage.validate({"functions": {"api": {"code": ZIP, "events": events}}})
    assert lines == [f"aws-compute:functions.api.events.orders.{key}: {message}"]


def test_stage_bus_needs_aws_compute_event_bus() -> None:
    events = {"orders": {"pattern": ORDERS, "bus": "stage"}}
    _, lines = stage.validate({"functions": {"api": {"code": ZIP, "events": events}}})
    assert lines == [
        "aws-compute:functions.api.events.orders.bus: bus: stage is the stage's custom bus, but aws-compute:eventBus"
        " is not configured; configure it, or use default or an existing bus's name or ARN"
    ]
    config, lines = stage.validate({"eventBus": {}, "functions": {"api": {"code": ZIP, "events": events}}})
    assert lines == [] and config is not None


def test_rule_names_leave_room_for_autonaming() -> None:
    name = "a" * 38
    key = "b" * (56 - len(f"fn-{name}-rule-"))
    events = {key: {"pattern": ORDERS}}
    _, lines = stage.validate({"functions": {name: {"code": ZIP, "events": events}}})
    assert lines == []
    _, lines = stage.validate({"functions": {name: {"code": ZIP, "events": {key + "b": {"pattern": ORDERS}}}}})
    assert lines == [
        f"aws-compute:functions.{name}.events.{key}b: the rule is named fn-{name}-rule-{key}b-<7 random>, 65"
        " characters; EventBridge allows 64, so shorten the rule's or the function's name"
    ]


def test_rule_names_are_lowercase_in_args_and_stack_file() -> None:
    with pytest.raises(ArgsError) as error:
        LambdaFunctionArgs(code=API, events={"Orders": rule()})
    assert [(p.field, p.message) for p in error.value.problems] == [
        ("events.Orders", "'Orders': name rules with lowercase letters, digits and dashes")
    ]
    _, lines = stage.validate({"functions": {"api": {"code": ZIP, "events": {"Orders": {"pattern": ORDERS}}}}})
    assert lines == [
        "aws-compute:functions.api.events.Orders.[key]: String should match pattern '^[a-z][a-z0-9-]{0,63}$'"
        " (got 'Orders')"
    ]


#: (id, EventBusArgs changes, eventBus config changes, YAML key, whole message)
BUS_CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, str]] = [
    ("reserved name", {"name": "default"}, {"name": "default"}, "name",
     "'default' is reserved by EventBridge; choose another name"),
    ("aws. prefix", {"name": "aws.orders"}, {"name": "aws.orders"}, "name",
     "'aws.orders' is reserved by EventBridge; choose another name"),
    ("bad characters", {"name": "orders bus"}, {"name": "orders bus"}, "name",
     "'orders bus': letters, digits, . - _ and /, 1 to 256 characters"),
    ("bad account", {"put_events_account_ids": ("1234",)}, {"putEventsAccountIds": ["1234"]}, "putEventsAccountIds",
     "'1234' is not a 12-digit AWS account id"),
    ("account twice", {"put_events_account_ids": ("111122223333",) * 2}, {"putEventsAccountIds": ["111122223333"] * 2},
     "putEventsAccountIds", "lists an account twice; list each once"),
    ("long description", {"description": "d" * 513}, {"description": "d" * 513}, "description",
     "513 characters; EventBridge takes 512"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "message"), [(c[1], c[4]) for c in BUS_CASES], ids=[c[0] for c in BUS_CASES])
def test_bus_args_reject(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ArgsError) as error:
        EventBusArgs(**changes)
    assert [p.message for p in error.value.problems] == [message]


@pytest.mark.parametrize(("config", "key", "message"), [c[2:] for c in BUS_CASES], ids=[c[0] for c in BUS_CASES])
def test_bus_stack_file_rejects(config: dict[str, Any], key: str, message: str) -> None:
    _, lines = stage.validate({"eventBus": config})
    assert lines == [f"aws-compute:eventBus.{key}: {message}"]


def test_account_ids_in_yaml_must_be_quoted_strings() -> None:
    _, lines = stage.validate({"eventBus": {"putEventsAccountIds": [111122223333]}})
    assert lines == ["aws-compute:eventBus.putEventsAccountIds[0]: Input should be a valid string (got 111122223333)"]


# ---------------------------------------------------------------- patterns: properties and the seed's examples
_values = st.lists(st.one_of(st.text(max_size=8), st.integers(), st.booleans(), st.none()), min_size=1, max_size=3)
_filters = st.one_of(
    st.builds(
        lambda op, s: {op: s}, st.sampled_from(["prefix", "suffix", "equals-ignore-case", "wildcard"]), st.text()
    ),
    st.builds(lambda b: {"exists": b}, st.booleans()),
    st.builds(lambda op, n: {"numeric": [op, n]}, st.sampled_from(["<", "<=", "=", ">=", ">"]), st.integers()),
    st.builds(lambda v: {"anything-but": v}, st.one_of(st.text(), _values)),
)
_leaves = st.lists(st.one_of(st.text(max_size=8), _filters), min_size=1, max_size=3)
_details = st.recursive(
    st.dictionaries(st.text(min_size=1, max_size=6).filter(lambda k: k != "$or"), _leaves, min_size=1, max_size=3),
    lambda inner: st.dictionaries(st.text(min_size=1, max_size=6).filter(lambda k: k != "$or"),
                                  st.one_of(_leaves, inner), min_size=1, max_size=3),
    max_leaves=6,
)  # fmt: skip


@given(st.dictionaries(st.sampled_from([f for f in FIELDS if f != "detail"]), _leaves, max_size=4), _details)
def test_well_formed_patterns_are_accepted(envelope: dict[str, Any], detail: dict[str, Any]) -> None:
    assert pattern_problems("pattern", {**envelope, "detail": detail}) == []


@given(st.text(min_size=1, max_size=12).filter(lambda k: k not in FIELDS and k != "$or"))
def test_any_other_top_level_field_is_refused(key: str) -> None:
    problems = pattern_problems("pattern", {key: ["x"]})
    assert [p.field for p in problems] == [f"pattern.{key}"]


@pytest.mark.parametrize(
    "pattern",
    [
        ORDERS,
        {"source": ["myapp.users"], "detail": {"location": {"state": [{"prefix": "US-"}, "CA-BC", "CA-ON"]},
                                               "metadata": {"plan": [{"anything-but": "free"}]}}},
        {"$or": [{"source": ["a"]}, {"detail-type": ["b"]}]},
        {"detail": {"$or": [{"a": [1]}, {"b": [{"numeric": [">", 0, "<=", 5]}]}]}},
        {"source": [{"prefix": {"equals-ignore-case": "AWS."}}], "resources": [{"wildcard": "arn:*"}]},
        {"detail": {"ip": [{"cidr": "10.0.0.0/24"}], "kind": [{"anything-but": {"prefix": "test"}}]}},
    ],
    ids=["seed orders", "seed advanced filtering", "$or envelope", "$or detail", "nested operators", "cidr"],
)  # fmt: skip
def test_documented_patterns_are_accepted(pattern: dict[str, Any]) -> None:
    assert pattern_problems("pattern", pattern) == []


# ---------------------------------------------------------------- limits from AWS's own model
def test_event_limits_are_the_events_models() -> None:
    model = events_model()
    retry = model.shape_for("RetryPolicy").members
    assert (retry["MaximumRetryAttempts"].metadata["min"], retry["MaximumRetryAttempts"].metadata["max"]) == (
        EVENT_RETRY_ATTEMPTS
    )
    age = retry["MaximumEventAgeInSeconds"].metadata
    assert (age["min"], age["max"]) == EVENT_AGE_SECONDS
    assert model.shape_for("EventPattern").metadata["max"] == MAX_PATTERN_LENGTH
    assert model.shape_for("RuleDescription").metadata["max"] == 512
    assert model.shape_for("EventBusDescription").metadata["max"] == 512
    assert model.shape_for("TargetInputPath").metadata["max"] == INPUT_PATH_MAX
    assert model.shape_for("RuleName").metadata["max"] == 64


def test_filter_operators_are_the_documented_ones() -> None:
    assert sorted(OPERATORS) == sorted(
        ["prefix", "suffix", "anything-but", "numeric", "exists", "cidr", "equals-ignore-case", "wildcard"]
    )
