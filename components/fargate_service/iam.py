"""The IAM documents of a Fargate workload, as data (so tests can lint every one).

- execution role: what ECS itself needs to start the task: pull its image, write its log
  group, read exactly its secrets (and their KMS keys);
- task role: what the application is granted by config, plus the queue a worker consumes
  and ECS Exec's channels when Exec is on;
- scheduler role: EventBridge Scheduler runs the job's task definition in its cluster,
  passes exactly the job's two roles, and tags the tasks it starts (managed and propagated
  tags on RunTask need ecs:TagResource, limited to RunTask in that cluster).
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi

from components.fargate_service.container import SecretRef
from components.iam import Statement
from components.secret_refs import secret_read_statements

ECR_PULL_ACTIONS = ("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")
EXEC_CHANNEL_ACTIONS = (
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
)
QUEUE_CONSUMER_ACTIONS = (
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:ReceiveMessage",
)


def log_streams(log_group_arn: pulumi.Input[str]) -> pulumi.Output[str]:
    """The ARN pattern of every stream in a log group (`<group arn>:log-stream:*`)."""
    return pulumi.Output.concat(log_group_arn, ":log-stream:*")


def execution_statements(
    *,
    repository_arns: Sequence[pulumi.Input[str]],
    log_group_arn: pulumi.Input[str],
    secrets: Sequence[SecretRef],
    kms_key_arns: Sequence[str],
) -> list[Statement]:
    statements: list[Statement] = []
    if repository_arns:
        statements += [
            Statement(sid="PullImage", actions=ECR_PULL_ACTIONS, resources=list(repository_arns)),
            Statement(sid="EcrLogin", actions=["ecr:GetAuthorizationToken"], resources=["*"]),
        ]
    statements.append(
        Statement(
            sid="WriteLogs",
            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
            resources=[log_streams(log_group_arn)],
        )
    )
    statements += secret_read_statements([s.arn for s in secrets], reader="ecs", kms_key_arns=kms_key_arns)
    return statements


def exec_statements(exec_log_group_arn: pulumi.Input[str]) -> list[Statement]:
    """ECS Exec: the SSM channels and log-group lookup (both unscopable: IAM only accepts "*")
    and session logs to the cluster's Exec log group."""
    return [
        Statement(sid="ExecChannels", actions=EXEC_CHANNEL_ACTIONS, resources=["*"]),
        Statement(sid="ExecFindLogGroup", actions=["logs:DescribeLogGroups"], resources=["*"]),
        Statement(
            sid="ExecSessionLogs",
            actions=["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            resources=[log_streams(exec_log_group_arn)],
        ),
    ]


def queue_consumer_statements(queue_arn: pulumi.Input[str], kms_key_arn: str | None) -> list[Statement]:
    statements = [Statement(sid="ConsumeQueue", actions=QUEUE_CONSUMER_ACTIONS, resources=[queue_arn])]
    if kms_key_arn:
        statements.append(Statement(sid="DecryptQueue", actions=["kms:Decrypt"], resources=[kms_key_arn]))
    return statements


def scheduler_statements(
    *,
    family_arn: pulumi.Input[str],
    cluster_arn: pulumi.Input[str],
    cluster_tasks_arn: pulumi.Input[str],
    role_arns: Sequence[pulumi.Input[str]],
) -> list[Statement]:
    """RunTask on the family (any revision) in this cluster only; PassRole on the job's roles only."""
    return [
        Statement(
            sid="RunJobTask",
            actions=["ecs:RunTask"],
            resources=[family_arn],
            conditions={"ArnEquals": {"ecs:cluster": cluster_arn}},
        ),
        Statement(
            sid="TagJobTask",
            actions=["ecs:TagResource"],
            resources=[cluster_tasks_arn],
            conditions={"StringEquals": {"ecs:CreateAction": "RunTask"}},
        ),
        Statement(
            sid="PassJobRoles",
            actions=["iam:PassRole"],
            resources=list(role_arns),
            conditions={"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
        ),
    ]
