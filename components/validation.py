"""Shared validation vocabulary for component args.

A rule reports a `Problem` (which field, what rule, how to fix it) instead of raising, so
that every problem is collected and reported at once, and so that the stage config can run
the very same rules and name the YAML key instead of the Python field.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    field: str
    """Dotted path of the offending args field, in snake_case (`flow_logs.retention_days`)."""
    message: str
    """The rule that was broken and how to fix it."""


class ArgsError(ValueError):
    """Every problem found in one component's args."""

    def __init__(self, args_type: str, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {args_type}.{p.field}: {p.message}" for p in self.problems)
        super().__init__(f"{args_type} has {len(self.problems)} problem(s):\n{lines}")


def raise_if_any(args_type: str, problems: Iterable[Problem]) -> None:
    found = tuple(problems)
    if found:
        raise ArgsError(args_type, found)


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


def did_you_mean(value: str, allowed: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest allowed value, or "" when none is close."""
    close = difflib.get_close_matches(value, list(allowed), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
