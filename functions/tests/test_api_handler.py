from __future__ import annotations

import json
from typing import Any

from functions.api import handler as api


def _event(path: str, method: str = "GET", query: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "version": "2.0",
        "rawPath": path,
        "queryStringParameters": query,
        "requestContext": {"http": {"method": method, "path": path}},
    }


def _call(event: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = api.handler(event, None)
    assert response["headers"] == {"content-type": "application/json"}
    return response["statusCode"], json.loads(response["body"])


def test_health_is_ok() -> None:
    assert _call(_event("/health")) == (200, {"status": "ok"})


def test_hello_greets_the_world_by_default() -> None:
    assert _call(_event("/hello")) == (200, {"message": "hello, world"})


def test_hello_greets_the_given_name() -> None:
    assert _call(_event("/hello", query={"name": "Ada"})) == (200, {"message": "hello, Ada"})


def test_hello_rejects_overlong_names() -> None:
    status, body = _call(_event("/hello", query={"name": "x" * 65}))
    assert status == 400
    assert "longer than 64" in body["error"]


def test_unknown_path_is_not_found() -> None:
    assert _call(_event("/nope"))[0] == 404


def test_other_methods_are_not_allowed() -> None:
    assert _call(_event("/health", method="POST"))[0] == 405
