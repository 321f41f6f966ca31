"""Environment variables of a function: names AWS reserves, and nothing that looks like a secret.

Lambda environment variables are readable by anyone with `lambda:GetFunctionConfiguration`
and land in plans and state, so secrets go to Secrets Manager or SSM Parameter Store: the
function receives the secret's ARN in an environment variable and a grant to read it (the
secret detection and ARN rules are shared with Fargate: `components.secret_refs`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from components.secret_refs import plaintext_secret_problems, secret_arn_problems
from components.validation import Problem

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

#: Keys Lambda sets itself and rejects in a function's configuration.
RESERVED_NAMES = frozenset(
    {
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
    }
)

#: Lambda rejects a function whose variables (keys plus values) exceed 4 KB in total.
MAX_TOTAL_BYTES = 4096


def name_problems(field: str, name: str) -> list[Problem]:
    """Problems of one variable name; `field` is the mapping, as its keys are free-form."""
    if not _NAME.match(name):
        return [Problem(field, f"{name!r} is not a valid variable name: a letter, then letters, digits or _")]
    if name in RESERVED_NAMES:
        return [Problem(field, f"{name!r} is reserved by Lambda; choose another name")]
    return []


def environment_problems(environment: Mapping[str, str], secrets: Mapping[str, str]) -> list[Problem]:
    problems = [p for name in environment for p in name_problems("environment", name)]
    problems += plaintext_secret_problems(environment, secrets)
    for name, arn in secrets.items():
        problems += name_problems("secrets", name)
        problems += secret_arn_problems(name, arn)
    total = sum(len(k) + len(v) for k, v in {**environment, **secrets}.items())
    if total > MAX_TOTAL_BYTES:
        problems.append(
            Problem("environment", f"variables take {total} bytes; Lambda allows {MAX_TOTAL_BYTES} in total")
        )
    return problems
