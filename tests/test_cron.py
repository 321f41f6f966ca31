"""Cron expressions for scheduled scaling actions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from components.cron import cron_problem


@pytest.mark.parametrize(
    "expression",
    [
        "0 7 * * MON-FRI",
        "*/15 * * * *",
        "0 20 * * *",
        "30 6 1,15 * *",
        "0 0 * JAN-MAR sun",
        "0 8-18/2 * * 1-5",
        "0 0 * * 7",
    ],
)
def test_valid_expressions_pass(expression: str) -> None:
    assert cron_problem(expression) is None


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ("0 7 * *", "has 4 field(s)"),
        ("cron(0 7 * * ? *)", "has 6 field(s)"),
        ("60 * * * *", "the minute field '60'"),
        ("0 24 * * *", "the hour field '24'"),
        ("0 0 0 * *", "the day-of-month field '0'"),
        ("0 0 * 13 *", "the month field '13'"),
        ("0 0 * * FUNDAY", "the day-of-week field 'FUNDAY'"),
        ("0 9-5 * * *", "the hour field '9-5'"),
        ("*/0 * * * *", "the minute field '*/0'"),
        ("5/10 * * * *", "the minute field '5/10'"),
    ],
)
def test_invalid_expressions_name_the_field(expression: str, fragment: str) -> None:
    problem = cron_problem(expression)
    assert problem is not None and fragment in problem


@given(
    minute=st.integers(0, 59),
    hour=st.integers(0, 23),
    day=st.integers(1, 31),
    month=st.integers(1, 12),
    weekday=st.integers(0, 6),
    step=st.integers(1, 12),
)
def test_every_in_range_schedule_passes(minute: int, hour: int, day: int, month: int, weekday: int, step: int) -> None:
    assert cron_problem(f"{minute} {hour} {day} {month} {weekday}") is None
    assert cron_problem(f"*/{step} {hour}-23 * {month} {weekday}") is None
