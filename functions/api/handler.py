"""HTTP endpoints behind the stage's HTTP API and a function URL (payload format 2.0).

Standard library and the stage's `common` layer (`layers/common`, attached in every stack
file): Lambda's JSON log format turns `logging` calls into structured lines with levels, so
the package needs no dependencies of its own.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from common_http import json_response

logger = logging.getLogger(__name__)
# Lambda's application log level; Python has no TRACE (Lambda's finest), DEBUG is the closest.
_LEVEL = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "INFO")
logger.setLevel("DEBUG" if _LEVEL == "TRACE" else _LEVEL)

MAX_NAME_LENGTH = 64


def _hello(params: dict[str, str]) -> dict[str, Any]:
    name = params.get("name", "world").strip() or "world"
    if len(name) > MAX_NAME_LENGTH:
        return json_response(400, {"error": f"name is longer than {MAX_NAME_LENGTH} characters"})
    return json_response(200, {"message": f"hello, {name}"})


ROUTES = {
    "/health": lambda _params: json_response(200, {"status": "ok"}),
    "/hello": _hello,
}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    http = event.get("requestContext", {}).get("http", {})
    method, path = http.get("method", "GET"), event.get("rawPath", "/")
    logger.info("request", extra={"method": method, "path": path})
    route = ROUTES.get(path)
    if route is None:
        return json_response(404, {"error": f"no route for {path}"})
    if method != "GET":
        return json_response(405, {"error": f"{method} is not allowed on {path}"})
    return route(event.get("queryStringParameters") or {})
