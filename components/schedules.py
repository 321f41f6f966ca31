"""Schedule expressions of EventBridge Scheduler and Application Auto Scaling, and time zones.

Both services accept `rate(...)`, six-field `cron(...)` and one-time `at(...)`; anything else
is rejected at deploy time (mid-update), so it is a config error here. Used by Lambda
schedules, Fargate jobs and Fargate scheduled scaling. EC2 Auto Scaling's five-field Unix
cron is another syntax (`components.cron`); the time-zone check serves every area.
"""

from __future__ import annotations

import functools
import re
import zoneinfo

from components.validation import Problem

_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_AT = re.compile(r"^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$")
_CRON = re.compile(r"^cron\((.*)\)$")

_MONTHS = "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC"
_DAYS = "SUN|MON|TUE|WED|THU|FRI|SAT"


def _field(value: str, extra: str = "") -> re.Pattern[str]:
    item = rf"(\*|{value})(-({value}))?(/\d+)?"
    return re.compile(rf"^({item})(,({item}))*{extra}$")


#: minutes, hours, day-of-month, month, day-of-week, year.
_CRON_FIELDS = (
    ("minutes", _field(r"\d{1,2}")),
    ("hours", _field(r"\d{1,2}")),
    ("day-of-month", re.compile(r"^(\?|L|LW|\d{1,2}W|" + _field(r"\d{1,2}").pattern[1:-1] + r")$")),
    ("month", _field(rf"\d{{1,2}}|{_MONTHS}")),
    ("day-of-week", re.compile(r"^(\?|L|\d#\d|\dL|" + _field(rf"\d|{_DAYS}").pattern[1:-1] + r")$")),
    ("year", _field(r"\d{4}")),
)


def schedule_problems(field: str, expression: str) -> list[Problem]:
    """Why `expression` is not a rate, six-field cron or at expression the services accept."""
    rate = _RATE.match(expression)
    if rate:
        value, unit = int(rate.group(1)), rate.group(2)
        if value < 1:
            return [Problem(field, f"{expression!r}: a rate must be at least 1")]
        if (value == 1) != (not unit.endswith("s")):
            fixed = f"rate({value} {unit.rstrip('s') if value == 1 else unit + 's'})"
            return [Problem(field, f"{expression!r}: use the singular unit for 1, the plural otherwise ({fixed!r})")]
        return []
    if _AT.match(expression):
        return []
    cron = _CRON.match(expression)
    if not cron:
        return [
            Problem(
                field,
                f"{expression!r} is not a schedule; use rate(5 minutes), cron(0 2 * * ? *) (six fields, UTC"
                " unless a timezone is set) or at(2030-01-01T00:00:00)",
            )
        ]
    parts = cron.group(1).split()
    if len(parts) != len(_CRON_FIELDS):
        fields = " ".join(name for name, _ in _CRON_FIELDS)
        return [Problem(field, f"{expression!r}: cron takes 6 fields ({fields})")]
    problems = [
        Problem(field, f"{expression!r}: {name} field {part!r} is invalid")
        for (name, pattern), part in zip(_CRON_FIELDS, parts, strict=True)
        if not pattern.match(part)
    ]
    if (parts[2] == "?") == (parts[4] == "?"):
        problems.append(
            Problem(
                field,
                f"{expression!r}: exactly one of day-of-month and day-of-week must be '?', e.g. cron(0 2 * * ? *)",
            )
        )
    return problems


@functools.cache
def is_time_zone(name: str) -> bool:
    """An IANA time zone name (what Scheduler and Auto Scaling accept)."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def timezone_problems(field: str, timezone: str) -> list[Problem]:
    if is_time_zone(timezone):
        return []
    return [Problem(field, f"{timezone!r} is not an IANA time zone; write e.g. 'UTC' or 'Europe/Paris'")]
