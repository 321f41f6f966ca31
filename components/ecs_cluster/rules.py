"""The rules of ecs_cluster."""

from __future__ import annotations

from components.capacity import capacity_problems
from components.ecs_cluster.args import (
    EcsClusterArgs,
)
from components.validation import DNS_NAME, Problem, retention_problems, rules_for


@rules_for(EcsClusterArgs)
def ecs_cluster_problems(args: EcsClusterArgs) -> list[Problem]:
    problems = capacity_problems("default_capacity", args.default_capacity)
    problems += retention_problems("exec_log_retention_days", args.exec_log_retention_days)
    if args.service_connect_namespace is not None and not DNS_NAME.match(args.service_connect_namespace):
        problems.append(
            Problem(
                "service_connect_namespace", f"{args.service_connect_namespace!r} is not a DNS name like app.internal"
            )
        )
    return problems
