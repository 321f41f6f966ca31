"""The execution-role policy of a Lambda function, as data.

Least privilege: write to its own log group (no logs:CreateLogGroup, so no stray
/aws/lambda group appears), X-Ray, network interfaces only when in a VPC, read the queue it
is fed from, send to its failure queue, read exactly the secrets it names, plus the grants
the args add (already checked to name actions and resource ARNs).
"""

from __future__ import annotations

import pulumi

from components.iam import Statement
from components.lambda_function.args import LambdaFunctionArgs
from components.secret_refs import secret_read_statements

#: What Lambda needs to manage the function's ENIs (AWSLambdaVPCAccessExecutionRole);
#: IAM cannot scope these to a resource, hence Resource "*".
VPC_ENI_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
)


def execution_statements(
    args: LambdaFunctionArgs,
    *,
    log_group_arn: pulumi.Input[str],
    trigger_queue_arn: pulumi.Input[str] | None,
    failure_queue_arn: pulumi.Input[str] | None,
) -> list[Statement]:
    statements = [
        Statement(
            sid="WriteOwnLogs",
            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
            resources=[pulumi.Output.concat(log_group_arn, ":*")],
        ),
        Statement(sid="Tracing", actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources=["*"]),
    ]
    if args.vpc is not None:
        statements.append(Statement(sid="VpcNetworkInterfaces", actions=list(VPC_ENI_ACTIONS), resources=["*"]))
    if trigger_queue_arn is not None:
        statements.append(
            Statement(
                sid="ReadTriggerQueue",
                actions=["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                resources=[trigger_queue_arn],
            )
        )
    if failure_queue_arn is not None:
        statements.append(Statement(sid="SendFailedEvents", actions=["sqs:SendMessage"], resources=[failure_queue_arn]))
    statements += secret_read_statements(args.secrets.values(), reader="application")
    return statements + list(args.policy_statements)
