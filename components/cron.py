"""Unix cron expressions as EC2 Auto Scaling scheduled actions accept them.

Five fields: minute hour day-of-month month day-of-week. Each field is `*`, a value, a
range `a-b`, a step `*/n` or `a-b/n`, or a comma list of those; months and weekdays may be
named (JAN, MON). A bad expression is a deploy-time failure, so it is a config error here.
"""

from __future__ import annotations

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")

#: (name, lowest, highest, names mapped to numbers).
_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day-of-month", 1, 31, {}),
    ("month", 1, 12, {name: i + 1 for i, name in enumerate(_MONTHS)}),
    ("day-of-week", 0, 7, {name: i for i, name in enumerate(_DAYS)}),
)


def _value(text: str, low: int, high: int, names: dict[str, int]) -> int | None:
    number = names.get(text.upper())
    if number is None and text.isdigit():
        number = int(text)
    return number if number is not None and low <= number <= high else None


def _part_ok(part: str, low: int, high: int, names: dict[str, int]) -> bool:
    base, slash, step = part.partition("/")
    if slash and not (step.isdigit() and 1 <= int(step) <= high):
        return False
    if base == "*":
        return True
    start, dash, end = base.partition("-")
    first = _value(start, low, high, names)
    if not dash:
        return first is not None and not slash
    last = _value(end, low, high, names)
    return first is not None and last is not None and first <= last


def cron_problem(expression: str) -> str | None:
    """Why `expression` is not a cron schedule Auto Scaling accepts, or None."""
    fields = expression.split()
    if len(fields) != len(_FIELDS):
        return (
            f"{expression!r} has {len(fields)} field(s); write the 5 Unix cron fields"
            " 'minute hour day-of-month month day-of-week', e.g. '0 7 * * MON-FRI'"
        )
    for text, (name, low, high, names) in zip(fields, _FIELDS, strict=True):
        if not all(_part_ok(part, low, high, names) for part in text.split(",")):
            return (
                f"{expression!r}: the {name} field {text!r} is not valid; use values {low}-{high}, *, a-b, */n or lists"
            )
    return None
