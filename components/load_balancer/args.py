"""The args of load_balancer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi

from components.validation import CheckedArgs

HTTPS_PORT = 443
HTTP_PORT = 80

Scheme = Literal["internet-facing", "internal"]


ListenerMode = Literal["httpsWithRedirect", "httpOnlyDev"]


@dataclass(frozen=True, kw_only=True)
class ListenerAttachment(CheckedArgs):
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


@dataclass(frozen=True, kw_only=True)
class LoadBalancerArgs(CheckedArgs):
    """The args of `LoadBalancer`: subnets, scheme, allowed ingress, listener mode and certificate, access logs."""

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

    @property
    def listener_ports(self) -> tuple[int, ...]:
        return (HTTP_PORT,) if self.listeners == "httpOnlyDev" else (HTTPS_PORT, HTTP_PORT)
