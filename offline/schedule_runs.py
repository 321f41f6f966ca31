"""How often an EventBridge Scheduler expression fires in an average month.

`rate(5 minutes)`, `cron(min hour day-of-month month day-of-week year)` (AWS's six fields,
`?` in one of the day fields) and one-time `at(...)` schedules (no recurring runs). The
count is an average over a year (365/12 days a month), which is what a monthly estimate
needs; the components validated the expression before it reached the plan.
"""

from __future__ import annotations

import re

DAYS_PER_MONTH = 365 / 12
MINUTES_PER_MONTH = DAYS_PER_MONTH * 24 * 60

_RATE_UNITS = {"minute": 1, "minutes": 1, "hour": 60, "hours": 60, "day": 1440, "days": 1440}
_MONTHS = {
    name: i + 1
    for i, name in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"))
}
_DAYS = {name: i + 1 for i, name in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))}


def _number(text: str, names: dict[str, int]) -> int:
    return names.get(text.upper()) or int(text)


def _count(field: str, low: int, high: int, names: dict[str, int] | None = None) -> int:
    """Values a cron field selects: `*`, `a`, `a-b`, `*/n`, `a/n`, `a-b/n`, comma lists."""
    names = names or {}
    total = 0
    for part in field.split(","):
        base, _, step = part.partition("/")
        if base == "*":
            first, last = low, high
        elif "-" in base:
            start, end = base.split("-", 1)
            first, last = _number(start, names), _number(end, names)
        else:
            first = _number(base, names)
            last = high if step else first
        total += len(range(first, last + 1, int(step) if step else 1))
    return total


def _days_per_month(day_of_month: str, day_of_week: str) -> float:
    if day_of_month == "?":
        if "#" in day_of_week or day_of_week.endswith("L"):  # the nth or last weekday: once a month
            return 1.0
        return _count(day_of_week, 1, 7, _DAYS) * DAYS_PER_MONTH / 7
    if day_of_month == "*":
        return DAYS_PER_MONTH
    if day_of_month in ("L", "LW") or day_of_month.endswith("W"):
        return 1.0
    return min(_count(day_of_month, 1, 31), DAYS_PER_MONTH)


def runs_per_month(expression: str) -> float:
    rate = re.fullmatch(r"rate\((\d+)\s+(\w+)\)", expression.strip())
    if rate:
        return MINUTES_PER_MONTH / (int(rate.group(1)) * _RATE_UNITS[rate.group(2)])
    cron = re.fullmatch(r"cron\((.*)\)", expression.strip())
    if not cron:  # at(yyyy-mm-ddThh:mm:ss): runs once, not every month
        return 0.0
    minute, hour, day_of_month, month, day_of_week, *_ = cron.group(1).split()
    months = _count(month, 1, 12, _MONTHS) / 12
    return _count(minute, 0, 59) * _count(hour, 0, 23) * _days_per_month(day_of_month, day_of_week) * months
