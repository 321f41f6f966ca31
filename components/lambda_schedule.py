"""EventBridge Scheduler expressions: `rate(...)`, `cron(...)` and one-time `at(...)`.

Checked here so a typo fails before deploy (the Scheduler API would reject it mid-update).
"""

from __future__ import annotations

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


def schedule_expression_problems(field: str, expression: str) -> list[Problem]:
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
                f"{expression!r} is not a schedule; write 'rate(5 minutes)', 'cron(0 9 * * ? *)' or"
                " 'at(2026-12-01T09:00:00)'",
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
        problems.append(Problem(field, f"{expression!r}: exactly one of day-of-month and day-of-week must be '?'"))
    return problems


def timezone_problems(field: str, timezone: str) -> list[Problem]:
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return [Problem(field, f"{timezone!r} is not an IANA time zone; write e.g. 'UTC' or 'Europe/Paris'")]
    return []
