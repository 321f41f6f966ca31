"""The rules of fargate_service."""

from __future__ import annotations

import re

from components.capacity import capacity_problems, runs_on_ec2
from components.egress import egress_problems
from components.fargate_service.args import (
    FargateServiceArgs,
)
from components.fargate_service.container import (
    container_problems,
)
from components.fargate_service.placement import placement_problems
from components.fargate_service.sizing import ec2_task_size_problems, ephemeral_storage_problems, task_size_problems
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
    problems += capacity_problems("capacity", args.capacity, args.cluster.ec2_capacity)
    on_ec2 = runs_on_ec2(args.capacity)
    problems += _ec2_problems(args) if on_ec2 else task_size_problems(args.cpu, args.memory)
    problems += ephemeral_storage_problems("ephemeral_storage_gib", args.ephemeral_storage_gib)
    problems += placement_problems(args.placement, on_ec2=on_ec2)
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


#: ECS task definitions spell architectures apart from EC2 (`ARM64` vs `arm64`).
_EC2_ARCHITECTURE = {"ARM64": "arm64", "X86_64": "x86_64"}
#: Scheduled jobs start tasks through EventBridge Scheduler, whose RunTask target takes 6 providers.
MAX_SCHEDULER_PROVIDERS = 6


def _ec2_problems(args: FargateServiceArgs) -> list[Problem]:
    """A task on the cluster's EC2 capacity: an EC2 task size, instances of its architecture,
    no Fargate-only storage."""
    problems = ec2_task_size_problems(args.cpu, args.memory)
    if args.ephemeral_storage_gib is not None:
        problems.append(
            Problem("ephemeral_storage_gib", "Fargate only: on EC2, tasks use the instances' root volume; remove it")
        )
    wanted = _EC2_ARCHITECTURE[args.architecture]
    for i, share in enumerate(args.capacity):
        ref = args.cluster.ec2_capacity.get(share.provider)
        if ref is not None and ref.architecture != wanted:
            problems.append(
                Problem(
                    f"capacity[{i}].provider",
                    f"{share.provider!r} runs {ref.architecture} instances but the task is {args.architecture};"
                    " match the architectures",
                )
            )
    if isinstance(args.workload, ScheduledJob) and len(args.capacity) > MAX_SCHEDULER_PROVIDERS:
        problems.append(
            Problem("capacity", f"EventBridge Scheduler takes {MAX_SCHEDULER_PROVIDERS} capacity providers per run")
        )
    return problems
