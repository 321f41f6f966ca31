"""HttpApi: exact inputs registered (API, stage, access logs, integrations, routes, JWT
authorizers, permissions, domain), every rule through the args and through the stack file,
limits checked against botocore's apigatewayv2 model."""

from __future__ import annotations

import json
import re
from typing import Any

import botocore.session
import pytest
from hypothesis import given
from hypothesis import strategies as st

import stage
from components import (
    ArgsError,
    FunctionRef,
    HttpApi,
    HttpApiArgs,
    HttpCorsArgs,
    HttpDomainArgs,
    HttpRouteArgs,
    HttpThrottleArgs,
    JwtAuthorizerArgs,
    LambdaFunction,
    LambdaFunctionArgs,
    ZipCode,
)
from components.http_api import access_log
from components.http_api.routes import invoke_path, route_key_problems
from components.http_api.rules import DESCRIPTION_MAX, ISSUER_MAX, MAX_AGE_SECONDS, TIMEOUT_MS
from offline.engine import Plan, run

API = ZipCode(path="functions/api", handler="handler.handler", runtime="python3.13")
ZIP = {"kind": "zip", "path": "functions/api", "handler": "handler.handler", "runtime": "python3.13"}
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE"
FN = FunctionRef(name="fn-api", function_name="api", alias_name="live", alias_arn="arn:aws:lambda:x:live")


def apigw_model() -> Any:
    return botocore.session.get_session().get_service_model("apigatewayv2")


@pytest.fixture(scope="module")
def full() -> Plan:
    def program() -> None:
        api = LambdaFunction("fn-api", LambdaFunctionArgs(code=API))
        orders = LambdaFunction("fn-orders", LambdaFunctionArgs(code=API))
        HttpApi(
            "api-shop",
            HttpApiArgs(
                description="shop",
                routes={
                    "GET /health": HttpRouteArgs(function=api.ref(), authorization="NONE"),
                    "GET /items/{id}": HttpRouteArgs(function=api.ref()),
                    "POST /orders": HttpRouteArgs(
                        function=orders.ref(), authorization="JWT", authorizer="users", scopes=("orders/write",),
                        throttle=HttpThrottleArgs(rate_limit=5, burst_limit=10),
                    ),
                    "ANY /files/{proxy+}": HttpRouteArgs(function=api.ref()),
                    "$default": HttpRouteArgs(function=api.ref()),
                },
                jwt_authorizers={"users": JwtAuthorizerArgs(issuer=ISSUER, audiences=("client",))},
                cors=HttpCorsArgs(allow_origins=("https://shop.example.com",), allow_methods=("GET", "POST"),
                                  expose_headers=("x-request-id",), allow_credentials=True),
                domain=HttpDomainArgs(domain_name="api.example.com", certificate_arn=CERTIFICATE, base_path="v1"),
                access_log_retention_days=30,
                integration_timeout_ms=10_000,
            ),
        )  # fmt: skip

    return run(program)


@pytest.fixture(scope="module")
def minimal() -> Plan:
    return run(lambda: HttpApi("api-x", HttpApiArgs(routes={"GET /": HttpRouteArgs(function=FN)})))


# ---------------------------------------------------------------- what is registered
def test_api_is_http_with_cors_and_only_its_domain_as_entry(full: Plan) -> None:
    assert full.named("api-shop-api").inputs == {
        "protocolType": "HTTP",
        "description": "shop",
        "disableExecuteApiEndpoint": True,
        "corsConfiguration": {
            "allowOrigins": ["https://shop.example.com"],
            "allowMethods": ["GET", "POST"],
            "allowHeaders": ["authorization", "content-type"],
            "exposeHeaders": ["x-request-id"],
            "maxAge": 300,
            "allowCredentials": True,
        },
    }


def test_a_minimal_api_keeps_its_execute_api_endpoint_and_has_no_cors(minimal: Plan) -> None:
    assert minimal.named("api-x-api").inputs == {"protocolType": "HTTP"}
    types = {r.type for r in minimal.resources}
    for absent in ("aws:apigatewayv2/domainName:DomainName", "aws:apigatewayv2/authorizer:Authorizer"):
        assert absent not in types


