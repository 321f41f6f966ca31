"""The CrossGuard policies of the pack, built from the packaged rules
(`components.governance.policy_rules`; importable: tests call them).

Each rule is a policy under its own name: resource rules validate one resource at a time,
stack rules the whole stack with the resources each input was wired from. Waivers reach the
pack as policy config (`pulumi preview --policy-pack policies --policy-pack-config FILE`,
FILE written by `python -m offline policy-config --stack NAME` from the stack file's
`aws-compute:policyWaivers`): a rule's waivers under its name, and all of them under the
advisory `policy-waivers` policy, which reports every waiver applied and every waiver that
is expired, so each preview prints them. An expired waiver waives nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from components.governance.policy_rules import (
    RULES,
    STACK_RULES,
    WAIVER_REPORT,
    Resource,
    Rule,
    StackRule,
    Violation,
    Waiver,
    apply_waivers,
    check_stack,
    waiver_problems,
    waivers_from_config,
    waivers_schema,
)

Today = Callable[[], date]


def _level(enforcement: str) -> EnforcementLevel:
    return EnforcementLevel.MANDATORY if enforcement == "mandatory" else EnforcementLevel.ADVISORY


def _waivers(config: Mapping[str, Any], rule: str | None) -> list[Waiver]:
    return waivers_from_config(config.get("waivers") or [], rule)


def _resource(r: PolicyResource) -> Resource:
    return Resource(
        type=r.resource_type,
        name=r.name,
        urn=r.urn,
        props=r.props,
        property_dependencies={key: [d.urn for d in deps] for key, deps in r.property_dependencies.items()},
    )


def resource_policy(rule: Rule, today: Today = date.today) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        found = [
            Violation(rule.name, rule.enforcement, args.name, m) for m in rule.check(args.resource_type, args.props)
        ]
        kept, _ = apply_waivers(found, _waivers(args.get_config(), rule.name), today())
        for violation in kept:
            report_violation(violation.message, None)

    return ResourceValidationPolicy(
        name=rule.name,
        description=rule.description,
        validate=validate,
        enforcement_level=_level(rule.enforcement),
        config_schema=PolicyConfigSchema(properties={"waivers": waivers_schema(with_rule=False)}),
    )


def stack_policy(rule: StackRule, today: Today = date.today) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        resources = [_resource(r) for r in args.resources]
        by_urn = {r.urn: r for r in resources}
        waivers = _waivers(args.get_config(), rule.name)
        for resource in resources:
            found = [Violation(rule.name, rule.enforcement, resource.name, m) for m in rule.check(resource, by_urn.get)]
            kept, _ = apply_waivers(found, waivers, today())
            for violation in kept:
                report_violation(violation.message, resource.urn)

    return StackValidationPolicy(
        name=rule.name,
        description=rule.description,
        validate=validate,
        enforcement_level=_level(rule.enforcement),
        config_schema=PolicyConfigSchema(properties={"waivers": waivers_schema(with_rule=False)}),
    )


def waiver_report(today: Today = date.today) -> StackValidationPolicy:
    """Advisory: one line per waived violation (rule, resource, reason) and per expired or
    otherwise invalid waiver, so that exceptions are visible in every preview."""

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        resources = [_resource(r) for r in args.resources]
        urns = {(r.name, r.urn) for r in resources}
        waivers = _waivers(args.get_config(), None)
        for waiver in waivers:
            for field, message in waiver_problems(waiver, today()):
                report_violation(f"waiver of {waiver.rule} for {', '.join(waiver.resources)}: {field}: {message}", None)
        _, waived = apply_waivers(check_stack(resources), waivers, today())
        for item in waived:
            urn = next((u for name, u in sorted(urns) if name == item.violation.resource), None)
            report_violation(f"{item.violation.rule} waived: {item.waiver.describe()}", urn)

    return StackValidationPolicy(
        name=WAIVER_REPORT,
        description="Prints every policy waiver applied (and every expired one)",
        validate=validate,
        enforcement_level=EnforcementLevel.ADVISORY,
        config_schema=PolicyConfigSchema(properties={"waivers": waivers_schema(with_rule=True)}),
    )


def policies(today: Today = date.today) -> list[Policy]:
    return [
        *(resource_policy(rule, today) for rule in RULES),
        *(stack_policy(rule, today) for rule in STACK_RULES),
        waiver_report(today),
    ]
