"""The rules of load_balancer."""

from __future__ import annotations

import ipaddress
import re

from components.cidr_ingress import duplicate_cidr_problems
from components.load_balancer.args import AWS_MANAGED_RULE_GROUPS, LoadBalancerArgs, WafArgs
from components.validation import Problem, retention_problems, rules_for

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

_ACM_ARN = re.compile(r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[\w.-]+$")


_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


@rules_for(LoadBalancerArgs)
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
    problems += duplicate_cidr_problems("ingress_cidrs", args.ingress_cidrs)
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
    if args.waf is not None:
        problems += [Problem(f"waf.{p.field}", p.message) for p in waf_problems(args.waf)]
    return problems


def waf_problems(waf: WafArgs) -> list[Problem]:
    problems = [
        Problem(
            "managed_rule_groups",
            f"{group!r} is not an AWS managed rule group; choose from {', '.join(sorted(AWS_MANAGED_RULE_GROUPS))}",
        )
        for group in waf.managed_rule_groups
        if group not in AWS_MANAGED_RULE_GROUPS
    ]
    if len(set(waf.managed_rule_groups)) != len(waf.managed_rule_groups):
        problems.append(Problem("managed_rule_groups", "a rule group is listed twice; list each once"))
    # wafv2 RateBasedStatement.Limit (botocore shape RateLimit): min 10, max 2,000,000,000.
    if not 10 <= waf.rate_limit <= 2_000_000_000:
        problems.append(Problem("rate_limit", f"{waf.rate_limit} is outside 10-2000000000 requests per window"))
    problems += retention_problems("log_retention_days", waf.log_retention_days)
    return problems
