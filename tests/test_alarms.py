"""Alarms that page someone: the stage's topic (encrypted, CloudWatch-only publisher), each
component's alarms on the exact metrics, dimensions and thresholds, and the switches."""

from __future__ import annotations

import json
from typing import Any

import pytest

from components import (
    AlarmArgs,
    AlarmTopic,
    AlarmTopicArgs,
    FunctionAlarmsArgs,
    LambdaFunction,
    LambdaFunctionArgs,
    SqsTriggerArgs,
    SubscriptionArgs,
    ZipCode,
)
from offline import engine
from offline.engine import Plan, RecordedResource
from tests.iam_checks import lint

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
ACCOUNT = "123456789012"
LAMBDA_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:notify"
QUEUE_ARN = f"arn:aws:sqs:us-east-1:{ACCOUNT}:alarms"
FROM_THIS_ACCOUNTS_ALARMS = {
    "StringEquals": {"aws:SourceAccount": ACCOUNT},
    "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:*"},
}


def _topic_program() -> None:
    subscriptions = [
        SubscriptionArgs(protocol="email", endpoint="oncall@example.com"),
        SubscriptionArgs(protocol="https", endpoint="https://events.example.com/hook"),
        SubscriptionArgs(protocol="sqs", endpoint=QUEUE_ARN),
        SubscriptionArgs(protocol="lambda", endpoint=LAMBDA_ARN),
    ]
    topic = AlarmTopic("alarms", AlarmTopicArgs(subscriptions=subscriptions, display_name="on-call"))
    code = ZipCode(path="functions/worker", handler="handler.handler", runtime="python3.13")
    LambdaFunction(
        "quiet",
        LambdaFunctionArgs(
            code=code,
            sqs=SqsTriggerArgs(),
            alarms=FunctionAlarmsArgs(
                topic_arn=topic.arn,
                errors=AlarmArgs(threshold=3, period_seconds=120, evaluation_periods=5, datapoints_to_alarm=2),
                throttles=None,
                dead_letter_queue=None,
            ),
        ),
    )


@pytest.fixture(scope="module")
def plan() -> Plan:
    return engine.run(_topic_program)


def _doc(resource: RecordedResource, key: str = "policy") -> dict[str, Any]:
    value = resource.inputs[key]
    return json.loads(value) if isinstance(value, str) else value


def _alarms_of(plan: Plan, prefix: str) -> dict[str, dict[str, Any]]:
    return {a.name: a.inputs for a in plan.of_type(ALARM) if a.name.startswith(f"{prefix}-alarm-")}


# ---------------------------------------------------------------- the topic
def test_topic_is_encrypted_with_its_own_rotating_key(plan: Plan) -> None:
    key = plan.named("alarms-key")
    assert (key.inputs["enableKeyRotation"], key.inputs["deletionWindowInDays"]) == (True, 30)
    topic = plan.named("alarms-topic").inputs
    assert topic["kmsMasterKeyId"] == key.state["arn"]
    assert topic["displayName"] == "on-call"


