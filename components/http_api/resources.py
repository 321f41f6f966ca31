"""HttpApi: an API Gateway HTTP API in front of Lambda functions.

Routes invoke each function's alias through a Lambda proxy integration (payload 2.0), one
integration per function. The `$default` stage deploys every change automatically, throttles
(per stage, and per route where asked), and writes a JSON access-log line per request to its
own log group. Each route's invoke permission names the API and the route, so no other API,
stage-less path or method reaches the function. A custom domain (regional, TLS 1.2) maps to
the stage and, by default, becomes the only way in.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.http_api import access_log
from components.http_api.args import HttpApiArgs, HttpDomainArgs, HttpRouteArgs
from components.http_api.routes import invoke_path

#: The stage that serves the API's root URL; with auto-deploy, every change is live at once.
STAGE_NAME = "$default"


class HttpApi(pulumi.ComponentResource):
    """API, `$default` stage with throttling and access logs, routes, integrations, JWT
    authorizers, invoke permissions, and the custom domain the args ask for."""

    api_id: pulumi.Output[str]
    api_endpoint: pulumi.Output[str]
    execution_arn: pulumi.Output[str]
    url: pulumi.Output[str]
    log_group_name: pulumi.Output[str]
    domain_target: pulumi.Output[str] | None
    domain_zone_id: pulumi.Output[str] | None

    def __init__(self, name: str, args: HttpApiArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aws-compute:http_api:HttpApi", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        cors = args.cors
        api = aws.apigatewayv2.Api(
            f"{name}-api",
            protocol_type="HTTP",
            description=args.description,
            disable_execute_api_endpoint=(args.domain is not None and not args.domain.keep_default_endpoint) or None,
            cors_configuration=(
                aws.apigatewayv2.ApiCorsConfigurationArgs(
                    allow_origins=list(cors.allow_origins),
                    allow_methods=list(cors.allow_methods),
                    allow_headers=list(cors.allow_headers),
                    expose_headers=list(cors.expose_headers) or None,
                    max_age=cors.max_age_seconds,
                    allow_credentials=cors.allow_credentials,
                )
                if cors is not None
                else None
            ),
            opts=child,
        )
        logs = aws.cloudwatch.LogGroup(
            f"{name}-access-logs",
            name_prefix=f"/aws/apigateway/{name}-",
            retention_in_days=args.access_log_retention_days,
            opts=child,
        )
        authorizers = {
            key: aws.apigatewayv2.Authorizer(
                f"{name}-authorizer-{key}",
                api_id=api.id,
                name=key,
                authorizer_type="JWT",
                identity_sources=[authorizer.identity_source],
                jwt_configuration=aws.apigatewayv2.AuthorizerJwtConfigurationArgs(
                    issuer=authorizer.issuer, audiences=list(authorizer.audiences)
                ),
                opts=child,
            )
            for key, authorizer in args.jwt_authorizers.items()
        }
        functions = {route.function.name: route.function for route in args.routes.values()}
        integrations = {
            key: aws.apigatewayv2.Integration(
                f"{name}-integration-{key}",
                api_id=api.id,
                integration_type="AWS_PROXY",
                integration_method="POST",
                integration_uri=function.alias_arn,
                payload_format_version="2.0",
                timeout_milliseconds=args.integration_timeout_ms,
                opts=child,
            )
            for key, function in functions.items()
        }
        routes = [
            self._route(name, key, route, api, integrations[route.function.name], authorizers, child)
            for key, route in args.routes.items()
        ]
        stage = aws.apigatewayv2.Stage(
            f"{name}-stage",
            api_id=api.id,
            name=STAGE_NAME,
            auto_deploy=True,
            access_log_settings=aws.apigatewayv2.StageAccessLogSettingsArgs(
                destination_arn=logs.arn, format=access_log.FORMAT
            ),
            default_route_settings=aws.apigatewayv2.StageDefaultRouteSettingsArgs(
                throttling_rate_limit=args.throttle.rate_limit,
                throttling_burst_limit=args.throttle.burst_limit,
                detailed_metrics_enabled=args.detailed_metrics,
            ),
            route_settings=[
                aws.apigatewayv2.StageRouteSettingArgs(
                    route_key=key,
                    throttling_rate_limit=route.throttle.rate_limit,
                    throttling_burst_limit=route.throttle.burst_limit,
                    detailed_metrics_enabled=args.detailed_metrics,
                )
                for key, route in args.routes.items()
                if route.throttle is not None
            ]
            or None,
            # Route settings name route keys, which must exist first.
            opts=pulumi.ResourceOptions(parent=self, depends_on=routes),
        )
        domain = self._domain(name, args.domain, api, stage, child) if args.domain is not None else None

        self.api_id = api.id
        self.api_endpoint = api.api_endpoint
        self.execution_arn = api.execution_arn
        self.url = (
            pulumi.Output.concat(
                "https://", domain.domain_name, "/", (args.domain.base_path or "") if args.domain else ""
            )
            if domain is not None
            else stage.invoke_url
        )
        self.log_group_name = logs.name
        self.domain_target = domain.domain_name_configuration.target_domain_name if domain else None
        self.domain_zone_id = domain.domain_name_configuration.hosted_zone_id if domain else None
        self.register_outputs(
            {
                "apiId": self.api_id,
                "apiEndpoint": self.api_endpoint,
                "executionArn": self.execution_arn,
                "url": self.url,
                "logGroupName": self.log_group_name,
                "domainTarget": self.domain_target,
                "domainZoneId": self.domain_zone_id,
            }
        )

    @property
    def exports(self) -> dict[str, pulumi.Output[str] | None]:
        """The stack-output summary: apiId, url, and the domain's DNS alias target when there is one."""
        return {
            "apiId": self.api_id,
            "url": self.url,
            "domainTarget": self.domain_target,
            "domainZoneId": self.domain_zone_id,
        }

    @staticmethod
    def _route(
        name: str,
        key: str,
        route: HttpRouteArgs,
        api: aws.apigatewayv2.Api,
        integration: aws.apigatewayv2.Integration,
        authorizers: dict[str, aws.apigatewayv2.Authorizer],
        child: pulumi.ResourceOptions,
    ) -> aws.apigatewayv2.Route:
        """`<name>-route-<key>` and `<name>-invoke-<key>`, the alias's permission for exactly
        this API and route (`<execution arn>/*/<METHOD>/<path>`, variables as `*`)."""
        resource = aws.apigatewayv2.Route(
            f"{name}-route-{key}",
            api_id=api.id,
            route_key=key,
            target=pulumi.Output.concat("integrations/", integration.id),
            authorization_type=route.authorization,
            authorizer_id=authorizers[route.authorizer].id if route.authorizer else None,
            authorization_scopes=list(route.scopes) or None,
            opts=child,
        )
        aws.lambda_.Permission(
            f"{name}-invoke-{key}",
            action="lambda:InvokeFunction",
            function=route.function.function_name,
            qualifier=route.function.alias_name,
            principal="apigateway.amazonaws.com",
            source_arn=pulumi.Output.concat(api.execution_arn, f"/*/{invoke_path(key)}"),
            opts=child,
        )
        return resource

    @staticmethod
    def _domain(
        name: str,
        domain: HttpDomainArgs,
        api: aws.apigatewayv2.Api,
        stage: aws.apigatewayv2.Stage,
        child: pulumi.ResourceOptions,
    ) -> aws.apigatewayv2.DomainName:
        resource = aws.apigatewayv2.DomainName(
            f"{name}-domain",
            domain_name=domain.domain_name,
            domain_name_configuration=aws.apigatewayv2.DomainNameDomainNameConfigurationArgs(
                certificate_arn=domain.certificate_arn, endpoint_type="REGIONAL", security_policy="TLS_1_2"
            ),
            opts=child,
        )
        aws.apigatewayv2.ApiMapping(
            f"{name}-mapping",
            api_id=api.id,
            domain_name=resource.domain_name,
            stage=stage.name,
            api_mapping_key=domain.base_path,
            opts=child,
        )
        return resource
