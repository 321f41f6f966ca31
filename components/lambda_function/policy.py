"""The execution-role policy of a Lambda function, as data.

Least privilege: write to its own log group (no logs:CreateLogGroup, so no stray
/aws/lambda group appears), X-Ray, network interfaces in its own VPC only when in one (and
never from its own code), read the queue it is fed from, send to its failure queue, read
exactly the secrets it names, plus the grants the args add (already checked to name
actions and resource ARNs).
"""

from __future__ import annotations

import pulumi

from components.account_scope import AccountScope
from components.iam import Statement
from components.lambda_function.args import LambdaFunctionArgs
from components.secret_refs import secret_read_statements

#: Mutating ENI actions Lambda performs with the execution role to attach a VPC function.
ENI_MUTATIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
)


def vpc_network_interface_statements(vpc_id: pulumi.Input[str], scope: AccountScope) -> list[Statement]:
    """What Lambda needs to manage a VPC function's ENIs, no wider than AWS lets it be.

    AWSLambdaVPCAccessExecutionRole grants all six actions on "*". Following the Service
    Authorization Reference for EC2 (CreateNetworkInterface: network-interface, subnet and
    security-group resources in one request, the latter two carrying `ec2:Vpc`; Delete/Assign/Unassign:
    network-interface with `ec2:Vpc`), only the two Describe actions, which take no
    resource, stay on "*":
    https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html

    Lambda's own calls to EC2 carry no `lambda:SourceFunctionArn`; every call the function's
    code makes does. So a Deny keyed on that key's presence keeps the function's code from
    creating, deleting or re-addressing any interface, while Lambda still can:
    https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html
    """
    in_this_vpc = {"ArnEquals": {"ec2:Vpc": scope.arn("ec2", pulumi.Output.concat("vpc/", vpc_id))}}
    interfaces = scope.arn("ec2", "network-interface/*")
    return [
        Statement(
            sid="DescribeNetworkInterfaces",
            actions=["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
            resources=["*"],
        ),
        Statement(
            sid="CreateNetworkInterfacesInThisVpc",
            actions=["ec2:CreateNetworkInterface"],
            resources=[interfaces, scope.arn("ec2", "subnet/*"), scope.arn("ec2", "security-group/*")],
            # The new interface has no ec2:Vpc yet; its subnet and security group do.
            conditions={"ArnEqualsIfExists": in_this_vpc["ArnEquals"]},
        ),
        Statement(
            sid="ManageNetworkInterfacesInThisVpc",
            actions=list(ENI_MUTATIONS[1:]),
            resources=[interfaces],
            conditions=in_this_vpc,
        ),
        Statement(
            sid="DenyNetworkInterfacesToFunctionCode",
            effect="Deny",
            actions=list(ENI_MUTATIONS),
            resources=["*"],
            conditions={"Null": {"lambda:SourceFunctionArn": "false"}},
        ),
    ]


def execution_statements(
    args: LambdaFunctionArgs,
    *,
    log_group_arn: pulumi.Input[str],
    trigger_queue_arn: pulumi.Input[str] | None,
    failure_queue_arn: pulumi.Input[str] | None,
    scope: AccountScope,
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
        statements += vpc_network_interface_statements(args.vpc.vpc_id, scope)
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
