"""The web app's API function: answers with the request path it was invoked for."""

import json
from typing import Any


def handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    return {"statusCode": 200, "body": json.dumps({"path": event.get("rawPath", "/")})}
