"""The rules of http_api: what the API Gateway v2 API accepts (limits from its botocore model
and service quotas), checked before any resource exists."""

from __future__ import annotations

import re

from components.http_api.args import HttpApiArgs, HttpCorsArgs, HttpDomainArgs, HttpThrottleArgs, JwtAuthorizerArgs
from components.http_api.routes import METHODS, route_key_problems
from components.validation import DNS_NAME, Problem, retention_problems, rules_for

#: Routes per HTTP API (service quota).
MAX_ROUTES = 300
#: Integration timeout (CreateIntegration TimeoutInMillis).
TIMEOUT_MS = (50, 30_000)
#: CORS MaxAge (IntegerWithLengthBetweenMinus1And86400; -1 disables caching).
MAX_AGE_SECONDS = (-1, 86_400)
DESCRIPTION_MAX = 1024
ISSUER_MAX = 2048
_CERTIFICATE = re.compile(r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]{36}$")
_ORIGIN = re.compile(r"^https?://[^/\s*]+$")
_IDENTITY_SOURCE = re.compile(r"^\$request\.(header|querystring)\.[A-Za-z0-9-_]+$")
_MAPPING_KEY = re.compile(r"^[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$")
_AUTHORIZER_NAME = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def _throttle_problems(field: str, throttle: HttpThrottleArgs) -> list[Problem]:
    problems = []
    if throttle.rate_limit < 1:
        problems.append(Problem(f"{field}.rate_limit", "at least 1 request/s; 0 rejects every request"))
    if throttle.burst_limit < 1:
        problems.append(Problem(f"{field}.burst_limit", "at least 1; 0 rejects every request"))
    return problems


def _route_problems(args: HttpApiArgs) -> list[Problem]:
    if not 1 <= len(args.routes) <= MAX_ROUTES:
        return [Problem("routes", f"{len(args.routes)} routes; an HTTP API takes 1 to {MAX_ROUTES}")]
    problems: list[Problem] = []
    for key, route in args.routes.items():
        at = f"routes.{key}"
        problems += route_key_problems(at, key)
        if route.authorization == "JWT":
            if route.authorizer not in args.jwt_authorizers:
                known = ", ".join(args.jwt_authorizers) or "none defined"
                problems.append(
                    Problem(f"{at}.authorizer", f"{route.authorizer!r} is not one of jwt_authorizers ({known})")
                )
        elif route.authorizer is not None or route.scopes:
            problems.append(
                Problem(f"{at}.authorizer", "authorizer and scopes need authorization: JWT; remove them or switch")
            )
        if route.throttle is not None:
            problems += _throttle_problems(f"{at}.throttle", route.throttle)
    return problems


def _authorizer_problems(name: str, authorizer: JwtAuthorizerArgs) -> list[Problem]:
    at = f"jwt_authorizers.{name}"
    problems = []
    if not _AUTHORIZER_NAME.match(name):
        problems.append(Problem(at, f"{name!r}: letters, digits, - and _, at most 128"))
    if not authorizer.issuer.startswith("https://") or len(authorizer.issuer) > ISSUER_MAX:
        problems.append(Problem(f"{at}.issuer", f"{authorizer.issuer!r}: an https URL of at most {ISSUER_MAX}"))
    if not authorizer.audiences or not all(authorizer.audiences):
        problems.append(Problem(f"{at}.audiences", "list the audiences (client ids) a token may be issued for"))
    if not _IDENTITY_SOURCE.match(authorizer.identity_source):
        problems.append(
            Problem(
                f"{at}.identity_source",
                f"{authorizer.identity_source!r}: $request.header.<name> or $request.querystring.<name>",
            )
        )
    return problems


def _cors_problems(cors: HttpCorsArgs | None) -> list[Problem]:
    if cors is None:
        return []
    problems = [
        Problem("cors.allow_origins", f"{origin!r}: write scheme://host[:port] or *")
        for origin in cors.allow_origins
        if origin != "*" and not _ORIGIN.match(origin)
    ]
    if not cors.allow_origins:
        problems.append(Problem("cors.allow_origins", "list the origins allowed, or remove cors"))
    if cors.allow_credentials and "*" in cors.allow_origins:
        problems.append(
            Problem("cors.allow_credentials", "credentials are never allowed for origin *; list the origins instead")
        )
    problems += [
        Problem("cors.allow_methods", f"{method!r} is not one of {', '.join(m for m in METHODS if m != 'ANY')} or *")
        for method in cors.allow_methods
        if method != "*" and (method not in METHODS or method == "ANY")
    ]
    low, high = MAX_AGE_SECONDS
    if not low <= cors.max_age_seconds <= high:
        problems.append(Problem("cors.max_age_seconds", f"{cors.max_age_seconds} is out of range; use {low} to {high}"))
    return problems


def _domain_problems(domain: HttpDomainArgs | None) -> list[Problem]:
    if domain is None:
        return []
    problems = []
    if not DNS_NAME.match(domain.domain_name) or len(domain.domain_name) > 253 or "." not in domain.domain_name:
        problems.append(
            Problem("domain.domain_name", f"{domain.domain_name!r}: a lowercase DNS name (api.example.com)")
        )
    if not _CERTIFICATE.match(domain.certificate_arn):
        problems.append(
            Problem(
                "domain.certificate_arn",
                f"{domain.certificate_arn!r} is not an ACM certificate ARN"
                " (arn:aws:acm:<region>:<account>:certificate/<id>)",
            )
        )
    if domain.base_path is not None and not _MAPPING_KEY.match(domain.base_path):
        problems.append(
            Problem("domain.base_path", f"{domain.base_path!r}: path segments such as v1 or orders/v2, no leading /")
        )
    return problems


@rules_for(HttpApiArgs)
def http_api_problems(args: HttpApiArgs) -> list[Problem]:
    """Every rule HttpApiArgs must satisfy; the stage config runs these too."""
    problems = [
        *_route_problems(args),
        *(p for name, authorizer in args.jwt_authorizers.items() for p in _authorizer_problems(name, authorizer)),
        *_throttle_problems("throttle", args.throttle),
        *retention_problems("access_log_retention_days", args.access_log_retention_days),
        *_cors_problems(args.cors),
        *_domain_problems(args.domain),
    ]
    low, high = TIMEOUT_MS
    if not low <= args.integration_timeout_ms <= high:
        problems.append(
            Problem("integration_timeout_ms", f"{args.integration_timeout_ms} ms is out of range; use {low} to {high}")
        )
    if args.description is not None and len(args.description) > DESCRIPTION_MAX:
        problems.append(Problem("description", f"{len(args.description)} characters; API Gateway takes 1024"))
    return problems
