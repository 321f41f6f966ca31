"""Plain HTTP to the internet is a mandatory rule; waivers are reviewed exceptions with reasons."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pulumi_aws as aws
import pytest
from pulumi_policy import PolicyResource, ResourceValidationArgs, StackValidationArgs

import stage
from components.governance import policy_rules as rules
from offline import engine
from offline.__main__ import main
from offline.engine import Plan
from policies import pack

TODAY = date.today()
LISTENER_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/ext/1/2"


def resources(plan: Plan) -> list[rules.Resource]:
    return [
        rules.Resource(r.type, r.name, r.urn, r.inputs, r.property_dependencies) for r in plan.resources if r.custom
    ]


def plain_http(plan: Plan) -> list[str]:
    return sorted(v.resource for v in rules.check_stack(resources(plan)) if v.rule == rules.NO_PLAIN_HTTP)


def alb_with(internal: bool, default: aws.lb.ListenerDefaultActionArgs, protocol: str | None = "HTTP") -> Plan:
    def program() -> None:
        lb = aws.lb.LoadBalancer("lb", load_balancer_type="application", internal=internal)
        listener = aws.lb.Listener(
            "http", load_balancer_arn=lb.arn, port=80, protocol=protocol, default_actions=[default]
        )
        aws.lb.ListenerRule(
            "rule",
            listener_arn=listener.arn,
            priority=1,
            actions=[aws.lb.ListenerRuleActionArgs(type="forward", target_group_arn="arn:tg")],
            conditions=[
                aws.lb.ListenerRuleConditionArgs(
                    path_pattern=aws.lb.ListenerRuleConditionPathPatternArgs(values=["/*"])
                )
            ],
        )

    return engine.run(program)


FORWARD = aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn="arn:tg")
REDIRECT = aws.lb.ListenerDefaultActionArgs(
    type="redirect",
    redirect=aws.lb.ListenerDefaultActionRedirectArgs(protocol="HTTPS", port="443", status_code="HTTP_301"),
)


def test_an_internet_facing_http_listener_and_its_rules_serving_plain_text_are_violations() -> None:
    assert plain_http(alb_with(internal=False, default=FORWARD)) == ["http", "rule"]
    # protocol defaults to HTTP on an application load balancer
    assert plain_http(alb_with(internal=False, default=FORWARD, protocol=None)) == ["http", "rule"]


def test_a_listener_that_redirects_to_https_passes_but_a_forwarding_rule_on_it_does_not() -> None:
    assert plain_http(alb_with(internal=False, default=REDIRECT)) == ["rule"]


def test_an_internal_load_balancer_may_speak_plain_http() -> None:
    assert plain_http(alb_with(internal=True, default=FORWARD)) == []


def test_an_http_listener_on_a_load_balancer_outside_the_stack_is_judged() -> None:
    plan = engine.run(
        lambda: aws.lb.Listener(
            "ext", load_balancer_arn=LISTENER_ARN, port=80, protocol="HTTP", default_actions=[FORWARD]
        )
    )
    [violation] = [v for v in rules.check_stack(resources(plan)) if v.rule == rules.NO_PLAIN_HTTP]
    assert (violation.enforcement, violation.resource) == ("mandatory", "ext")
    assert violation.message.startswith("this HTTP listener of an internet-facing load balancer answers in plain text")


def test_dev_serves_plain_http_only_under_its_waiver(dev_plan: Plan, prod_plan: Plan) -> None:
    assert plain_http(dev_plan) == ["alb-http", "svc-api-rule", "web-rule"]
    assert plain_http(prod_plan) == []
    waivers = [w.to_waiver() for w in stage.validate(_dev_values())[0].policy_waivers]  # type: ignore[union-attr]
    kept, waived = rules.apply_waivers(rules.check_stack(resources(dev_plan)), waivers, TODAY)
    assert kept == []
    assert sorted(w.violation.resource for w in waived) == ["alb-http", "svc-api-rule", "web-rule"]
    assert waived[0].waiver.reason.startswith("dev has no certificate (listeners: httpOnlyDev)")


def _dev_values() -> dict[str, Any]:
    from offline import stacks

    config, _ = stacks.stack_config("dev")
    return {key.partition(":")[2]: value for key, value in config.items() if key.startswith("aws-compute:")}


def _prod_with(**extra: Any) -> dict[str, Any]:
    from offline import stacks

    config, _ = stacks.stack_config("apps-prod")
    values = {key.partition(":")[2]: value for key, value in config.items() if key.startswith("aws-compute:")}
    lb = {**values["services"]["loadBalancer"], "listeners": "httpOnlyDev"}
    lb.pop("certificateArn")
    return {**values, "services": {**values["services"], "loadBalancer": lb}, **extra}


def test_prod_with_http_only_dev_is_refused_without_a_waiver() -> None:
    config, lines = stage.validate(_prod_with())
    assert config is None
    assert lines == [
        "aws-compute:services.loadBalancer.listeners: httpOnlyDev serves plain HTTP to the internet, which policy"
        " no-plain-http-internet forbids; use httpsWithRedirect with a certificateArn, or waive the rule in"
        " aws-compute:policyWaivers for the ALB's listener (alb-http) and the rules on it, with a reason"
    ]


def test_prod_with_http_only_dev_and_a_reasoned_waiver_is_accepted() -> None:
    waiver = {"rule": "no-plain-http-internet", "resources": ["alb-http"], "reason": "migration week, see change 42"}
    config, lines = stage.validate(_prod_with(policyWaivers=[waiver]))
    assert lines == []
    assert config is not None
    assert config.policy_waivers[0].to_waiver() == rules.Waiver(
        "no-plain-http-internet", ("alb-http",), "migration week, see change 42"
    )


@pytest.mark.parametrize(
    ("waiver", "expected"),
    [
        (
            {"rule": "no-plain-http-internet", "resources": ["alb-http"]},
            ["aws-compute:policyWaivers[0].reason: required key is missing"],
        ),
        (
            {"rule": "no-plain-http-internet", "resources": ["alb-http"], "reason": "  "},
            [
                "aws-compute:policyWaivers[0].reason: say why this exception is acceptable:"
                " a waiver without a reason is refused"
            ],
        ),
        (
            {"rule": "no-plain-http", "resources": [], "reason": "because"},
            [
                "aws-compute:policyWaivers[0].resources: List should have at least 1 item after validation, not 0",
            ],
        ),
        (
            {"rule": "no-plain-http", "resources": ["alb-http"], "reason": "because"},
            [
                "aws-compute:policyWaivers[0].rule: 'no-plain-http' is not a policy rule; use one of "
                + ", ".join(rules.RULE_NAMES)
            ],
        ),
        (
            {
                "rule": "no-plain-http-internet",
                "resources": ["alb-http"],
                "reason": "because",
                "expires": (TODAY - timedelta(days=1)).isoformat(),
            },
            [
                f"aws-compute:policyWaivers[0].expires: {(TODAY - timedelta(days=1)).isoformat()} has passed;"
                " fix the resources, or renew it with a new date"
            ],
        ),
    ],
)
def test_a_bad_waiver_stops_the_program_naming_its_key(waiver: dict[str, Any], expected: list[str]) -> None:
    assert stage.validate({"policyWaivers": [waiver]}) == (None, expected)


def test_a_waiver_applies_through_its_expiry_day_and_not_after() -> None:
    violation = rules.Violation(rules.NO_PLAIN_HTTP, "mandatory", "alb-http", "plain")
    waiver = rules.Waiver(rules.NO_PLAIN_HTTP, ("alb-http",), "a reason", expires=TODAY)
    assert rules.apply_waivers([violation], [waiver], TODAY)[0] == []
    assert rules.apply_waivers([violation], [waiver], TODAY + timedelta(days=1)) == ([violation], [])
    other = rules.Waiver(rules.NO_PLAIN_HTTP, ("web-rule",), "a reason")
    assert rules.apply_waivers([violation], [other], TODAY) == ([violation], [])


# --- the CrossGuard pack sees the same waivers through --policy-pack-config


def _policy_resources(plan: Plan) -> list[PolicyResource]:
    by_urn: dict[str, PolicyResource] = {}
    for r in plan.resources:
        if r.custom:
            by_urn[r.urn] = PolicyResource(r.type, r.inputs, r.urn, r.name, None, None, None, [], {})  # type: ignore[arg-type]
    for r in plan.resources:
        if r.custom:
            by_urn[r.urn].property_dependencies = {
                key: [by_urn[u] for u in urns if u in by_urn] for key, urns in r.property_dependencies.items()
            }
    return list(by_urn.values())


def _pack_config(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["policy-config", "--stack", "dev"]) == 0
    return json.loads(capsys.readouterr().out)


def test_policy_config_hands_dev_waivers_to_the_pack(capsys: pytest.CaptureFixture[str]) -> None:
    config = _pack_config(capsys)
    entry = {
        "resources": ["alb-http", "svc-api-rule", "web-rule"],
        "reason": config[rules.NO_PLAIN_HTTP]["waivers"][0]["reason"],
    }
    assert config == {
        rules.NO_PLAIN_HTTP: {"waivers": [entry]},
        rules.WAIVER_REPORT: {"waivers": [{"rule": rules.NO_PLAIN_HTTP, **entry}]},
    }
    assert entry["reason"].startswith("dev has no certificate")


def test_the_pack_fails_dev_without_its_config_and_prints_the_waivers_with_it(
    dev_plan: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _pack_config(capsys)
    policies = {p.name: p for p in pack.policies()}
    found = _policy_resources(dev_plan)

    def run(policy_name: str, policy_config: dict[str, Any]) -> list[tuple[str, str | None]]:
        reported: list[tuple[str, str | None]] = []
        policies[policy_name].validate(  # type: ignore[attr-defined]
            StackValidationArgs(found, policy_config), lambda message, urn=None: reported.append((message, urn))
        )
        return reported

    unwaived = run(rules.NO_PLAIN_HTTP, {})
    assert sorted(urn.rsplit("::", 1)[1] for _, urn in unwaived if urn) == ["alb-http", "svc-api-rule", "web-rule"]
    assert run(rules.NO_PLAIN_HTTP, config[rules.NO_PLAIN_HTTP]) == []
    printed = run(rules.WAIVER_REPORT, config[rules.WAIVER_REPORT])
    assert len(printed) == 3
    assert all(message.startswith("no-plain-http-internet waived: dev has no certificate") for message, _ in printed)


def test_the_pack_reports_an_expired_waiver_and_does_not_honour_it() -> None:
    expired = {"resources": ["forever"], "reason": "legacy", "expires": (TODAY - timedelta(days=1)).isoformat()}
    policy = {p.name: p for p in pack.policies()}["log-retention"]
    reported: list[str] = []
    log_group = "aws:cloudwatch/logGroup:LogGroup"
    args = ResourceValidationArgs(log_group, {}, "urn", "forever", None, None, {"waivers": [expired]})  # type: ignore[arg-type]
    policy.validate(args, lambda message, urn=None: reported.append(message))  # type: ignore[attr-defined]
    assert reported == [
        "log groups must set retentionInDays; CloudWatch keeps logs forever (and bills for them) otherwise"
    ]
    report: list[str] = []
    waivers = {"waivers": [{"rule": "log-retention", **expired}]}
    {p.name: p for p in pack.policies()}[rules.WAIVER_REPORT].validate(  # type: ignore[attr-defined]
        StackValidationArgs([], waivers), lambda message, urn=None: report.append(message)
    )
    assert report == [
        f"waiver of log-retention for forever: expires: {expired['expires']} has passed;"
        " fix the resources, or renew it with a new date"
    ]
