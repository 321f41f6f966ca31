"""The ALB's web application firewall: a regional WAFv2 web ACL, its request log and the
association.

Rules run in order: each AWS managed rule group (priority 10, 20, ...), then a rate-based
rule that blocks a client IP above `rate_limit` requests per window. Anything no rule
blocks is allowed. Every rule publishes CloudWatch metrics and sampled requests; full
request logs go to a log group named `aws-waf-logs-…` (WAF accepts no other prefix), with
the Authorization and Cookie headers redacted so credentials never reach the log.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.load_balancer.args import WafArgs

#: Headers that carry credentials; WAF logs replace their values with REDACTED.
REDACTED_HEADERS = ("authorization", "cookie")


def _visibility(metric_name: str) -> aws.wafv2.WebAclRuleVisibilityConfigArgs:
    return aws.wafv2.WebAclRuleVisibilityConfigArgs(
        cloudwatch_metrics_enabled=True, metric_name=metric_name, sampled_requests_enabled=True
    )


def _managed_rule(group: str, priority: int, mode: str) -> aws.wafv2.WebAclRuleArgs:
    return aws.wafv2.WebAclRuleArgs(
        name=group,
        priority=priority,
        statement=aws.wafv2.WebAclRuleStatementArgs(
            managed_rule_group_statement=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                vendor_name="AWS", name=group
            )
        ),
        # A rule group's own actions apply (none overridden), or all become Count.
        override_action=aws.wafv2.WebAclRuleOverrideActionArgs(
            none=aws.wafv2.WebAclRuleOverrideActionNoneArgs() if mode == "block" else None,
            count=aws.wafv2.WebAclRuleOverrideActionCountArgs() if mode == "count" else None,
        ),
        visibility_config=_visibility(group),
    )


def _rate_rule(waf: WafArgs, priority: int) -> aws.wafv2.WebAclRuleArgs:
    return aws.wafv2.WebAclRuleArgs(
        name="RateLimitPerIp",
        priority=priority,
        statement=aws.wafv2.WebAclRuleStatementArgs(
            rate_based_statement=aws.wafv2.WebAclRuleStatementRateBasedStatementArgs(
                aggregate_key_type="IP", limit=waf.rate_limit, evaluation_window_sec=waf.rate_window_seconds
            )
        ),
        action=aws.wafv2.WebAclRuleActionArgs(
            block=aws.wafv2.WebAclRuleActionBlockArgs() if waf.mode == "block" else None,
            count=aws.wafv2.WebAclRuleActionCountArgs() if waf.mode == "count" else None,
        ),
        visibility_config=_visibility("RateLimitPerIp"),
    )


def web_application_firewall(
    name: str, waf: WafArgs, load_balancer_arn: pulumi.Input[str], opts: pulumi.ResourceOptions, *, protect: bool
) -> aws.wafv2.WebAcl:
    """The web ACL, associated with the ALB, logging every request it evaluates."""
    rules = [_managed_rule(group, 10 * (i + 1), waf.mode) for i, group in enumerate(waf.managed_rule_groups)]
    rules.append(_rate_rule(waf, 10 * (len(rules) + 1)))
    acl = aws.wafv2.WebAcl(
        f"{name}-waf",
        scope="REGIONAL",
        description=f"Web ACL of the {name} load balancer",
        default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
        rules=rules,
        visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(
            cloudwatch_metrics_enabled=True, metric_name=f"{name}-waf", sampled_requests_enabled=True
        ),
        opts=opts,
    )
    log_group = aws.cloudwatch.LogGroup(
        f"{name}-waf-logs",
        name_prefix=f"aws-waf-logs-{name}-",
        retention_in_days=waf.log_retention_days,
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(protect=protect)),
    )
    aws.wafv2.WebAclLoggingConfiguration(
        f"{name}-waf-logging",
        resource_arn=acl.arn,
        log_destination_configs=[log_group.arn],
        redacted_fields=[
            aws.wafv2.WebAclLoggingConfigurationRedactedFieldArgs(
                single_header=aws.wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs(name=header)
            )
            for header in REDACTED_HEADERS
        ],
        opts=opts,
    )
    aws.wafv2.WebAclAssociation(
        f"{name}-waf-association", resource_arn=load_balancer_arn, web_acl_arn=acl.arn, opts=opts
    )
    return acl