def test_key_policy_lets_only_this_accounts_alarms_use_the_key(plan: Plan) -> None:
    policy = _doc(plan.named("alarms-key"))
    assert not lint(policy)
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert set(by_sid) == {"AccountAdministersKey", "CloudWatchAlarmsPublishEncrypted"}
    admin = by_sid["AccountAdministersKey"]
    assert admin["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    assert not {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"} & set(admin["Action"])
    assert by_sid["CloudWatchAlarmsPublishEncrypted"] == {
        "Sid": "CloudWatchAlarmsPublishEncrypted",
        "Effect": "Allow",
        "Principal": {"Service": "cloudwatch.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": "*",
        "Condition": FROM_THIS_ACCOUNTS_ALARMS,
    }


def test_topic_policy_allows_only_cloudwatch_to_publish_over_tls(plan: Plan) -> None:
    topic_arn = plan.named("alarms-topic").state["arn"]
    policy = _doc(plan.named("alarms-policy"))
    assert plan.named("alarms-policy").inputs["arn"] == topic_arn
    assert not lint(policy)
    assert policy["Statement"] == [
        {
            "Sid": "CloudWatchAlarmsPublish",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": FROM_THIS_ACCOUNTS_ALARMS,
        },
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
    ]


def test_each_subscription_is_keyed_by_its_endpoint(plan: Plan) -> None:
    subscriptions = {
        s.inputs["protocol"]: (s.name, s.inputs) for s in plan.of_type("aws:sns/topicSubscription:TopicSubscription")
    }
    assert sorted(subscriptions) == ["email", "https", "lambda", "sqs"]
    assert all(name.startswith(f"alarms-subscription-{protocol}-") for protocol, (name, _) in subscriptions.items())
    https = subscriptions["https"][1]
    assert (https["endpointAutoConfirms"], https["confirmationTimeoutInMinutes"]) == (True, 5)
    assert "endpointAutoConfirms" not in subscriptions["email"][1]
    assert subscriptions["sqs"][1]["endpoint"] == QUEUE_ARN


def test_a_function_subscriber_may_be_invoked_by_this_topic_only(plan: Plan) -> None:
    (permission,) = plan.of_type("aws:lambda/permission:Permission")
    assert permission.inputs == {
        "action": "lambda:InvokeFunction",
        "function": LAMBDA_ARN,
        "principal": "sns.amazonaws.com",
        "sourceArn": plan.named("alarms-topic").state["arn"],
    }
    subscription = next(
        s for s in plan.of_type("aws:sns/topicSubscription:TopicSubscription") if s.inputs["protocol"] == "lambda"
    )
    assert permission.urn in subscription.dependencies


# ---------------------------------------------------------------- one alarm, and the switches
def test_alarm_settings_reach_cloudwatch_and_unset_alarms_are_absent(plan: Plan) -> None:
    alarms = _alarms_of(plan, "quiet")
    assert sorted(alarms) == ["quiet-alarm-errors", "quiet-alarm-queue-age"]
    topic_arn = plan.named("alarms-topic").state["arn"]
    assert alarms["quiet-alarm-errors"] == {
        "alarmDescription": "quiet: invocations report errors",
        "namespace": "AWS/Lambda",
        "metricName": "Errors",
        "dimensions": {"FunctionName": plan.named("quiet-function").state["name"]},
        "statistic": "Sum",
        "period": 120,
        "comparisonOperator": "GreaterThanOrEqualToThreshold",
        "threshold": 3,
        "evaluationPeriods": 5,
        "datapointsToAlarm": 2,
        "treatMissingData": "notBreaching",
        "actionsEnabled": True,
        "alarmActions": [topic_arn],
        "okActions": [topic_arn],
    }
    queue_name = plan.named("quiet-queue").state["name"]
    assert alarms["quiet-alarm-queue-age"]["dimensions"] == {"QueueName": queue_name}
    assert alarms["quiet-alarm-queue-age"]["metricName"] == "ApproximateAgeOfOldestMessage"


# ---------------------------------------------------------------- every component, in prod
def _metric(inputs: dict[str, Any]) -> tuple[Any, ...]:
    return (inputs["namespace"], inputs["metricName"], inputs["statistic"], inputs["comparisonOperator"])


def _trigger(inputs: dict[str, Any]) -> tuple[Any, ...]:
    period = inputs.get("period") or inputs["metricQueries"][1]["metric"]["period"]
    return (inputs["threshold"], period, inputs["evaluationPeriods"], inputs["datapointsToAlarm"])


def test_every_prod_alarm_notifies_the_stages_topic(prod_plan: Plan) -> None:
    topic_arn = prod_plan.outputs["alarmTopicArn"]
    alarms = prod_plan.of_type(ALARM)
    assert len(alarms) == 34
    for alarm in alarms:
        assert alarm.inputs["alarmActions"] == [topic_arn] and alarm.inputs["okActions"] == [topic_arn], alarm.name


def test_lambda_alarms_by_function(prod_plan: Plan) -> None:
    names = set(_alarms_of(prod_plan, "fn-worker"))
    assert names == {
        "fn-worker-alarm-errors",
        "fn-worker-alarm-throttles",
        "fn-worker-alarm-queue-age",
        "fn-worker-alarm-trigger-dlq-depth",
    }
    assert set(_alarms_of(prod_plan, "fn-cleanup")) == {
        "fn-cleanup-alarm-errors",
        "fn-cleanup-alarm-throttles",
        "fn-cleanup-alarm-failures-depth",
    }
    dlq = _alarms_of(prod_plan, "fn-worker")["fn-worker-alarm-trigger-dlq-depth"]
    assert _metric(dlq) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", "GreaterThanOrEqualToThreshold")
    assert dlq["dimensions"] == {"QueueName": prod_plan.named("fn-worker-dlq").state["name"]}
    assert _trigger(dlq) == (1, 300, 1, 1)


def test_service_running_below_desired_is_container_insights_math(prod_plan: Plan) -> None:
    alarm = _alarms_of(prod_plan, "svc-api")["svc-api-alarm-running-below-desired"]
    service = {
        "ClusterName": prod_plan.outputs["clusterName"],
        "ServiceName": prod_plan.named("svc-api-service").state["name"],
    }
    assert alarm["metricQueries"] == [
        {"id": "shortfall", "expression": "wanted - actual", "label": "shortfall", "returnData": True},
        {
            "id": "wanted",
            "returnData": False,
            "metric": {
                "namespace": "ECS/ContainerInsights",
                "metricName": "DesiredTaskCount",
                "dimensions": service,
                "stat": "Average",
                "period": 60,
            },
        },
        {
            "id": "actual",
            "returnData": False,
            "metric": {
                "namespace": "ECS/ContainerInsights",
                "metricName": "RunningTaskCount",
                "dimensions": service,
                "stat": "Average",
                "period": 60,
            },
        },
    ]
    assert (alarm["threshold"], alarm["evaluationPeriods"], alarm["comparisonOperator"]) == (
        1,
        5,
        "GreaterThanOrEqualToThreshold",
    )


def test_service_saturation_and_the_stage_tuned_cpu(prod_plan: Plan) -> None:
    alarms = _alarms_of(prod_plan, "svc-api")
    assert _metric(alarms["svc-api-alarm-cpu"]) == ("AWS/ECS", "CPUUtilization", "Average", "GreaterThanThreshold")
    assert _trigger(alarms["svc-api-alarm-cpu"]) == (85, 300, 3, 3)  # Pulumi.apps-prod.yaml lowers it from 90
    assert _trigger(alarms["svc-api-alarm-memory"]) == (90, 300, 3, 3)


def test_web_service_target_alarms_name_its_target_group_and_alb(prod_plan: Plan) -> None:
    alarms = _alarms_of(prod_plan, "svc-api")
    dimensions = {
        "TargetGroup": prod_plan.named("svc-api-tg").state["arnSuffix"],
        "LoadBalancer": prod_plan.named("alb-alb").state["arnSuffix"],
    }
    assert alarms["svc-api-alarm-target-5xx"]["dimensions"] == dimensions
    assert _metric(alarms["svc-api-alarm-target-5xx"])[1] == "HTTPCode_Target_5XX_Count"
    assert _metric(alarms["svc-api-alarm-unhealthy-targets"]) == (
        "AWS/ApplicationELB",
        "UnHealthyHostCount",
        "Maximum",
        "GreaterThanOrEqualToThreshold",
    )


def test_workers_watch_their_queue_and_dlq_and_jobs_have_no_alarm(prod_plan: Plan) -> None:
    worker = _alarms_of(prod_plan, "svc-worker")
    assert worker["svc-worker-alarm-queue-age"]["dimensions"] == {
        "QueueName": prod_plan.named("svc-worker-queue").state["name"]
    }
    assert worker["svc-worker-alarm-dlq-depth"]["dimensions"] == {
        "QueueName": prod_plan.named("svc-worker-dlq").state["name"]
    }
    assert "svc-worker-alarm-target-5xx" not in worker
    assert _alarms_of(prod_plan, "svc-nightly-report") == {}


def test_alb_alarms_on_its_own_5xx(prod_plan: Plan) -> None:
    alarm = _alarms_of(prod_plan, "alb")["alb-alarm-elb-5xx"]
    assert alarm["dimensions"] == {"LoadBalancer": prod_plan.named("alb-alb").state["arnSuffix"]}
    assert _metric(alarm)[1] == "HTTPCode_ELB_5XX_Count" and _trigger(alarm) == (10, 300, 1, 1)


def test_groups_alarm_on_in_service_below_desired(prod_plan: Plan) -> None:
    for group, asg in (
        ("web", "web-asg"),
        ("ecs-ec2-general", "ecs-ec2-general-asg"),
        ("ecs-ec2-spot", "ecs-ec2-spot-asg"),
    ):
        alarm = _alarms_of(prod_plan, group)[f"{group}-alarm-in-service-below-desired"]
        dimensions = {"AutoScalingGroupName": prod_plan.named(asg).state["name"]}
        metrics = [q["metric"] for q in alarm["metricQueries"] if "metric" in q]
        assert [(m["namespace"], m["metricName"], m["dimensions"]) for m in metrics] == [
            ("AWS/AutoScaling", "GroupDesiredCapacity", dimensions),
            ("AWS/AutoScaling", "GroupInServiceInstances", dimensions),
        ]
        assert _trigger(alarm) == (1, 60, 10, 10)
    assert {"web-alarm-target-5xx", "web-alarm-unhealthy-targets"} <= set(_alarms_of(prod_plan, "web"))


def test_eks_alarms_per_node_group_and_on_unschedulable_pods(prod_plan: Plan) -> None:
    alarms = _alarms_of(prod_plan, "eks")
    assert set(alarms) == {
        "eks-alarm-node-group-below-desired-general",
        "eks-alarm-node-group-below-desired-spot-burst",
        "eks-alarm-node-group-below-desired-system",
        "eks-alarm-unschedulable-pods",
    }
    asg = prod_plan.named("eks-system").state["resources"][0]["autoscalingGroups"][0]["name"]
    system = alarms["eks-alarm-node-group-below-desired-system"]
    assert system["metricQueries"][1]["metric"]["dimensions"] == {"AutoScalingGroupName": asg}
    pods = alarms["eks-alarm-unschedulable-pods"]
    assert _metric(pods) == ("AWS/EKS", "scheduler_pending_pods_UNSCHEDULABLE", "Sum", "GreaterThanOrEqualToThreshold")
    assert pods["dimensions"] == {"ClusterName": prod_plan.outputs["eksClusterName"]}


def test_dev_switches_alarms_off_and_retunes_them_from_its_stack_file(dev_plan: Plan) -> None:
    names = {a.name for a in dev_plan.of_type(ALARM)}
    assert not [n for n in names if "node-group-below-desired" in n]
    assert "eks-alarm-unschedulable-pods" in names
    errors = dev_plan.named("fn-api-alarm-errors").inputs
    assert _trigger(errors) == (5, 300, 1, 1)
    (subscription,) = dev_plan.of_type("aws:sns/topicSubscription:TopicSubscription")
    assert (subscription.inputs["protocol"], subscription.inputs["endpoint"]) == ("email", "dev-alerts@example.com")
