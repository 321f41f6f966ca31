"""LoadBalancer: one Application Load Balancer per stage, shared through listener rules.

Fargate services and EC2 Auto Scaling groups attach through `attachment()` with
`components.alb_target`: a target group and listener rule each, ingress from
`security_group_id` on their port, and that security group's only egress, to them.
The ALB answers 404 to anything no rule claims. HTTPS with a TLS 1.2+ policy is the
default; plain HTTP forwarding exists only as the explicitly named `httpOnlyDev` mode.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.alarms.sets import load_balancer_alarms
from components.cidr_ingress import cidr_ingress_rules
from components.load_balancer.args import (
    HTTP_PORT,
    HTTPS_PORT,
    ListenerAttachment,
    LoadBalancerArgs,
)
from components.load_balancer.waf import web_application_firewall


def load_balancer_suffix(listener_arn: str) -> str:
    """`arn:...:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2` -> `app/web/50dc6c495c0c9188`."""
    resource = listener_arn.split(":", 5)[-1]
    return "/".join(resource.split("/")[1:4])


def existing_listener(listener_arn: pulumi.Input[str], security_group_id: pulumi.Input[str]) -> ListenerAttachment:
    """The handle of an ALB listener owned elsewhere, by its ARN and the ALB's security group."""
    suffix = (
        load_balancer_suffix(listener_arn)
        if isinstance(listener_arn, str)
        else pulumi.Output.concat(listener_arn).apply(load_balancer_suffix)
    )
    return ListenerAttachment(
        listener_arn=listener_arn, security_group_id=security_group_id, load_balancer_arn_suffix=suffix
    )


class LoadBalancer(pulumi.ComponentResource):
    """An ALB with its security group and listeners; targets attach through listener rules."""

    arn: pulumi.Output[str]
    arn_suffix: pulumi.Output[str]
    dns_name: pulumi.Output[str]
    zone_id: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    listener_arn: pulumi.Output[str]
    """The listener targets attach rules to: HTTPS, or HTTP in `httpOnlyDev`."""
    https_listener_arn: pulumi.Output[str] | None
    http_listener_arn: pulumi.Output[str]
    url_scheme: str
    """`https` or `http`: how clients reach services behind this ALB."""
    base_url: pulumi.Output[str]
    web_acl_arn: pulumi.Output[str] | None
    """The WAFv2 web ACL in front of the ALB, when `waf` is set."""

    def __init__(self, name: str, args: LoadBalancerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aws-compute:load_balancer:LoadBalancer", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        sg = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=args.vpc_id,
            description=f"ALB {name}: listener ports from the configured CIDRs; egress only to its targets",
            tags={"Name": f"{name}-alb"},
            opts=child,
        )
        for port in args.listener_ports:
            cidr_ingress_rules(
                f"{name}-ingress-{port}", sg.id, port, args.ingress_cidrs, f"Listener port {port} from {{cidr}}", child
            )
        alb = aws.lb.LoadBalancer(
            f"{name}-alb",
            load_balancer_type="application",
            internal=args.scheme == "internal",
            subnets=args.subnet_ids,
            security_groups=[sg.id],
            drop_invalid_header_fields=True,
            enable_http2=True,
            enable_deletion_protection=args.deletion_protection,
            idle_timeout=args.idle_timeout,
            access_logs=(
                aws.lb.LoadBalancerAccessLogsArgs(
                    bucket=args.access_logs_bucket, prefix=args.access_logs_prefix, enabled=True
                )
                if args.access_logs_bucket
                else None
            ),
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect),
        )
        not_found = aws.lb.ListenerDefaultActionArgs(
            type="fixed-response",
            fixed_response=aws.lb.ListenerDefaultActionFixedResponseArgs(
                content_type="text/plain", message_body="Not Found", status_code="404"
            ),
        )
        https = None
        if args.listeners == "httpsWithRedirect":
            https = aws.lb.Listener(
                f"{name}-https",
                load_balancer_arn=alb.arn,
                port=HTTPS_PORT,
                protocol="HTTPS",
                ssl_policy=args.ssl_policy,
                certificate_arn=args.certificate_arn,
                default_actions=[not_found],
                opts=child,
            )
            http_default = aws.lb.ListenerDefaultActionArgs(
                type="redirect",
                redirect=aws.lb.ListenerDefaultActionRedirectArgs(
                    protocol="HTTPS", port=str(HTTPS_PORT), status_code="HTTP_301"
                ),
            )
        else:
            http_default = not_found
        http = aws.lb.Listener(
            f"{name}-http",
            load_balancer_arn=alb.arn,
            port=HTTP_PORT,
            protocol="HTTP",
            default_actions=[http_default],
            opts=child,
        )

        acl = web_application_firewall(name, args.waf, alb.arn, child, protect=args.protect) if args.waf else None
        if args.alarms is not None:
            load_balancer_alarms(name, args.alarms, arn_suffix=alb.arn_suffix, opts=child)

        self.arn = alb.arn
        self.web_acl_arn = acl.arn if acl is not None else None
        self.arn_suffix = alb.arn_suffix
        self.dns_name = alb.dns_name
        self.zone_id = alb.zone_id
        self.security_group_id = sg.id
        self.https_listener_arn = https.arn if https else None
        self.http_listener_arn = http.arn
        self.listener_arn = (https or http).arn
        self.url_scheme = "https" if https else "http"
        self.base_url = pulumi.Output.concat(f"{self.url_scheme}://", alb.dns_name)
        self.register_outputs(
            {
                "arn": self.arn,
                "dnsName": self.dns_name,
                "zoneId": self.zone_id,
                "securityGroupId": self.security_group_id,
                "listenerArn": self.listener_arn,
                "httpsListenerArn": self.https_listener_arn,
                "httpListenerArn": self.http_listener_arn,
                "webAclArn": self.web_acl_arn,
            }
        )

    def attachment(self) -> ListenerAttachment:
        return ListenerAttachment(
            listener_arn=self.listener_arn,
            security_group_id=self.security_group_id,
            load_balancer_arn_suffix=self.arn_suffix,
            base_url=self.base_url,
        )
