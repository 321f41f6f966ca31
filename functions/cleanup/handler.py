"""Scheduled clean-up: EventBridge Scheduler invokes it with a JSON payload.

The payload `{"retentionDays": int}` says how old an item must be to expire; the handler
returns the cut-off it applied, so the run is visible in logs and in tests.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from typing import Any

logger = logging.getLogger(__name__)
# Lambda's application log level; Python has no TRACE (Lambda's finest), DEBUG is the closest.
_LEVEL = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "INFO")
logger.setLevel("DEBUG" if _LEVEL == "TRACE" else _LEVEL)

DEFAULT_RETENTION_DAYS = 30


def cutoff(now: datetime, retention_days: int) -> datetime:
    if retention_days < 1:
        raise ValueError("retentionDays must be at least 1")
    return now - timedelta(days=retention_days)


def handler(event: dict[str, Any], context: Any, now: datetime | None = None) -> dict[str, Any]:
    retention = int(event.get("retentionDays", DEFAULT_RETENTION_DAYS))
    expire_before = cutoff(now or datetime.now(UTC), retention)
    logger.info("clean-up", extra={"expireBefore": expire_before.isoformat()})
    return {"expireBefore": expire_before.isoformat(), "retentionDays": retention}
