"""The role EventBridge Scheduler assumes to run one schedule's target (Lambda and Fargate).

Trusted only by the scheduler of this account acting for the default schedule group (where
the schedules live), against the confused-deputy problem; allowed exactly the statements given.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from components.account_scope import AccountScope
from components.iam import Statement, service_trust_policy
from components.roles import role_with_grants


def scheduler_role(
    name: str,
    *,
    description: str,
    statements: Sequence[Statement],
    scope: AccountScope,
    opts: pulumi.ResourceOptions,
) -> tuple[aws.iam.Role, pulumi.Resource]:
    """`<name>-scheduler-role` and its inline `<name>-scheduler-policy`; a schedule using the
    role should depend on the policy, so its first run is allowed."""
    scheduler = role_with_grants(
        f"{name}-scheduler",
        description=description,
        trust=service_trust_policy(
            "scheduler.amazonaws.com",
            conditions={
                "StringEquals": {
                    "aws:SourceAccount": scope.account,
                    "aws:SourceArn": scope.arn("scheduler", "schedule-group/default"),
                }
            },
        ),
        statements=statements,
        opts=opts,
    )
    return scheduler.role, scheduler.grants[0]
