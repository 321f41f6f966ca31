"""Extra IAM grants a workload's config adds to its role: exact actions on resource ARNs,
and managed policies that are not far beyond least privilege (Lambda and Fargate)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from components.child_keys import arn_name, repeated_keys
from components.iam import Statement
from components.validation import IAM_ACTION, MANAGED_POLICY_ARN, Problem

#: AWS managed policies far too broad for an application.
TOO_BROAD_POLICIES = ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess")


def statement_problems(field: str, statements: Sequence[Statement]) -> list[Problem]:
    """Each statement names exact actions (no wildcards) and resource ARNs (no `*`); wired
    Outputs are not checked."""
    problems: list[Problem] = []
    for i, statement in enumerate(statements):
        path = f"{field}[{i}]"
        if not statement.actions:
            problems.append(Problem(f"{path}.actions", "empty; a grant needs actions and resources: list the actions"))
        problems += [
            Problem(f"{path}.actions", f"{a!r} must be one service:Action, without wildcards")
            for a in statement.actions
            if not IAM_ACTION.match(a)
        ]
        if not statement.resources:
            problems.append(Problem(f"{path}.resources", "empty; a grant needs actions and resources: list the ARNs"))
        problems += [
            Problem(f"{path}.resources", f"{r!r} grants every resource or is no ARN; scope it to ARNs")
            for r in statement.resources
            if isinstance(r, str) and (r == "*" or not r.startswith("arn:"))
        ]
    return problems


def managed_policy_problems(field: str, arns: Iterable[str]) -> list[Problem]:
    """Policy ARNs, none far too broad, no two of one name (the name keys the attachment)."""
    arns = list(arns)
    problems: list[Problem] = []
    for arn in arns:
        if not MANAGED_POLICY_ARN.match(arn):
            problems.append(Problem(field, f"{arn!r} is not an IAM policy ARN"))
        elif arn.rsplit("/", 1)[-1] in TOO_BROAD_POLICIES:
            problems.append(Problem(field, f"{arn!r} is far beyond least privilege; grant statements instead"))
    return problems + repeated_keys(
        field,
        [arn_name(arn) for arn in arns],
        "{count} policies are named {key}, and the name keys their attachments; list each policy once",
    )
