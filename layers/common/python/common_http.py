"""HTTP helpers shared by the stage's functions, shipped as the `common` layer.

Lambda extracts the layer to /opt, and /opt/python is on the Python runtimes' path, so a
function with the layer attached imports this module by name. Standard library only.
"""

from __future__ import annotations

import json
from typing import Any


def json_response(status: int, body: dict[str, Any]) -> dict[str, Any]:
    """A payload-format-2.0 response (function URLs and HTTP APIs) with a JSON body."""
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(body, sort_keys=True),
    }
