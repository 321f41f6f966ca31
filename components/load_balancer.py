"""LoadBalancer: one Application Load Balancer per stage, shared through listener rules.

Fargate services and EC2 Auto Scaling groups attach through `attachment()` with
`components.alb_target`: a target group and listener rule each, ingress from
`security_group_id` on their port, and that security group's only egress, to them.
The ALB answers 404 to anything no rule claims. HTTPS with a TLS 1.2+ policy is the
default; plain HTTP forwarding exists only as the explicitly named `httpOnlyDev` mode.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_aws as aws

from components.catalogue.api_limits import with_api_limits
from components.validation import Problem, raise_if_any

Scheme = Literal["internet-facing", "internal"]
ListenerMode = Literal["httpsWithRedirect", "httpOnlyDev"]

#: ELB policies that negotiate TLS 1.2 or 1.3 only.
TLS12_PLUS_POLICIES = frozenset(
    {
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
        "ELBSecurityPolicy-TLS13-1-3-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
        "ELBSecurityPolicy-TLS-1-2-2017-01",
        "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
        "ELBSecurityPolicy-FS-1-2-2019-08",
        "ELBSecurityPolicy-FS-1-2-Res-2019-08",
        "ELBSecurityPolicy-FS-1-2-Res-2020-10",
    }
)
HTTPS_PORT = 443
HTTP_PORT = 80

_ACM_ARN = re.compile(r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[\w.-]+$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


@dataclass(frozen=True, kw_only=True)
class ListenerAttachment:
    """What a target (Fargate service, Auto Scaling group) needs to sit behind an ALB: the
    stage's shared ALB (`LoadBalancer.attachment()`) or an existing one (`existing_listener`)."""

    listener_arn: pulumi.Input[str]
    """The listener to add a rule to."""
    security_group_id: pulumi.Input[str]
    """The ALB's security group: targets admit it on their port, it gets egress to them."""
    load_balancer_arn_suffix: pulumi.Input[str]
    """For the ALBRequestCountPerTarget scaling metric."""
    base_url: pulumi.Input[str] | None = None
    """`https://<dns name>` (or `http://` in httpOnlyDev): where the routed paths live; None
    for an existing ALB known only by its listener."""


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


@dataclass(frozen=True, kw_only=True)
class LoadBalancerArgs:
    vpc_id: pulumi.Input[str]
    """The VPC of the ALB and of its targets."""
    subnet_ids: pulumi.Input[Sequence[str]]
    """Public subnets for an internet-facing ALB, private ones for an internal ALB."""
    scheme: Scheme = "internal"
    """`internal` by default (nothing public unless asked); `internet-facing` for the web."""
    ingress_cidrs: Sequence[str] = ()
    """Who may reach the listener ports (IPv4 or IPv6 CIDRs). Required: there is no
    implicit 0.0.0.0/0; a public web ALB lists it explicitly."""
    listeners: ListenerMode = "httpsWithRedirect"
    """`httpsWithRedirect` by default: HTTPS on 443, HTTP on 80 redirecting to it.
    `httpOnlyDev` forwards plain HTTP on 80 and is meant only for dev stages without a
    certificate."""
    certificate_arn: str | None = None
    """ACM certificate ARN of the HTTPS listener; required with `httpsWithRedirect`."""
    ssl_policy: str = "ELBSecurityPolicy-TLS13-1-2-2021-06"
    """TLS 1.3 with 1.2 fallback by default; only TLS 1.2+ policies are accepted (the seed's
    TLS12_EXT is superseded by the TLS13 policies)."""
    idle_timeout: int = 60
    """Seconds an idle connection stays open (1-4000); 60 by default, the AWS default."""
    deletion_protection: bool = True
    """On by default so a stack update cannot delete a production entry point; dev turns it off."""
    access_logs_bucket: str | None = None
    """S3 bucket (with an ELB log-delivery policy) for access logs; off by default."""
    access_logs_prefix: str | None = None
    """Key prefix inside that bucket; the bucket root by default."""

    def __post_init__(self) -> None:
        raise_if_any("LoadBalancerArgs", with_api_limits(self, load_balancer_problems(self)))

    @property
    def listener_ports(self) -> tuple[int, ...]:
        return (HTTP_PORT,) if self.listeners == "httpOnlyDev" else (HTTPS_PORT, HTTP_PORT)


def load_balancer_problems(args: LoadBalancerArgs) -> list[Problem]:
    problems: list[Problem] = []
    if not args.ingress_cidrs:
        problems.append(
            Problem("ingress_cidrs", "empty; list the CIDRs allowed to reach the ALB (0.0.0.0/0 for public)")
        )
    for cidr in args.ingress_cidrs:
        try:
            ipaddress.ip_network(cidr)
        except ValueError:
            problems.append(Problem("ingress_cidrs", f"{cidr!r} is not a CIDR block like 203.0.113.0/24"))
    if args.listeners == "httpsWithRedirect":
        if args.certificate_arn is None:
            problems.append(
                Problem(
                    "certificate_arn",
                    "HTTPS needs an ACM certificate ARN; set certificateArn (or, in dev only, listeners: httpOnlyDev)",
                )
            )
        elif not _ACM_ARN.match(args.certificate_arn):
            problems.append(
                Problem(
                    "certificate_arn", f"{args.certificate_arn!r} is not an ACM ARN (arn:aws:acm:...:certificate/...)"
                )
            )
    elif args.certificate_arn is not None:
        problems.append(Problem("certificate_arn", "httpOnlyDev has no HTTPS listener; remove the certificate"))
    if args.ssl_policy not in TLS12_PLUS_POLICIES:
        problems.append(
            Problem(
                "ssl_policy",
                f"{args.ssl_policy!r} is not a TLS 1.2+ policy; use ELBSecurityPolicy-TLS13-1-2-2021-06 or another"
                " TLS13/TLS-1-2/FS-1-2 policy",
            )
        )
    if not 1 <= args.idle_timeout <= 4000:
        problems.append(Problem("idle_timeout", f"{args.idle_timeout} is outside 1-4000 seconds"))
    if args.access_logs_bucket is not None and not _BUCKET.match(args.access_logs_bucket):
        problems.append(Problem("access_logs_bucket", f"{args.access_logs_bucket!r} is not an S3 bucket name"))
    if args.access_logs_prefix is not None and args.access_logs_bucket is None:
        problems.append(Problem("access_logs_prefix", "set accessLogsBucket too, or remove the prefix"))
    return problems


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
            for i, cidr in enumerate(args.ingress_cidrs):
                ipv6 = ":" in cidr
                aws.vpc.SecurityGroupIngressRule(
                    f"{name}-ingress-{port}-{i}",
                    security_group_id=sg.id,
                    description=f"Listener port {port} from {cidr}",
                    ip_protocol="tcp",
                    from_port=port,
                    to_port=port,
                    cidr_ipv4=None if ipv6 else cidr,
                    cidr_ipv6=cidr if ipv6 else None,
                    opts=child,
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
            opts=child,
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

        self.arn = alb.arn
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
            }
        )

    def attachment(self) -> ListenerAttachment:
        return ListenerAttachment(
            listener_arn=self.listener_arn,
            security_group_id=self.security_group_id,
            load_balancer_arn_suffix=self.arn_suffix,
            base_url=self.base_url,
        )