def test_default_stage_auto_deploys_throttles_and_logs_json(full: Plan) -> None:
    stage_inputs = full.named("api-shop-stage").inputs
    logs = full.named("api-shop-access-logs")
    assert stage_inputs == {
        "apiId": full.named("api-shop-api").id,
        "name": "$default",
        "autoDeploy": True,
        "accessLogSettings": {"destinationArn": logs.state["arn"], "format": access_log.FORMAT},
        "defaultRouteSettings": {
            "throttlingRateLimit": 100,
            "throttlingBurstLimit": 200,
            "detailedMetricsEnabled": False,
        },
        "routeSettings": [
            {"routeKey": "POST /orders", "throttlingRateLimit": 5, "throttlingBurstLimit": 10,
             "detailedMetricsEnabled": False}
        ],
    }  # fmt: skip
    assert logs.inputs == {"namePrefix": "/aws/apigateway/api-shop-", "retentionInDays": 30}
    routes = {r.urn for r in full.of_type("aws:apigatewayv2/route:Route")}
    assert routes <= full.named("api-shop-stage").dependencies


def test_access_log_line_is_json_of_documented_context_variables() -> None:
    assert json.loads(access_log.FORMAT) == access_log.FIELDS
    assert all(re.fullmatch(r"\$context\.[A-Za-z.]+", value) for value in access_log.FIELDS.values())
    assert {"$context.requestId", "$context.routeKey", "$context.status", "$context.integrationErrorMessage"} <= set(
        access_log.FIELDS.values()
    )
    assert len(access_log.FORMAT) <= _between(apigw_model().shape_for("AccessLogSettings").members["Format"].name)[1]


def test_one_proxy_integration_per_function_on_its_alias(full: Plan) -> None:
    integrations = {r.name: r.inputs for r in full.of_type("aws:apigatewayv2/integration:Integration")}
    assert set(integrations) == {"api-shop-integration-fn-api", "api-shop-integration-fn-orders"}
    assert integrations["api-shop-integration-fn-orders"] == {
        "apiId": full.named("api-shop-api").id,
        "integrationType": "AWS_PROXY",
        "integrationMethod": "POST",
        "integrationUri": full.named("fn-orders-alias").state["arn"],
        "payloadFormatVersion": "2.0",
        "timeoutMilliseconds": 10_000,
    }


def test_routes_target_their_integration_with_their_authorization(full: Plan) -> None:
    api_id = full.named("api-shop-api").id
    integration = {f: full.named(f"api-shop-integration-fn-{f}").id for f in ("api", "orders")}
    assert full.named("api-shop-route-POST /orders").inputs == {
        "apiId": api_id,
        "routeKey": "POST /orders",
        "target": f"integrations/{integration['orders']}",
        "authorizationType": "JWT",
        "authorizerId": full.named("api-shop-authorizer-users").id,
        "authorizationScopes": ["orders/write"],
    }
    assert full.named("api-shop-route-GET /items/{id}").inputs == {
        "apiId": api_id,
        "routeKey": "GET /items/{id}",
        "target": f"integrations/{integration['api']}",
        "authorizationType": "AWS_IAM",
    }
    assert full.named("api-shop-route-GET /health").inputs["authorizationType"] == "NONE"


def test_jwt_authorizer_checks_issuer_and_audience(full: Plan) -> None:
    assert full.named("api-shop-authorizer-users").inputs == {
        "apiId": full.named("api-shop-api").id,
        "name": "users",
        "authorizerType": "JWT",
        "identitySources": ["$request.header.Authorization"],
        "jwtConfiguration": {"issuer": ISSUER, "audiences": ["client"]},
    }


@pytest.mark.parametrize(
    ("key", "function", "path"),
    [("GET /health", "api", "GET/health"), ("GET /items/{id}", "api", "GET/items/*"),
     ("POST /orders", "orders", "POST/orders"), ("ANY /files/{proxy+}", "api", "*/files/*"),
     ("$default", "api", "$default")],
)  # fmt: skip
def test_each_route_may_invoke_its_alias_from_this_api_and_route_only(
    full: Plan, key: str, function: str, path: str
) -> None:
    execution_arn = full.named("api-shop-api").state["executionArn"]
    assert full.named(f"api-shop-invoke-{key}").inputs == {
        "action": "lambda:InvokeFunction",
        "function": full.named(f"fn-{function}-function").state["name"],
        "qualifier": "live",
        "principal": "apigateway.amazonaws.com",
        "sourceArn": f"{execution_arn}/*/{path}",
    }


def test_custom_domain_is_regional_tls12_and_mapped_to_the_stage(full: Plan) -> None:
    assert full.named("api-shop-domain").inputs == {
        "domainName": "api.example.com",
        "domainNameConfiguration": {
            "certificateArn": CERTIFICATE,
            "endpointType": "REGIONAL",
            "securityPolicy": "TLS_1_2",
        },
    }
    assert full.named("api-shop-mapping").inputs == {
        "apiId": full.named("api-shop-api").id,
        "domainName": "api.example.com",
        "stage": "$default",
        "apiMappingKey": "v1",
    }
    component = full.named("api-shop")
    outputs = full.component_outputs[component.urn]
    assert outputs["url"] == "https://api.example.com/v1"
    assert outputs["domainZoneId"] == "Z1UJRXOUMOOFQ8"


