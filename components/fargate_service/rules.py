"""The rules of fargate_service."""

from __future__ import annotations

import re

from components.capacity import capacity_problems
from components.egress import egress_problems
from components.fargate_service.args import (
    FargateServiceArgs,
)
from components.fargate_service.container import (
    container_problems,
)
from components.fargate_service.sizing import ephemeral_storage_problems, task_size_problems
from components.fargate_service.workloads import (
    ScheduledJob,
    WebWorkload,
    workload_problems,
)
from components.grants import managed_policy_problems, statement_problems
from components.validation import Problem, retention_problems, rules_for

_FAMILY = re.compile(r"^[A-Za-z0-9_-]{1,255}$")


@rules_for(FargateServiceArgs)
def fargate_service_problems(args: FargateServiceArgs) -> list[Problem]:
    """Every rule FargateServiceArgs must satisfy; the stage config runs these too."""
    problems = [Problem(f"container.{p.field}", p.message) for p in container_problems(args.container)]
    problems += task_size_problems(args.cpu, args.memory)
    problems += ephemeral_storage_problems("ephemeral_storage_gib", args.ephemeral_storage_gib)
    problems += capacity_problems("capacity", args.capacity)
    problems += retention_problems("log_retention_days", args.log_retention_days)
    problems += egress_problems(args.egress)
    if not any(rule.port == 443 and rule.protocol == "tcp" for rule in args.egress):
        problems.append(
            Problem(
                "egress",
                "no HTTPS (tcp 443) rule: tasks pull their image, read secrets and write logs over HTTPS;"
                " keep one to 0.0.0.0/0, or to the VPC CIDR when interface endpoints serve those APIs",
            )
        )
    if args.family is not None and not _FAMILY.match(args.family):
        problems.append(Problem("family", f"{args.family!r}: use 1-255 letters, digits, _ and -"))
    if args.execute_command and args.container.read_only_root_filesystem:
        problems.append(
            Problem(
                "execute_command",
                "ECS Exec needs a writable root filesystem for its agent; set"
                " container.readOnlyRootFilesystem to false, or turn executeCommand off",
            )
        )
    problems += statement_problems("task_role_statements", args.task_role_statements)
    problems += managed_policy_problems("task_role_managed_policy_arns", args.task_role_managed_policy_arns)
    problems += workload_problems(args.workload, container_port=args.container.port)
    if isinstance(args.workload, WebWorkload) and args.container.port is None:
        problems.append(Problem("container.port", "a web service needs the port the ALB forwards to"))
    if isinstance(args.workload, ScheduledJob) and args.container.port is not None:
        problems.append(Problem("container.port", "a scheduled job receives no traffic; remove the port"))
    return problems
