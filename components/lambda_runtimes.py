"""The Lambda managed runtimes AWS accepts, and which of them SnapStart and Powertools fit.

Reviewed against the AWS Lambda runtimes page on 2026-11-23. A runtime is `deprecated` once
its deprecation date has passed: AWS stops patching it and soon blocks creating and updating
functions on it, so choosing one is a config error naming the newest runtime of its family.
The seeds' `python3.11`/`java17` examples are deprecated since 2026-06-30 (Amazon Linux 2's
end of life), `nodejs20.x` since 2026-04-30 and `dotnet8` since 2026-11-10.
"""

from __future__ import annotations

import re
from datetime import date

from components.problems import Problem, did_you_mean

CATALOGUE_REVIEWED = date(2026, 11, 23)

#: Supported runtime -> projected deprecation date (AWS Lambda runtimes page).
SUPPORTED: dict[str, date] = {
    "python3.14": date(2029, 6, 30),
    "python3.13": date(2029, 6, 30),
    "python3.12": date(2028, 10, 31),
    "nodejs24.x": date(2028, 4, 30),
    "nodejs22.x": date(2027, 4, 30),
    "java25": date(2029, 6, 30),
    "java21": date(2029, 6, 30),
    "dotnet10": date(2028, 11, 14),
    "ruby3.4": date(2028, 3, 31),
    "ruby3.3": date(2027, 3, 31),
    "provided.al2023": date(2029, 6, 30),
}

#: Runtimes past their deprecation date (or long retired) that AWS no longer patches.
DEPRECATED: frozenset[str] = frozenset(
    {
        *("python3.11", "python3.10", "python3.9", "python3.8", "python3.7", "python3.6", "python2.7"),
        *("nodejs20.x", "nodejs18.x", "nodejs16.x", "nodejs14.x", "nodejs12.x", "nodejs10.x", "nodejs8.10"),
        *("java17", "java11", "java8.al2", "java8"),
        *("dotnet8", "dotnet7", "dotnet6", "dotnet5.0", "dotnetcore3.1", "dotnetcore2.1"),
        *("ruby3.2", "ruby2.7", "ruby2.5"),
        *("provided.al2", "provided", "go1.x"),
    }
)

#: SnapStart runtimes: Java 11+, Python 3.12+, .NET 8+ (only the supported ones remain here).
SNAPSTART_RUNTIMES: frozenset[str] = frozenset(
    {"java21", "java25", "python3.12", "python3.13", "python3.14", "dotnet10"}
)

#: Python runtimes the Powertools for AWS Lambda (Python) v3 layer is published for.
POWERTOOLS_RUNTIMES: frozenset[str] = frozenset({"python3.12", "python3.13", "python3.14"})

#: How long before a runtime's deprecation date a deploy starts warning about it.
DEPRECATION_NOTICE_DAYS = 180

_FAMILY = re.compile(r"^(python|nodejs|java|dotnet|ruby|provided|go)")


def family(runtime: str) -> str:
    match = _FAMILY.match(runtime)
    return "provided" if match is None or match.group(1) == "go" else match.group(1)


def replacement(runtime: str) -> str:
    """The newest supported runtime of the same family (Go moved to provided.al2023)."""
    same = [r for r in SUPPORTED if family(r) == family(runtime)]
    return same[0] if same else "provided.al2023"


def runtime_problems(field: str, runtime: str) -> list[Problem]:
    if runtime in SUPPORTED:
        return []
    if runtime in DEPRECATED:
        return [
            Problem(
                field,
                f"{runtime!r} is deprecated (AWS no longer patches it and blocks creating functions on it);"
                f" use {replacement(runtime)!r}",
            )
        ]
    return [
        Problem(
            field,
            f"{runtime!r} is not a Lambda runtime{did_you_mean(runtime, SUPPORTED)}; use one of {', '.join(SUPPORTED)}",
        )
    ]


def deprecation_notice(runtime: str, today: date) -> str | None:
    """A warning when a supported runtime is deprecated within DEPRECATION_NOTICE_DAYS of `today`."""
    deprecated_on = SUPPORTED.get(runtime)
    if deprecated_on is None or (deprecated_on - today).days > DEPRECATION_NOTICE_DAYS:
        return None
    return f"{runtime} is deprecated on {deprecated_on.isoformat()}; move to {replacement(runtime)} before then"
