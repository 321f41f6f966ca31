"""Environment variables of a function: names AWS reserves, and nothing that looks like a secret.

Lambda environment variables are readable by anyone with `lambda:GetFunctionConfiguration`
and land in plans and state, so secrets go to Secrets Manager or SSM Parameter Store: the
function receives the secret's ARN in an environment variable and a grant to read it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping

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

_SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY)", re.I)
_SECRET_VALUES = (
    (re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"), "an AWS access key id"),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"), "a private key"),
    (re.compile(r"\b(ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}"), "a GitHub token"),
    (re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"), "a Slack token"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\."), "a JSON Web Token"),
    (re.compile(r"://[^/\s:@]+:[^/\s@]+@"), "a URL with a password"),
)
_OPAQUE = re.compile(r"^[A-Za-z0-9+/=_\-]{32,}$")

_SECRET_ARN = re.compile(
    r"^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+"
    r"|ssm:[a-z0-9-]+:\d{12}:parameter/[A-Za-z0-9/_.-]+)$"
)


def _entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def secret_like(value: str) -> str | None:
    """What the value looks like if it looks like a credential, else None."""
    for pattern, kind in _SECRET_VALUES:
        if pattern.search(value):
            return kind
    if _OPAQUE.match(value) and _entropy(value) >= 4.0:
        return "a random key or token"
    return None


def name_problems(field: str, name: str) -> list[Problem]:
    """Problems of one variable name; `field` is the mapping, as its keys are free-form."""
    if not _NAME.match(name):
        return [Problem(field, f"{name!r} is not a valid variable name: a letter, then letters, digits or _")]
    if name in RESERVED_NAMES:
        return [Problem(field, f"{name!r} is reserved by Lambda; choose another name")]
    return []


def environment_problems(environment: Mapping[str, str], secrets: Mapping[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for name, value in environment.items():
        problems += name_problems("environment", name)
        if _SECRET_NAME.search(name):
            problems.append(
                Problem(
                    "environment",
                    f"{name!r} names a secret; store it in Secrets Manager or SSM and list its ARN under"
                    " secrets instead (the function gets the ARN and a grant to read it)",
                )
            )
        kind = secret_like(value)
        if kind:
            problems.append(
                Problem(
                    "environment",
                    f"the value of {name!r} looks like {kind}; never put secrets in environment variables, list a"
                    " Secrets Manager or SSM parameter ARN under secrets instead",
                )
            )
    for name, arn in secrets.items():
        problems += name_problems("secrets", name)
        if name in environment:
            problems.append(Problem("secrets", f"{name!r} is also set in environment; keep one"))
        if not _SECRET_ARN.match(arn):
            problems.append(
                Problem(
                    "secrets",
                    f"{name}: {arn!r} is not a Secrets Manager secret or SSM parameter ARN"
                    " (arn:aws:secretsmanager:<region>:<account>:secret:<name> or"
                    " arn:aws:ssm:<region>:<account>:parameter/<name>)",
                )
            )
    total = sum(len(k) + len(v) for k, v in {**environment, **secrets}.items())
    if total > MAX_TOTAL_BYTES:
        problems.append(
            Problem("environment", f"variables take {total} bytes; Lambda allows {MAX_TOTAL_BYTES} in total")
        )
    return problems


def secret_service(arn: str) -> str:
    """`secretsmanager` or `ssm`, for an ARN `environment_problems` accepted."""
    return arn.split(":")[2]
