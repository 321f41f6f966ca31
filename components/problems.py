"""The vocabulary every rule reports in: a `Problem` (which field, what rule, how to fix it),
and the did-you-mean its messages offer. The base of `components.validation` and of the
checks against AWS's own data (`components.catalogue`), so both build on it one way."""

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


def did_you_mean(value: str, allowed: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest allowed value, or "" when none is close."""
    close = difflib.get_close_matches(value, list(allowed), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
