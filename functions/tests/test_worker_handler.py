from __future__ import annotations

import json

import pytest

from functions.worker import handler as worker


def _record(message_id: str, body: str) -> dict[str, str]:
    return {"messageId": message_id, "body": body}


def test_a_valid_batch_reports_no_failures() -> None:
    event = {"Records": [_record("m1", json.dumps({"orderId": "o-1", "quantity": 2}))]}
    assert worker.handler(event, None) == {"batchItemFailures": []}


def test_only_bad_messages_are_reported_as_failures() -> None:
    event = {
        "Records": [
            _record("good", json.dumps({"orderId": "o-1", "quantity": 1})),
            _record("not-json", "{"),
            _record("no-id", json.dumps({"quantity": 1})),
            _record("zero", json.dumps({"orderId": "o-2", "quantity": 0})),
        ]
    }
    failed = [f["itemIdentifier"] for f in worker.handler(event, None)["batchItemFailures"]]
    assert failed == ["not-json", "no-id", "zero"]


def test_an_empty_event_reports_no_failures() -> None:
    assert worker.handler({}, None) == {"batchItemFailures": []}


@pytest.mark.parametrize("quantity", [True, -1, "3", 1.5])
def test_quantity_must_be_a_positive_integer(quantity: object) -> None:
    with pytest.raises(worker.InvalidOrderError, match="quantity"):
        worker.process(json.dumps({"orderId": "o", "quantity": quantity}))
