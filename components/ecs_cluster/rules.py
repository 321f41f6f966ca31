"""The rules of ecs_cluster."""

from __future__ import annotations

import re

from components.capacity import capacity_problems
from components.ecs_cluster.args import (
    EcsClusterArgs,
)
from components.validation import Problem, retention_problems, rules_for

_NAMESPACE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


@rules_for(EcsClusterArgs)
def ecs_cluster_problems(args: EcsClusterArgs) -> list[Problem]:
    problems = capacity_problems("default_capacity", args.default_capacity)
    problems += retention_problems("exec_log_retention_days", args.exec_log_retention_days)
    if args.service_connect_namespace is not None and not _NAMESPACE.match(args.service_connect_namespace):
        problems.append(
            Problem(
                "service_connect_namespace", f"{args.service_connect_namespace!r} is not a DNS name like app.internal"
            )
        )
    return problems
