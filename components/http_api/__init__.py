"""HttpApi: an API Gateway HTTP API routing to Lambda functions' aliases.

Public: the names in `__all__` (also re-exported by `components`). Every other module of
this package is private to it.
"""

from __future__ import annotations

from components.http_api import rules as _rules  # noqa: F401 (registers the args' rules, see CheckedArgs)
from components.http_api.args import (
    HttpApiArgs,
    HttpAuthorization,
    HttpCorsArgs,
    HttpDomainArgs,
    HttpRouteArgs,
    HttpThrottleArgs,
    JwtAuthorizerArgs,
)
from components.http_api.resources import HttpApi

__all__ = [
    "HttpApi",
    "HttpApiArgs",
    "HttpAuthorization",
    "HttpCorsArgs",
    "HttpDomainArgs",
    "HttpRouteArgs",
    "HttpThrottleArgs",
    "JwtAuthorizerArgs",
]