# ---------------------------------------------------------------- the stacks
@pytest.mark.parametrize("stack", ["dev", "apps-prod"])
def test_every_stage_serves_the_api_function_over_an_http_api(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    alias = plan.outputs["functionAliasArns"]["api"]
    assert plan.named("api-public-integration-fn-api").inputs["integrationUri"] == alias
    auth = {r.inputs["routeKey"]: r.inputs["authorizationType"] for r in plan.of_type("aws:apigatewayv2/route:Route")}
    assert auth == {"GET /health": "NONE", "GET /hello": "JWT"}
    assert set(plan.outputs["httpApis"]) == {"public"}


def test_dev_throttles_lower_keeps_logs_two_weeks_and_has_no_domain(dev_plan: Plan) -> None:
    settings = dev_plan.named("api-public-stage").inputs["defaultRouteSettings"]
    assert (settings["throttlingRateLimit"], settings["throttlingBurstLimit"]) == (20, 40)
    assert dev_plan.named("api-public-access-logs").inputs["retentionInDays"] == 14
    assert not dev_plan.of_type("aws:apigatewayv2/domainName:DomainName")
    assert dev_plan.outputs["httpApis"]["public"]["url"] == dev_plan.named("api-public-stage").state["invokeUrl"]


def test_prod_is_reached_through_its_domain_only(prod_plan: Plan) -> None:
    assert prod_plan.named("api-public-api").inputs["disableExecuteApiEndpoint"] is True
    assert prod_plan.outputs["httpApis"]["public"]["url"] == "https://api.shop.example.com/"
    assert prod_plan.named("api-public-access-logs").inputs["retentionInDays"] == 365


# ---------------------------------------------------------------- rules, through args and the stack file
def api_args(**changes: Any) -> HttpApiArgs:
    return HttpApiArgs(**({"routes": {"GET /": HttpRouteArgs(function=FN)}} | changes))


def route_config(**changes: Any) -> dict[str, Any]:
    return {"function": "api"} | changes


#: (id, HttpApiArgs changes, API config changes, YAML key under the API, whole message)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, str]] = [
    ("no routes", {"routes": {}}, {"routes": {}}, "routes", "0 routes; an HTTP API takes 1 to 300"),
    ("lowercase method", {"routes": {"get /items": HttpRouteArgs(function=FN)}},
     {"routes": {"get /items": route_config()}}, "routes.get /items",
     "'get /items': start with one of ANY, DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, then a space and the path"),
    ("greedy variable not last", {"routes": {"GET /{proxy+}/x": HttpRouteArgs(function=FN)}},
     {"routes": {"GET /{proxy+}/x": route_config()}}, "routes.GET /{proxy+}/x",
     "'GET /{proxy+}/x': a greedy variable {proxy+} must be the last segment"),
    ("JWT without a known authorizer", {"routes": {"GET /": HttpRouteArgs(function=FN, authorization="JWT",
                                                                          authorizer="users")}},
     {"routes": {"GET /": route_config(authorization="JWT", authorizer="users")}}, "routes.GET /.authorizer",
     "'users' is not one of jwt_authorizers (none defined)"),
    ("scopes without JWT", {"routes": {"GET /": HttpRouteArgs(function=FN, scopes=("read",))}},
     {"routes": {"GET /": route_config(scopes=["read"])}}, "routes.GET /.authorizer",
     "authorizer and scopes need authorization: JWT; remove them or switch"),
    ("route throttle of zero",
     {"routes": {"GET /": HttpRouteArgs(function=FN, throttle=HttpThrottleArgs(rate_limit=0, burst_limit=5))}},
     {"routes": {"GET /": route_config(throttle={"rateLimit": 0, "burstLimit": 5})}},
     "routes.GET /.throttle.rateLimit", "at least 1 request/s; 0 rejects every request"),
    ("stage burst of zero", {"throttle": HttpThrottleArgs(rate_limit=10, burst_limit=0)},
     {"throttle": {"rateLimit": 10, "burstLimit": 0}}, "throttle.burstLimit", "at least 1; 0 rejects every request"),
    ("issuer over http", {"jwt_authorizers": {"users": JwtAuthorizerArgs(issuer="http://idp", audiences=("a",))}},
     {"jwtAuthorizers": {"users": {"issuer": "http://idp", "audiences": ["a"]}}}, "jwtAuthorizers.users.issuer",
     "'http://idp': an https URL of at most 2048"),
    ("no audiences", {"jwt_authorizers": {"users": JwtAuthorizerArgs(issuer=ISSUER, audiences=())}},
     {"jwtAuthorizers": {"users": {"issuer": ISSUER, "audiences": []}}}, "jwtAuthorizers.users.audiences",
     "list the audiences (client ids) a token may be issued for"),
    ("identity source", {"jwt_authorizers": {"users": JwtAuthorizerArgs(issuer=ISSUER, audiences=("a",),
                                                                        identity_source="Authorization")}},
     {"jwtAuthorizers": {"users": {"issuer": ISSUER, "audiences": ["a"], "identitySource": "Authorization"}}},
     "jwtAuthorizers.users.identitySource",
     "'Authorization': $request.header.<name> or $request.querystring.<name>"),
    ("log retention", {"access_log_retention_days": 10}, {"accessLogRetentionDays": 10}, "accessLogRetentionDays",
     "10 is not a CloudWatch Logs retention period; use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,"
     " 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"),
    ("origin with a path", {"cors": HttpCorsArgs(allow_origins=("https://a.example.com/app",))},
     {"cors": {"allowOrigins": ["https://a.example.com/app"]}}, "cors.allowOrigins",
     "'https://a.example.com/app': write scheme://host[:port] or *"),
    ("credentials for any origin", {"cors": HttpCorsArgs(allow_origins=("*",), allow_credentials=True)},
     {"cors": {"allowOrigins": ["*"], "allowCredentials": True}}, "cors.allowCredentials",
     "credentials are never allowed for origin *; list the origins instead"),
    ("unknown CORS method", {"cors": HttpCorsArgs(allow_origins=("*",), allow_methods=("FETCH",))},
     {"cors": {"allowOrigins": ["*"], "allowMethods": ["FETCH"]}}, "cors.allowMethods",
     "'FETCH' is not one of DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT or *"),
    ("CORS max age", {"cors": HttpCorsArgs(allow_origins=("*",), max_age_seconds=86_401)},
     {"cors": {"allowOrigins": ["*"], "maxAgeSeconds": 86_401}}, "cors.maxAgeSeconds",
     "86401 is out of range; use -1 to 86400"),
    ("domain name", {"domain": HttpDomainArgs(domain_name="API.example.com", certificate_arn=CERTIFICATE)},
     {"domain": {"domainName": "API.example.com", "certificateArn": CERTIFICATE}}, "domain.domainName",
     "'API.example.com': a lowercase DNS name (api.example.com)"),
    ("certificate", {"domain": HttpDomainArgs(domain_name="api.example.com", certificate_arn="arn:aws:iam::1:x")},
     {"domain": {"domainName": "api.example.com", "certificateArn": "arn:aws:iam::1:x"}}, "domain.certificateArn",
     "'arn:aws:iam::1:x' is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)"),
    ("base path", {"domain": HttpDomainArgs(domain_name="api.example.com", certificate_arn=CERTIFICATE,
                                            base_path="/v1")},
     {"domain": {"domainName": "api.example.com", "certificateArn": CERTIFICATE, "basePath": "/v1"}},
     "domain.basePath", "'/v1': path segments such as v1 or orders/v2, no leading /"),
    ("integration timeout", {"integration_timeout_ms": 31_000}, {"integrationTimeoutMs": 31_000},
     "integrationTimeoutMs", "31000 ms is out of range; use 50 to 30000"),
    ("description", {"description": "d" * 1025}, {"description": "d" * 1025}, "description",
     "1025 characters; API Gateway takes 1024"),
    ("path variable twice", {"routes": {"GET /{id}/x/{id}": HttpRouteArgs(function=FN)}},
     {"routes": {"GET /{id}/x/{id}": route_config()}}, "routes.GET /{id}/x/{id}",
     "'GET /{id}/x/{id}': each path variable once"),
    ("empty path segment", {"routes": {"GET /a//b": HttpRouteArgs(function=FN)}},
     {"routes": {"GET /a//b": route_config()}}, "routes.GET /a//b",
     "'GET /a//b': segment '' is neither a literal nor a {variable} (no empty ones)"),
    ("authorizer name", {"jwt_authorizers": {"my users": JwtAuthorizerArgs(issuer=ISSUER, audiences=("a",))}},
     {"jwtAuthorizers": {"my users": {"issuer": ISSUER, "audiences": ["a"]}}}, "jwtAuthorizers.my users",
     "'my users': letters, digits, - and _, at most 128"),
    ("no origins", {"cors": HttpCorsArgs(allow_origins=())}, {"cors": {"allowOrigins": []}}, "cors.allowOrigins",
     "list the origins allowed, or remove cors"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "message"), [(c[1], c[4]) for c in CASES], ids=[c[0] for c in CASES])
