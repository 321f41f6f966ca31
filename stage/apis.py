"""`aws-compute:apis`: HTTP APIs (API Gateway v2) in front of the stage's functions, by name.

Config reference (defaults are HttpApiArgs' own):

```yaml
aws-compute:apis:
  public:                                # API name: lowercase, digits, dashes
    description: The shop's public API
    routes:                              # route key -> function; 1-300 routes
      "GET /health": {function: api, authorization: NONE}        # NONE: public, an explicit choice
      "GET /items/{id}": {function: api}                         # default AWS_IAM: SigV4-signed callers
      "POST /orders": {function: orders, authorization: JWT, authorizer: users, scopes: [orders/write],
                       throttle: {rateLimit: 10, burstLimit: 20}}
      "ANY /{proxy+}": {function: api}   # greedy variable last; "$default" catches what no route matches
    jwtAuthorizers:
      users: {issuer: "https://cognito-idp.<region>.amazonaws.com/<pool id>", audiences: [<client id>],
              identitySource: $request.header.Authorization}
    throttle: {rateLimit: 100, burstLimit: 200}   # the $default stage's; routes may override
    accessLogRetentionDays: 90           # JSON access logs, one line per request
    cors: {allowOrigins: ["https://shop.example.com"], allowMethods: [GET, POST],
           allowHeaders: [authorization, content-type], exposeHeaders: [], maxAgeSeconds: 300,
           allowCredentials: false}
    domain: {domainName: api.example.com, certificateArn: "arn:aws:acm:<region>:<account>:certificate/<id>",
             basePath: null, keepDefaultEndpoint: false}   # regional, TLS 1.2; execute-api URL off
    integrationTimeoutMs: 30000          # 50-30000
    detailedMetrics: false               # per-route metrics
```

Every route invokes its function's `live` alias (Lambda proxy, payload 2.0) with a
permission scoped to the API and the route. Stack output `httpApis` maps each name to its
apiId, url, and the domain's target for a DNS alias record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import Field, StringConstraints

from components import (
    FunctionRef,
    HttpApiArgs,
    HttpAuthorization,
    HttpCorsArgs,
    HttpDomainArgs,
    HttpRouteArgs,
    HttpThrottleArgs,
    JwtAuthorizerArgs,
    Problem,
)
from stage.base import ConfigModel, args_default, args_problems

ApiName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,31}$")]
_DEFAULT_THROTTLE: HttpThrottleArgs = args_default(HttpApiArgs, "throttle")


class ThrottleConfig(ConfigModel):
    rate_limit: float
    burst_limit: int

    def to_args(self) -> HttpThrottleArgs:
        return HttpThrottleArgs(rate_limit=self.rate_limit, burst_limit=self.burst_limit)


class RouteConfig(ConfigModel):
    """One route: the function (an `aws-compute:functions` name) and who may call it."""

    function: str
    authorization: HttpAuthorization = args_default(HttpRouteArgs, "authorization")
    authorizer: str | None = None
    scopes: list[str] = Field(default_factory=list)
    throttle: ThrottleConfig | None = None

    def to_args(self, function: FunctionRef) -> HttpRouteArgs:
        return HttpRouteArgs(
            function=function,
            authorization=self.authorization,
            authorizer=self.authorizer,
            scopes=tuple(self.scopes),
            throttle=self.throttle.to_args() if self.throttle else None,
        )


class JwtAuthorizerConfig(ConfigModel):
    issuer: str
    audiences: list[str]
    identity_source: str = args_default(JwtAuthorizerArgs, "identity_source")

    def to_args(self) -> JwtAuthorizerArgs:
        return JwtAuthorizerArgs(
            issuer=self.issuer, audiences=tuple(self.audiences), identity_source=self.identity_source
        )


class CorsConfig(ConfigModel):
    allow_origins: list[str]
    allow_methods: list[str] = Field(default_factory=lambda: list(args_default(HttpCorsArgs, "allow_methods")))
    allow_headers: list[str] = Field(default_factory=lambda: list(args_default(HttpCorsArgs, "allow_headers")))
    expose_headers: list[str] = Field(default_factory=list)
    max_age_seconds: int = args_default(HttpCorsArgs, "max_age_seconds")
    allow_credentials: bool = args_default(HttpCorsArgs, "allow_credentials")

    def to_args(self) -> HttpCorsArgs:
        return HttpCorsArgs(
            allow_origins=tuple(self.allow_origins),
            allow_methods=tuple(self.allow_methods),
            allow_headers=tuple(self.allow_headers),
            expose_headers=tuple(self.expose_headers),
            max_age_seconds=self.max_age_seconds,
            allow_credentials=self.allow_credentials,
        )


class DomainConfig(ConfigModel):
    domain_name: str
    certificate_arn: str
    base_path: str | None = None
    keep_default_endpoint: bool = args_default(HttpDomainArgs, "keep_default_endpoint")

    def to_args(self) -> HttpDomainArgs:
        return HttpDomainArgs(**self.model_dump())


class ApiConfig(ConfigModel):
    """One HTTP API; `routes` is required, every other key optional."""

    routes: dict[str, RouteConfig]
    description: str | None = None
    throttle: ThrottleConfig = Field(
        default_factory=lambda: ThrottleConfig.model_validate(
            {"rateLimit": _DEFAULT_THROTTLE.rate_limit, "burstLimit": _DEFAULT_THROTTLE.burst_limit}
        )
    )
    access_log_retention_days: int = args_default(HttpApiArgs, "access_log_retention_days")
    cors: CorsConfig | None = None
    domain: DomainConfig | None = None
    jwt_authorizers: dict[str, JwtAuthorizerConfig] = Field(default_factory=dict)
    integration_timeout_ms: int = args_default(HttpApiArgs, "integration_timeout_ms")
    detailed_metrics: bool = args_default(HttpApiArgs, "detailed_metrics")

    def to_args(self, functions: Mapping[str, FunctionRef]) -> HttpApiArgs:
        """The component's args; `functions` are the stage's functions by name (their aliases)."""
        return HttpApiArgs(
            routes={key: route.to_args(functions[route.function]) for key, route in self.routes.items()},
            description=self.description,
            throttle=self.throttle.to_args(),
            access_log_retention_days=self.access_log_retention_days,
            cors=self.cors.to_args() if self.cors else None,
            domain=self.domain.to_args() if self.domain else None,
            jwt_authorizers={key: authorizer.to_args() for key, authorizer in self.jwt_authorizers.items()},
            integration_timeout_ms=self.integration_timeout_ms,
            detailed_metrics=self.detailed_metrics,
        )

    def problems(self) -> list[Problem]:
        """The API's own rules, each route's function stood in by a placeholder (the stage
        checks the names, `api_link_problems`)."""
        placeholders = {
            route.function: FunctionRef(
                name=f"fn-{route.function}", function_name=route.function, alias_name="live", alias_arn="alias-arn"
            )
            for route in self.routes.values()
        }
        return args_problems(lambda: self.to_args(placeholders))


def api_link_problems(apis: Mapping[str, ApiConfig], functions: Mapping[str, object]) -> list[Problem]:
    """Stage rule of `apis.<api>.routes.<key>.function`: an `aws-compute:functions` name."""
    return [
        Problem(
            f"apis.{name}.routes.{key}.function",
            f"no function {route.function!r} in aws-compute:functions; use one of {', '.join(functions) or 'none'}",
        )
        for name, api in apis.items()
        for key, route in api.routes.items()
        if route.function not in functions
    ]
