"""EventBridge event patterns: what PutRule accepts, checked before anything is deployed.

A pattern is a JSON object over the event's envelope: `source`, `detail-type`, `detail`,
`account`, `region`, `time`, `id`, `resources`, `version` (anything else never matches:
put event content under `detail`). Envelope fields take a non-empty array of values or
content filters; `detail` takes an object whose leaves are such arrays, nested as deep as
the event. `$or` joins alternative patterns at any level. A filter is an object with one
operator: prefix, suffix, anything-but, numeric, exists, cidr, equals-ignore-case, wildcard.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from components.validation import Problem

#: The envelope fields of an EventBridge event.
FIELDS = ("source", "detail-type", "detail", "account", "region", "time", "id", "resources", "version")
#: EventPattern's maximum length (events API model).
MAX_PATTERN_LENGTH = 4096
#: Comparison operators of a numeric filter.
NUMERIC_OPERATORS = ("<", "<=", "=", ">=", ">")
_STRING_OPERATORS = ("prefix", "suffix", "cidr", "equals-ignore-case", "wildcard")
#: anything-but may wrap one of these instead of values.
_ANYTHING_BUT_OPERATORS = ("prefix", "suffix", "equals-ignore-case", "wildcard")
OPERATORS = (*_STRING_OPERATORS, "anything-but", "numeric", "exists")
_SCALAR = (str, int, float, bool, type(None))


def pattern_problems(field: str, pattern: Any) -> list[Problem]:
    """Every problem of `pattern` (as written in config or args), under `field`."""
    if not isinstance(pattern, Mapping) or not pattern:
        return [Problem(field, "an event pattern is a non-empty JSON object (e.g. {source: [my.app]})")]
    try:
        text = json.dumps(pattern, separators=(",", ":"))
    except (TypeError, ValueError) as error:
        return [Problem(field, f"is not JSON: {error}")]
    problems = _envelope(field, pattern)
    if len(text) > MAX_PATTERN_LENGTH:
        problems.append(Problem(field, f"{len(text)} characters as JSON; EventBridge takes {MAX_PATTERN_LENGTH}"))
    return problems


def _envelope(path: str, pattern: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for key, value in pattern.items():
        where = f"{path}.{key}"
        if key == "$or":
            problems += _alternatives(where, value, _envelope)
        elif key not in FIELDS:
            problems.append(
                Problem(
                    where,
                    f"{key!r} is not an event field; match {', '.join(FIELDS)} (event content goes under detail)",
                )
            )
        elif key == "detail":
            problems += (
                _object(where, value)
                if isinstance(value, Mapping) and value
                else [Problem(where, "detail takes a non-empty object of the event's fields")]
            )
        else:
            problems += _values(where, value)
    return problems


def _alternatives(path: str, value: Any, check: Any) -> list[Problem]:
    if not isinstance(value, list) or len(value) < 2 or not all(isinstance(v, Mapping) and v for v in value):
        return [Problem(path, "$or takes a list of at least two non-empty objects")]
    return [p for item in value for p in check(path, item)]


def _object(path: str, value: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for key, item in value.items():
        where = f"{path}.{key}"
        if key == "$or":
            problems += _alternatives(where, item, _object)
        elif isinstance(item, Mapping):
            problems += _object(where, item) if item else [Problem(where, "an empty object matches nothing")]
        else:
            problems += _values(where, item)
    return problems


def _values(path: str, value: Any) -> list[Problem]:
    if not isinstance(value, list) or not value:
        return [Problem(path, "takes a non-empty array of values or filters, e.g. [a, b] or [{prefix: a}]")]
    problems: list[Problem] = []
    for item in value:
        if isinstance(item, Mapping):
            problems += _filter(path, item)
        elif not isinstance(item, _SCALAR):
            problems.append(Problem(path, f"{item!r}: values are strings, numbers, booleans or null"))
    return problems


def _filter(path: str, item: Mapping[str, Any]) -> list[Problem]:
    if len(item) != 1 or next(iter(item)) not in OPERATORS:
        return [Problem(path, f"{dict(item)!r}: a filter has one operator of {', '.join(OPERATORS)}")]
    operator, operand = next(iter(item.items()))
    if operator in ("prefix", "suffix") and isinstance(operand, Mapping):
        return _filter(path, operand) if list(operand) == ["equals-ignore-case"] else [_bad(path, operator)]
    if operator in _STRING_OPERATORS:
        return [] if isinstance(operand, str) else [_bad(path, operator)]
    if operator == "exists":
        return [] if isinstance(operand, bool) else [_bad(path, operator)]
    if operator == "numeric":
        return _numeric(path, operand)
    if isinstance(operand, Mapping):  # anything-but with an operator
        ok = len(operand) == 1 and next(iter(operand)) in _ANYTHING_BUT_OPERATORS
        return _filter(path, operand) if ok else [_bad(path, operator)]
    values = operand if isinstance(operand, list) else [operand]
    return [] if values and all(isinstance(v, _SCALAR) for v in values) else [_bad(path, operator)]


_OPERAND_FORMS = {
    "prefix": "a string (or {equals-ignore-case: string})",
    "suffix": "a string (or {equals-ignore-case: string})",
    "cidr": "a CIDR string",
    "equals-ignore-case": "a string",
    "wildcard": "a string with * wildcards",
    "exists": "true or false",
    "numeric": "[op, number] or [op, number, op, number], op one of < <= = >= >",
    "anything-but": "a value, a non-empty array of values, or {prefix|suffix|equals-ignore-case|wildcard: string}",
}


def _bad(path: str, operator: str) -> Problem:
    return Problem(path, f"{operator} takes {_OPERAND_FORMS[operator]}")


def _numeric(path: str, operand: Any) -> list[Problem]:
    pairs = operand if isinstance(operand, Sequence) and not isinstance(operand, str) else []
    ok = len(pairs) in (2, 4) and all(
        pairs[i] in NUMERIC_OPERATORS and isinstance(pairs[i + 1], int | float) and not isinstance(pairs[i + 1], bool)
        for i in range(0, len(pairs), 2)
    )
    return [] if ok else [_bad(path, "numeric")]