def test_args_reject(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ArgsError) as error:
        api_args(**changes)
    assert [p.message for p in error.value.problems] == [message]


@pytest.mark.parametrize(("config", "key", "message"), [c[2:] for c in CASES], ids=[c[0] for c in CASES])
def test_stack_file_rejects(config: dict[str, Any], key: str, message: str) -> None:
    api = {"routes": {"GET /": route_config()}} | config
    _, lines = stage.validate({"functions": {"api": {"code": ZIP}}, "apis": {"shop": api}})
    assert lines == [f"aws-compute:apis.shop.{key}: {message}"]


def test_more_than_300_routes_are_refused() -> None:
    routes = {f"GET /r{i}": HttpRouteArgs(function=FN) for i in range(301)}
    with pytest.raises(ArgsError, match=re.escape("301 routes; an HTTP API takes 1 to 300")):
        HttpApiArgs(routes=routes)
    api = {"routes": {f"GET /r{i}": route_config() for i in range(301)}}
    _, lines = stage.validate({"functions": {"api": {"code": ZIP}}, "apis": {"shop": api}})
    assert lines == ["aws-compute:apis.shop.routes: 301 routes; an HTTP API takes 1 to 300"]


def test_routes_name_the_stages_functions() -> None:
    api = {"routes": {"GET /": {"function": "nope"}}}
    _, lines = stage.validate({"functions": {"api": {"code": ZIP}}, "apis": {"shop": api}})
    assert lines == [
        "aws-compute:apis.shop.routes.GET /.function: no function 'nope' in aws-compute:functions; use one of api"
    ]


