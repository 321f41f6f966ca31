"""Schedule expressions shared by EventBridge Scheduler and Application Auto Scaling.

Both accept `rate(...)`, six-field `cron(...)` and one-time `at(...)`; anything else is
rejected at deploy time, so it is a config error here.
"""

from __future__ import annotations

import re
import zoneinfo

from components.validation import Problem

_RATE = re.compile(r"^rate\(([1-9]\d*) (minute|minutes|hour|hours|day|days)\)$")
_CRON = re.compile(r"^cron\((\S+ ){5}\S+\)$")
_AT = re.compile(r"^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$")


def schedule_problems(field: str, expression: str) -> list[Problem]:
    rate = _RATE.match(expression)
    if rate:
        singular = rate[1] == "1"
        if singular != (not rate[2].endswith("s")):
            return [Problem(field, f"{expression!r}: write 'rate(1 hour)' but 'rate(5 hours)'")]
        return []
    if _CRON.match(expression):
        fields = expression[len("cron(") : -1].split()
        if "?" not in (fields[2], fields[4]):
            return [Problem(field, f"{expression!r}: day-of-month or day-of-week must be '?', e.g. cron(0 2 * * ? *)")]
        return []
    if _AT.match(expression):
        return []
    return [
        Problem(
            field,
            f"{expression!r} is not a schedule; use rate(5 minutes), cron(0 2 * * ? *) (six fields, UTC"
            " unless a timezone is set) or at(2030-01-01T00:00:00)",
        )
    ]


def timezone_problems(field: str, timezone: str) -> list[Problem]:
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return [Problem(field, f"{timezone!r} is not an IANA time zone like UTC or Europe/Paris")]
    return []
