"""Shared validation vocabulary for component args.

A rule reports a `Problem` (which field, what rule, how to fix it) instead of raising, so
that every problem is collected and reported at once, and so that the stage config can run
the very same rules and name the YAML key instead of the Python field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from components.catalogue.api_limits import with_api_limits
from components.field_types import type_mismatches
from components.problems import Problem

#: Patterns several rules share, each in one place.
#: A customer-managed KMS key by ARN (aliases are refused: grants and key policies need the key).
KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$")
#: One DNS label (RFC 1123): also a Kubernetes namespace or service account name.
DNS_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
#: A DNS name of such labels (Cloud Map namespaces, Service Connect aliases).
DNS_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
#: One exact IAM action, `service:Action`, without wildcards.
IAM_ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9]+$")
#: An IAM managed policy ARN, AWS-managed or the account's own.
MANAGED_POLICY_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(aws|\d{12}):policy/[\w+=,.@/-]+$")
#: Scheduled action names of Auto Scaling and Application Auto Scaling.
SCHEDULED_ACTION_NAME = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


class ArgsError(ValueError):
    """Every problem found in one component's args."""

    def __init__(self, args_type: str, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {args_type}.{p.field}: {p.message}" for p in self.problems)
        super().__init__(f"{args_type} has {len(self.problems)} problem(s):\n{lines}")


class ArgsTypeError(ArgsError, TypeError):
    """Args fields whose values do not have the annotated type or shape (a dict for an args
    object, a str for an int); both a `ValueError` (as every `ArgsError`) and a `TypeError`."""


def raise_if_any(args_type: str, problems: Iterable[Problem]) -> None:
    found = tuple(problems)
    if found:
        raise ArgsError(args_type, found)


Rule = Callable[[Any], list[Problem]]
_RULES: dict[type, Rule] = {}
_R = TypeVar("_R", bound=Rule)


def rules_for(args_type: type) -> Callable[[_R], _R]:
    """Register a rule function as the rules `args_type` checks when it is constructed.

    The rules live in the component's `rules` module, which imports its `args`; registering
    here (instead of `args` calling `rules`) keeps the import one-way.
    """

    def register(rule: _R) -> _R:
        _RULES[args_type] = rule
        return rule

    return register


def rules_registered(args_type: type) -> bool:
    """Whether `args_type` has rules across its fields (beyond the field type checks)."""
    return args_type in _RULES


class CheckedArgs:
    """Base of args dataclasses. Construction checks every field against its annotation
    (`ArgsTypeError` naming class, field, expected type and value), then runs the class's
    registered rules and checks the values it sends to AWS against the API models
    (`components.catalogue.api_limits`): one `ArgsError` with every problem, both before any
    resource exists."""

    def __post_init__(self) -> None:
        name = type(self).__name__
        mismatches = type_mismatches(self)
        if mismatches:
            raise ArgsTypeError(
                name,
                [Problem(path, f"expects {expected}, got {_shown(value)}") for path, expected, value in mismatches],
            )
        rule = _RULES.get(type(self))
        if rule is not None:
            raise_if_any(name, with_api_limits(self, rule(self)))


def _shown(value: object) -> str:
    """The offending value in an error: its type, and its repr when short and telling."""
    text = repr(value)
    return (
        f"{type(value).__name__} {text}"
        if len(text) <= 60 and not text.startswith("<")
        else f"{type(value).__name__} object"
    )


#: Retention periods CloudWatch Logs accepts (PutRetentionPolicy); anything else fails at deploy time.
LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)


def retention_problems(field: str, days: int) -> list[Problem]:
    if days in LOG_RETENTION_DAYS:
        return []
    allowed = ", ".join(map(str, LOG_RETENTION_DAYS))
    return [Problem(field, f"{days} is not a CloudWatch Logs retention period; use one of {allowed}")]