def test_a_valid_api_config_passes() -> None:
    api = {"routes": {"GET /items/{id}": route_config(authorization="JWT", authorizer="users")},
           "jwtAuthorizers": {"users": {"issuer": ISSUER, "audiences": ["client"]}}}  # fmt: skip
    config, lines = stage.validate({"functions": {"api": {"code": ZIP}}, "apis": {"shop": api}})
    assert lines == [] and config is not None
    assert config.apis["shop"].throttle.rate_limit == 100


# ---------------------------------------------------------------- route keys
_segment = st.one_of(
    st.from_regex(r"[a-z0-9._~-]{1,8}", fullmatch=True), st.from_regex(r"\{[a-z]{1,6}\}", fullmatch=True)
)


@given(st.sampled_from(["GET", "POST", "ANY", "DELETE"]), st.lists(_segment, max_size=4, unique=True), st.booleans())
def test_well_formed_route_keys_are_accepted_and_their_invoke_path_has_no_variables(
    method: str, segments: list[str], greedy: bool
) -> None:
    if greedy:
        segments = [*segments, "{rest_of_path+}"]  # generated variables have no underscore
    key = f"{method} /{'/'.join(segments)}"
    assert route_key_problems("k", key) == []
    path = invoke_path(key)
    assert "{" not in path
    assert path.startswith("*/" if method == "ANY" else f"{method}/")


def test_path_variables_appear_once() -> None:
    assert [p.message for p in route_key_problems("k", "GET /{id}/x/{id}")] == [
        "'GET /{id}/x/{id}': each path variable once"
    ]


# ---------------------------------------------------------------- limits from AWS's own model
def _between(shape_name: str) -> tuple[int, int]:
    """`IntegerWithLengthBetweenMinus1And86400` -> (-1, 86400): the model's shape names carry its bounds."""
    match = re.search(r"Between(Minus)?(\d+)And(\d+)$", shape_name)
    assert match is not None, shape_name
    return int(match.group(2)) * (-1 if match.group(1) else 1), int(match.group(3))


def test_limits_are_the_apigatewayv2_models() -> None:
    model = apigw_model()
    assert _between(model.shape_for("CreateIntegrationRequest").members["TimeoutInMillis"].name) == TIMEOUT_MS
    assert _between(model.shape_for("Cors").members["MaxAge"].name) == MAX_AGE_SECONDS
    assert _between(model.shape_for("CreateApiRequest").members["Description"].name) == (0, DESCRIPTION_MAX)
    assert _between(model.shape_for("JWTConfiguration").members["Issuer"].name) == (1, ISSUER_MAX)
    assert model.shape_for("AuthorizationType").enum == ["NONE", "AWS_IAM", "CUSTOM", "JWT"]
    assert "TLS_1_2" in model.shape_for("SecurityPolicy").enum
