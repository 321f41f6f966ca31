"""SQS worker with partial batch responses (`ReportBatchItemFailures`).

Each message body is a JSON order `{"orderId": str, "quantity": int > 0}`. A message that
cannot be processed is reported in `batchItemFailures`, so only it returns to the queue
(and, after maxReceiveCount, moves to the dead-letter queue); the rest of the batch is done.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

logger = logging.getLogger(__name__)
# Lambda's application log level; Python has no TRACE (Lambda's finest), DEBUG is the closest.
_LEVEL = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "INFO")
logger.setLevel("DEBUG" if _LEVEL == "TRACE" else _LEVEL)


class InvalidOrderError(ValueError):
    pass


def process(body: str) -> dict[str, Any]:
    try:
        order = json.loads(body)
    except json.JSONDecodeError as error:
        raise InvalidOrderError(f"body is not JSON: {error}") from error
    if not isinstance(order, dict) or not isinstance(order.get("orderId"), str):
        raise InvalidOrderError("orderId is missing")
    quantity = order.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise InvalidOrderError("quantity must be a positive integer")
    return {"orderId": order["orderId"], "quantity": quantity}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failures = []
    for record in event.get("Records", []):
        try:
            order = process(record["body"])
        except InvalidOrderError as error:
            logger.error("rejected message", extra={"messageId": record["messageId"], "reason": str(error)})
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        logger.info("processed order", extra=order)
    return {"batchItemFailures": failures}
