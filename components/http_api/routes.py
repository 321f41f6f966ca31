"""Route keys of HTTP APIs: their grammar, and the execute-api ARN path a route is invoked on."""

from __future__ import annotations

import re

from components.validation import Problem

#: Methods a route key may name (`ANY` matches every method).
METHODS = ("ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
DEFAULT_ROUTE = "$default"
_LITERAL = re.compile(r"^[A-Za-z0-9._~:@!&'()*,;=-]+$")
_VARIABLE = re.compile(r"^\{([A-Za-z0-9_]+)(\+?)\}$")


def route_key_problems(field: str, key: str) -> list[Problem]:
    """`$default`, or `METHOD /path` whose segments are literals, `{name}` variables, or a last
    greedy `{name+}`; each variable once."""
    if key == DEFAULT_ROUTE:
        return []
    method, _, path = key.partition(" ")
    if method not in METHODS:
        return [Problem(field, f"{key!r}: start with one of {', '.join(METHODS)}, then a space and the path")]
    if not path.startswith("/"):
        return [Problem(field, f"{key!r}: the path starts with /")]
    segments = path[1:].split("/") if path != "/" else []
    names: list[str] = []
    for i, segment in enumerate(segments):
        variable = _VARIABLE.match(segment)
        if variable:
            names.append(variable.group(1))
            if variable.group(2) and i != len(segments) - 1:
                return [Problem(field, f"{key!r}: a greedy variable {segment} must be the last segment")]
        elif not _LITERAL.match(segment):
            return [
                Problem(field, f"{key!r}: segment {segment!r} is neither a literal nor a {{variable}} (no empty ones)")
            ]
    if len(set(names)) != len(names):
        return [Problem(field, f"{key!r}: each path variable once")]
    return []


def invoke_path(key: str) -> str:
    """The part of the execute-api ARN after `<api>/<stage>/` that calls to `key` carry:
    `GET/items/*` for `GET /items/{id}` (variables match any value), `*` for ANY, `$default`."""
    if key == DEFAULT_ROUTE:
        return DEFAULT_ROUTE
    method, _, path = key.partition(" ")
    segments = ["*" if _VARIABLE.match(s) else s for s in path[1:].split("/")]
    return f"{'*' if method == 'ANY' else method}/{'/'.join(segments)}"
