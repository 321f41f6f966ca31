"""How often a Scheduler expression fires in an average month (for scheduled job costs)."""

from __future__ import annotations

import pytest

from offline.schedule_runs import runs_per_month

MONTH_DAYS = 365 / 12


@pytest.mark.parametrize(
    ("expression", "runs"),
    [
        ("rate(15 minutes)", MONTH_DAYS * 24 * 4),
        ("rate(1 hour)", MONTH_DAYS * 24),
        ("rate(2 days)", MONTH_DAYS / 2),
        ("cron(0 2 * * ? *)", MONTH_DAYS),
        ("cron(0 7 ? * MON-FRI *)", 5 * MONTH_DAYS / 7),
        ("cron(0/30 8-17 ? * MON-FRI *)", 2 * 10 * 5 * MONTH_DAYS / 7),
        ("cron(0 0 1 * ? *)", 1),
        ("cron(0 0 1,15 JAN-JUN ? *)", 2 * 6 / 12),
        ("cron(0 9 ? * MON#1 *)", 1),
        ("cron(0 9 L * ? *)", 1),
        ("at(2027-01-01T00:00:00)", 0),
    ],
)
def test_runs_per_month(expression: str, runs: float) -> None:
    assert runs_per_month(expression) == pytest.approx(runs)
