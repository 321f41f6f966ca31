from __future__ import annotations

from datetime import UTC, datetime

import pytest

from functions.cleanup import handler as cleanup

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_default_retention_is_thirty_days() -> None:
    assert cleanup.handler({}, None, now=NOW) == {"expireBefore": "2026-10-24T12:00:00+00:00", "retentionDays": 30}


def test_payload_sets_the_retention() -> None:
    assert cleanup.handler({"retentionDays": 7}, None, now=NOW)["expireBefore"] == "2026-11-16T12:00:00+00:00"


def test_retention_below_one_day_is_rejected() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        cleanup.handler({"retentionDays": 0}, None, now=NOW)
