"""The args of load_balancer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi

from components.alarms import LoadBalancerAlarmsArgs
from components.validation import CheckedArgs

HTTPS_PORT = 443
HTTP_PORT = 80

Scheme = Literal["internet-facing", "internal"]


ListenerMode = Literal["httpsWithRedirect", "httpOnlyDev"]

WafMode = Literal["block", "count"]

RateWindowSeconds = Literal[60, 120, 300, 600]

#: AWS managed rule groups (vendor AWS) a web ACL may run, by name.
AWS_MANAGED_RULE_GROUPS = frozenset(
    {
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesAnonymousIpList",
        "AWSManagedRulesAdminProtectionRuleSet",
        "AWSManagedRulesSQLiRuleSet",
        "AWSManagedRulesLinuxRuleSet",
        "AWSManagedRulesUnixRuleSet",
        "AWSManagedRulesWindowsRuleSet",
        "AWSManagedRulesPHPRuleSet",
        "AWSManagedRulesWordPressRuleSet",
    }
)


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
class WafArgs(CheckedArgs):
    """A WAFv2 web ACL in front of the ALB: AWS managed rule groups, then a per-IP rate limit."""

    managed_rule_groups: Sequence[str] = ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet")
    """AWS managed rule groups, evaluated in this order; by default the core rule set (OWASP
    top risks) and known bad inputs (Log4Shell, exploit payloads), which AWS recommends for
    every web application."""
    rate_limit: int = 1000
    """Requests one client IP may send per `rate_window_seconds` before it is blocked
    (10-2,000,000,000, the API's range); 1000 per 5 minutes by default."""
    rate_window_seconds: RateWindowSeconds = 300
    """The window the rate limit counts over: 60, 120, 300 (default) or 600 seconds."""
    mode: WafMode = "block"
    """`block` by default; `count` only records matches (CloudWatch metrics and logs), to
    roll the rules out on live traffic before enforcing them."""
    log_retention_days: int = 365
    """Retention of the web ACL's request log group (`aws-waf-logs-…`, the prefix WAF
    requires); a year by default. Authorization and Cookie headers are redacted."""


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
    protect: bool = True
    """Pulumi `protect` on the ALB (its DNS name is what clients and DNS records point at) and the WAF log
    group: `pulumi up` refuses to delete or replace them until the flag is lifted, so a mistaken change
    cannot take them down. On by default; dev turns it off to tear stages down freely."""
    waf: WafArgs | None = None
    """A WAFv2 web ACL associated with the ALB; none by default in the component (a
    stage knob, on in prod)."""
    alarms: LoadBalancerAlarmsArgs | None = None
    """5xx the ALB generates itself, notifying a topic; none by default. Target 5xx and
    unhealthy targets are the alarms of whoever owns the target group."""

    @property
    def listener_ports(self) -> tuple[int, ...]:
        return (HTTP_PORT,) if self.listeners == "httpOnlyDev" else (HTTPS_PORT, HTTP_PORT)
