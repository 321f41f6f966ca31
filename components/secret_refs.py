"""Secrets in environment variables: what looks like one, and references to where secrets live.

Shared by Lambda functions and Fargate containers. Environment variables are readable by
anyone who can describe the function or task definition, and land in plans and state, so a
secret never goes there: it lives in Secrets Manager or SSM Parameter Store, the workload
names its ARN under `secrets`, and its role may read exactly those ARNs
(`secret_read_statements`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Literal

from components.iam import Statement
from components.validation import KMS_KEY_ARN, Problem

SecretService = Literal["secretsmanager", "ssm"]
SecretReader = Literal["ecs", "application"]

SECRETS_MANAGER_ARN = re.compile(r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$")
SSM_PARAMETER_ARN = re.compile(r"^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter/[A-Za-z0-9/_.-]+$")
#: Any ARN: a value that is one is a reference to a resource, not a secret.
_ANY_ARN = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:\S+$")
#: Secrets Manager appends `-` and six random characters to every secret's ARN.
_SECRET_SUFFIX = re.compile(r"-[A-Za-z0-9]{6}$")

_SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY)", re.I)
_SECRET_VALUES = (
    (re.compile(r"(AKIA|ASIA)[0-9A-Z]{16}"), "an AWS access key id"),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY"), "a private key"),
    (re.compile(r"(gh[pousr]|github_pat)_[A-Za-z0-9_]{20,}"), "a GitHub token"),
    (re.compile(r"xox[abposr]-[A-Za-z0-9-]{10,}"), "a Slack token"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\."), "a JSON Web Token"),
    (re.compile(r"://[^/\s:@]+:[^/\s@]+@"), "a URL with a password"),
)
#: A long run of base64/hex-like characters with high entropy is a random key or token.
_OPAQUE = re.compile(r"^[A-Za-z0-9+/=_\-]{32,}$")
_MIN_ENTROPY_BITS = 4.0

#: What reads the secrets: the ECS agent injecting them at task start needs only the two
#: fetch actions; application code (Lambda) also describes secrets and reads single parameters.
READ_ACTIONS: Mapping[SecretReader, Mapping[SecretService, tuple[str, ...]]] = {
    "ecs": {"secretsmanager": ("secretsmanager:GetSecretValue",), "ssm": ("ssm:GetParameters",)},
    "application": {
        "secretsmanager": ("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"),
        "ssm": ("ssm:GetParameter", "ssm:GetParameters"),
    },
}


def _entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def secret_like(value: str) -> str | None:
    """What the value looks like if it looks like a credential, else None."""
    for pattern, kind in _SECRET_VALUES:
        if pattern.search(value):
            return kind
    if _OPAQUE.match(value) and _entropy(value) >= _MIN_ENTROPY_BITS:
        return "a random key or token"
    return None


def names_secret(name: str, value: str) -> bool:
    """A secret-sounding name whose value is not a reference (an ARN) to where the secret lives."""
    return bool(_SECRET_NAME.search(name)) and not _ANY_ARN.match(value)


def looks_secret(name: str, value: str) -> bool:
    """The variable would carry a secret in plain text, by its name or by its value."""
    return names_secret(name, value) or secret_like(value) is not None


def plaintext_secret_problems(environment: Mapping[str, str], secret_names: Collection[str]) -> list[Problem]:
    """Variables that look like secrets, and variables defined both plainly and under `secrets`.

    Field paths are `environment` and `secrets` (the variable is named in the message:
    its key is a variable name, never camel-cased).
    """
    fix = "store it in Secrets Manager or SSM Parameter Store and list its ARN under `secrets`"
    problems: list[Problem] = []
    for name, value in environment.items():
        if names_secret(name, value):
            problems.append(
                Problem("environment", f"{name!r} names a secret; never put secrets in plain environment: {fix}")
            )
        kind = secret_like(value)
        if kind:
            problems.append(
                Problem("environment", f"the value of {name!r} looks like a secret ({kind}); {fix} instead")
            )
    problems += [
        Problem("secrets", f"{name!r} is also set in environment; define each variable once")
        for name in sorted(set(environment) & set(secret_names))
    ]
    return problems


def secret_service(arn: str) -> SecretService | None:
    """`secretsmanager` or `ssm` for a Secrets Manager secret or SSM parameter ARN, else None."""
    if SECRETS_MANAGER_ARN.match(arn):
        return "secretsmanager"
    if SSM_PARAMETER_ARN.match(arn):
        return "ssm"
    return None


def secret_arn_problems(name: str, arn: str) -> list[Problem]:
    """Field path `secrets`; `name` is the variable the secret is injected as."""
    if secret_service(arn) is not None:
        return []
    return [
        Problem(
            "secrets",
            f"{name}: {arn!r} is neither a Secrets Manager secret ARN"
            " (arn:aws:secretsmanager:<region>:<account>:secret:<name>) nor an SSM parameter ARN"
            " (arn:aws:ssm:<region>:<account>:parameter/<name>)",
        )
    ]


def kms_key_problems(field: str, arns: Iterable[str]) -> list[Problem]:
    return [
        Problem(field, f"{arn!r} is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)")
        for arn in arns
        if not KMS_KEY_ARN.match(arn)
    ]


def secret_policy_resource(arn: str) -> str:
    """The IAM resource that matches a secret: a partial ARN (no random suffix, as the
    secret's name gives it) matches nothing in a policy, so it gets the `-??????` wildcard
    AWS documents for it; a full ARN stays exact."""
    if secret_service(arn) == "secretsmanager" and not _SECRET_SUFFIX.search(arn):
        return f"{arn}-??????"
    return arn


def secret_read_statements(
    arns: Iterable[str], *, reader: SecretReader, kms_key_arns: Sequence[str] = ()
) -> list[Statement]:
    """Read exactly these secrets and parameters (ARNs `secret_service` accepts), and decrypt
    with exactly these customer-managed keys; nothing when there are none."""
    by_service: dict[SecretService, set[str]] = {}
    for arn in arns:
        service = secret_service(arn)
        if service is None:
            raise ValueError(f"{arn!r} is not a Secrets Manager secret or SSM parameter ARN")
        by_service.setdefault(service, set()).add(secret_policy_resource(arn))
    statements = [
        Statement(sid=sid, actions=READ_ACTIONS[reader][service], resources=sorted(by_service[service]))
        for sid, service in (("ReadSecrets", "secretsmanager"), ("ReadParameters", "ssm"))
        if service in by_service
    ]
    if kms_key_arns:
        statements.append(Statement(sid="DecryptSecrets", actions=["kms:Decrypt"], resources=sorted(set(kms_key_arns))))
    return statements


#: `NAME=value` / `NAME: value` in a script, the value unquoted.
_ASSIGNMENT = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*[=:]\s*['\"]?([^\s'\"]+)")


def script_secret_findings(script: str) -> list[str]:
    """Lines of a script (EC2 user data) that carry a credential in plain text: a value that
    looks like one, or a secret-sounding variable set to a literal (not `$(...)`/`${...}`, which
    reads it at run time, nor an ARN naming where it lives)."""
    findings = []
    for number, line in enumerate(script.splitlines(), start=1):
        kind = next((kind for pattern, kind in _SECRET_VALUES if pattern.search(line)), None)
        if kind:
            findings.append(f"line {number} holds {kind}")
            continue
        for name, value in _ASSIGNMENT.findall(line):
            if value.startswith("$"):
                continue
            if names_secret(name, value) or secret_like(value):
                findings.append(f"line {number} sets {name} to a literal secret")
                break
    return findings
