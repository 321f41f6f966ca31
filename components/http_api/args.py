"""The args of http_api."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from components.lambda_function import FunctionRef
from components.validation import CheckedArgs

HttpAuthorization = Literal["NONE", "AWS_IAM", "JWT"]


@dataclass(frozen=True, kw_only=True)
class HttpThrottleArgs(CheckedArgs):
    """Token-bucket throttling: requests per second, and the burst the bucket holds."""

    rate_limit: float
    """Steady-state requests per second (at least 1)."""
    burst_limit: int
    """Requests served at once above the rate (at least 1)."""


@dataclass(frozen=True, kw_only=True)
class JwtAuthorizerArgs(CheckedArgs):
    """A JWT authorizer: API Gateway validates the token's signature, issuer, audience and expiry."""

    issuer: str
    """The token issuer, an https URL (a Cognito user pool, an OIDC provider); its
    `/.well-known/openid-configuration` must be reachable."""
    audiences: Sequence[str]
    """Accepted `aud` (or Cognito `client_id`) values; at least one."""
    identity_source: str = "$request.header.Authorization"
    """Where the token is read from; the Authorization header by default."""


@dataclass(frozen=True, kw_only=True)
class HttpRouteArgs(CheckedArgs):
    """One route key's target function and who may call it."""

    function: FunctionRef
    """The function (its alias) the route invokes through a Lambda proxy integration."""
    authorization: HttpAuthorization = "AWS_IAM"
    """AWS_IAM by default: callers sign with SigV4 and need execute-api:Invoke on the route.
    JWT validates a bearer token with `authorizer`; NONE makes the route public, only ever an
    explicit choice."""
    authorizer: str | None = None
    """With JWT: the key of one of the API's `jwt_authorizers`."""
    scopes: Sequence[str] = ()
    """With JWT: OAuth scopes of which the token must carry one; any by default."""
    throttle: HttpThrottleArgs | None = None
    """Throttling of this route; the stage's by default."""


@dataclass(frozen=True, kw_only=True)
class HttpCorsArgs(CheckedArgs):
    """CORS answered by API Gateway itself (preflight included), before any function runs."""

    allow_origins: Sequence[str]
    """Origins (`https://app.example.com`) or `*`; at least one."""
    allow_methods: Sequence[str] = ("GET",)
    """Methods allowed cross-origin; GET by default."""
    allow_headers: Sequence[str] = ("authorization", "content-type")
    """Request headers allowed; the two an API with tokens and JSON bodies needs by default."""
    expose_headers: Sequence[str] = ()
    """Response headers readable by the browser beyond the safe ones; none by default."""
    max_age_seconds: int = 300
    """How long browsers cache a preflight answer (0-86400); five minutes by default."""
    allow_credentials: bool = False
    """Cookies and Authorization with cross-origin requests; off by default, never with origin `*`."""


@dataclass(frozen=True, kw_only=True)
class HttpDomainArgs(CheckedArgs):
    """A custom domain name: regional endpoint, TLS 1.2 at least, mapped to the API's stage."""

    domain_name: str
    """The host name clients use (`api.example.com`); point a DNS alias at `domain_target`."""
    certificate_arn: str
    """An ACM certificate for the name, in the API's own Region (regional endpoint)."""
    base_path: str | None = None
    """The API mapping key (`v1` serves `https://api.example.com/v1/...`); the root by default."""
    keep_default_endpoint: bool = False
    """The execute-api endpoint is disabled by default once a domain exists, so every client goes
    through the domain (its TLS policy and mapping); True keeps it."""


@dataclass(frozen=True, kw_only=True)
class HttpApiArgs(CheckedArgs):
    """An API Gateway HTTP API in front of Lambda functions."""

    routes: Mapping[str, HttpRouteArgs]
    """Route key (`GET /items/{id}`, `ANY /{proxy+}`, `$default`) -> its function; 1 to 300."""
    description: str | None = None
    """At most 1024 characters; none by default."""
    throttle: HttpThrottleArgs = field(default_factory=lambda: HttpThrottleArgs(rate_limit=100, burst_limit=200))
    """The stage's default throttling: 100 requests/s with bursts of 200 by default, so one API
    cannot take the Region's account-wide quota (10,000/s, shared by every API) alone."""
    access_log_retention_days: int = 90
    """Retention of the JSON access logs; 90 days by default."""
    cors: HttpCorsArgs | None = None
    """CORS; none by default (same-origin and server-to-server callers need none)."""
    domain: HttpDomainArgs | None = None
    """A custom domain name; none by default (the execute-api URL)."""
    jwt_authorizers: Mapping[str, JwtAuthorizerArgs] = field(default_factory=dict)
    """JWT authorizers by name, for routes with `authorization: JWT`; none by default."""
    integration_timeout_ms: int = 30_000
    """How long API Gateway waits for a function (50-30000 ms); the HTTP API maximum by default."""
    detailed_metrics: bool = False
    """Per-route CloudWatch metrics (billed as custom metrics); off by default."""
